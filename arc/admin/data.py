"""Service data for developers and testers: JSON dumps of the main tables, and reloading the demo data.

None of these routes exists in production: there every ``/data/...`` path returns 404, before any
login check, so that not even the routes' existence shows. Elsewhere they need an admin login.
"""

import json
import logging
import random
from functools import wraps

import sqlalchemy as sa
from flask import Response, abort, current_app, flash, redirect, render_template, session, stream_with_context, url_for
from flask_login import current_user, login_required
from sqlalchemy.orm import selectinload

from arc import clock
from arc.admin import bp
from arc.admin.forms import ConfirmForm
from arc.demo import loader
from arc.extensions import db
from arc.markets.models import Market, Trader
from arc.users.models import User
from arc.vouchers.models import Voucher

logger = logging.getLogger(__name__)

# Tables a reset keeps: the trader app's OAuth client settings, and the previous framework's
# record of its own migrations. Every other table of the service is emptied.
KEPT_TABLES = ("oauth_clients", "oauth_personal_access_clients", "migrations")

# Vouchers fetched from the database at a time while the JSON list is streamed.
STREAM_BATCH_SIZE = 1000

VOUCHER_FIELDS = ("id", "trader_id", "code", "currentstate", "sponsor_id", "created_at", "updated_at", "deleted_at",
                  "bundle_id", "delivery_id")
USER_FIELDS = ("id", "name", "email", "created_at", "updated_at", "deleted_at")
SPONSOR_FIELDS = ("id", "name", "shortcode", "programme", "can_tap", "created_at", "updated_at", "deleted_at")
MARKET_FIELDS = ("id", "name", "location", "sponsor_id", "created_at", "updated_at", "deleted_at", "payment_message")
TRADER_FIELDS = ("id", "name", "pic_url", "market_id", "created_at", "updated_at", "deleted_at", "disabled_at")


def non_production(view):
    """Return 404 in production, before the login check runs."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if current_app.config["APP_ENV"] == "production":
            abort(404)
        return view(*args, **kwargs)

    return wrapper


def as_json_value(value):
    """Return a value as the previous service wrote it in JSON: date-times as ``YYYY-MM-DD HH:MM:SS``."""
    if hasattr(value, "strftime"):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return value


def as_dict(row, fields):
    return {name: as_json_value(getattr(row, name)) for name in fields}


def market_dict(market):
    data = as_dict(market, MARKET_FIELDS)
    data["sponsor_shortcode"] = market.sponsor.shortcode if market.sponsor else None
    data["sponsor"] = as_dict(market.sponsor, SPONSOR_FIELDS) if market.sponsor else None
    return data


def json_response(data, status=200):
    return Response(json.dumps(data), status=status, mimetype="application/json")


@bp.route("/data/vouchers")
@non_production
@login_required
def data_vouchers():
    query = sa.select(Voucher).where(Voucher.deleted_at.is_(None)).order_by(Voucher.id)

    def stream():
        # One voucher at a time, so that a large database never sits in memory as one list.
        yield "["
        rows = db.session.scalars(query.execution_options(yield_per=STREAM_BATCH_SIZE))
        for position, voucher in enumerate(rows):
            yield ("," if position else "") + json.dumps(as_dict(voucher, VOUCHER_FIELDS))
        yield "]"

    return Response(stream_with_context(stream()), mimetype="application/json")


@bp.route("/data/vouchers/<int:voucher_id>")
@non_production
@login_required
def data_voucher(voucher_id):
    voucher = db.session.get(Voucher, voucher_id)
    if voucher is None or voucher.deleted_at is not None:
        abort(404)
    return json_response(as_dict(voucher, VOUCHER_FIELDS))


@bp.route("/data/users")
@non_production
@login_required
def data_users():
    users = db.session.scalars(sa.select(User).where(User.deleted_at.is_(None)).order_by(User.id))
    return json_response([as_dict(user, USER_FIELDS) for user in users])


@bp.route("/data/markets")
@non_production
@login_required
def data_markets():
    markets = db.session.scalars(sa.select(Market).options(selectinload(Market.sponsor)).order_by(Market.id))
    return json_response([market_dict(market) for market in markets])


@bp.route("/data/traders")
@non_production
@login_required
def data_traders():
    traders = db.session.scalars(
        sa.select(Trader).options(selectinload(Trader.market).selectinload(Market.sponsor)).order_by(Trader.id)
    )
    return json_response(
        [{**as_dict(trader, TRADER_FIELDS), "market": market_dict(trader.market) if trader.market else None}
         for trader in traders]
    )


@bp.route("/data/reset")
@non_production
@login_required
def data_reset_confirm():
    return render_template("admin/data/reset.html", title="Reset the demo data", form=ConfirmForm())


@bp.route("/data/reset", methods=["POST"])
@non_production
@login_required
def data_reset():
    admin_id = current_user.id
    counts = reset_demo_data(random.Random(loader.DEFAULT_SEED), current_app.config["APP_ENV"])
    db.session.commit()
    logger.warning("admin %s emptied the database and reloaded the demo data", admin_id)
    # The acting admin's row was deleted with everything else, so the session ends here.
    session.clear()
    flash(
        f"The database was emptied and the demo data reloaded at {clock.now():%H:%M:%S on %d/%m/%Y}: "
        f"{counts['vouchers']:,} vouchers, {counts['traders']:,} traders, {counts['centres']:,} centres. "
        "Log in again with the demo admin account.",
        "success",
    )
    return redirect(url_for("admin.login"))


def reset_demo_data(rng, app_env):
    """Delete the rows of every table except ``KEPT_TABLES``, load the demo data, flush; return its row counts.

    Raises ``DemoDataRejected`` in production. The caller commits once, so a failure keeps the old data.
    """
    loader.check_environment(app_env)
    for table in reversed(db.metadata.sorted_tables):
        if table.name not in KEPT_TABLES:
            db.session.execute(table.delete())
    # The deleted rows' objects (the acting admin's among them) must leave the session, because
    # SQLite gives the new rows the same ids.
    db.session.expunge_all()
    return loader.load_demo_data(rng)
