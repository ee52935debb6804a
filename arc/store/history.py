"""A family's full collection history: every week since its first collection, with each bundle handed over."""

from flask import render_template

from arc import clock
from arc.registrations import bundles
from arc.registrations.entitlements import programme_words
from arc.registrations.printouts import main_carer_name
from arc.store import bp
from arc.store.scope import load_registration_or_404


def ordinal(day):
    """Return a day of the month with its English suffix: 1st, 2nd, 3rd, 4th, 11th, 22nd."""
    suffix = "th" if 11 <= day % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def long_date(day, with_of=False):
    """Return a date as "Tuesday 4th June 2024", or "Tuesday 4th of June 2024" ``with_of``."""
    of = " of" if with_of else ""
    return f"{day:%A} {ordinal(day.day)}{of} {day:%B %Y}"


@bp.route("/registrations/<int:registration_id>/collection-history")
def collection_history(registration_id):
    registration = load_registration_or_404(registration_id)
    family = registration.family
    return render_template(
        "store/history/index.html",
        title="Full Collection History",
        registration=registration,
        main_carer_name=main_carer_name(family) or "Deleted Carer",
        words=programme_words(registration.centre.sponsor.programme),
        weeks=bundles.collection_weeks(registration, clock.today()),
        long_date=long_date,
    )
