"""Registration pages: search, sign up, check or update, leave, and the left-family view with rejoin.

Forms are posted with POST; the paths that the previous portal used with PUT accept PUT too.
"""

import logging

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from arc import clock
from arc.database import retry_on_deadlock
from arc.extensions import db
from arc.registrations import operations, queries
from arc.registrations.entitlements import (
    credit_lines,
    disqualifier_lines,
    evaluate_registration,
    programme_words,
    rules_for_registration,
    rules_for_sponsor,
)
from arc.store import bp
from arc.store.forms import (
    EditSocialPrescribingForm,
    EditStandardRegistrationForm,
    LeavingForm,
    NewSocialPrescribingForm,
    NewStandardRegistrationForm,
)
from arc.store.registration_pages import child_rows, entitlement_summary, search_parameters
from arc.store.scope import chosen_centre_id, load_registration_or_404, session_centre
from arc.sponsors.models import SOCIAL_PRESCRIBING_PROGRAMME

logger = logging.getLogger(__name__)

SAVE_FAILED = "The details could not be saved because of a database problem, so nothing was saved. Please try again."


@bp.route("/registrations")
def registration_index():
    params = search_parameters(request.args)
    page = queries.search_registrations(current_user, chosen_centre_id=chosen_centre_id(), **params.query)
    centre = session_centre()
    words = programme_words(centre.sponsor.programme if centre is not None else 0)
    return render_template(
        "store/registrations/index.html", title=f"Search for a {words['family']}", page=page, params=params, words=words
    )


def _form_class(programme, new):
    if programme == SOCIAL_PRESCRIBING_PROGRAMME:
        return NewSocialPrescribingForm if new else EditSocialPrescribingForm
    return NewStandardRegistrationForm if new else EditStandardRegistrationForm


def _configure(form, rules):
    form.id_checking = rules.requires_id_check
    form.deferral = rules.offers_deferral
    return form


@bp.route("/registrations/create")
def registration_create():
    centre = session_centre()
    if centre is None:
        return _render_create(None, None)
    form = _form_class(centre.sponsor.programme, new=True)(formdata=None)
    return _render_create(_configure(form, rules_for_sponsor(centre.sponsor)), centre)


@bp.route("/registrations", methods=["POST"])
@retry_on_deadlock
def registration_store():
    centre = session_centre()
    if centre is None:
        return _render_create(None, None, 409)
    form = _configure(_form_class(centre.sponsor.programme, new=True)(), rules_for_sponsor(centre.sponsor))
    today = clock.today()
    if not _ready_to_save(form, today):
        return _render_create(form, centre, 200 if form.pending_action() else 422)
    registration = operations.create_registration(current_user, centre, form.details(), clock.now())
    if not _commit():
        return _render_create(form, centre, 503)
    flash(f"{programme_words(centre.sponsor.programme)['Family']} registered. Their RV-ID is {registration.family.rvid}.", "success")
    return redirect(url_for("store.registration_edit", registration_id=registration.id))


def _ready_to_save(form, today):
    """Handle an add button (return False: show the form again), else validate the whole form for saving."""
    action = form.pending_action()
    if action is not None:
        form.apply_pending_action(action, today)
        return False
    valid = form.validate()
    return form.take_typed_rows(today) and valid


def _commit():
    try:
        db.session.commit()
    except SQLAlchemyError:
        db.session.rollback()
        logger.exception("saving a registration failed for centre user %s", current_user.id)
        flash(SAVE_FAILED, "error")
        return False
    return True


def _render_create(form, centre, status=200):
    words = programme_words(centre.sponsor.programme if centre is not None else 0)
    return render_template(
        "store/registrations/create.html",
        title=f"New {words['family']} sign up",
        form=form,
        centre=centre,
        words=words,
        children=child_rows(form, clock.today()) if form is not None else [],
        is_sp=centre is not None and centre.sponsor.programme == SOCIAL_PRESCRIBING_PROGRAMME,
    ), status


@bp.route("/registrations/<int:registration_id>/edit")
def registration_edit(registration_id):
    registration = load_registration_or_404(registration_id)
    form = _edit_form(registration, formdata=None)
    form.load(registration.family, registration)
    return _render_edit(registration, form)


def _edit_form(registration, **kwargs):
    sponsor = registration.centre.sponsor
    form = _configure(_form_class(sponsor.programme, new=False)(**kwargs), rules_for_sponsor(sponsor))
    family = registration.family
    carer = operations.main_carer(family)
    form.saved_main_carer = carer.name if carer is not None else None
    saved_collectors = {str(collector.id): collector.name for collector in operations.active_collectors(family)}
    for row in form.collectors:
        row.form.saved_name = saved_collectors.get(row.form.id.data)
    return form


