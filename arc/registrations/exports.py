"""The registrations summary spreadsheet (CSV) of the store portal, for all centres or for one.

Two layouts share one code path:

* the full layout (foodmatters users) writes every date as dd/mm/YYYY and adds the "Active" and
  "Date file was Downloaded" columns;
* the centre layout (downloaders) writes children's dates of birth and due dates as mm/YYYY and
  leaves those two columns out.

The programme of the centres (0 Standard, 1 Social Prescribing) chooses the column set. Rows are
ordered by area, centre, date of last collection (never collected first) and main carer name, and
written as they are read, a few hundred registrations at a time, so a large export never sits in
memory. The header row has as many child date-of-birth columns as the family with the most born
children needs; other rows leave the extra columns empty.
"""

import csv
import io
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from dateutil.relativedelta import relativedelta
from sqlalchemy.orm import selectinload

from arc import entitlement
from arc.centres.models import Centre
from arc.extensions import db
from arc.registrations.choices import NOT_ANSWERED, ethnicity_description
from arc.registrations.entitlements import rules_for_sponsor
from arc.registrations.models import Bundle, Carer, Child, Family, Registration
from arc.registrations.queries import days_on_programme
from arc.sponsors.models import SOCIAL_PRESCRIBING_PROGRAMME, Sponsor
from arc.spreadsheets import safe_row

# Registrations loaded and written per batch.
BATCH_SIZE = 200

FULL_DATE = "%d/%m/%Y"
MONTH_DATE = "%m/%Y"


@dataclass(frozen=True)
class SummaryLayout:
    """The column set and date formats of an export."""

    programme: int
    full: bool

    @property
    def social_prescribing(self):
        return self.programme == SOCIAL_PRESCRIBING_PROGRAMME

    @property
    def child_date_format(self):
        return FULL_DATE if self.full else MONTH_DATE


def ordered_registration_ids(centre_ids):
    """Return the ids of the registrations at these centres, in the export's row order."""
    main_carer_name = (
        sa.select(Carer.name)
        .where(Carer.family_id == Registration.family_id)
        .order_by(Carer.id)
        .limit(1)
        .correlate(Registration)
        .scalar_subquery()
    )
    last_collection = (
        sa.select(sa.func.max(Bundle.disbursed_at))
        .where(Bundle.registration_id == Registration.id)
        .correlate(Registration)
        .scalar_subquery()
    )
    query = (
        sa.select(Registration.id)
        .join(Centre, Centre.id == Registration.centre_id)
        .join(Sponsor, Sponsor.id == Centre.sponsor_id)
        .where(Registration.centre_id.in_(list(centre_ids)))
        .order_by(
            sa.func.lower(Sponsor.name),
            sa.func.lower(Centre.name),
            sa.func.date(last_collection),
            sa.func.lower(main_carer_name),
            Registration.id,
        )
    )
    return list(db.session.scalars(query))


def max_born_children(registration_ids, layout, today):
    """Return the largest number of child date-of-birth columns any of these registrations needs.

    A child counts from the 1st of its birth month. In Social Prescribing the main participant's own
    row has a column of its own, so it is left out.
    """
    if not registration_ids:
        return 0
    next_month = today.replace(day=1) + relativedelta(months=1)
    conditions = [Child.dob < datetime.combine(next_month, datetime.min.time())]
    if layout.social_prescribing:
        conditions.append(sa.or_(Child.is_pri_carer.is_(None), Child.is_pri_carer.is_(False)))
    per_family = (
        sa.select(sa.func.count(Child.id).label("born"))
        .join(Registration, Registration.family_id == Child.family_id)
        .where(Registration.id.in_(registration_ids), *conditions)
        .group_by(Registration.id)
        .subquery()
    )
    return db.session.scalar(sa.select(sa.func.max(per_family.c.born))) or 0


def header(layout, child_columns):
    """Return the column names of an export, in order."""
    if layout.social_prescribing:
        names = ["RVID", "Area", "Centre", "Main Participant", "Entitlement", "Last Collection"]
        names += ["Active"] if layout.full else []
        names += ["Main Participant DoB"]
        names += [f"Household member {number} DoB" for number in range(1, child_columns + 1)]
        names += ["Join Date", "Leaving Date", "Leaving Reason", "Rejoin Date", "Days on programme", "Leave Count"]
        names += ["Eligible Household Members"]
    else:
        names = ["RVID", "Area", "Centre", "Primary Carer", "Entitlement", "Last Collection"]
        names += ["Active"] if layout.full else []
        names += [f"Child {number} DoB" for number in range(1, child_columns + 1)]
        names += ["Join Date", "Leaving Date", "Leaving Reason", "Rejoin Date", "Days on programme", "Leave Count"]
        names += ["Due Date", "Total Children", "Eligible Children", "Family Eligibility (HSBS)"]
        names += ["Family Eligibility (NRPF)", "Eligible From"]
    names += ["Ethnicity", "Main Language", "Other Language"]
    names += ["Date file was Downloaded"] if layout.full else []
    return names


def summary_csv(ids, layout, today):
    """Yield the CSV text of the export of these registrations, header first, rows in the order of ``ids``.

    ``ids`` comes from ``ordered_registration_ids``.
    """
    child_columns = max_born_children(ids, layout, today)
    columns = header(layout, child_columns)
    rules = {}
    yield _csv_line(columns)
    for offset in range(0, len(ids), BATCH_SIZE):
        batch = ids[offset:offset + BATCH_SIZE]
        registrations = _load(batch)
        last_collections = _last_collections(batch)
        for registration_id in batch:
            registration = registrations[registration_id]
            sponsor = registration.centre.sponsor
            if sponsor.id not in rules:
                rules[sponsor.id] = rules_for_sponsor(sponsor)
            row = summary_row(registration, rules[sponsor.id], last_collections.get(registration_id), layout, today)
            yield _csv_line([row.get(name, "") for name in columns])


