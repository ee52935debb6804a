"""Printable sheets as PDF files: a family's 4-week collection form and a centre's weekly collection sheet.

The sheets are HTML templates (``store/printouts/``) rendered to PDF by WeasyPrint, on A4 landscape
pages headed "Page: N of M". WeasyPrint needs the Pango library of the operating system.
"""

import re
from dataclasses import dataclass

import sqlalchemy as sa
from flask import render_template
from sqlalchemy.orm import selectinload

from arc.entitlement import CHILD, notice_text
from arc.extensions import db
from arc.registrations.entitlements import evaluate_registration, programme_words
from arc.registrations.models import Family, Registration
from arc.registrations.queries import active_family_condition, natural_key
from arc.sponsors.models import SOCIAL_PRESCRIBING_PROGRAMME


@dataclass(frozen=True)
class FamilySheet:
    """The content of one family's collection form."""

    main_carer_name: str
    centre_name: str
    rvid: str
    entitlement: int
    reasons: tuple
    reminders: tuple
    words: dict


@dataclass(frozen=True)
class CollectionRow:
    """One family's line on a centre's weekly collection sheet."""

    main_carer_name: str
    rvid: str
    entitlement: int
    needs_attention: bool


def main_carer_name(family):
    """Return the name of the family's main carer (its lowest-id carer), or "" when it has none."""
    return family.carers[0].name if family.carers else ""


def vouchers_text(count):
    return f"{count} voucher" if count in (1, -1) else f"{count} vouchers"


# Reasons whose plural form is not the singular text after "are".
_PLURAL_REASONS = {"member of the household": "members of the household"}


def reason_line(group, words):
    """Word one group of credits for the printed sheet, such as "8 vouchers because 2 children are under 1 year old"."""
    if group.entity == CHILD:
        if group.count == 1:
            who = f"one {words['child']} is {group.reason}"
        else:
            reason = _PLURAL_REASONS.get(group.reason, group.reason)
            who = f"{group.count} {words['children']} are {reason}"
        return f"{vouchers_text(group.vouchers)} because {who}"
    family = words["family"]
    if not group.reason:
        # The Social Prescribing deduction: the household's own vouchers already cover the main participant.
        return (f"{vouchers_text(abs(group.vouchers))} taken off because the {family}'s vouchers "
                f"already cover the main {words['child']}")
    if group.reason == "pregnant":
        return f"{vouchers_text(group.vouchers)} because someone in the {family} is pregnant"
    verb = "" if re.match(r"(has|have|exists)\b", group.reason) else "is "
    return f"{vouchers_text(group.vouchers)} because the {family} {verb}{group.reason}"


def family_sheet(registration, centre_name, today):
    """Return the collection form of a registration, naming ``centre_name`` as its centre."""
    result = evaluate_registration(registration, today)
    words = programme_words(registration.centre.sponsor.programme)
    return FamilySheet(
        main_carer_name=main_carer_name(registration.family),
        centre_name=centre_name,
        rvid=registration.family.rvid,
        entitlement=max(0, result.weekly_total),
        reasons=tuple(reason_line(group, words) for group in result.credit_reasons),
        reminders=tuple(notice_text(group) for group in result.notice_groups),
        words=words,
    )


def active_registrations(centre):
    """Return the registrations made at ``centre`` whose families are active, by main carer name.

    Names sort in natural order ("Ann 2" before "Ann 10"), ignoring case.
    """
    query = (
        sa.select(Registration)
        .join(Family, Family.id == Registration.family_id)
        .where(Registration.centre_id == centre.id, active_family_condition())
        .options(
            selectinload(Registration.family).selectinload(Family.carers),
            selectinload(Registration.family).selectinload(Family.children),
            selectinload(Registration.family).selectinload(Family.initial_centre),
        )
    )
    registrations = db.session.scalars(query).all()
    return sorted(registrations, key=lambda registration: (natural_key(main_carer_name(registration.family)), registration.id))


def collection_rows(registrations, today):
    """Return the weekly collection sheet's rows for these registrations, in the order given."""
    rows = []
    for registration in registrations:
        result = evaluate_registration(registration, today)
        rows.append(
            CollectionRow(
                main_carer_name=main_carer_name(registration.family),
                rvid=registration.family.rvid,
                entitlement=max(0, result.weekly_total),
                needs_attention=result.has_notices,
            )
        )
    return rows


def render_pdf(template, **context):
    """Render an HTML template of the printouts and return it as PDF bytes."""
    from weasyprint import HTML  # Loading Pango takes a moment, so only the printout views pay for it.

    html = render_template(template, **context)
    return HTML(string=html).write_pdf()


def family_sheets_pdf(sheets, printed_on):
    """Return one collection form per page for these family sheets, as PDF bytes."""
    return render_pdf("store/printouts/family.html", sheets=sheets, printed_on=printed_on)


def collection_sheet_pdf(centre, rows, printed_on):
    """Return a centre's weekly collection sheet as PDF bytes."""
    words = programme_words(centre.sponsor.programme)
    return render_pdf(
        "store/printouts/collection.html",
        centre=centre,
        rows=rows,
        printed_on=printed_on,
        words=words,
        social_prescribing=centre.sponsor.programme == SOCIAL_PRESCRIBING_PROGRAMME,
    )
