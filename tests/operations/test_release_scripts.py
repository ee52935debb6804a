"""scripts/install-release and scripts/rollback-release on a deployment folder of the test's own.

The Apache and Supervisor commands are replaced through ARC_APACHE_CONFIGTEST, ARC_APACHE_RELOAD
and ARC_WORKERS_RESTART with commands that record that they ran. Installing a release builds a
virtual environment from the package index, which takes a minute or more, so those tests run only
with ARC_APACHE_SMOKE=1, beside the Apache smoke test.
"""

import getpass
import os
import shutil
import sqlite3
import subprocess
import pathlib
import sys
import tarfile
import tempfile

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
INSTALL = os.path.join(ROOT, "scripts", "install-release")
ROLLBACK = os.path.join(ROOT, "scripts", "rollback-release")
SYSTEM_PYTHON = "/usr/bin/python3"

slow = pytest.mark.skipif(
    os.environ.get("ARC_APACHE_SMOKE") != "1",
    reason="Set ARC_APACHE_SMOKE=1 to install real releases (each builds a virtual environment from the "
    "package index).",
)


def write_environment_file(root):
    (root / "arc.env").write_text(
        "APP_ENV=production\n"
        "SECRET_KEY=secret-for-the-test\n"
        "APP_KEY=base64:YXJjLWRldmVsb3BtZW50LWtleS1ub3Qtc2VjcmV0ISE=\n"
        f"DATABASE_URL=sqlite:///{root}/storage/arc.sqlite\n"
    )


@pytest.fixture
def deployment(tmp_path):
    """An empty deployment folder with an environment file for a SQLite database."""
    root = tmp_path / "arc"
    root.mkdir()
    write_environment_file(root)
    return root


@pytest.fixture
def shared_deployment():
    """A deployment folder that the service user can reach, as /var/www/arc is: pytest's own folders are private."""
    parent = tempfile.mkdtemp(prefix="arc-release-test.")
    os.chmod(parent, 0o755)
    root = pathlib.Path(parent) / "arc"
    root.mkdir()
    root.chmod(0o755)
    write_environment_file(root)
    (root / "arc.env").chmod(0o644)
    yield root
    shutil.rmtree(parent)


def environment(root, configtest="true"):
    log = root / "services.log"
    return {
        "PATH": os.environ["PATH"],
        "ARC_APACHE_CONFIGTEST": configtest,
        "ARC_APACHE_RELOAD": f"{ROOT}/tests/operations/record-service-command {log} reload",
        "ARC_WORKERS_RESTART": f"{ROOT}/tests/operations/record-service-command {log} restart",
    }


def run(script, root, *arguments, configtest="true"):
    return subprocess.run(
        [script, "--root", str(root), *arguments],
        capture_output=True,
        text=True,
        env=environment(root, configtest),
        timeout=900,
    )


def services_run(root):
    log = root / "services.log"
    return log.read_text().split() if log.exists() else []


def link(root, name):
    return os.readlink(root / name) if os.path.islink(root / name) else None


def make_release(root, version):
    """Lay out an installed release: the checkout's files are not needed to switch links, only its venv's flask."""
    release = root / "releases" / version
    (release / "venv" / "bin").mkdir(parents=True)
    os.symlink(os.path.join(os.path.dirname(sys.executable), "flask"), release / "venv" / "bin" / "flask")
    (release / "version.txt").write_text(version + "\n")
    return release


@pytest.mark.parametrize("script", [INSTALL, ROLLBACK])
def test_release_scripts_print_help(script):
    result = subprocess.run([script, "--help"], capture_output=True, text=True, timeout=60)

    assert result.returncode == 0
    assert result.stdout.startswith("Usage: scripts/")
    assert "--dry-run" in result.stdout


def test_install_dry_run_changes_nothing(deployment):
    options = ["--python", sys.executable, "--user", getpass.getuser(), "--dry-run"]

    result = run(INSTALL, deployment, *options, ROOT, "3.1.0")

    assert result.returncode == 0, result.stderr
    assert f"would run: {sys.executable} -m venv {deployment}/releases/3.1.0/venv" in result.stdout
    assert "deploy/run-flask db upgrade" in result.stdout
    assert f"would run: mv -Tf {deployment}/.current.new {deployment}/current" in result.stdout
    assert sorted(os.listdir(deployment)) == ["arc.env"]
    assert services_run(deployment) == []


@pytest.mark.parametrize("version", ["../escape", "-v", "1.0 beta", ""])
def test_install_rejects_invalid_version(deployment, version):
    result = run(INSTALL, deployment, "--user", getpass.getuser(), ROOT, version)

    assert result.returncode == 1
    assert not (deployment / "releases").exists()


def test_install_needs_environment_file(deployment):
    (deployment / "arc.env").unlink()

    result = run(INSTALL, deployment, "--python", sys.executable, "--user", getpass.getuser(), ROOT, "3.1.0")

    assert result.returncode == 1
    assert "cannot read the environment file" in result.stderr


def test_install_refuses_existing_release(deployment):
    make_release(deployment, "3.1.0")

    result = run(INSTALL, deployment, "--python", sys.executable, "--user", getpass.getuser(), ROOT, "3.1.0")

    assert result.returncode == 1
    assert "give --force" in result.stderr


def test_rollback_switches_to_previous(deployment):
    make_release(deployment, "1.0.0")
    make_release(deployment, "2.0.0")
    os.symlink("releases/2.0.0", deployment / "current")
    os.symlink("releases/1.0.0", deployment / "previous")

    result = run(ROLLBACK, deployment)

    assert result.returncode == 0, result.stderr
    assert (link(deployment, "current"), link(deployment, "previous")) == ("releases/1.0.0", "releases/2.0.0")
    assert services_run(deployment) == ["reload", "restart"]