def summary_row(registration, rules, last_collected_at, layout, today):
    """Return one registration's cells by column name (without the empty child columns)."""
    family = registration.family
    carers = family.carers
    main_carer = carers[0] if carers else None
    result = entitlement.evaluate_family(entitlement.family_input_from(family), rules, today)
    born = [child for child in result.children if child.born]

    row = {
        "RVID": family.rvid,
        "Area": registration.centre.sponsor.name,
        "Centre": registration.centre.name,
        "Entitlement": max(0, result.weekly_total),
        "Last Collection": _format(last_collected_at, FULL_DATE),
    }
    if layout.full:
        row["Active"] = "true" if _is_active(registration, last_collected_at, today) else "false"
        row["Date file was Downloaded"] = today.isoformat()
    row.update(_leaving_cells(registration, today))
    row.update(_carer_cells(main_carer))
    if layout.social_prescribing:
        row["Main Participant"] = main_carer.name if main_carer else ""
        row.update(_household_cells(result, born, layout))
    else:
        row["Primary Carer"] = main_carer.name if main_carer else ""
        row.update(_family_cells(registration, result, born, layout))
    return row


def _family_cells(registration, result, born, layout):
    cells = {}
    for number, child in enumerate(born, start=1):
        cells[f"Child {number} DoB"] = _birth_month_end(child.child.dob, layout)
    unborn = [child for child in result.children if not child.born]
    cells["Due Date"] = _format(unborn[-1].child.dob, layout.child_date_format) if unborn else ""
    cells["Total Children"] = len(born)
    cells["Eligible Children"] = len(_earning(result, born))
    cells["Family Eligibility (HSBS)"] = registration.eligibility_hsbs or ""
    nrpf = registration.eligibility_nrpf or ""
    cells["Family Eligibility (NRPF)"] = nrpf[:1].upper() + nrpf[1:]
    cells["Eligible From"] = _format(registration.eligible_from, FULL_DATE)
    return cells


def _household_cells(result, born, layout):
    cells = {}
    main = [child for child in born if child.child.is_pri_carer]
    members = [child for child in born if not child.child.is_pri_carer]
    cells["Main Participant DoB"] = _birth_month_end(main[0].child.dob, layout) if main else ""
    for number, member in enumerate(members, start=1):
        cells[f"Household member {number} DoB"] = _birth_month_end(member.child.dob, layout)
    cells["Eligible Household Members"] = len(_earning(result, members))
    return cells


def _earning(result, born):
    """Return the born children who count towards the entitlement.

    A child counts when neither it nor its family is disqualified and at least one credit gives it
    vouchers. A child of secondary school age under the default rules is not disqualified but earns
    nothing, so it is not counted.
    """
    if not result.eligible:
        return []
    return [child for child in born if child.eligible and child.total > 0]


def _leaving_cells(registration, today):
    family = registration.family
    return {
        "Join Date": _format(registration.created_at, FULL_DATE),
        "Leaving Date": _format(family.leaving_on, FULL_DATE),
        "Leaving Reason": family.leaving_reason or "",
        "Rejoin Date": _format(family.rejoin_on, FULL_DATE),
        "Days on programme": days_on_programme(registration, today),
        "Leave Count": family.leave_amount or 0,
    }


def _carer_cells(main_carer):
    language = main_carer.language if main_carer else None
    if language is None or not language.strip():
        main_language, other_language = "not answered", ""
    elif language.strip().lower() == "english":
        main_language, other_language = "english", ""
    else:
        main_language, other_language = "other", language.strip().lower()
    return {
        "Ethnicity": ethnicity_description(main_carer.ethnicity) if main_carer else NOT_ANSWERED,
        "Main Language": main_language,
        "Other Language": other_language,
    }


def _is_active(registration, last_collected_at, today):
    """Return whether the family collected recently: until the Friday of the 4th week after the last collection.

    The weeks count from the Monday of the week of the last collection, or of joining when the
    family never collected.
    """
    since = last_collected_at or registration.created_at
    if since is None:
        return False
    since = since.date() if isinstance(since, datetime) else since
    monday = since - timedelta(days=since.weekday())
    return today <= monday + timedelta(weeks=4, days=4)


def _birth_month_end(dob, layout):
    """Return a date of birth as the export shows it: the last day of the birth month."""
    day = dob.date() if isinstance(dob, datetime) else dob
    return _format(day + relativedelta(day=31), layout.child_date_format)


def _format(value, pattern):
    if value is None:
        return ""
    return value.strftime(pattern)


def _load(registration_ids):
    query = (
        sa.select(Registration)
        .where(Registration.id.in_(registration_ids))
        .options(
            selectinload(Registration.family).selectinload(Family.carers),
            selectinload(Registration.family).selectinload(Family.children),
            selectinload(Registration.family).selectinload(Family.initial_centre),
            selectinload(Registration.centre).selectinload(Centre.sponsor),
        )
    )
    return {registration.id: registration for registration in db.session.scalars(query)}


def _last_collections(registration_ids):
    rows = db.session.execute(
        sa.select(Bundle.registration_id, sa.func.max(Bundle.disbursed_at))
        .where(Bundle.registration_id.in_(registration_ids), Bundle.disbursed_at.is_not(None))
        .group_by(Bundle.registration_id)
    )
    return {registration_id: collected_at for registration_id, collected_at in rows}


def _csv_line(values):
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(safe_row(values))
    return buffer.getvalue()


def file_name(now):
    return f"RegSummary_{now:%Y%m%d%H%M%S}.csv"

