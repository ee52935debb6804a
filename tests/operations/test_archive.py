"""`arc archive-vouchers`: finished vouchers and their history move into the archive tables."""

from datetime import date, datetime

import pytest
import sqlalchemy as sa

from arc.operations import archiving
from arc.operations.models import ArchivedVoucher, ArchivedVoucherState
from arc.vouchers.models import Voucher, VoucherState
from arc.extensions import db as _db
from tests import factories

OLD = datetime(2023, 1, 15, 10, 30)
RECENT = datetime(2024, 2, 1, 9, 0)


def make_voucher_with_history(state, updated_at, transitions=(("dispatch", "printed", "dispatched"),), **fields):
    """Add a voucher with one history row per transition, commit, and return its id."""
    voucher_id = factories.make_voucher(currentstate=state, updated_at=updated_at, **fields).id
    for transition, from_state, to_state in transitions:
        _db.session.add(
            VoucherState(
                transition=transition,
                from_state=from_state,
                to_state=to_state,
                voucher_id=voucher_id,
                user_id=7,
                user_type="AdminUser",
                source="",
                created_at=updated_at,
                updated_at=updated_at,
            )
        )
    # Committed, as the command's own rollback would otherwise take the test's rows with it.
    _db.session.commit()
    return voucher_id


def live_ids(db, ids):
    return set(db.session.scalars(sa.select(Voucher.id).where(Voucher.id.in_(ids))))


def archived_ids(db, ids):
    return set(db.session.scalars(sa.select(ArchivedVoucher.id).where(ArchivedVoucher.id.in_(ids))))


def history_count(db, model, voucher_id):
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(model.voucher_id == voucher_id))


@pytest.mark.parametrize("state", archiving.FINISHED_STATES)
def test_archive_moves_old_finished_voucher(runner, db, state):
    voucher_id = make_voucher_with_history(
        state, OLD, (("dispatch", "printed", "dispatched"), ("collect", "dispatched", "recorded"))
    )

    result = runner.invoke(args=["arc", "archive-vouchers"])

    assert result.exit_code == 0, result.output
    assert result.output == ""
    assert live_ids(db, [voucher_id]) == set()
    assert archived_ids(db, [voucher_id]) == {voucher_id}
    assert history_count(db, VoucherState, voucher_id) == 0
    assert history_count(db, ArchivedVoucherState, voucher_id) == 2


@pytest.mark.parametrize("state", ["printed", "dispatched", "recorded", "payment_pending"])
def test_archive_keeps_unfinished_voucher(runner, db, state):
    voucher_id = make_voucher_with_history(state, OLD)

    result = runner.invoke(args=["arc", "archive-vouchers"])

    assert result.exit_code == 0, result.output
    assert live_ids(db, [voucher_id]) == {voucher_id}
    assert history_count(db, VoucherState, voucher_id) == 1


def test_archive_keeps_voucher_changed_on_cutoff_day(runner, db):
    voucher_id = make_voucher_with_history("reimbursed", datetime(2023, 9, 1, 0, 0))

    runner.invoke(args=["arc", "archive-vouchers", "--before", "2023-09-01"])

    assert live_ids(db, [voucher_id]) == {voucher_id}


def test_archive_copies_every_column(runner, db):
    trader = factories.make_trader()
    trader_id = trader.id
    voucher_id = make_voucher_with_history(
        "reimbursed", OLD, trader_id=trader_id, code="ARCH00042", created_at=datetime(2022, 5, 4, 3, 2, 1),
        deleted_at=datetime(2023, 2, 2, 2, 2, 2),
    )
    sponsor_id = db.session.get(Voucher, voucher_id).sponsor_id
    state_id = db.session.scalars(sa.select(VoucherState.id).where(VoucherState.voucher_id == voucher_id)).one()
    expected_voucher = (voucher_id, None, None, trader_id, "ARCH00042", "reimbursed", sponsor_id,
                        datetime(2022, 5, 4, 3, 2, 1), OLD, datetime(2023, 2, 2, 2, 2, 2))
    expected_state = (state_id, "dispatch", "printed", 7, "AdminUser", voucher_id, "dispatched", None, "", OLD, OLD)

    result = runner.invoke(args=["arc", "archive-vouchers"])

    assert result.exit_code == 0, result.output
    archived = db.session.get(ArchivedVoucher, voucher_id)
    assert tuple(getattr(archived, name) for name in (
        "id", "bundle_id", "delivery_id", "trader_id", "code", "currentstate", "sponsor_id",
        "created_at", "updated_at", "deleted_at",
    )) == expected_voucher
    assert archived.archived_at is not None
    archived_state = db.session.get(ArchivedVoucherState, state_id)
    assert tuple(getattr(archived_state, name) for name in (
        "id", "transition", "from_state", "user_id", "user_type", "voucher_id", "to_state", "state_token_id",
        "source", "created_at", "updated_at",
    )) == expected_state


