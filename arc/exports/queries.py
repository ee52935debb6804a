"""Read vouchers for the Master Voucher Log in pages, with everything the columns need.

Both reports read through ``iter_records``: one pass over the vouchers in descending id order, a
page of ``page_size`` vouchers at a time, so memory depends on the page size and not on the number
of vouchers. Each page costs three statements, all on the session's connection and so inside one
transaction. Under InnoDB's default REPEATABLE READ isolation they all read one consistent snapshot.

1. The vouchers with their sponsor, delivery, bundle, family and trader, joined on primary keys.
   Keyset paging on ``id`` (never OFFSET) makes every page one primary-key range.
2. The history rows of those vouchers whose state matters to the log: ``voucher_id`` between the
   page's lowest and highest id, or ``IN`` the page's ids when they are far apart.
3. The carers of the page's families, for the main carer (the lowest carer id of a family).

A server-side cursor would not allow statements 2 and 3 while it is open on the same connection.
"""

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from arc.centres.models import Centre
from arc.exports.columns import VoucherRecord
from arc.extensions import db
from arc.markets.models import Market, Trader
from arc.registrations.models import Bundle, Carer, Family, Registration
from arc.sponsors.models import Sponsor
from arc.vouchers import states
from arc.vouchers.models import Delivery, Voucher, VoucherState

PAGE_SIZE = 5000

_HISTORY_STATES = (
    states.RECORDED,
    states.PAYMENT_PENDING,
    states.REIMBURSED,
    states.VOIDED,
    states.EXPIRED,
    states.RETIRED,
)


def iter_records(condition=None, page_size=PAGE_SIZE):
    """Yield a ``VoucherRecord`` for each voucher that is not soft-deleted and matches ``condition``.

    ``condition`` is a boolean SQL expression over the ``vouchers`` columns, or ``None`` for all.
    Records come in descending id order.
    """
    before_id = None
    while True:
        page = _read_page(condition, before_id, page_size)
        if not page:
            return
        yield from _build_records(page)
        if len(page) < page_size:
            return
        before_id = page[-1].id


def _page_query():
    voucher_area = aliased(Sponsor)
    delivery_centre = aliased(Centre)
    delivery_area = aliased(Sponsor)
    disbursing_centre = aliased(Centre)
    family_centre = aliased(Centre)
    market_area = aliased(Sponsor)
    return (
        sa.select(
            Voucher.id,
            Voucher.code,
            Voucher.currentstate,
            Voucher.updated_at,
            voucher_area.name.label("area"),
            Delivery.dispatched_at,
            delivery_centre.name.label("delivery_centre"),
            delivery_area.name.label("delivery_area"),
            Bundle.id.label("bundle_id"),
            Bundle.disbursed_at,
            disbursing_centre.name.label("disbursing_centre"),
            Registration.family_id,
            family_centre.prefix.label("centre_prefix"),
            Family.centre_sequence,
            Trader.name.label("trader"),
            Market.name.label("market"),
            market_area.name.label("market_area"),
        )
        .select_from(Voucher)
        .outerjoin(voucher_area, voucher_area.id == Voucher.sponsor_id)
        .outerjoin(Delivery, Delivery.id == Voucher.delivery_id)
        .outerjoin(delivery_centre, delivery_centre.id == Delivery.centre_id)
        .outerjoin(delivery_area, delivery_area.id == delivery_centre.sponsor_id)
        .outerjoin(Bundle, Bundle.id == Voucher.bundle_id)
        .outerjoin(disbursing_centre, disbursing_centre.id == Bundle.disbursing_centre_id)
        .outerjoin(Registration, Registration.id == Bundle.registration_id)
        .outerjoin(Family, Family.id == Registration.family_id)
        .outerjoin(family_centre, family_centre.id == Family.initial_centre_id)
        .outerjoin(Trader, Trader.id == Voucher.trader_id)
        .outerjoin(Market, Market.id == Trader.market_id)
        .outerjoin(market_area, market_area.id == Market.sponsor_id)
        .where(Voucher.deleted_at.is_(None))
    )


