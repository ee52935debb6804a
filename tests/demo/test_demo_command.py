"""The ``flask arc demo-data`` command's guards, and the reproducibility of the demo data."""

import random
from datetime import datetime

import pytest
import sqlalchemy as sa

from arc.centres.models import Centre
from arc.demo import loader
from arc.markets.models import Market
from arc.payments.models import StateToken
from arc.registrations.models import Carer, Child
from arc.sponsors.models import Sponsor
from arc.users.models import CentreUser, User
from arc.vouchers.models import Voucher
from tests import factories


def count(db, model):
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_command_rejects_production(app, db, runner, monkeypatch):
    monkeypatch.setitem(app.config, "APP_ENV", "production")

    result = runner.invoke(args=["arc", "demo-data"])

    assert result.exit_code == 1
    assert "never loaded in production" in result.output
    assert count(db, Sponsor) == 0
    assert count(db, Voucher) == 0


@pytest.mark.parametrize("app_env", ["development", "staging", "testing"])
def test_environment_check_allows_non_production(app_env):
    loader.check_environment(app_env)


def test_command_rejects_database_with_sponsor(db, runner):
    factories.make_sponsor(shortcode="EXIST")
    db.session.commit()

    result = runner.invoke(args=["arc", "demo-data"])

    assert result.exit_code == 1
    assert "The database is not empty: sponsors (1)" in result.output
    assert count(db, Sponsor) == 1
    assert count(db, Centre) == 0
    assert count(db, Voucher) == 0


def test_command_rejects_database_with_voucher(db, runner):
    factories.make_voucher(code="EXIST00001")
    db.session.commit()

    result = runner.invoke(args=["arc", "demo-data"])

    assert result.exit_code == 1
    assert "vouchers (1)" in result.output
    assert count(db, Voucher) == 1
    assert count(db, CentreUser) == 0


def test_load_rejects_database_with_login(db):
    factories.make_trader_user(email="rolf@example.org")

    with pytest.raises(loader.DemoDataRejected, match=r"users \(1\)"):
        loader.load_demo_data(random.Random(1))

    assert count(db, Sponsor) == 0


def snapshot(db):
    """Return the generated parts of the loaded data, without ids, which differ between loads on MariaDB."""

    def column(*columns):
        return db.session.execute(sa.select(*columns).order_by(columns[0].table.c.id)).all()

    return {
        "voucher codes": sorted(db.session.scalars(sa.select(Voucher.code))),
        "centres": column(Centre.name, Centre.prefix, Centre.print_pref),
        "carers": column(Carer.name, Carer.ethnicity, Carer.language),
        "children": column(Child.dob, Child.born, Child.verified),
        "markets": column(Market.location),
        "users": column(User.email),
        "centre users": column(CentreUser.email),
        "payment requests": sorted(db.session.scalars(sa.select(StateToken.uuid))),
    }


def test_same_seed_loads_same_data(db):
    now = datetime(2024, 6, 15, 12, 0)

    loader.load_demo_data(random.Random(7), now=now)
    first = snapshot(db)
    db.session.rollback()
    loader.load_demo_data(random.Random(7), now=now)
    second = snapshot(db)
    db.session.rollback()
    loader.load_demo_data(random.Random(8), now=now)
    other_seed = snapshot(db)

    assert len(first["voucher codes"]) == 633
    assert first == second
    assert other_seed["voucher codes"] != first["voucher codes"]
    assert other_seed["centres"] != first["centres"]


def test_dry_run_keeps_nothing(db, runner):
    result = runner.invoke(args=["arc", "demo-data", "--dry-run"])

    assert result.exit_code == 0, result.output
    assert result.output.startswith("Dry run, nothing kept: 11 sponsors")
    assert "633 vouchers" in result.output
    assert count(db, Sponsor) == 0
    assert count(db, Voucher) == 0
