"""The deployment files: the Supervisor program, the cron table, the Apache configuration and the WSGI script."""

import configparser
import os
import re
import shlex
import subprocess
import sys

import pytest

from arc.jobs.queue import JOB_TIMEOUT_SECONDS

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
APACHE = os.path.join(ROOT, "apache")
DEPLOY = os.path.join(ROOT, "deploy")
CURRENT_RELEASE = "/var/www/arc/current/"


def read(*parts):
    with open(os.path.join(ROOT, *parts), encoding="utf-8") as handle:
        return handle.read()


@pytest.fixture(scope="module")
def worker_program():
    parser = configparser.ConfigParser(interpolation=None)
    parser.read_string(read("deploy", "arc-worker.ini"))
    return parser["program:arc-worker"]


def cron_jobs():
    """Return (minute, hour, day, month, weekday, user, command) for each job line of the cron table."""
    jobs = []
    for line in read("deploy", "arc.cron").splitlines():
        if not line.strip() or line.startswith("#") or re.match(r"^[A-Z_]+=", line):
            continue
        jobs.append(tuple(line.split(None, 6)))
    return jobs


def flask_arguments(command):
    """Return the arguments that a cron command passes to deploy/run-flask, without its redirection."""
    words = shlex.split(command.split(">>")[0])
    return words[words.index(CURRENT_RELEASE + "deploy/run-flask") + 1:]


def test_worker_program_runs_two_workers(worker_program):
    assert worker_program.getint("numprocs") == 2
    assert "%(process_num)" in worker_program["process_name"]


def test_worker_program_runs_worker_command_from_release(worker_program):
    assert worker_program["command"] == CURRENT_RELEASE + "deploy/run-flask arc worker"
    assert worker_program["directory"] == CURRENT_RELEASE.rstrip("/")


def test_worker_program_waits_for_running_job(worker_program):
    assert worker_program["stopsignal"] == "TERM"
    assert worker_program.getint("stopwaitsecs") > JOB_TIMEOUT_SECONDS


def test_worker_program_restarts_as_apache(worker_program):
    assert worker_program["user"] == "apache"
    assert worker_program.getboolean("autostart")
    assert worker_program.getboolean("autorestart")


def test_cron_uses_london_time():
    assert "CRON_TZ=Europe/London" in read("deploy", "arc.cron").splitlines()


def test_cron_lines_have_schedule_user_and_command():
    for job in cron_jobs():
        assert len(job) == 7, job
        assert job[5] in ("apache", "root"), job


def test_cron_runs_report_nightly_at_two():
    reports = [job for job in cron_jobs() if "arc mvl report" in job[6]]

    assert [job[:6] for job in reports] == [("0", "2", "*", "*", "*", "apache")]
    assert flask_arguments(reports[0][6]) == ["arc", "mvl", "report", "--force"]


def test_cron_sends_duplicate_reports_hourly():
    reports = [job for job in cron_jobs() if "send-duplicate-reports" in job[6]]

    assert len(reports) == 1
    minute, hour, day, month, weekday = reports[0][:5]
    assert minute.isdigit()
    assert (hour, day, month, weekday) == ("*", "*", "*", "*")


def test_cron_jobs_take_a_lock():
    for job in cron_jobs():
        assert job[6].startswith("flock -n /var/www/arc/storage/locks/"), job


def test_cron_flask_commands_exist(app):
    runner = app.test_cli_runner()
    for job in cron_jobs():
        if "deploy/run-flask" not in job[6]:
            continue
        result = runner.invoke(args=[*flask_arguments(job[6]), "--help"])
        assert result.exit_code == 0, (job, result.output)


def test_cron_scripts_exist():
    for job in cron_jobs():
        program = shlex.split(job[6])[3]
        assert program.startswith(CURRENT_RELEASE), job
        assert os.access(os.path.join(ROOT, program[len(CURRENT_RELEASE):]), os.X_OK), job


