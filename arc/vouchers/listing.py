"""Read-only views of vouchers for charity staff: the paged list, the total, and one voucher's history.

The list pages by keyset (the last id or code shown), never by OFFSET, so every page costs the same
on millions of vouchers: an index walk of 51 entries of the primary key or of the unique code index.
"""

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from arc.extensions import db
from arc.users.models import AdminUser, CentreUser, User
from arc.vouchers.models import Voucher, VoucherState

PAGE_SIZE = 50
SORT_COLUMNS = {"id": Voucher.id, "code": Voucher.code}
SORT_DIRECTIONS = ("desc", "asc")

# The user tables that history rows point at, by the type name that ``voucher_states.user_type`` stores.
ACTOR_MODELS = {model.type_name: model for model in (User, AdminUser, CentreUser)}
ACTOR_KINDS = {"User": "trader app", "AdminUser": "charity staff", "CentreUser": "centre worker"}


@dataclass
class VoucherPage:
    """One page of the vouchers list and the cursors of its neighbours (None when there is no such page)."""

    vouchers: list
    sort: str
    direction: str
    next_after: str | None
    previous_before: str | None


@dataclass
class VoucherTotal:
    """The number of vouchers, exact or estimated from the table statistics."""

    count: int
    exact: bool


@dataclass
class HistoryEntry:
    """One history row as staff read it: ``from_state`` is None for old rows that did not record it."""

    transition: str
    from_state: str | None
    to_state: str
    actor: str
    created_at: object


def list_vouchers(sort="id", direction="desc", after=None, before=None, per_page=PAGE_SIZE):
    """Return a ``VoucherPage`` of vouchers that are not deleted, sorted by id or code.

    ``after`` (a sort value) gives the page that follows the row with that value, ``before`` the page
    that precedes it; neither gives the first page. Values are compared as the sort column's type.
    """
    if sort not in SORT_COLUMNS or direction not in SORT_DIRECTIONS:
        raise ValueError(f"Invalid voucher order {sort!r} {direction!r}.")
    column = SORT_COLUMNS[sort]
    cursor = before if before is not None else after
    if cursor is not None and sort == "id":
        cursor = int(cursor)

    # Going backwards reads the index the other way from the cursor, then flips the rows.
    backwards = before is not None
    descending = (direction == "desc") != backwards
    query = (
        sa.select(Voucher)
        .where(Voucher.deleted_at.is_(None))
        .options(selectinload(Voucher.sponsor), selectinload(Voucher.trader))
        .order_by(column.desc() if descending else column)
        .limit(per_page + 1)
    )
    if cursor is not None:
        query = query.where(column < cursor if descending else column > cursor)
    rows = db.session.scalars(query).all()
    more = len(rows) > per_page
    rows = rows[:per_page]
    if backwards:
        rows.reverse()

    has_next = (more and not backwards) or (backwards and bool(rows))
    has_previous = (more and backwards) or (after is not None and bool(rows))
    return VoucherPage(
        vouchers=rows,
        sort=sort,
        direction=direction,
        next_after=str(getattr(rows[-1], sort)) if has_next else None,
        previous_before=str(getattr(rows[0], sort)) if has_previous else None,
    )


def voucher_total():
    """Return a ``VoucherTotal``: estimated on MySQL and MariaDB, exact elsewhere or when no estimate exists.

    An exact count reads every row of the table, which took 1.5 to 2 seconds for 3 million vouchers
    on MariaDB 10.11 on a 2-CPU development machine (``bench/admin_pages.py``). The estimate is InnoDB's table statistics, which
    include soft-deleted vouchers and can be off by some percent. MySQL 8 caches those statistics
    for 24 hours by default (``information_schema_stats_expiry``), so its session reads them fresh.
    """
    connection = db.session.connection()
    dialect = connection.dialect
    if dialect.name in ("mysql", "mariadb"):
        # NOTE: the MySQL 8 branch is not covered by the test suite, which runs on MariaDB.
        if not dialect.is_mariadb and dialect.server_version_info >= (8, 0):
            connection.execute(sa.text("SET SESSION information_schema_stats_expiry = 0"))
        estimate = connection.execute(
            sa.text(
                "SELECT table_rows FROM information_schema.tables "
                "WHERE table_schema = DATABASE() AND table_name = 'vouchers'"
            )
        ).scalar()
        if estimate:
            return VoucherTotal(int(estimate), exact=False)
    count = db.session.scalar(sa.select(sa.func.count()).select_from(Voucher).where(Voucher.deleted_at.is_(None)))
    return VoucherTotal(count, exact=True)


def voucher_history(voucher):
    """Return the voucher's ``HistoryEntry`` rows in the order they were written.

    Old rows may lack ``from``, name transitions the state machine no longer has, or carry a
    ``user_type`` written as a full class name (``App\\AdminUser``). All of them are shown as stored.
    """
    rows = db.session.scalars(
        sa.select(VoucherState).where(VoucherState.voucher_id == voucher.id).order_by(VoucherState.id)
    ).all()
    names = actor_names((_type_name(row.user_type), row.user_id) for row in rows)
    return [
        HistoryEntry(
            transition=row.transition,
            from_state=row.from_state or None,
            to_state=row.to_state,
            actor=describe_actor(_type_name(row.user_type), row.user_id, names),
            created_at=row.created_at,
        )
        for row in rows
    ]


def _type_name(user_type):
    return (user_type or "").rsplit("\\", 1)[-1]


def actor_names(actors):
    """Return {(type name, id): name} for ``(type name, id)`` pairs, one query per user table."""
    ids_by_type = {}
    for type_name, user_id in actors:
        if user_id is not None and type_name in ACTOR_MODELS:
            ids_by_type.setdefault(type_name, set()).add(user_id)
    names = {}
    for type_name, ids in ids_by_type.items():
        model = ACTOR_MODELS[type_name]
        for user_id, name in db.session.execute(sa.select(model.id, model.name).where(model.id.in_(sorted(ids)))):
            names[type_name, user_id] = name
    return names


def describe_actor(type_name, user_id, names):
    """Return who made a transition, for example "Jo Bloggs (charity staff)"."""
    if user_id is None:
        return "No one logged in"
    kind = ACTOR_KINDS.get(type_name)
    if kind is None:
        return f"User {user_id} (unknown type {type_name!r})" if type_name else f"User {user_id} (type not recorded)"
    name = names.get((type_name, user_id))
    if name is None:
        return f"{kind.capitalize()} user {user_id} (no longer exists)"
    return f"{name} ({kind})"
