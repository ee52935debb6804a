"""Deliveries: sending a run of printed vouchers to a children's centre, and listing what was sent.

The write function flushes and never commits; the caller commits once.
"""

import logging
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager

from arc import clock
from arc.centres.models import Centre
from arc.extensions import db
from arc.vouchers import states
from arc.vouchers.models import Delivery, Voucher
from arc.vouchers.queries import code_number
from arc.vouchers.ranges import lock_in_state, range_condition

logger = logging.getLogger(__name__)

# How many problem codes or missing numbers an error lists before it gives only a count.
LISTED_PROBLEMS = 10

DELIVERY_SORT_KEYS = ("dispatchDate", "centre", "range")
SORT_DIRECTIONS = ("asc", "desc")


class RangeNotDeliverable(Exception):
    """Some numbers of a range are missing, already delivered or not printed; ``problems`` lists them."""

    def __init__(self, voucher_range, problems):
        self.voucher_range = voucher_range
        self.problems = problems
        super().__init__(
            f"No vouchers were sent: the range {range_text(voucher_range)} contains vouchers that are missing, "
            "already delivered or not printed. " + " ".join(problems)
        )


@dataclass
class DeliveryPage:
    """One page of deliveries, with the number of vouchers in each (``voucher_counts`` by delivery id)."""

    deliveries: list
    voucher_counts: dict
    page: int
    per_page: int
    total: int

    @property
    def last_page(self):
        return max(1, -(-self.total // self.per_page))


def range_text(voucher_range):
    """Return the display text of a delivery's range: both codes with unpadded numbers, ``TST102 - TST104``."""
    shortcode = voucher_range.shortcode
    return f"{shortcode}{voucher_range.start} - {shortcode}{voucher_range.end}"


def create_delivery(centre, sponsor_id, voucher_range, sent_on, actor, now=None):
    """Create a delivery of ``voucher_range`` to ``centre`` and dispatch its vouchers; return ``(delivery, count)``.

    Every number of the range must be a printed, undelivered voucher of the sponsor, which is the
    same as the range lying wholly inside one run of ``queries.deliverable_runs``. Otherwise
    ``RangeNotDeliverable`` names the numbers that are not, and nothing changes. A one-voucher range is
    allowed. ``dispatched_at`` is ``sent_on`` at the current time of day. Each voucher gets a
    ``dispatch`` history row stamped with the delivery's creation time.
    """
    now = now or clock.now()
    number = code_number(voucher_range.shortcode)
    ready = sa.and_(
        range_condition(sponsor_id, voucher_range),
        Voucher.currentstate == states.PRINTED,
        Voucher.delivery_id.is_(None),
        Voucher.deleted_at.is_(None),
    )
    candidates = db.session.execute(sa.select(Voucher.id, number.label("number")).where(ready)).all()
    if len({row.number for row in candidates}) != voucher_range.size:
        raise RangeNotDeliverable(voucher_range, describe_problems(sponsor_id, voucher_range))

    # Lock the vouchers by primary key and check again: another request may have sent some since.
    locked = lock_in_state([row.id for row in candidates], states.PRINTED)
    if len(locked) != len(candidates):
        raise RangeNotDeliverable(voucher_range, describe_problems(sponsor_id, voucher_range))

    delivery = Delivery(
        centre_id=centre.id,
        range=range_text(voucher_range),
        dispatched_at=datetime.combine(sent_on, now.time()),
        created_at=now,
        updated_at=now,
    )
    db.session.add(delivery)
    db.session.flush()

    ids = [row.id for row in locked]
    dispatched = states.apply_to_many("dispatch", ids, actor, at=now, extra_values={"delivery_id": delivery.id})
    if dispatched != len(ids):
        raise RuntimeError(f"Dispatching {len(ids)} locked vouchers changed {dispatched}.")
    logger.info(
        "%s %s sent %s vouchers (%s) to centre %s in delivery %s",
        actor.type_name, actor.id, dispatched, delivery.range, centre.id, delivery.id,
    )
    return delivery, dispatched


def describe_problems(sponsor_id, voucher_range):
    """Return sentences naming the vouchers of a range that stop its delivery, a few of each kind."""
    number = code_number(voucher_range.shortcode)
    in_range = range_condition(sponsor_id, voucher_range) & Voucher.deleted_at.is_(None)
    problems = []

    blocked = in_range & sa.or_(Voucher.currentstate != states.PRINTED, Voucher.delivery_id.is_not(None))
    blocked_count = db.session.scalar(sa.select(sa.func.count()).select_from(Voucher).where(blocked))
    if blocked_count:
        rows = db.session.execute(
            sa.select(Voucher.code, Voucher.currentstate, Voucher.delivery_id)
            .where(blocked)
            .order_by(number, Voucher.id)
            .limit(LISTED_PROBLEMS)
        ).all()
        listed = ", ".join(_describe_blocked(row) for row in rows)
        problems.append(f"{_count(blocked_count, 'voucher')} cannot be sent: {listed}{_more(blocked_count, rows)}.")

    present = set(db.session.scalars(sa.select(number).where(in_range).distinct()))
    missing_count = voucher_range.size - len(present)
    if missing_count:
        missing = []
        for candidate in range(voucher_range.start, voucher_range.end + 1):
            if candidate not in present:
                missing.append(f"{voucher_range.shortcode}{candidate}")
                if len(missing) == LISTED_PROBLEMS:
                    break
        listed = ", ".join(missing)
        problems.append(
            f"{_count(missing_count, 'number')} of the range {'has' if missing_count == 1 else 'have'} "
            f"no voucher: {listed}{_more(missing_count, missing)}."
        )
    return problems


def _describe_blocked(row):
    if row.delivery_id is not None:
        return f"{row.code} (already delivered)"
    return f"{row.code} ({row.currentstate})"


def _count(count, noun):
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def _more(count, listed):
    return f" and {count - len(listed):,} more" if count > len(listed) else ""


def list_deliveries(order_by="dispatchDate", direction="asc", page=1, per_page=50):
    """Return one ``DeliveryPage`` of deliveries, sorted by dispatch date, centre name or range text.

    Ties are broken by dispatch date, then by id, so that pages never overlap. A page past the end contains no deliveries.
    """
    if order_by not in DELIVERY_SORT_KEYS or direction not in SORT_DIRECTIONS:
        raise ValueError(f"Invalid delivery order {order_by!r} {direction!r}.")
    sort_column = {
        "dispatchDate": Delivery.dispatched_at,
        "centre": Centre.name,
        "range": Delivery.range,
    }[order_by]
    columns = [sort_column, Delivery.dispatched_at, Delivery.id]
    ordering = [column.desc() for column in columns] if direction == "desc" else columns
    query = (
        sa.select(Delivery)
        .join(Centre, Centre.id == Delivery.centre_id)
        .options(contains_eager(Delivery.centre))
        .order_by(*ordering)
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    deliveries = db.session.scalars(query).all()
    total = db.session.scalar(sa.select(sa.func.count()).select_from(Delivery))
    return DeliveryPage(deliveries, voucher_counts([delivery.id for delivery in deliveries]), page, per_page, total)


def voucher_counts(delivery_ids):
    """Return {delivery id: number of vouchers linked to it} for the given deliveries."""
    if not delivery_ids:
        return {}
    rows = db.session.execute(
        sa.select(Voucher.delivery_id, sa.func.count())
        .where(Voucher.delivery_id.in_(delivery_ids))
        .group_by(Voucher.delivery_id)
    ).all()
    return dict(rows)