def test_apache_variables_all_defined():
    defined = set(re.findall(r"^Define (\w+) ", read("apache", "00-arc-variables.conf"), re.MULTILINE))
    used = set()
    for name in ("arc.conf", "arc-site.conf", "arc-static.conf"):
        used |= set(re.findall(r"\$\{(\w+)\}", read("apache", name)))

    assert used <= defined
    assert defined - used == set()


def test_apache_daemon_sized_for_four_cpus():
    daemon = re.search(r"^WSGIDaemonProcess arc (.*)$", read("apache", "arc.conf"), re.MULTILINE).group(1)
    options = dict(option.split("=", 1) for option in daemon.split())

    assert options["processes"] == "4"
    assert int(options["threads"]) >= 4
    assert options["python-home"] == "${ARC_PYTHON_HOME}"


def test_apache_serves_existing_folders():
    configuration = read("apache", "arc.conf") + read("apache", "arc-site.conf")
    for path in re.findall(r"\$\{ARC_RELEASE\}/([\w/.-]+)", configuration):
        assert os.path.exists(os.path.join(ROOT, path)), path


def test_apache_every_site_has_tls_and_headers():
    site = read("apache", "arc-site.conf")
    for header in ("Strict-Transport-Security", "X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy"):
        assert f"Header always set {header} " in site
    assert read("apache", "arc.conf").count("Include ${ARC_RELEASE}/apache/arc-site.conf") == 3


def write_environment_file(path, database):
    path.write_text(
        "APP_ENV=production\n"
        "SECRET_KEY=secret-for-the-test\n"
        "APP_KEY=base64:YXJjLWRldmVsb3BtZW50LWtleS1ub3Qtc2VjcmV0ISE=\n"
        f"DATABASE_URL=sqlite:///{database}\n"
        "ARC_SERVICE_DOMAIN=admin.example.test:8443\n"
        "MAIL_FROM_NAME=\"Rose Vouchers\"\n"
    )


def test_wsgi_script_loads_environment_file(tmp_path):
    environment_file = tmp_path / "arc.env"
    write_environment_file(environment_file, tmp_path / "arc.sqlite")
    program = (
        "import os, runpy, sys\n"
        "from werkzeug.test import EnvironBuilder\n"
        f"module = runpy.run_path({os.path.join(APACHE, 'arc.wsgi')!r})\n"
        f"environ = EnvironBuilder('/version', base_url='https://admin.example.test:8443').get_environ()\n"
        f"environ['ARC_ENV_FILE'] = {str(environment_file)!r}\n"
        "statuses = []\n"
        "body = b''.join(module['application'](environ, lambda status, headers: statuses.append(status)))\n"
        "print(statuses[0], os.environ['APP_ENV'], os.environ['MAIL_FROM_NAME'], body.decode().strip())\n"
    )
    environment = {key: value for key, value in os.environ.items() if key not in ("APP_ENV", "DATABASE_URL")}

    result = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, env=environment, timeout=120
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith('200 OK production Rose Vouchers {"Service/API":')


def test_run_flask_uses_environment_file(tmp_path):
    environment_file = tmp_path / "arc.env"
    write_environment_file(environment_file, tmp_path / "arc.sqlite")
    environment = {"PATH": os.environ["PATH"], "ARC_ENV_FILE": str(environment_file),
                   "ARC_VENV": os.path.dirname(os.path.dirname(sys.executable))}

    result = subprocess.run(
        [os.path.join(DEPLOY, "run-flask"), "routes"], capture_output=True, text=True, env=environment, timeout=120
    )

    assert result.returncode == 0, result.stderr
    assert "admin.example.test:8443" in result.stdout


def test_run_flask_needs_environment_file(tmp_path):
    environment = {"PATH": os.environ["PATH"], "ARC_ENV_FILE": str(tmp_path / "missing.env")}

    result = subprocess.run([os.path.join(DEPLOY, "run-flask"), "routes"], capture_output=True, text=True,
                            env=environment, timeout=60)

    assert result.returncode == 1
    assert "Cannot read the environment file" in result.stderr
