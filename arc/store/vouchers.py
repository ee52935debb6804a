"""The voucher manager: a family's current bundle, adding and removing vouchers, and handing it over.

Browsers send only GET and POST, so the forms for PUT and DELETE post to the same paths with a
hidden ``_method`` field, which ``arc.method_override`` turns into the method before routing. Real
PUT and DELETE requests work too.
"""

import logging
from dataclasses import replace

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user
from markupsafe import Markup, escape
from wtforms.fields.choices import SelectChoice

from arc import clock
from arc.centres.models import Centre
from arc.database import retry_on_deadlock
from arc.entitlement import age_label, notice_text
from arc.extensions import db
from arc.registrations import access, bundles
from arc.registrations.entitlements import evaluate_registration, programme_words
from arc.registrations.models import Carer, Registration
from arc.registrations.printouts import main_carer_name
from arc.store import bp
from arc.store.history import long_date
from arc.store.part_b_forms import AddVouchersForm, CollectVouchersForm
from arc.store.scope import load_registration_or_404, session_centre
from arc.vouchers.models import Voucher

logger = logging.getLogger(__name__)

# The registrations list, where the voucher manager returns after a collection.
REGISTRATIONS_ENDPOINT = "store.registration_index"


@bp.route("/registrations/<int:registration_id>/voucher-manager")
@retry_on_deadlock
def voucher_manager(registration_id):
    registration = load_registration_or_404(registration_id)
    bundle = bundles.current_bundle(registration, clock.today())
    db.session.commit()
    return render_manager(registration, bundle)


@bp.route("/registrations/<int:registration_id>/vouchers", methods=["POST"])
@retry_on_deadlock
def add_vouchers(registration_id):
    registration = load_registration_or_404(registration_id)
    form = AddVouchersForm()
    bundle = bundles.current_bundle(registration, clock.today())
    if not form.validate():
        db.session.commit()
        return render_manager(registration, bundle, add_form=form, status=422)
    try:
        maximum = current_app.config["ARC_STORE_BUNDLE_MAX_VOUCHER_APPEND"]
        codes = bundles.expand_codes(form.start.data, form.end.data, maximum)
        change = bundles.add_codes(bundle, codes, current_user)
    except bundles.BundleError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect_to_manager(registration)
    db.session.commit()
    flash_change(change, registration, "added to")
    return redirect_to_manager(registration)


@bp.route("/registrations/<int:registration_id>/vouchers", methods=["PUT"])
@retry_on_deadlock
def update_vouchers(registration_id):
    registration = load_registration_or_404(registration_id)
    bundle = bundles.current_bundle(registration, clock.today())
    form = collect_form(registration)
    if not form.validate():
        db.session.commit()
        return render_manager(registration, bundle, pick_up_form=form, status=422)
    change = None
    if form.vouchers.data is not None:
        try:
            change = bundles.sync_codes(bundle, form.vouchers.data, current_user)
        except bundles.BundleError as error:
            db.session.rollback()
            flash(str(error), "error")
            if isinstance(error, bundles.BundleSyncFailed):
                # The sync was rolled back, so name only the rejected codes.
                flash_change(replace(error.change, changed=[]), registration, "changed in")
            return redirect_to_manager(registration)
    if form.wants_collection:
        return collect(registration, bundle, form)
    db.session.commit()
    if change is None:
        flash("Nothing was changed: choose who collected the vouchers, and when.", "error")
    else:
        flash_change(change, registration, "changed in")
    return redirect_to_manager(registration)


def collect(registration, bundle, form):
    """Mark the bundle as collected with the form's carer, date and centre, and commit."""
    if form.bundle.data is not None and form.bundle.data != bundle.id:
        # The bundle the page showed was handed over since, so this one is new and empty.
        db.session.rollback()
        flash(str(bundles.BundleAlreadyCollected(bundle)), "error")
        return redirect_to_manager(registration)
    carer = db.session.get(Carer, form.collected_by.data)
    centre = db.session.get(Centre, form.collected_at.data)
    try:
        count = bundles.disburse(bundle, carer, centre, form.collected_on.data, current_user)
    except bundles.BundleError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect_to_manager(registration)
    db.session.commit()
    flash(f"You have just marked {bundles_text(count)} as collected by {carer.name}", "success")
    return redirect(url_for(REGISTRATIONS_ENDPOINT))


@bp.route("/registrations/<int:registration_id>/vouchers", methods=["DELETE"])
@retry_on_deadlock
def remove_all_vouchers(registration_id):
    registration = load_registration_or_404(registration_id)
    bundle = bundles.current_bundle(registration, clock.today())
    try:
        change = bundles.remove_all(bundle, current_user)
    except bundles.BundleError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect_to_manager(registration)
    db.session.commit()
    flash_change(change, registration, "removed from")
    return redirect_to_manager(registration)


@bp.route("/registrations/<int:registration_id>/vouchers/<int:voucher_id>", methods=["POST", "DELETE"])
@retry_on_deadlock
def remove_voucher(registration_id, voucher_id):
    registration = load_registration_or_404(registration_id)
    voucher = db.session.get(Voucher, voucher_id)
    if voucher is None or voucher.deleted_at is not None:
        abort(404)
    bundle = bundles.current_bundle(registration, clock.today())
    try:
        change = bundles.remove_vouchers(bundle, [voucher.id], current_user)
    except bundles.BundleError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect_to_manager(registration)
    db.session.commit()
    flash_change(change, registration, "removed from")
    return redirect_to_manager(registration)


