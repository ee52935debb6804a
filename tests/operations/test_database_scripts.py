"""scripts/backup-database and scripts/restore-database against a real MariaDB or MySQL database.

The round trips need ARC_TEST_DATABASE_URL to name a MySQL or MariaDB database. They work on a
database of their own, named after it with ``_dumps`` added, and never touch the session database.
"""

import gzip
import os
import stat
import subprocess

import pytest
import sqlalchemy as sa

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BACKUP = os.path.join(ROOT, "scripts", "backup-database")
RESTORE = os.path.join(ROOT, "scripts", "restore-database")


def run(script, *arguments, input_text=None):
    return subprocess.run(
        [script, *arguments],
        capture_output=True,
        text=True,
        input=input_text,
        env={"PATH": os.environ["PATH"]},
        timeout=300,
    )


@pytest.fixture(scope="module")
def dump_database():
    """The URL of an empty database used only by this module, dropped afterwards."""
    server_url = os.environ.get("ARC_TEST_DATABASE_URL", "")
    if not server_url.startswith("mysql"):
        pytest.skip("Set ARC_TEST_DATABASE_URL to a MariaDB or MySQL database to run the dump round trips.")
    url = sa.engine.make_url(server_url)
    name = f"{url.database}_dumps"
    server = sa.create_engine(url.set(database=None))
    with server.begin() as connection:
        connection.exec_driver_sql(f"DROP DATABASE IF EXISTS `{name}`")
        connection.exec_driver_sql(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
    yield url.set(database=name)
    with server.begin() as connection:
        connection.exec_driver_sql(f"DROP DATABASE IF EXISTS `{name}`")
    server.dispose()


@pytest.fixture
def database(dump_database, tmp_path):
    """An engine on the module's database holding one table of vouchers, and an environment file naming it."""
    engine = sa.create_engine(dump_database)
    with engine.begin() as connection:
        for table in sa.inspect(connection).get_table_names():
            connection.exec_driver_sql(f"DROP TABLE `{table}`")
        connection.exec_driver_sql("CREATE TABLE vouchers (id INT PRIMARY KEY, code VARCHAR(32) NOT NULL)")
        connection.exec_driver_sql("INSERT INTO vouchers VALUES (1, 'RVNT0001'), (2, 'Zoë O''Neill-Ash')")
    environment_file = tmp_path / "arc.env"
    environment_file.write_text(
        "APP_ENV=production\n" f"DATABASE_URL={dump_database.render_as_string(hide_password=False)}\n"
    )
    yield engine, environment_file
    engine.dispose()


def rows(engine):
    with engine.connect() as connection:
        return connection.execute(sa.text("SELECT id, code FROM vouchers ORDER BY id")).all()


def tables(engine):
    return set(sa.inspect(engine).get_table_names())


def backup(environment_file, output, *options):
    result = run(BACKUP, "--env-file", str(environment_file), "--output-dir", str(output), *options)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[0]


def spoil(engine):
    """Change the database after the dump: lose a row and add a table the dump does not have."""
    with engine.begin() as connection:
        connection.exec_driver_sql("DELETE FROM vouchers WHERE id = 2")
        connection.exec_driver_sql("CREATE TABLE later_table (id INT PRIMARY KEY)")


def test_backup_writes_private_compressed_dump(database, tmp_path):
    engine, environment_file = database

    path = backup(environment_file, tmp_path / "dumps")

    assert os.path.dirname(path) == str(tmp_path / "dumps")
    assert os.path.basename(path).startswith(engine.url.database + "_")
    assert path.endswith(".sql.gz")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    with gzip.open(path, "rt", encoding="utf-8") as dump:
        text = dump.read()
    assert "CREATE TABLE `vouchers`" in text
    assert "Zoë O\\'Neill-Ash" in text
    assert os.listdir(tmp_path / "dumps") == [os.path.basename(path)]


def test_restore_brings_back_dumped_state(database, tmp_path):
    engine, environment_file = database
    path = backup(environment_file, tmp_path)
    spoil(engine)

    result = run(RESTORE, "--env-file", str(environment_file), "--yes", path)

    assert result.returncode == 0, result.stderr
    assert [tuple(row) for row in rows(engine)] == [(1, "RVNT0001"), (2, "Zoë O'Neill-Ash")]
    assert tables(engine) == {"vouchers"}


def test_encrypted_round_trip(database, tmp_path):
    engine, environment_file = database
    passphrase = tmp_path / "passphrase"
    passphrase.write_text("a long passphrase for the dumps\n")
    path = backup(environment_file, tmp_path, "--passphrase-file", str(passphrase))
    spoil(engine)

    result = run(RESTORE, "--env-file", str(environment_file), "--passphrase-file", str(passphrase), "--yes", path)

    assert path.endswith(".sql.gz.enc")
    with open(path, "rb") as dump:
        assert dump.read(8) == b"Salted__"
    assert result.returncode == 0, result.stderr
    assert len(rows(engine)) == 2


def test_restore_with_wrong_passphrase_changes_nothing(database, tmp_path):
    engine, environment_file = database
    passphrase = tmp_path / "passphrase"
    passphrase.write_text("the right passphrase\n")
    wrong = tmp_path / "wrong"
    wrong.write_text("a wrong passphrase\n")
    path = backup(environment_file, tmp_path, "--passphrase-file", str(passphrase))
    spoil(engine)

    result = run(RESTORE, "--env-file", str(environment_file), "--passphrase-file", str(wrong), "--yes", path)

    assert result.returncode == 1
    assert "cannot read" in result.stderr
    assert tables(engine) == {"vouchers", "later_table"}


def test_restore_dry_run_changes_nothing(database, tmp_path):
    engine, environment_file = database
    path = backup(environment_file, tmp_path)
    spoil(engine)

    result = run(RESTORE, "--env-file", str(environment_file), "--dry-run", path)

    assert result.returncode == 0, result.stderr
    assert f"would drop the 2 table(s) of database {engine.url.database}" in result.stdout
    assert tables(engine) == {"vouchers", "later_table"}


def test_restore_needs_confirmation_without_terminal(database, tmp_path):
    engine, environment_file = database
    path = backup(environment_file, tmp_path)
    spoil(engine)

    result = run(RESTORE, "--env-file", str(environment_file), path, input_text="")

    assert result.returncode == 1
    assert "give --yes" in result.stderr
    assert tables(engine) == {"vouchers", "later_table"}


def test_restore_skips_database_switch_of_dump(database, tmp_path):
    engine, environment_file = database
    # A dump made with --databases, as the previous service's playbook made them, names its own database.
    dump = tmp_path / "previous-service.sql"
    dump.write_text(
        "CREATE DATABASE /*!32312 IF NOT EXISTS*/ `arcv_service` /*!40100 DEFAULT CHARACTER SET utf8mb4 */;\n"
        "USE `arcv_service`;\n"
        "DROP TABLE IF EXISTS `vouchers`;\n"
        "CREATE TABLE `vouchers` (`id` int NOT NULL, `code` varchar(32) NOT NULL, PRIMARY KEY (`id`));\n"
        "INSERT INTO `vouchers` VALUES (7,'OLD0007');\n"
    )

    result = run(RESTORE, "--env-file", str(environment_file), "--yes", str(dump))

    assert result.returncode == 0, result.stderr
    assert [tuple(row) for row in rows(engine)] == [(7, "OLD0007")]


def test_backup_keep_days_deletes_old_dumps(database, tmp_path):
    engine, environment_file = database
    old = tmp_path / f"{engine.url.database}_1.0.0_2020-01-01T000000Z.sql.gz"
    old.write_bytes(b"old")
    os.utime(old, (0, 0))
    other = tmp_path / "unrelated.sql.gz"
    other.write_bytes(b"keep")
    os.utime(other, (0, 0))

    path = backup(environment_file, tmp_path, "--keep-days", "14")

    assert not old.exists()
    assert other.exists()
    assert os.path.exists(path)


def test_backup_rejects_sqlite_database(tmp_path):
    environment_file = tmp_path / "arc.env"
    environment_file.write_text(f"DATABASE_URL=sqlite:///{tmp_path}/arc.sqlite\n")

    result = run(BACKUP, "--env-file", str(environment_file), "--output-dir", str(tmp_path / "dumps"))

    assert result.returncode == 1
    assert "must name a MySQL database" in result.stderr
    assert not (tmp_path / "dumps").exists()


def test_backup_dry_run_writes_nothing(tmp_path):
    environment_file = tmp_path / "arc.env"
    environment_file.write_text("DATABASE_URL=mysql+pymysql://arc:secret@127.0.0.1/arc_live?charset=utf8mb4\n")

    result = run(BACKUP, "--env-file", str(environment_file), "--output-dir", str(tmp_path / "dumps"), "--dry-run")

    assert result.returncode == 0, result.stderr
    assert "would dump database arc_live on 127.0.0.1" in result.stdout
    assert "secret" not in result.stdout
    assert not (tmp_path / "dumps").exists()


def test_backup_needs_database_url(tmp_path):
    environment_file = tmp_path / "arc.env"
    environment_file.write_text("APP_ENV=production\n")

    result = run(BACKUP, "--env-file", str(environment_file))

    assert result.returncode == 1
    assert "does not set DATABASE_URL" in result.stderr


@pytest.mark.parametrize("script", [BACKUP, RESTORE])
def test_database_scripts_print_help(script):
    result = run(script, "--help")

    assert result.returncode == 0
    assert result.stdout.startswith("Usage: scripts/")
    assert "--dry-run" in result.stdout


def test_restore_reads_previous_service_dump(database, tmp_path):
    engine, environment_file = database
    passphrase = tmp_path / "passphrase"
    passphrase.write_text("vault password\n")
    dump = tmp_path / "ARCVService-1.19.0_2025-01-31T10:00:00Z.sql.gz.enc"
    # The previous service's dump playbook: gzip, then openssl aes-256-cbc -a -salt without -pbkdf2.
    sql = b"DROP TABLE IF EXISTS `vouchers`;\nCREATE TABLE `vouchers` (`id` int PRIMARY KEY, `code` varchar(32));\n" \
          b"INSERT INTO `vouchers` VALUES (9,'LEGACY09');\n"
    subprocess.run(
        ["openssl", "aes-256-cbc", "-a", "-salt", "-md", "sha256", "-pass", f"file:{passphrase}", "-out", str(dump)],
        input=gzip.compress(sql), check=True, capture_output=True, timeout=60,
    )

    result = run(RESTORE, "--env-file", str(environment_file), "--passphrase-file", str(passphrase),
                 "--legacy-openssl", "--yes", str(dump))

    assert result.returncode == 0, result.stderr
    assert [tuple(row) for row in rows(engine)] == [(9, "LEGACY09")]
