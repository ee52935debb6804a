"""Measure the nightly Master Voucher Log's peak memory and run time at two database sizes.

For each size the script fills a database with that many vouchers and their history. It then runs
the report (``arc.exports.mvl.write_report``, the code behind ``flask arc mvl report``) twice, each
time in a fresh child process. The first run measures time and peak resident memory, the second the
peak of the Python heap under tracemalloc. If memory does not grow with the number of vouchers, the
ratios of the two memory figures stay near 1 while the time ratio follows the size ratio.

SQLite (default; one file per size in a temporary folder, deleted afterwards):

    .venv/bin/python bench/mvl_memory.py --sizes 100000 400000

MariaDB or MySQL (the database is emptied and refilled for each size, so name a scratch database):

    ARC_BENCH_DATABASE_URL='mysql+pymysql://root@127.0.0.1/arc_bench?charset=utf8mb4' \\
        .venv/bin/python bench/mvl_memory.py --sizes 300000 3000000 --reset

3,000,000 vouchers write about 8.8 million history rows. Filling them takes several minutes and
about 2 GB of disk on SQLite.
"""

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import datetime, timedelta

import sqlalchemy as sa

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from arc import create_app  # noqa: E402
from arc.extensions import db  # noqa: E402

DATABASE_URL_VARIABLE = "ARC_BENCH_DATABASE_URL"
# A multiple of the vouchers per delivery and per family (5 x 6 = 30), so that no delivery, bundle
# or family spans two batches.
BATCH_SIZE = 30_000
AREAS = 12
CENTRES_PER_AREA = 5
MARKETS = 20
TRADERS = 200
VOUCHERS_PER_DELIVERY = 500
VOUCHERS_PER_BUNDLE = 5
BUNDLES_PER_FAMILY = 6
FIRST_DAY = datetime(2019, 9, 1, 9, 0)
LAST_DAY = datetime(2025, 3, 31, 17, 0)

# Share of vouchers per final state, and the states each one passed through after `printed`.
STATE_MIX = (
    (0.08, ()),
    (0.12, ("dispatched",)),
    (0.10, ("dispatched", "recorded")),
    (0.15, ("dispatched", "recorded", "payment_pending")),
    (0.50, ("dispatched", "recorded", "payment_pending", "reimbursed")),
    (0.05, ("dispatched", "voided", "retired")),
)
TRANSITIONS = {
    "dispatched": "dispatch",
    "recorded": "collect",
    "payment_pending": "confirm",
    "reimbursed": "payout",
    "voided": "void",
    "retired": "retire",
}


def make_app(url, mvl_folder):
    return create_app(
        {"SQLALCHEMY_DATABASE_URI": url, "ARC_MVL_DIR": mvl_folder, "APP_ENV": "development", "REDIS_URL": None}
    )


def prepare_database(url, reset):
    """Empty the database (only with --reset when it has tables) and build the schema."""
    from flask_migrate import upgrade

    engine = sa.create_engine(url)
    with engine.begin() as connection:
        tables = sa.inspect(connection).get_table_names()
        if tables and not reset:
            sys.exit(f"The database at {engine.url!r} has tables; pass --reset to empty it first.")
        if tables:
            if engine.dialect.name in ("mysql", "mariadb"):
                connection.exec_driver_sql("SET FOREIGN_KEY_CHECKS=0")
            for table in tables:
                connection.exec_driver_sql(f"DROP TABLE {engine.dialect.identifier_preparer.quote(table)}")
            if engine.dialect.name in ("mysql", "mariadb"):
                connection.exec_driver_sql("SET FOREIGN_KEY_CHECKS=1")
    engine.dispose()
    app = make_app(url, tempfile.gettempdir())
    with app.app_context():
        upgrade()
    return app


def table(name):
    return db.metadata.tables[name]


def insert(name, rows):
    if rows:
        db.session.execute(sa.insert(table(name)), rows)


