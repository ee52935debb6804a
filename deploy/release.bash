# Steps shared by scripts/install-release and scripts/rollback-release, sourced by both.
#
# The caller sets root (the deployment folder, default /var/www/arc) and dry_run (0 or 1).
# These environment variables replace the service commands on a host laid out differently, or in
# a test. Each value is split on spaces and never run through a shell.
#   ARC_APACHE_CONFIGTEST  default: apachectl configtest
#   ARC_APACHE_RELOAD      default: systemctl reload httpd
#   ARC_WORKERS_RESTART    default: supervisorctl restart arc-worker:*
# The sourcing script sets root and dry_run, and defines fail.
# shellcheck disable=SC2154

# run COMMAND...: run a command that changes something, or print it in a dry run.
run() {
    if [[ $dry_run == 1 ]]; then
        echo "would run: $*"
    else
        "$@"
    fi
}

# run_setting TEXT: split a service command setting on spaces and run it.
run_setting() {
    local words
    read -r -a words <<<"$1"
    run "${words[@]}"
}

# release_of LINK: print the release folder name that LINK (current or previous) points at, or
# nothing when LINK is missing.
release_of() {
    local target
    target=$(readlink "$root/$1" 2>/dev/null) || return 0
    basename "$target"
}

# point LINK RELEASE: make $root/LINK point at releases/RELEASE, replacing it in one rename so that
# no reader ever finds the link missing.
point() {
    run ln -sfn "releases/$2" "$root/.$1.new"
    run mv -Tf "$root/.$1.new" "$root/$1"
}

# check_release RELEASE: fail unless releases/RELEASE is a complete release.
check_release() {
    local folder=$root/releases/$1
    [[ -d $folder ]] || fail "there is no release $1 in $root/releases."
    [[ ! -e $folder/.incomplete ]] || fail "release $1 was not installed completely; install it again."
    [[ -x $folder/venv/bin/flask ]] || fail "release $1 has no virtual environment with flask."
}

# take_release_lock: hold a lock on the deployment folder until the script exits, so that two
# installs or rollbacks never run at once.
take_release_lock() {
    exec {release_lock}>"$root/.release.lock"
    flock -n "$release_lock" || fail "another install or rollback is running in $root."
}

# switch_to RELEASE: point current at RELEASE and previous at the release it replaces, check the
# Apache configuration, then reload Apache and restart the workers. When the configuration check
# fails, both links go back to what they were, and nothing is reloaded.
switch_to() {
    local release=$1 old_current old_previous
    old_current=$(release_of current)
    old_previous=$(release_of previous)
    point current "$release"
    if [[ -n $old_current && $old_current != "$release" ]]; then
        point previous "$old_current"
    fi
    if ! run_setting "${ARC_APACHE_CONFIGTEST:-apachectl configtest}"; then
        if [[ -n $old_current ]]; then
            point current "$old_current"
        fi
        if [[ -n $old_previous ]]; then
            point previous "$old_previous"
        fi
        fail "the Apache configuration of release $release does not pass apachectl configtest; current is back on ${old_current:-nothing}."
    fi
    run_setting "${ARC_APACHE_RELOAD:-systemctl reload httpd}"
    run_setting "${ARC_WORKERS_RESTART:-supervisorctl restart arc-worker:*}"
}
