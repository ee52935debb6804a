"""The environment file of a server: the settings of the web processes, workers and cron jobs.

The file has one ``NAME=value`` setting a line. The value is everything after the first ``=`` with
surrounding whitespace removed, taken literally: no ``$`` expansion and no escapes. One pair of
matching single or double quotes around the whole value is removed, so ``MAIL_FROM_NAME="Rose
Vouchers"`` and ``MAIL_FROM_NAME=Rose Vouchers`` mean the same. Blank lines and lines starting with
``#`` are ignored, and an ``export`` before the name is allowed. ``deploy/envfile.bash`` reads the
same format for the shell scripts, cron and Supervisor.

This module imports nothing from the application, so the WSGI script can load the settings before
the application reads them.
"""

import os
import re

NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# ASCII whitespace only, as bash's [:space:] class matches it in deploy/envfile.bash.
WHITESPACE = " \t\n\r\v\f"


class EnvironmentFileError(ValueError):
    """A line of the environment file that is not a setting."""


def parse_line(line, number, path):
    """Return ``(name, value)`` for a setting line, None for a blank or comment line."""
    text = line.strip(WHITESPACE)
    if not text or text.startswith("#"):
        return None
    if text.startswith("export "):
        text = text[len("export "):].lstrip(WHITESPACE)
    name, separator, value = text.partition("=")
    name = name.strip(WHITESPACE)
    if not separator or not NAME.fullmatch(name):
        raise EnvironmentFileError(f"{path}, line {number}: expected NAME=value, not {line.rstrip()!r}.")
    value = value.strip(WHITESPACE)
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        value = value[1:-1]
    return name, value


def read_environment_file(path):
    """Return the settings of the file at ``path`` as a dict; a later line for a name wins."""
    settings = {}
    # newline="\n" splits lines on line feeds only, as bash's read does; a carriage return left at
    # the end of a line is whitespace.
    with open(path, encoding="utf-8", newline="\n") as handle:
        for number, line in enumerate(handle, start=1):
            setting = parse_line(line, number, path)
            if setting is not None:
                settings[setting[0]] = setting[1]
    return settings


def load_environment_file(path, environ=None):
    """Copy the file's settings into ``environ`` (default ``os.environ``) for names not set there already.

    A variable set in the process's environment wins over the file, as in ``deploy/envfile.bash``.
    Returns the names that were set.
    """
    environ = os.environ if environ is None else environ
    loaded = []
    for name, value in read_environment_file(path).items():
        if name not in environ:
            environ[name] = value
            loaded.append(name)
    return loaded