def fill(app, voucher_count, seed=2019):
    """Add ``voucher_count`` vouchers with deliveries, bundles, families, traders and history, in bulk."""
    generator = random.Random(seed)
    span = (LAST_DAY - FIRST_DAY).total_seconds()
    with app.app_context():
        now = datetime(2025, 4, 1)
        insert("sponsors", [
            {"id": area, "name": f"Bench Area {area}", "shortcode": "BA" + chr(64 + area), "programme": 0,
             "can_tap": True, "created_at": now, "updated_at": now}
            for area in range(1, AREAS + 1)
        ])
        centre_count = AREAS * CENTRES_PER_AREA
        insert("centres", [
            {"id": centre, "name": f"Bench Centre {centre}", "prefix": f"C{centre:04d}",
             "sponsor_id": (centre - 1) // CENTRES_PER_AREA + 1, "print_pref": "collection",
             "created_at": now, "updated_at": now}
            for centre in range(1, centre_count + 1)
        ])
        insert("markets", [
            {"id": market, "name": f"Bench Market {market}", "location": "Town square",
             "sponsor_id": market % AREAS + 1, "payment_message": "", "created_at": now, "updated_at": now}
            for market in range(1, MARKETS + 1)
        ])
        insert("traders", [
            {"id": trader, "name": f"Bench Trader {trader}", "market_id": trader % MARKETS + 1,
             "created_at": now, "updated_at": now}
            for trader in range(1, TRADERS + 1)
        ])
        db.session.commit()

        state_id = 0
        for first in range(1, voucher_count + 1, BATCH_SIZE):
            last = min(first + BATCH_SIZE, voucher_count + 1)
            vouchers, history, deliveries, bundles, families, carers, registrations = [], [], {}, {}, {}, [], []
            for voucher_id in range(first, last):
                created = FIRST_DAY + timedelta(seconds=span * voucher_id / (voucher_count + 1))
                states = choose_states(generator)
                area = voucher_id % AREAS + 1
                delivery_id = bundle_id = trader_id = None
                if states:
                    delivery_id = (voucher_id - 1) // VOUCHERS_PER_DELIVERY + 1
                    deliveries.setdefault(delivery_id, {
                        "id": delivery_id, "centre_id": generator.randint(1, centre_count), "range": "bench",
                        "dispatched_at": created, "created_at": created, "updated_at": created,
                    })
                    if generator.random() < 0.6:
                        bundle_id = (voucher_id - 1) // VOUCHERS_PER_BUNDLE + 1
                        add_bundle(
                            bundle_id, created, generator, centre_count, bundles, families, carers, registrations
                        )
                if "recorded" in states:
                    trader_id = generator.randint(1, TRADERS)
                at = created
                for state in states:
                    at += timedelta(days=generator.randint(1, 20), seconds=generator.randint(0, 86399))
                    state_id += 1
                    history.append({
                        "id": state_id, "transition": TRANSITIONS[state], "from": None, "user_id": None,
                        "user_type": "", "voucher_id": voucher_id, "to": state, "source": "",
                        "created_at": at, "updated_at": at,
                    })
                vouchers.append({
                    "id": voucher_id, "code": f"BA{chr(64 + area)}{voucher_id:08d}", "sponsor_id": area,
                    "currentstate": states[-1] if states else "printed", "delivery_id": delivery_id,
                    "bundle_id": bundle_id, "trader_id": trader_id, "created_at": created, "updated_at": at,
                })
            insert("deliveries", list(deliveries.values()))
            insert("families", list(families.values()))
            insert("carers", carers)
            insert("registrations", registrations)
            insert("bundles", list(bundles.values()))
            insert("vouchers", vouchers)
            insert("voucher_states", history)
            db.session.commit()
            print(f"  filled {last - 1:,} of {voucher_count:,} vouchers", file=sys.stderr, flush=True)


def choose_states(generator):
    draw = generator.random()
    for share, states in STATE_MIX:
        if draw < share:
            return states
        draw -= share
    return STATE_MIX[-1][1]


def add_bundle(bundle_id, created, generator, centre_count, bundles, families, carers, registrations):
    """Add the bundle, and its family with carers and registration, unless this batch already has them."""
    if bundle_id in bundles:
        return
    family_id = (bundle_id - 1) // BUNDLES_PER_FAMILY + 1
    centre_id = generator.randint(1, centre_count)
    if family_id not in families:
        families[family_id] = {
            "id": family_id, "initial_centre_id": centre_id, "centre_sequence": family_id,
            "leave_amount": 0, "created_at": created, "updated_at": created,
        }
        for number in range(generator.randint(1, 3)):
            carers.append({
                "id": family_id * 3 + number, "name": f"Carer {family_id}-{number}", "family_id": family_id,
                "created_at": created, "updated_at": created,
            })
        registrations.append({
            "id": family_id, "family_id": family_id, "centre_id": centre_id, "created_at": created,
            "updated_at": created,
        })
    disbursed = generator.random() < 0.9
    bundles[bundle_id] = {
        "id": bundle_id, "entitlement": VOUCHERS_PER_BUNDLE, "registration_id": family_id,
        "disbursing_centre_id": centre_id if disbursed else None,
        "disbursed_at": created + timedelta(days=3) if disbursed else None,
        "created_at": created, "updated_at": created,
    }


