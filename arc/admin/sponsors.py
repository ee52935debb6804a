"""Admin pages for areas (sponsors): list, add, edit settings, household values and rule overrides."""

from dataclasses import asdict

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from arc.admin import bp
from arc.admin.people_forms import (
    HouseholdValuesForm,
    ListPageArgs,
    OverridesForm,
    SponsorEditForm,
    SponsorForm,
)
from arc.admin.record_pages import load_or_404, paginate, save_changes
from arc.sponsors import operations
from arc.sponsors.models import SOCIAL_PRESCRIBING_PROGRAMME, Sponsor
from arc.sponsors.operations import SponsorError
from arc.sponsors.queries import sponsor_listing


@bp.route("/sponsors")
@login_required
def sponsors_index():
    args = ListPageArgs(request.args)
    if not args.validate():
        return redirect(url_for("admin.sponsors_index"))
    page = paginate(sponsor_listing(), args.page.data)
    return render_template("admin/sponsors/index.html", title="Areas", page=page)


@bp.route("/sponsors/create")
@bp.route("/sponsors", methods=["POST"], endpoint="sponsors_store")
@login_required
def sponsors_create():
    form = SponsorForm()
    if form.validate_on_submit():
        saved, sponsor = save_changes(form, "The area", lambda: operations.create_sponsor(
            form.name.data, form.voucher_prefix.data, form.programme.data, form.can_tap.data, current_user
        ), SponsorError)
        if saved:
            flash(f"Area {sponsor.name} was created with voucher prefix {sponsor.shortcode}.", "success")
            return redirect(url_for("admin.sponsors_index"))
    return render_template("admin/sponsors/form.html", title="Add an area", form=form)


@bp.route("/sponsors/<int:sponsor_id>/edit", methods=["GET", "POST"])
@login_required
def sponsors_edit(sponsor_id):
    sponsor = load_or_404(Sponsor, sponsor_id, include_deleted=False)
    form = SponsorEditForm(obj=sponsor)
    if form.validate_on_submit():
        saved, _ = save_changes(form, "The area", lambda: operations.update_sponsor(
            sponsor, form.name.data, form.programme.data, form.can_tap.data, current_user
        ), SponsorError)
        if saved:
            flash(f"Area {form.name.data} was updated.", "success")
            return redirect(url_for("admin.sponsors_index"))
    return render_template("admin/sponsors/edit.html", title=f"Edit {sponsor.name}", form=form, sponsor=sponsor)


@bp.route("/sponsors/<int:sponsor_id>", methods=["GET", "POST", "PUT"])
@login_required
def sponsors_household_values(sponsor_id):
    sponsor = load_or_404(Sponsor, sponsor_id, include_deleted=False)
    if sponsor.programme != SOCIAL_PRESCRIBING_PROGRAMME:
        abort(404)
    exists, member = operations.household_values(sponsor)
    form = HouseholdValuesForm(data={"householdExistsValue": exists, "householdMemberValue": member})
    if form.validate_on_submit():
        saved, _ = save_changes(form, "The rule values", lambda: operations.set_household_values(
            sponsor, form.householdExistsValue.data, form.householdMemberValue.data, current_user
        ), SponsorError)
        if saved:
            flash(f"The rule values of area {sponsor.name} were updated.", "success")
            return redirect(url_for("admin.sponsors_index"))
    return render_template("admin/sponsors/household.html", title=sponsor.name, form=form, sponsor=sponsor)


@bp.route("/sponsors/<int:sponsor_id>/rules", methods=["GET", "POST"])
@login_required
def sponsors_rules(sponsor_id):
    sponsor = load_or_404(Sponsor, sponsor_id, include_deleted=False)
    if sponsor.programme == SOCIAL_PRESCRIBING_PROGRAMME:
        abort(404)
    form = OverridesForm(data={"overrides": [asdict(row) for row in operations.overrides_of(sponsor)]})
    form.set_rule_choices()
    if form.validate_on_submit():
        saved, _ = save_changes(form, "The rule overrides", lambda: operations.replace_overrides(
            sponsor, form.rule_overrides(), current_user
        ), SponsorError)
        if saved:
            flash(f"The rule overrides of area {sponsor.name} were saved.", "success")
            return redirect(url_for("admin.sponsors_rules", sponsor_id=sponsor.id))
    form.add_blank_rows()
    return render_template(
        "admin/sponsors/rules.html", title=f"Rule overrides of {sponsor.name}", form=form, sponsor=sponsor
    )
