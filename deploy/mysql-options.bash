# Turning DATABASE_URL into a MySQL option file: sourced by scripts/backup-database and
# scripts/restore-database.

# mysql_options URL: check that URL names a MySQL database, write its connection settings to a new
# option file readable only by this user, and set mysql_options_file, mysql_database and
# mysql_host. The caller deletes the file. Exits with an error for any other kind of URL.
mysql_options() {
    local parsed
    mysql_options_file=$(mktemp)
    chmod 600 "$mysql_options_file"
    # The URL goes through the environment, not the command line, so that ps never shows the password.
    parsed=$(ARC_DATABASE_URL=$1 python3 - "$mysql_options_file" <<'PYTHON'
import os
import sys
from urllib.parse import parse_qs, unquote, urlsplit

url = urlsplit(os.environ["ARC_DATABASE_URL"])
if not url.scheme.startswith(("mysql", "mariadb")):
    sys.exit(f"DATABASE_URL must name a MySQL database (mysql+pymysql://...), not a {url.scheme or 'plain'} URL.")
database = unquote(url.path.lstrip("/"))
if not database:
    sys.exit("DATABASE_URL names no database.")


def quoted(value):
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


lines = ["[client]"]
query = parse_qs(url.query)
if "unix_socket" in query:
    lines.append("socket=" + quoted(query["unix_socket"][0]))
else:
    lines.append("host=" + quoted(url.hostname or "127.0.0.1"))
    lines.append(f"port={url.port or 3306}")
if url.username:
    lines.append("user=" + quoted(unquote(url.username)))
if url.password is not None:
    lines.append("password=" + quoted(unquote(url.password)))
with open(sys.argv[1], "w", encoding="utf-8") as options:
    options.write("\n".join(lines) + "\n")
print(database)
print(url.hostname or "localhost")
PYTHON
    ) || {
        rm -f "$mysql_options_file"
        exit 1
    }
    # The sourcing script reads mysql_database and mysql_host.
    # shellcheck disable=SC2034
    mysql_database=$(sed -n 1p <<<"$parsed")
    # shellcheck disable=SC2034
    mysql_host=$(sed -n 2p <<<"$parsed")
}