def peak_rss_kib():
    """Return this process's peak resident memory in KiB.

    Linux's ``VmHWM`` starts again at exec. ``ru_maxrss`` would include the parent's peak from
    before the fork, which here is the filling of the database.
    """
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def measure(url, mvl_folder, with_tracemalloc):
    """Run the report once in this process and return its figures (the child process's work)."""
    from arc.exports import mvl

    app = make_app(url, mvl_folder)
    with app.app_context():
        baseline_kib = peak_rss_kib()
        if with_tracemalloc:
            tracemalloc.start()
        started = time.perf_counter()
        result = mvl.write_report()
        seconds = time.perf_counter() - started
        heap_peak = tracemalloc.get_traced_memory()[1] if with_tracemalloc else None
    return {
        "rows": result.rows,
        "seconds": seconds,
        "baseline_rss_kib": baseline_kib,
        "peak_rss_kib": peak_rss_kib(),
        "heap_peak_bytes": heap_peak,
        "archive_bytes": os.path.getsize(result.path),
    }


def measure_in_child(url, mvl_folder, with_tracemalloc):
    command = [sys.executable, os.path.abspath(__file__), "--measure", url, "--mvl-dir", mvl_folder]
    if with_tracemalloc:
        command.append("--tracemalloc")
    completed = subprocess.run(command, capture_output=True, text=True)
    if completed.returncode != 0:
        sys.exit(f"The measuring process failed with exit code {completed.returncode}:\n{completed.stderr}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def run(sizes, reset):
    server_url = os.environ.get(DATABASE_URL_VARIABLE)
    results = []
    with tempfile.TemporaryDirectory(prefix="mvl-bench-") as work:
        for size in sizes:
            url = server_url or "sqlite:///" + os.path.join(work, f"bench-{size}.sqlite")
            print(f"Filling {size:,} vouchers into {sa.engine.make_url(url).render_as_string()}", file=sys.stderr)
            app = prepare_database(url, reset or not server_url)
            started = time.perf_counter()
            fill(app, size)
            fill_seconds = time.perf_counter() - started
            with app.app_context():
                db.engine.dispose()
            mvl_folder = os.path.join(work, f"mvl-{size}")
            timed = measure_in_child(url, mvl_folder, with_tracemalloc=False)
            traced = measure_in_child(url, mvl_folder, with_tracemalloc=True)
            results.append((size, fill_seconds, timed, traced))
            if not server_url:
                os.unlink(url[len("sqlite:///"):])
    report(results)


def mib(kib_or_bytes, unit):
    return kib_or_bytes / (1024 if unit == "KiB" else 1024 * 1024)


def report(results):
    print(f"{'vouchers':>10} {'rows':>10} {'fill s':>8} {'report s':>9} {'peak RSS MiB':>13} "
          f"{'RSS growth MiB':>15} {'heap peak MiB':>14} {'archive MiB':>12}")
    for size, fill_seconds, timed, traced in results:
        growth = timed["peak_rss_kib"] - timed["baseline_rss_kib"]
        print(
            f"{size:>10,} {timed['rows']:>10,} {fill_seconds:>8.1f} {timed['seconds']:>9.1f} "
            f"{mib(timed['peak_rss_kib'], 'KiB'):>13.1f} {mib(growth, 'KiB'):>15.1f} "
            f"{mib(traced['heap_peak_bytes'], 'B'):>14.1f} {mib(timed['archive_bytes'], 'B'):>12.1f}"
        )
    if len(results) == 2:
        (small, _, small_timed, small_traced), (large, _, large_timed, large_traced) = results
        print(
            f"ratio {large:,}/{small:,}: vouchers x{large / small:.2f}, "
            f"report time x{large_timed['seconds'] / small_timed['seconds']:.2f}, "
            f"peak RSS x{large_timed['peak_rss_kib'] / small_timed['peak_rss_kib']:.2f}, "
            f"heap peak x{large_traced['heap_peak_bytes'] / small_traced['heap_peak_bytes']:.2f}"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs=2, default=[20_000, 80_000], metavar="N",
                        help="The two numbers of vouchers to measure. Default: 20000 80000.")
    parser.add_argument("--reset", action="store_true",
                        help=f"Empty the database at ${DATABASE_URL_VARIABLE} first if it has tables.")
    parser.add_argument("--measure", metavar="URL", help=argparse.SUPPRESS)
    parser.add_argument("--mvl-dir", help=argparse.SUPPRESS)
    parser.add_argument("--tracemalloc", action="store_true", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.measure:
        print(json.dumps(measure(arguments.measure, arguments.mvl_dir, arguments.tracemalloc)))
        return
    run(arguments.sizes, arguments.reset)


if __name__ == "__main__":
    main()
