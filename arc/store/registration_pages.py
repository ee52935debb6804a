"""Values the registration templates show: search parameters from the address, and child rows with ages."""

from dataclasses import dataclass, field

from werkzeug.datastructures import MultiDict

from arc.entitlement import age, age_label, notice_text
from arc.store.forms import parse_month
from arc.store.forms import strip as strip_text


@dataclass(frozen=True)
class SearchParameters:
    """The search form's values, read leniently from the query string: anything invalid is ignored."""

    family_name: str = ""
    fuzzy: bool = False
    families_left: bool = False
    centre: int | None = None
    descending: bool = False
    page: int = 1
    query: dict = field(default_factory=dict)

    def url_args(self, **changes):
        """Return the query-string values of this search with ``changes``, dropping empty ones."""
        values = {
            "family_name": self.family_name,
            "fuzzy": "1" if self.fuzzy else "",
            "families_left": "1" if self.families_left else "",
            "centre": self.centre or "",
            "direction": "desc" if self.descending else "",
            "page": self.page if self.page > 1 else "",
        }
        values.update(changes)
        return {name: value for name, value in values.items() if value not in ("", None)}


def _positive_int(value):
    digits = isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 9
    return int(value) if digits and int(value) > 0 else None


def search_parameters(args: MultiDict):
    name = strip_text(args.get("family_name", "")) or ""
    params = {
        "family_name": name[:191],
        "fuzzy": args.get("fuzzy") == "1",
        "families_left": args.get("families_left", "") not in ("", "0"),
        "centre": _positive_int(args.get("centre")),
        "descending": args.get("direction") == "desc",
        "page": _positive_int(args.get("page")) or 1,
    }
    query = {
        "name": params["family_name"],
        "fuzzy": params["fuzzy"],
        "include_left": params["families_left"],
        "centre_id": params["centre"],
        "descending": params["descending"],
        "page": params["page"],
    }
    return SearchParameters(**params, query=query)


@dataclass(frozen=True)
class ChildRowView:
    """A row of the children (or household) table: the form row and how its date reads today."""

    row: object
    month_label: str
    age_label: str
    years_label: str
    is_main_participant: bool


def child_rows(form, today):
    """Return the child rows of a registration form with their ages on ``today``."""
    rows = []
    for entry in form.children:
        child = entry.form
        dob = parse_month(child.dob.data)
        if dob is None:
            rows.append(ChildRowView(child, "Unknown", "Unknown", "Unknown", False))
            continue
        child_age = age(dob, today)
        years = "P" if child_age is None else f"{child_age[0]} yr"
        rows.append(
            ChildRowView(
                child,
                dob.strftime("%b %Y"),
                age_label(dob, today),
                years,
                child.is_pri_carer.data in ("1", "true", "True"),
            )
        )
    return rows


@dataclass(frozen=True)
class EntitlementSummary:
    """The weekly entitlement as the edit page shows it: the total, why, and what to check."""

    weekly_total: int
    reasons: list
    not_counted: list
    notices: list
    member_count: int
    pregnancy_count: int


def _reason_text(group, words):
    if group.entity == "Child":
        noun = words["child"] if group.count == 1 else words["children"]
        return f"{group.count} {noun}: {group.reason}"
    if not group.reason:
        return f"Main {words['child']} already counted in the {words['family']}"
    return f"{words['Family']}: {group.reason}"


# Plain wording of disqualifying rules whose catalogue reason text reads awkwardly on its own.
FAMILY_DISQUALIFIER_TEXT = {
    "FamilyHasNoEligibleChildren": "it has no child under primary school age and is not expecting a baby",
    "ScottishFamilyHasNoEligibleChildren": "all its children are at school and it is not expecting a baby",
}
CHILD_DISQUALIFIER_TEXT = {"ChildIsSecondarySchoolAge": "secondary school age"}


def _not_counted(result, words):
    """Return why a family or some of its children earn nothing: their disqualifying rules, worded."""
    lines = [
        f"No vouchers for this {words['family']}: {FAMILY_DISQUALIFIER_TEXT.get(hit.name, 'it ' + hit.reason)}"
        for hit in result.disqualifiers
    ]
    groups = {}
    for child in result.children:
        for hit in child.disqualifiers:
            reason = CHILD_DISQUALIFIER_TEXT.get(hit.name, hit.reason)
            groups[reason] = groups.get(reason, 0) + 1
    for reason, count in groups.items():
        noun = words["child"] if count == 1 else words["children"]
        lines.append(f"{count} {noun} not counted: {reason}")
    return lines


def entitlement_summary(result, words):
    """Word a ``FamilyResult`` for the edit page; the total is never below 0, as bundles store it."""
    return EntitlementSummary(
        weekly_total=max(0, result.weekly_total),
        reasons=[(_reason_text(group, words), group.vouchers) for group in result.credit_reasons],
        not_counted=_not_counted(result, words),
        notices=[notice_text(group) for group in result.notice_groups],
        member_count=len(result.children),
        pregnancy_count=sum(1 for child in result.children if not child.born),
    )
