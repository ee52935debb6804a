"""`arc create-admin`: a new admin-portal user, with the password asked twice or read from standard input."""

import sqlalchemy as sa

from arc import clock
from arc.users import passwords
from arc.users.models import AdminUser
from tests import factories


def create_admin_from_stdin(runner, name, email, password="long-enough"):
    return runner.invoke(args=["arc", "create-admin", name, email, "--password-stdin"], input=password + "\n")


def admin_by_email(db, email):
    return db.session.scalars(sa.select(AdminUser).where(AdminUser.email == email)).one_or_none()


def test_create_admin_asks_password_twice(runner, db):
    result = runner.invoke(
        args=["arc", "create-admin", "Rhys Chocolate", "rhys@example.org"], input="s3cret-pass\ns3cret-pass\n"
    )

    assert result.exit_code == 0, result.output
    assert "Password" in result.output
    assert "Repeat the password" in result.output
    admin = admin_by_email(db, "rhys@example.org")
    assert admin.name == "Rhys Chocolate"
    assert admin.password.startswith("$2y$")
    assert passwords.verify_password("s3cret-pass", admin.password)


def test_create_admin_asks_again_after_mismatch(runner, db):
    result = runner.invoke(
        args=["arc", "create-admin", "Ann Admin", "ann@example.org"],
        input="first-try\nsecond-try\nright-one\nright-one\n",
    )

    assert result.exit_code == 0, result.output
    assert "do not match" in result.output
    assert passwords.verify_password("right-one", admin_by_email(db, "ann@example.org").password)


def test_create_admin_reads_password_stdin_quietly(runner, db):
    result = create_admin_from_stdin(runner, "Pipe Admin", "pipe@example.org", password="from-a-pipe")

    assert result.exit_code == 0, result.output
    assert result.output == ""
    assert passwords.verify_password("from-a-pipe", admin_by_email(db, "pipe@example.org").password)


def test_create_admin_dry_run_saves_nothing(runner, db):
    result = runner.invoke(
        args=["arc", "create-admin", "Dry Admin", "dry@example.org", "--password-stdin", "--dry-run"],
        input="long-enough\n",
    )

    assert result.exit_code == 0, result.output
    assert "would create admin user 'Dry Admin' <dry@example.org>" in result.output
    assert admin_by_email(db, "dry@example.org") is None


def test_create_admin_rejects_used_email_ignoring_case(runner, db):
    existing = factories.make_admin_user(email="taken@example.org")
    db.session.commit()

    result = create_admin_from_stdin(runner, "Second", "TAKEN@example.org")

    assert result.exit_code == 1
    assert f"exists already (id {existing.id})" in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AdminUser).where(AdminUser.name == "Second")) == 0


def test_create_admin_rejects_email_of_deleted_admin(runner, db):
    factories.make_admin_user(email="gone@example.org", deleted_at=clock.now())
    db.session.commit()

    result = create_admin_from_stdin(runner, "New", "gone@example.org")

    assert result.exit_code == 1


def test_create_admin_rejects_short_password(runner, db):
    result = create_admin_from_stdin(runner, "Short", "short@example.org", password="1234567")

    assert result.exit_code == 1
    assert "at least 8 characters" in result.output
    assert admin_by_email(db, "short@example.org") is None


def test_create_admin_rejects_invalid_email(runner, db):
    result = create_admin_from_stdin(runner, "Bad", "not-an-address")

    assert result.exit_code == 1
    assert "Invalid e-mail address 'not-an-address'" in result.output


def test_create_admin_rejects_blank_name(runner, db):
    result = create_admin_from_stdin(runner, " ", "blank@example.org")

    assert result.exit_code == 1
    assert "The name must be 1 to 191 characters long" in result.output