@bp.route("/registrations/<int:registration_id>/vouchers")
@bp.route("/registrations/<int:registration_id>/vouchers/<int:voucher_id>")
def vouchers_get(registration_id, voucher_id=None):
    """Send a browser that opened an action's address (a bookmark, a reload) to the voucher manager."""
    return redirect_to_manager(load_registration_or_404(registration_id))


def redirect_to_manager(registration):
    return redirect(url_for("store.voucher_manager", registration_id=registration.id))


def bundles_text(count):
    return "1 voucher" if count == 1 else f"{count} vouchers"


def collect_form(registration, submitted=True):
    """Return the pick-up form with the family's current carers and the worker's centres as choices.

    ``submitted=False`` gives an empty form for the page, not read from the request.
    """
    form = CollectVouchersForm() if submitted else CollectVouchersForm(formdata=None)
    carers = [carer for carer in registration.family.carers if carer.deleted_at is None]
    form.collected_by.choices = [SelectChoice(carer.id, carer.name) for carer in carers]
    form.collected_at.choices = [SelectChoice(centre.id, centre.name) for centre in current_user.centres]
    return form


# Codes listed in one message at most; the flashed messages travel in the session cookie, which
# browsers cap at about 4 KB.
MAX_LISTED_CODES = 40


def codes_text(codes):
    """Return codes as a comma-separated list, cut after ``MAX_LISTED_CODES`` with a count of the rest."""
    codes = list(codes)
    if len(codes) <= MAX_LISTED_CODES:
        return ", ".join(codes)
    return f"{', '.join(codes[:MAX_LISTED_CODES])} and {len(codes) - MAX_LISTED_CODES} more"


def flash_change(change, registration, verb):
    """Flash the outcome of an add, remove or sync, naming every rejected code and the reason."""
    words = programme_words(registration.centre.sponsor.programme)
    if change.changed:
        flash(f"{bundles_text(len(change.changed))} {verb} this {words['family']}'s bundle: "
              f"{codes_text(change.changed)}", "success")
    if change.already and verb == "added to":
        flash(f"These vouchers were already in this bundle: {codes_text(change.already)}", "info")
    if change.invalid:
        flash(f"These codes are invalid, because no voucher has them: {codes_text(change.invalid)}", "error")
    if change.disbursed:
        flash(f"These vouchers have been given out: {codes_text(change.disbursed)}", "error")
    if change.used:
        flash(f"These vouchers have already been used, voided or expired: {codes_text(change.used)}", "error")
    if change.other_area:
        flash(f"These vouchers belong to another area, so they cannot go in this {words['family']}'s bundle: "
              f"{codes_text(change.other_area)}", "error")
    if change.not_in_bundle:
        flash(f"These vouchers are not in this {words['family']}'s bundle, so they were not removed: "
              f"{codes_text(change.not_in_bundle)}", "error")
    if change.bundled:
        flash_bundled(change.bundled, words)


def flash_bundled(bundled, words):
    """Flash codes held by other families, linking each to its family when the worker may open it."""
    visible, hidden, just_taken = [], [], []
    for code, registration_id in bundled.items():
        owner = db.session.get(Registration, registration_id) if registration_id else None
        if registration_id is None:
            just_taken.append(code)
        elif owner is not None and access.can_view_registration(current_user, owner):
            visible.append((code, owner))
        else:
            hidden.append(code)
    family = words["Family"]
    if just_taken:
        flash(f"These vouchers were put in another {words['family']}'s bundle a moment ago: {codes_text(just_taken)}",
              "error")
    if visible:
        links = Markup(", ").join(
            Markup('<a href="{}">{}</a>').format(url_for("store.voucher_manager", registration_id=owner.id), code)
            for code, owner in visible[:MAX_LISTED_CODES]
        )
        if len(visible) > MAX_LISTED_CODES:
            links += f" and {len(visible) - MAX_LISTED_CODES} more"
        flash(escape(f"These vouchers are currently allocated to a different {family}. Click on the voucher number "
                     f"to view the other {family}'s record: ") + links, "error")
    if hidden:
        flash(f"These vouchers are allocated to a different {family} in a centre you can't access: "
              f"{codes_text(hidden)}", "error")


def render_manager(registration, bundle, add_form=None, pick_up_form=None, status=200):
    """Render the voucher manager page, with the forms given (after a failed submit) or fresh ones."""
    today = clock.today()
    family = registration.family
    result = evaluate_registration(registration, today)
    centre = session_centre()
    pick_up = pick_up_form or collect_form(registration, submitted=False)
    if pick_up_form is None:
        pick_up.collected_on.data = today
        pick_up.collected_at.data = centre.id if centre is not None else None
    last = bundles.last_collection(registration, today)
    page = render_template(
        "store/vouchers/manager.html",
        title="Voucher Manager",
        registration=registration,
        family=family,
        words=programme_words(registration.centre.sponsor.programme),
        main_carer_name=main_carer_name(family),
        ages=[(age_label(child.dob.date(), today), child.dob) for child in family.children],
        notices=[notice_text(group) for group in result.notice_groups],
        entitlement=max(0, result.weekly_total),
        last_collection=long_date(last, with_of=True) if last else None,
        bundle_id=bundle.id,
        vouchers=bundles.bundle_vouchers(bundle),
        add_form=add_form or AddVouchersForm(formdata=None),
        collect_form=pick_up,
        current_centre=centre,
        today=today,
        left_on=None if family.is_active else family.leaving_on,
    )
    return page, status