def _read_page(condition, before_id, page_size):
    query = _page_query()
    if condition is not None:
        query = query.where(condition)
    if before_id is not None:
        query = query.where(Voucher.id < before_id)
    query = query.order_by(Voucher.id.desc()).limit(page_size)
    return db.session.execute(query).all()


class _History:
    """The parts of one voucher's history that the log shows."""

    __slots__ = ("recorded", "first_payment_pending_at", "reimbursed", "void", "retired")

    def __init__(self):
        self.recorded = None
        self.first_payment_pending_at = None
        self.reimbursed = None
        self.void = None
        self.retired = False

    def add(self, row_id, state, created_at):
        # "Latest" means the highest id, which is the order the rows were written in. A latest row
        # without a timestamp leaves its column empty rather than showing an older row's date.
        if state == states.RECORDED:
            self.recorded = _later(self.recorded, row_id, created_at)
        elif state == states.REIMBURSED:
            self.reimbursed = _later(self.reimbursed, row_id, created_at)
        elif state in (states.VOIDED, states.EXPIRED):
            self.void = _later(self.void, row_id, (state, created_at))
        elif state == states.PAYMENT_PENDING:
            if created_at is not None and (
                self.first_payment_pending_at is None or created_at < self.first_payment_pending_at
            ):
                self.first_payment_pending_at = created_at
        elif state == states.RETIRED:
            self.retired = True


def _later(current, row_id, value):
    if current is None or row_id > current[0]:
        return (row_id, value)
    return current


_NO_HISTORY = _History()


def _read_histories(voucher_ids):
    """Return a ``_History`` per voucher id; the result may also hold vouchers between those ids."""
    lowest, highest = min(voucher_ids), max(voucher_ids)
    if highest - lowest < 2 * len(voucher_ids):
        # Dense ids, as in the nightly report: one index range is cheaper than thousands of values.
        vouchers = VoucherState.voucher_id.between(lowest, highest)
    else:
        vouchers = VoucherState.voucher_id.in_(voucher_ids)
    query = sa.select(
        VoucherState.voucher_id, VoucherState.id, VoucherState.to_state, VoucherState.created_at
    ).where(vouchers, VoucherState.to_state.in_(_HISTORY_STATES))
    histories = {}
    for voucher_id, row_id, state, created_at in db.session.execute(query):
        history = histories.get(voucher_id)
        if history is None:
            history = histories[voucher_id] = _History()
        history.add(row_id, state, created_at)
    return histories


def _read_main_carers(family_ids):
    if not family_ids:
        return {}
    query = sa.select(Carer.family_id, Carer.name).where(Carer.family_id.in_(family_ids)).order_by(Carer.id.desc())
    # Descending ids, so the lowest id of each family is written last and wins.
    return dict(db.session.execute(query).all())


def _build_records(page):
    histories = _read_histories([row.id for row in page])
    main_carers = _read_main_carers({row.family_id for row in page if row.family_id is not None})
    for row in page:
        history = histories.get(row.id, _NO_HISTORY)
        void_state, voided_at = history.void[1] if history.void else (None, None)
        yield VoucherRecord(
            id=row.id,
            code=row.code,
            currentstate=row.currentstate,
            updated_at=row.updated_at,
            area=row.area,
            dispatched_at=row.dispatched_at,
            delivery_centre=row.delivery_centre,
            delivery_area=row.delivery_area,
            in_bundle=row.bundle_id is not None,
            disbursed_at=row.disbursed_at,
            centre_prefix=row.centre_prefix,
            centre_sequence=row.centre_sequence,
            main_carer=main_carers.get(row.family_id),
            disbursing_centre=row.disbursing_centre,
            recorded_at=history.recorded[1] if history.recorded else None,
            trader=row.trader,
            market=row.market,
            market_area=row.market_area,
            first_payment_pending_at=history.first_payment_pending_at,
            reimbursed_at=history.reimbursed[1] if history.reimbursed else None,
            void_state=void_state,
            voided_at=voided_at,
            retired=history.retired or row.currentstate == states.RETIRED,
        )