@bp.route("/registrations/<int:registration_id>", methods=["POST", "PUT"])
@retry_on_deadlock
def registration_update(registration_id):
    registration = load_registration_or_404(registration_id)
    words = programme_words(registration.centre.sponsor.programme)
    has_left = f"This {words['family']} has left the project. Rejoin the {words['family']} before changing its details."
    if not registration.family.is_active:
        abort(403, has_left)
    form = _edit_form(registration)
    if not _ready_to_save(form, clock.today()):
        return _render_edit(registration, form, 200 if form.pending_action() else 422)
    try:
        operations.update_registration(
            current_user, registration, form.details(), clock.now(), version=form.version.data or ""
        )
    except operations.FamilyHasLeft:
        # The family left while this form was being submitted.
        db.session.rollback()
        logger.info("registration %s not saved by centre user %s: the family has left", registration.id, current_user.id)
        abort(403, has_left)
    except operations.FamilyChanged:
        db.session.rollback()
        logger.info("registration %s not saved by centre user %s: changed since the form was opened",
                    registration.id, current_user.id)
        flash(f"This {words['family']} was changed after you opened this page, by someone else or by an earlier "
              "save of the same page, so nothing was saved. The page now shows the saved details: please make "
              "your changes again.", "error")
        return redirect(url_for("store.registration_edit", registration_id=registration.id))
    if not _commit():
        return _render_edit(registration, form, 503)
    flash("Changes saved.", "success")
    return redirect(url_for("store.registration_edit", registration_id=registration.id))


@bp.route("/registrations/<int:registration_id>")
def registration_show(registration_id):
    """The update address opened directly (or after logging in again): show the edit page."""
    registration = load_registration_or_404(registration_id)
    return redirect(url_for("store.registration_edit", registration_id=registration.id))


def _render_edit(registration, form, status=200, leaving_form=None):
    today = clock.today()
    programme = registration.centre.sponsor.programme
    rules = rules_for_registration(registration)
    return render_template(
        "store/registrations/edit.html",
        title="Check or update",
        registration=registration,
        family=registration.family,
        form=form,
        leaving_form=leaving_form or LeavingForm(formdata=None),
        entitlement=entitlement_summary(evaluate_registration(registration, today), programme_words(programme)),
        credit_lines=credit_lines(rules, programme),
        disqualifier_lines=disqualifier_lines(rules, programme),
        children=child_rows(form, today),
        words=programme_words(programme),
        is_sp=programme == SOCIAL_PRESCRIBING_PROGRAMME,
    ), status


@bp.route("/registrations/<int:registration_id>/family", methods=["POST", "PUT"])
@retry_on_deadlock
def registration_family(registration_id):
    registration = load_registration_or_404(registration_id)
    leaving_form = LeavingForm()
    if not leaving_form.validate():
        form = _edit_form(registration, formdata=None)
        form.load(registration.family, registration)
        return _render_edit(registration, form, 422, leaving_form=leaving_form)
    carer = operations.main_carer(registration.family)
    name = carer.name if carer is not None else "this family"
    try:
        operations.leave_family(current_user, registration, leaving_form.leaving_reason.data, clock.now())
    except operations.FamilyAlreadyLeft as error:
        flash(str(error), "error")
        return redirect(url_for("store.registration_view", registration_id=registration.id))
    db.session.commit()
    flash(f"You have just marked {name} as leaving the project.", "success")
    return redirect(url_for("store.registration_index"))


@bp.route("/registrations/<int:registration_id>/family")
def registration_family_get(registration_id):
    registration = load_registration_or_404(registration_id)
    return redirect(url_for("store.registration_edit", registration_id=registration.id))


@bp.route("/registrations/<int:registration_id>/view")
def registration_view(registration_id):
    registration = load_registration_or_404(registration_id)
    if registration.family.is_active:
        return redirect(url_for("store.registration_edit", registration_id=registration.id))
    programme = registration.centre.sponsor.programme
    return render_template(
        "store/registrations/view.html",
        title="Check or update",
        registration=registration,
        family=registration.family,
        main_carer=operations.main_carer(registration.family),
        words=programme_words(programme),
    )


@bp.route("/registrations/<int:registration_id>/rejoin", methods=["POST", "PUT"])
@retry_on_deadlock
def registration_rejoin(registration_id):
    registration = load_registration_or_404(registration_id)
    try:
        operations.rejoin_family(current_user, registration, clock.now())
    except operations.FamilyNotLeft as error:
        flash(str(error), "error")
        return redirect(url_for("store.registration_edit", registration_id=registration.id))
    db.session.commit()
    words = programme_words(registration.centre.sponsor.programme)
    flash(f"This {words['family']} has rejoined the project.", "success")
    return redirect(url_for("store.registration_edit", registration_id=registration.id))


@bp.route("/registrations/<int:registration_id>/rejoin")
def registration_rejoin_get(registration_id):
    registration = load_registration_or_404(registration_id)
    return redirect(url_for("store.registration_view", registration_id=registration.id))
