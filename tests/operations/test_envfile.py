"""The environment file format, as the WSGI script (Python) and the scripts, cron and Supervisor (bash) read it."""

import os
import subprocess

import pytest

from arc.operations.envfile import EnvironmentFileError, load_environment_file, read_environment_file

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ENVFILE_BASH = os.path.join(ROOT, "deploy", "envfile.bash")

TRICKY = (
    "# Settings of one server\n"
    "\n"
    "APP_ENV=production\n"
    "MAIL_FROM_NAME=\"Rose Vouchers\"\n"
    "MAIL_TO_ADMIN_NAME=Alexandra Rose Charity\n"
    "SECRET_KEY='a$b`c\\d'\n"
    "DATABASE_URL=mysql+pymysql://arc:p%40ss=word@127.0.0.1/arc?charset=utf8mb4\n"
    "  export REDIS_URL = redis://127.0.0.1:6379/0  \n"
    "EMPTY=\n"
    "QUOTE_INSIDE=it's \"fine\"\n"
    "ONE_QUOTE=\"\n"
    "WINDOWS_LINE=ends with a carriage return\r\n"
    "APP_ENV=staging\n"
    "LAST_LINE=no newline at the end"
)
EXPECTED = {
    "APP_ENV": "staging",
    "MAIL_FROM_NAME": "Rose Vouchers",
    "MAIL_TO_ADMIN_NAME": "Alexandra Rose Charity",
    "SECRET_KEY": "a$b`c\\d",
    "DATABASE_URL": "mysql+pymysql://arc:p%40ss=word@127.0.0.1/arc?charset=utf8mb4",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "EMPTY": "",
    "QUOTE_INSIDE": "it's \"fine\"",
    "ONE_QUOTE": "\"",
    "WINDOWS_LINE": "ends with a carriage return",
    "LAST_LINE": "no newline at the end",
}


@pytest.fixture
def tricky_file(tmp_path):
    path = tmp_path / "arc.env"
    path.write_bytes(TRICKY.encode())
    return path


def bash(script, *arguments, environment=None):
    return subprocess.run(
        ["bash", "-c", f'set -euo pipefail; . "{ENVFILE_BASH}"; {script}', "bash", *arguments],
        capture_output=True,
        text=True,
        env=environment if environment is not None else {"PATH": os.environ["PATH"]},
        timeout=60,
    )


def bash_settings(path, names):
    """Return the variables that bash's arc_load_env_file exports, for ``names``."""
    listing = "; ".join(f'printf "%s\\0" "{name}=${{{name}-<unset>}}"' for name in names)
    result = bash(f'arc_load_env_file "$1"; {listing}', str(path))
    assert result.returncode == 0, result.stderr
    return dict(item.split("=", 1) for item in result.stdout.split("\0") if item)


def test_python_reads_every_form(tricky_file):
    assert read_environment_file(tricky_file) == EXPECTED


def test_bash_reads_same_values_as_python(tricky_file):
    assert bash_settings(tricky_file, EXPECTED) == EXPECTED


def test_bash_value_of_one_setting(tricky_file):
    result = bash('arc_env_value "$1" DATABASE_URL', str(tricky_file))

    assert result.returncode == 0, result.stderr
    assert result.stdout == EXPECTED["DATABASE_URL"] + "\n"


def test_bash_value_of_missing_setting_fails(tricky_file):
    result = bash('arc_env_value "$1" NOT_THERE', str(tricky_file))

    assert result.returncode == 1
    assert result.stdout == ""


def test_environment_wins_over_file_in_python(tricky_file):
    environ = {"APP_ENV": "testing"}

    loaded = load_environment_file(tricky_file, environ)

    assert environ["APP_ENV"] == "testing"
    assert "APP_ENV" not in loaded
    assert environ["MAIL_FROM_NAME"] == "Rose Vouchers"


def test_environment_wins_over_file_in_bash(tricky_file):
    result = bash(
        'arc_load_env_file "$1"; printf "%s|%s" "$APP_ENV" "$MAIL_FROM_NAME"',
        str(tricky_file),
        environment={"PATH": os.environ["PATH"], "APP_ENV": "testing"},
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout == "testing|Rose Vouchers"


@pytest.mark.parametrize("line", ["not a setting", "1ST=digit first", "NAME WITH SPACE=x", "=no name"])
def test_python_rejects_malformed_line_with_number(tmp_path, line):
    path = tmp_path / "arc.env"
    path.write_text(f"APP_ENV=production\n{line}\n")

    with pytest.raises(EnvironmentFileError, match=r"line 2: expected NAME=value"):
        read_environment_file(path)


@pytest.mark.parametrize("line", ["not a setting", "1ST=digit first", "NAME WITH SPACE=x", "=no name"])
def test_bash_rejects_malformed_line_with_number(tmp_path, line):
    path = tmp_path / "arc.env"
    path.write_text(f"APP_ENV=production\n{line}\n")

    result = bash('arc_load_env_file "$1"', str(path))

    assert result.returncode == 1
    assert f"{path}, line 2: expected NAME=value" in result.stderr


def test_bash_reports_unreadable_file(tmp_path):
    result = bash('arc_load_env_file "$1"', str(tmp_path / "missing.env"))

    assert result.returncode == 1
    assert "Cannot read the environment file" in result.stderr


def test_bash_never_runs_file_as_code(tmp_path):
    marker = tmp_path / "ran"
    path = tmp_path / "arc.env"
    path.write_text(f"COMMAND=$(touch {marker})\nOTHER=`touch {marker}`\n")

    result = bash('arc_load_env_file "$1"; printf "%s" "$COMMAND"', str(path))

    assert result.returncode == 0, result.stderr
    assert result.stdout == f"$(touch {marker})"
    assert not marker.exists()
