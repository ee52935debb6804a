"""Time the admin portal's voucher, search and payments pages on a MariaDB database of many vouchers.

The script fills a database with ``--vouchers`` vouchers (in bulk, 10,000 rows per INSERT), their
dispatch history, deliveries and a few hundred payment requests, then requests each page through the
Flask test client as a logged-in admin. It prints the median time of each page and its ratio to the
dashboard, which runs no voucher query, so the ratios show how much a page costs beyond the frame.
It also times, on the same data, the two things the list avoids: an exact COUNT over the vouchers
table, and OFFSET paging to a deep page.

Run it with a scratch database (created if missing; the script empties it with ``--refill``):

    ARC_ADMIN_BENCH_DATABASE_URL='mysql+pymysql://root@127.0.0.1/arc_admin_bench?charset=utf8mb4' \\
        .venv/bin/python bench/admin_pages.py --vouchers 300000

For the size of the live database:

    .venv/bin/python bench/admin_pages.py --vouchers 3000000 --refill

A database already holding at least ``--vouchers`` vouchers from an earlier run is reused as it is.
"""

import argparse
import logging
import os
import statistics
import sys
import time
import uuid
from datetime import datetime, timedelta

import sqlalchemy as sa

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from arc import create_app  # noqa: E402
from arc.extensions import db  # noqa: E402

DATABASE_URL_VARIABLE = "ARC_ADMIN_BENCH_DATABASE_URL"
DEFAULT_DATABASE_URL = "mysql+pymysql://root@127.0.0.1/arc_admin_bench?charset=utf8mb4"
SERVICE_HOST = "admin.bench.localhost"
ADMIN_EMAIL = "bench-admin@example.org"
ADMIN_PASSWORD = "bench-password"

INSERT_ROWS = 10_000
AREAS = 10
VOUCHERS_PER_DELIVERY = 1_000
# Payment requests inside the payments page's 21-day window, and older ones it must skip.
RECENT_REQUESTS = 60
OLD_REQUESTS = 3_000
VOUCHERS_PER_REQUEST = 20
FIRST_DAY = datetime(2020, 1, 6, 9, 0)


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--vouchers", type=int, default=300_000, help="Number of vouchers to fill (default 300,000).")
    parser.add_argument("--repeat", type=int, default=7, help="Requests per page; the median is reported (default 7).")
    parser.add_argument("--refill", action="store_true", help="Empty the database and fill it again.")
    return parser.parse_args()


def prepare_database(url, refill):
    """Create the database if missing; with ``refill``, drop every table. Returns nothing."""
    parsed = sa.engine.make_url(url)
    if parsed.get_backend_name() not in ("mysql", "mariadb"):
        raise SystemExit(f"{DATABASE_URL_VARIABLE} must name a MariaDB or MySQL database, not {parsed.drivername}.")
    # URL.set(database=None) leaves the name in place in SQLAlchemy 2.1; an empty name removes it.
    server = sa.create_engine(parsed.set(database=""))
    with server.begin() as connection:
        if refill:
            connection.exec_driver_sql(f"DROP DATABASE IF EXISTS `{parsed.database}`")
        connection.exec_driver_sql(
            f"CREATE DATABASE IF NOT EXISTS `{parsed.database}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
        )
    server.dispose()


def voucher_count():
    return db.session.scalar(sa.text("SELECT COUNT(*) FROM vouchers"))


def fill(count):
    """Add areas, centres, traders, an admin, ``count`` vouchers with history, deliveries and payment requests."""
    from arc.users.passwords import hash_password

    now = datetime.now().replace(microsecond=0)
    run = db.session.execute
    run(sa.text("INSERT INTO admin_users (name, email, password, created_at, updated_at) "
                "VALUES ('Bench Admin', :email, :password, :now, :now)"),
        {"email": ADMIN_EMAIL, "password": hash_password(ADMIN_PASSWORD), "now": now})
    for area in range(1, AREAS + 1):
        run(sa.text("INSERT INTO sponsors (id, name, shortcode, programme, can_tap, created_at, updated_at) "
                    "VALUES (:id, :name, :code, 0, 1, :now, :now)"),
            {"id": area, "name": f"Bench Area {area}", "code": shortcode(area), "now": now})
        run(sa.text("INSERT INTO centres (id, name, prefix, sponsor_id, print_pref, created_at, updated_at) "
                    "VALUES (:id, :name, :prefix, :id, 'collection', :now, :now)"),
            {"id": area, "name": f"Bench Centre {area}", "prefix": f"BC{area:03d}", "now": now})
        run(sa.text("INSERT INTO markets (id, name, location, sponsor_id, payment_message, created_at, updated_at) "
                    "VALUES (:id, :name, 'Square', :id, '', :now, :now)"),
            {"id": area, "name": f"Bench Market {area}", "now": now})
        run(sa.text("INSERT INTO traders (id, name, market_id, created_at, updated_at) VALUES (:id, :name, :id, :now, :now)"),
            {"id": area, "name": f"Bench Trader {area}", "now": now})
        run(sa.text("INSERT INTO users (id, name, email, password, created_at, updated_at) "
                    "VALUES (:id, :name, :email, 'x', :now, :now)"),
            {"id": area, "name": f"Bench User {area}", "email": f"bench-user-{area}@example.org", "now": now})
    db.session.commit()

    per_area = count // AREAS
    started = time.perf_counter()
    for area in range(1, AREAS + 1):
        add_area_vouchers(area, per_area, now)
        db.session.commit()
        print(f"  area {area}: {per_area:,} vouchers, {time.perf_counter() - started:.0f} s so far", flush=True)

    run(sa.text(
        "INSERT INTO voucher_states (transition, `from`, `to`, user_id, user_type, voucher_id, source, created_at, updated_at) "
        "SELECT 'dispatch', 'printed', 'dispatched', 1, 'AdminUser', id, '', created_at, created_at "
        "FROM vouchers WHERE delivery_id IS NOT NULL"
    ))
    db.session.commit()
    add_payment_requests(now)
    db.session.commit()
    run(sa.text("ANALYZE TABLE vouchers, voucher_states, state_tokens"))
    print(f"  filled in {time.perf_counter() - started:.0f} s", flush=True)