def test_archive_moves_voucher_without_history(runner, db):
    # The previous service deleted vouchers joined to their history, so these stayed behind.
    voucher_id = make_voucher_with_history("voided", OLD, transitions=())

    result = runner.invoke(args=["arc", "archive-vouchers"])

    assert result.exit_code == 0, result.output
    assert live_ids(db, [voucher_id]) == set()
    assert archived_ids(db, [voucher_id]) == {voucher_id}


def test_archive_runs_in_batches(runner, db):
    ids = [make_voucher_with_history("expired", OLD) for _ in range(5)]

    result = runner.invoke(args=["arc", "archive-vouchers", "--batch-size", "2"])

    assert result.exit_code == 0, result.output
    assert live_ids(db, ids) == set()
    assert archived_ids(db, ids) == set(ids)


def test_archive_next_batch_takes_lowest_ids(db):
    ids = [make_voucher_with_history("expired", OLD) for _ in range(3)]

    batch = archiving.archive_next_batch(date(2023, 9, 1), after_id=0, batch_size=2)

    assert (batch.vouchers, batch.history_rows, batch.last_voucher_id) == (2, 2, ids[1])
    assert live_ids(db, ids) == {ids[2]}


def test_archive_next_batch_none_when_nothing_left(db):
    make_voucher_with_history("printed", OLD)

    assert archiving.archive_next_batch(date(2023, 9, 1)) is None


def test_archive_before_option_overrides_setting(runner, db):
    voucher_id = make_voucher_with_history("reimbursed", RECENT)

    default_run = runner.invoke(args=["arc", "archive-vouchers"])
    assert default_run.exit_code == 0, default_run.output
    assert live_ids(db, [voucher_id]) == {voucher_id}

    later_run = runner.invoke(args=["arc", "archive-vouchers", "--before", "2024-03-01"])
    assert later_run.exit_code == 0, later_run.output
    assert live_ids(db, [voucher_id]) == set()


def test_archive_default_cutoff_comes_from_setting(app, runner, db, monkeypatch):
    voucher_id = make_voucher_with_history("reimbursed", RECENT)
    monkeypatch.setitem(app.config, "ARC_ARCHIVE_CUTOFF_DATE", "2024-03-01")

    result = runner.invoke(args=["arc", "archive-vouchers"])

    assert result.exit_code == 0, result.output
    assert live_ids(db, [voucher_id]) == set()


def test_archive_dry_run_counts_and_moves_nothing(runner, db):
    finished = make_voucher_with_history("reimbursed", OLD, (("collect", "dispatched", "recorded"),) * 3)
    unfinished = make_voucher_with_history("recorded", OLD)

    result = runner.invoke(args=["arc", "archive-vouchers", "--dry-run"])

    assert result.exit_code == 0, result.output
    assert "1 vouchers and 3 history rows last changed before 2023-09-01 would be archived" in result.output
    assert live_ids(db, [finished, unfinished]) == {finished, unfinished}
    assert archived_ids(db, [finished]) == set()


def test_archive_replaces_stale_copy(runner, db):
    voucher_id = make_voucher_with_history("retired", OLD, transitions=(), code="KEPT00001")
    sponsor_id = db.session.get(Voucher, voucher_id).sponsor_id
    db.session.add(ArchivedVoucher(id=voucher_id, code="STALE", currentstate="voided", sponsor_id=sponsor_id))
    db.session.commit()

    result = runner.invoke(args=["arc", "archive-vouchers"])

    assert result.exit_code == 0, result.output
    archived = db.session.scalars(sa.select(ArchivedVoucher).where(ArchivedVoucher.id == voucher_id)).all()
    assert len(archived) == 1
    assert archived[0].code == "KEPT00001"
    assert archived[0].currentstate == "retired"


@pytest.mark.parametrize("before", ["2023-13-01", "01/09/2023", "yesterday"])
def test_archive_rejects_invalid_date(runner, db, before):
    result = runner.invoke(args=["arc", "archive-vouchers", "--before", before])

    assert result.exit_code == 1
    assert f"Invalid cut-off date {before!r}" in result.output


def test_archive_rejects_future_cutoff(runner, db):
    voucher_id = make_voucher_with_history("reimbursed", OLD)

    result = runner.invoke(args=["arc", "archive-vouchers", "--before", "2999-01-01"])

    assert result.exit_code == 1
    assert "is after today" in result.output
    assert live_ids(db, [voucher_id]) == {voucher_id}


def test_archive_rejects_zero_batch_size(runner, db):
    result = runner.invoke(args=["arc", "archive-vouchers", "--batch-size", "0"])

    assert result.exit_code == 2
    assert "--batch-size" in result.output
