# Reading the server's environment file from bash, for deploy/run-flask and the scripts.
#
# The format is the one arc/operations/envfile.py reads. Each line holds one NAME=value. The value
# is the text after the first "=" with surrounding whitespace removed, taken literally: there is
# no $ expansion and no escape. One pair of matching quotes around the whole value is removed.
# Blank lines and lines starting with "#" are ignored, and "export " before the name is allowed.
# The file is never run as shell code.

# arc_env_parse_line LINE: set ARC_ENV_NAME and ARC_ENV_VALUE. Returns 1 for a blank or comment
# line and 2 for a line that is not a setting.
arc_env_parse_line() {
    local text=$1 name value first
    text="${text#"${text%%[![:space:]]*}"}"
    text="${text%"${text##*[![:space:]]}"}"
    if [[ -z $text || $text == \#* ]]; then
        return 1
    fi
    if [[ $text == "export "* ]]; then
        text=${text#export }
        text="${text#"${text%%[![:space:]]*}"}"
    fi
    if [[ $text != *=* ]]; then
        return 2
    fi
    name=${text%%=*}
    value=${text#*=}
    name="${name%"${name##*[![:space:]]}"}"
    value="${value#"${value%%[![:space:]]*}"}"
    if [[ ! $name =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]]; then
        return 2
    fi
    first=${value:0:1}
    if (( ${#value} >= 2 )) && [[ ( $first == '"' || $first == "'" ) && ${value: -1} == "$first" ]]; then
        value=${value:1:${#value}-2}
    fi
    ARC_ENV_NAME=$name
    ARC_ENV_VALUE=$value
}

# arc_env_each FILE CALLBACK: call "CALLBACK NAME VALUE" for each setting of FILE, in order.
# Prints an error naming the line and returns 1 at the first line that is not a setting.
arc_env_each() {
    local file=$1 callback=$2 line number=0 status
    if [[ ! -r $file ]]; then
        echo "Cannot read the environment file $file. Set ARC_ENV_FILE to its path." >&2
        return 1
    fi
    while IFS= read -r line || [[ -n $line ]]; do
        number=$((number + 1))
        status=0
        arc_env_parse_line "$line" || status=$?
        case $status in
            0) "$callback" "$ARC_ENV_NAME" "$ARC_ENV_VALUE" ;;
            1) ;;
            *)
                echo "$file, line $number: expected NAME=value, not '$line'." >&2
                return 1
                ;;
        esac
    done <"$file"
}

_arc_env_export() {
    if [[ -n ${_arc_env_loaded[$1]+set} || -z ${!1+set} ]]; then
        export "$1=$2"
        _arc_env_loaded[$1]=1
    fi
}

# arc_load_env_file FILE: export the settings of FILE. A variable set in the environment before
# the call wins over the file, and the last line for a name wins within it, as in the Python reader.
arc_load_env_file() {
    declare -gA _arc_env_loaded=()
    arc_env_each "$1" _arc_env_export
}

_arc_env_match() {
    if [[ $1 == "$_arc_env_wanted" ]]; then
        _arc_env_found=$2
        _arc_env_seen=1
    fi
}

# arc_env_value FILE NAME: print the value of NAME in FILE (its last line wins); return 1 when the
# file does not set NAME.
arc_env_value() {
    _arc_env_wanted=$2
    _arc_env_found=
    _arc_env_seen=0
    arc_env_each "$1" _arc_env_match || return 1
    if [[ $_arc_env_seen != 1 ]]; then
        return 1
    fi
    printf '%s\n' "$_arc_env_found"
}