def shortcode(area):
    return "BN" + "ABCDEFGHIJ"[area - 1] * 2


def add_area_vouchers(area, per_area, now):
    """Insert the area's vouchers: the first 80% delivered in runs, the rest printed."""
    code = shortcode(area)
    delivered = per_area * 8 // 10
    for first in range(0, delivered, VOUCHERS_PER_DELIVERY):
        sent = FIRST_DAY + timedelta(hours=first // VOUCHERS_PER_DELIVERY)
        db.session.execute(
            sa.text("INSERT INTO deliveries (centre_id, `range`, dispatched_at, created_at, updated_at) "
                    "VALUES (:centre, :range, :sent, :sent, :sent)"),
            {"centre": area, "range": f"{code}{first} - {code}{first + VOUCHERS_PER_DELIVERY - 1}", "sent": sent},
        )
    delivery_ids = db.session.scalars(
        sa.text("SELECT id FROM deliveries WHERE centre_id = :centre ORDER BY id"), {"centre": area}
    ).all()

    insert = sa.text(
        "INSERT INTO vouchers (code, sponsor_id, currentstate, delivery_id, created_at, updated_at) "
        "VALUES (:code, :sponsor, :state, :delivery, :created, :created)"
    )
    rows = []
    for number in range(per_area):
        delivery = delivery_ids[number // VOUCHERS_PER_DELIVERY] if number < delivered else None
        rows.append({
            "code": f"{code}{number:08d}",
            "sponsor": area,
            "state": "dispatched" if delivery else "printed",
            "delivery": delivery,
            "created": FIRST_DAY + timedelta(minutes=number // 100),
        })
        if len(rows) == INSERT_ROWS:
            db.session.execute(insert, rows)
            rows = []
    if rows:
        db.session.execute(insert, rows)


def add_payment_requests(now):
    """Turn delivered vouchers into payment requests: recent ones in the page's window, and older ones."""
    voucher_ids = db.session.scalars(
        sa.text("SELECT id FROM vouchers WHERE currentstate = 'dispatched' ORDER BY id LIMIT :limit"),
        {"limit": (RECENT_REQUESTS + OLD_REQUESTS) * VOUCHERS_PER_REQUEST},
    ).all()
    for position in range(RECENT_REQUESTS + OLD_REQUESTS):
        ids = voucher_ids[position * VOUCHERS_PER_REQUEST:(position + 1) * VOUCHERS_PER_REQUEST]
        if not ids:
            break  # a small fill has too few delivered vouchers for every request
        recent = position < RECENT_REQUESTS
        created = now - timedelta(hours=position * 6) if recent else now - timedelta(days=30 + position // 10)
        area = position % AREAS + 1
        token_uuid = str(uuid.uuid4())
        db.session.execute(
            sa.text("INSERT INTO state_tokens (uuid, user_id, admin_user_id, created_at, updated_at) "
                    "VALUES (:uuid, :user, :admin, :created, :created)"),
            {"uuid": token_uuid, "user": area, "admin": None if recent and position % 2 == 0 else 1, "created": created},
        )
        token_id = db.session.scalar(sa.text("SELECT id FROM state_tokens WHERE uuid = :uuid"), {"uuid": token_uuid})
        db.session.execute(
            sa.text("UPDATE vouchers SET currentstate = 'payment_pending', trader_id = :trader WHERE id IN :ids")
            .bindparams(sa.bindparam("ids", expanding=True)),
            {"trader": area, "ids": ids},
        )
        db.session.execute(
            sa.text("INSERT INTO voucher_states (transition, `from`, `to`, user_id, user_type, voucher_id, "
                    "state_token_id, source, created_at, updated_at) VALUES "
                    "('confirm', 'recorded', 'payment_pending', :user, 'User', :voucher, :token, '', :created, :created)"),
            [{"user": area, "voucher": voucher_id, "token": token_id, "created": created} for voucher_id in ids],
        )


def median_seconds(client, path, repeat):
    client.get(path, base_url=f"http://{SERVICE_HOST}")  # warms the caches and the connection pool
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(path, base_url=f"http://{SERVICE_HOST}")
        timings.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise SystemExit(f"GET {path} returned status {response.status_code}.")
    return statistics.median(timings)


def median_query_seconds(statement, repeat):
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        db.session.execute(sa.text(statement)).all()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def time_pages(app, repeat):
    with app.app_context():
        middle_id = db.session.scalar(sa.text("SELECT id FROM vouchers ORDER BY id LIMIT 1 OFFSET :n"),
                                      {"n": voucher_count() // 2})
        some_code = db.session.scalar(sa.text("SELECT code FROM vouchers WHERE id = :id"), {"id": middle_id})
        pending_uuid = db.session.scalar(sa.text(
            "SELECT uuid FROM state_tokens WHERE admin_user_id IS NULL ORDER BY created_at DESC LIMIT 1"))
    client = app.test_client()
    client.post("/login", data={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}, base_url=f"http://{SERVICE_HOST}")

    pages = [
        ("dashboard", "/"),
        ("vouchers, first page", "/vouchers"),
        ("vouchers, page in the middle", f"/vouchers?after={middle_id}"),
        ("vouchers by code", "/vouchers?sort=code&direction=asc"),
        ("search by code", f"/vouchers/search?voucher_code={some_code}&search="),
        ("one voucher", f"/vouchers/{middle_id}"),
        ("payment requests", "/payments"),
        ("one payment request", f"/payments/payment-request/{pending_uuid}"),
        ("deliveries", "/deliveries"),
    ]
    return [(name, median_seconds(client, path, repeat)) for name, path in pages], middle_id


def main():
    arguments = parse_arguments()
    url = os.environ.get(DATABASE_URL_VARIABLE, DEFAULT_DATABASE_URL)
    prepare_database(url, arguments.refill)
    app = create_app({
        "SQLALCHEMY_DATABASE_URI": url,
        "ARC_SERVICE_DOMAIN": SERVICE_HOST,
        "WTF_CSRF_ENABLED": False,
        "REDIS_URL": None,
        "RATELIMIT_STORAGE_URI": "memory://",
    })
    logging.getLogger().setLevel(logging.WARNING)

    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        existing = voucher_count()
        if existing < arguments.vouchers:
            if existing:
                raise SystemExit(f"The database contains {existing:,} vouchers, fewer than requested: run with --refill.")
            print(f"Filling {arguments.vouchers:,} vouchers...", flush=True)
            fill(arguments.vouchers)
        total = voucher_count()
        history = db.session.scalar(sa.text("SELECT COUNT(*) FROM voucher_states"))

    pages, middle_id = time_pages(app, arguments.repeat)
    with app.app_context():
        exact_count = median_query_seconds("SELECT COUNT(*) FROM vouchers WHERE deleted_at IS NULL", arguments.repeat)
        deep_offset = median_query_seconds(
            f"SELECT * FROM vouchers WHERE deleted_at IS NULL ORDER BY id DESC LIMIT 51 OFFSET {total // 2}",
            arguments.repeat,
        )
        keyset = median_query_seconds(
            f"SELECT * FROM vouchers WHERE deleted_at IS NULL AND id < {middle_id} ORDER BY id DESC LIMIT 51",
            arguments.repeat,
        )
        version = db.session.scalar(sa.text("SELECT VERSION()"))

    baseline = pages[0][1]
    print(f"\n{total:,} vouchers, {history:,} history rows, {version}; median of {arguments.repeat} requests each.")
    print(f"{'page':32} {'ms':>9} {'x dashboard':>12}")
    for name, seconds in pages:
        print(f"{name:32} {seconds * 1000:9.1f} {seconds / baseline:12.2f}")
    print("\nQueries the list avoids, against the keyset query it runs for a page in the middle:")
    print(f"{'query':32} {'ms':>9} {'x keyset':>12}")
    for name, seconds in (("keyset page (as the list runs)", keyset), ("OFFSET to the same page", deep_offset),
                          ("exact COUNT(*) of vouchers", exact_count)):
        print(f"{name:32} {seconds * 1000:9.1f} {seconds / keyset:12.1f}")


if __name__ == "__main__":
    main()