def test_second_rollback_undoes_first(deployment):
    make_release(deployment, "1.0.0")
    make_release(deployment, "2.0.0")
    os.symlink("releases/2.0.0", deployment / "current")
    os.symlink("releases/1.0.0", deployment / "previous")

    run(ROLLBACK, deployment)
    result = run(ROLLBACK, deployment)

    assert result.returncode == 0, result.stderr
    assert (link(deployment, "current"), link(deployment, "previous")) == ("releases/2.0.0", "releases/1.0.0")


def test_rollback_to_named_release(deployment):
    for version in ("1.0.0", "2.0.0", "3.0.0"):
        make_release(deployment, version)
    os.symlink("releases/3.0.0", deployment / "current")
    os.symlink("releases/2.0.0", deployment / "previous")

    result = run(ROLLBACK, deployment, "--to", "1.0.0")

    assert result.returncode == 0, result.stderr
    assert (link(deployment, "current"), link(deployment, "previous")) == ("releases/1.0.0", "releases/3.0.0")


def test_rollback_keeps_links_when_configtest_fails(deployment):
    make_release(deployment, "1.0.0")
    make_release(deployment, "2.0.0")
    os.symlink("releases/2.0.0", deployment / "current")
    os.symlink("releases/1.0.0", deployment / "previous")

    result = run(ROLLBACK, deployment, configtest="false")

    assert result.returncode == 1
    assert "does not pass apachectl configtest" in result.stderr
    assert (link(deployment, "current"), link(deployment, "previous")) == ("releases/2.0.0", "releases/1.0.0")
    assert services_run(deployment) == []


def test_rollback_dry_run_changes_nothing(deployment):
    make_release(deployment, "1.0.0")
    make_release(deployment, "2.0.0")
    os.symlink("releases/2.0.0", deployment / "current")
    os.symlink("releases/1.0.0", deployment / "previous")

    result = run(ROLLBACK, deployment, "--dry-run")

    assert result.returncode == 0, result.stderr
    assert f"would run: ln -sfn releases/1.0.0 {deployment}/.current.new" in result.stdout
    assert link(deployment, "current") == "releases/2.0.0"
    assert services_run(deployment) == []


def test_rollback_without_previous_fails(deployment):
    make_release(deployment, "1.0.0")
    os.symlink("releases/1.0.0", deployment / "current")

    result = run(ROLLBACK, deployment)

    assert result.returncode == 1
    assert "no release to go back to" in result.stderr


def test_rollback_refuses_incomplete_release(deployment):
    make_release(deployment, "1.0.0")
    make_release(deployment, "2.0.0")
    (deployment / "releases" / "1.0.0" / ".incomplete").touch()
    os.symlink("releases/2.0.0", deployment / "current")
    os.symlink("releases/1.0.0", deployment / "previous")

    result = run(ROLLBACK, deployment)

    assert result.returncode == 1
    assert "was not installed completely" in result.stderr
    assert link(deployment, "current") == "releases/2.0.0"


def schema_revision(root):
    with sqlite3.connect(root / "storage" / "arc.sqlite") as connection:
        return connection.execute("SELECT version_num FROM alembic_version").fetchone()[0]


def checkout_archive(tmp_path, version):
    """Pack the checkout as a release archive with one top folder, as GitHub's tag archives are."""
    path = tmp_path / f"arc-{version}.tar.gz"
    skipped = {".git", ".venv", "instance", ".hypothesis", ".pytest_cache", "__pycache__"}

    def without_skipped(info):
        return None if os.path.basename(info.name) in skipped else info

    with tarfile.open(path, "w:gz") as archive:
        archive.add(ROOT, arcname=f"arc-{version}", filter=without_skipped)
    return path


@slow
def test_install_then_upgrade_then_rollback(shared_deployment, tmp_path):
    deployment = shared_deployment
    user = "www-data" if os.geteuid() == 0 else getpass.getuser()
    common = ["--python", SYSTEM_PYTHON, "--user", user, "--keep", "2"]

    first = run(INSTALL, deployment, *common, ROOT, "1.0.0")
    assert first.returncode == 0, first.stderr
    assert link(deployment, "current") == "releases/1.0.0"
    assert (deployment / "releases" / "1.0.0" / "version.txt").read_text() == "1.0.0\n"
    assert not (deployment / "releases" / "1.0.0" / ".incomplete").exists()
    assert not (deployment / "releases" / "1.0.0" / "tests").exists()
    assert schema_revision(deployment).startswith("0005")
    assert (deployment / "storage" / "logs").is_dir()
    assert services_run(deployment) == ["reload", "restart"]

    second = run(INSTALL, deployment, *common, str(checkout_archive(tmp_path, "2.0.0")), "2.0.0")
    assert second.returncode == 0, second.stderr
    assert (link(deployment, "current"), link(deployment, "previous")) == ("releases/2.0.0", "releases/1.0.0")
    assert (deployment / "releases" / "2.0.0" / "wsgi.py").exists()
    version = subprocess.run(
        [deployment / "current" / "deploy" / "run-flask", "routes"],
        capture_output=True, text=True, env={"PATH": os.environ["PATH"], "ARC_ENV_FILE": str(deployment / "arc.env")},
        timeout=120,
    )
    assert version.returncode == 0, version.stderr

    back = run(ROLLBACK, deployment)
    assert back.returncode == 0, back.stderr
    assert (link(deployment, "current"), link(deployment, "previous")) == ("releases/1.0.0", "releases/2.0.0")
    assert services_run(deployment) == ["reload", "restart"] * 3
