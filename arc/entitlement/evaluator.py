"""Apply a rule set to a family and its children on an evaluation date, and add up the vouchers.

A family is evaluated as a tree: the family, then each of its child rows. Each node records which
of its entity's rules fire, by purpose. A node with a disqualifier is not eligible:

* the weekly total counts the credits of every node reached through eligible nodes only, so a
  disqualified family gets nothing at all and a disqualified child adds nothing, while its
  siblings and the family's own credits still count;
* notices are collected from every node, eligible or not.

A child credit carries its value only when the value is above 0. A family credit carries any value,
which is how the Social Prescribing carer deduction subtracts.
"""

from dataclasses import dataclass
from datetime import date, datetime

from arc.entitlement.inputs import ChildInput, FamilyInput
from arc.entitlement.rules import CHILD, CREDITS, DISQUALIFIERS, FAMILY, NOTICES, Context


@dataclass(frozen=True)
class Hit:
    """A rule that fired for a node, with the vouchers it credits (0 for notices and disqualifiers)."""

    name: str
    entity: str
    reason: str
    vouchers: int = 0


@dataclass(frozen=True)
class ReasonGroup:
    """Hits of one entity with one reason text: how many fired and the vouchers they credit together."""

    entity: str
    reason: str
    count: int
    vouchers: int


@dataclass(frozen=True)
class ChildResult:
    """The rules that fired for one child row."""

    child: ChildInput
    born: bool
    credits: tuple[Hit, ...]
    notices: tuple[Hit, ...]
    disqualifiers: tuple[Hit, ...]

    @property
    def eligible(self):
        return not self.disqualifiers

    @property
    def credit_values(self):
        """The vouchers of each credit, by rule name."""
        return {hit.name: hit.vouchers for hit in self.credits}

    @property
    def total(self):
        """The vouchers this child adds to an eligible family: its credits, or 0 when disqualified."""
        if not self.eligible:
            return 0
        return sum(hit.vouchers for hit in self.credits)

    @property
    def can_defer(self):
        """Whether the area offers deferral and this child is of an age to defer its school start."""
        return any(hit.name == "ScottishChildCanDefer" for hit in self.notices)


@dataclass(frozen=True)
class FamilyResult:
    """The rules that fired for a family and each of its child rows, and the weekly entitlement."""

    family: FamilyInput
    children: tuple[ChildResult, ...]
    credits: tuple[Hit, ...]
    notices: tuple[Hit, ...]
    disqualifiers: tuple[Hit, ...]

    @property
    def eligible(self):
        return not self.disqualifiers

    @property
    def weekly_total(self):
        """The vouchers the family should collect each week.

        NOTE: this is negative for a Social Prescribing household that has left and has no member
        rows (the carer deduction alone), as the previous service computed it. Bundles store the
        entitlement unsigned, but a household that has left does not collect.
        """
        if not self.eligible:
            return 0
        return sum(hit.vouchers for hit in self.credits) + sum(child.total for child in self.children)

    @property
    def eligible_children(self):
        """The born child rows that are eligible in an eligible family.

        A child of secondary school age under the default rules is not disqualified (it only earns
        nothing), so it is included.
        """
        if not self.eligible:
            return ()
        return tuple(child for child in self.children if child.born and child.eligible)

    @property
    def eligible_children_count(self):
        return len(self.eligible_children)

    @property
    def credit_reasons(self):
        """The credits that count towards the weekly total, grouped by entity and reason text.

        Child groups come first, in child-row order, then the family's own groups.
        """
        if not self.eligible:
            return ()
        hits = [hit for child in self.children if child.eligible for hit in child.credits]
        return _group(hits + list(self.credits))

    @property
    def notice_groups(self):
        """Every notice of the family and its children, eligible or not, grouped by entity and reason."""
        hits = [hit for child in self.children for hit in child.notices]
        return _group(hits + list(self.notices))

    @property
    def has_notices(self):
        return bool(self.notices) or any(child.notices for child in self.children)


def _group(hits):
    groups = {}
    for hit in hits:
        key = (hit.entity, hit.reason)
        count, vouchers = groups.get(key, (0, 0))
        groups[key] = (count + 1, vouchers + hit.vouchers)
    return tuple(
        ReasonGroup(entity, reason, count, vouchers) for (entity, reason), (count, vouchers) in groups.items()
    )


def _vouchers(rule):
    if rule.purpose != CREDITS:
        return 0
    if rule.entity == CHILD:
        return max(rule.value, 0)
    return rule.value


def _hits(rules, entity, purpose, subject, context):
    return tuple(
        Hit(rule.name, rule.entity, rule.reason, _vouchers(rule))
        for rule in rules.select(entity, purpose)
        if rule.definition.condition(subject, context)
    )


def _context(rules, evaluation_date):
    if isinstance(evaluation_date, datetime):
        evaluation_date = evaluation_date.date()
    if not isinstance(evaluation_date, date):
        raise TypeError(f"expected the evaluation date as a date, got {evaluation_date!r}")
    return Context(evaluation_date, rules.school_month, rules.scottish_school_month)


def _evaluate_child(child, rules, context):
    return ChildResult(
        child=child,
        born=context.is_born(child),
        credits=_hits(rules, CHILD, CREDITS, child, context),
        notices=_hits(rules, CHILD, NOTICES, child, context),
        disqualifiers=_hits(rules, CHILD, DISQUALIFIERS, child, context),
    )


def evaluate_child(child, rules, evaluation_date):
    """Return the child-level rules that fire for one child row on ``evaluation_date``."""
    return _evaluate_child(child, rules, _context(rules, evaluation_date))


def evaluate_family(family, rules, evaluation_date):
    """Return the rules that fire for a family and its child rows, with the weekly total."""
    context = _context(rules, evaluation_date)
    return FamilyResult(
        family=family,
        children=tuple(_evaluate_child(child, rules, context) for child in family.children),
        credits=_hits(rules, FAMILY, CREDITS, family, context),
        notices=_hits(rules, FAMILY, NOTICES, family, context),
        disqualifiers=_hits(rules, FAMILY, DISQUALIFIERS, family, context),
    )


def notice_text(group):
    """Return the notice line shown to centre workers, such as "2 children are almost 1 year old"."""
    quantity = "A" if group.count == 1 else str(group.count)
    if group.entity == CHILD:
        noun, verb = ("child", "is") if group.count == 1 else ("children", "are")
        return f"{quantity} {noun} {verb} {group.reason}"
    noun = "family" if group.count == 1 else "families"
    return f"{quantity} {noun} {group.reason}"
