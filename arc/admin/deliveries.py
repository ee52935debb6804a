"""Admin pages for deliveries: the list of sent vouchers, and sending a range of vouchers to a centre."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from arc.admin import bp
from arc.admin.forms import DeliveryForm, DeliveryListForm, centre_choices
from arc.centres.models import Centre
from arc.extensions import db
from arc.vouchers import deliveries

DELIVERIES_PER_PAGE = 50


@bp.route("/deliveries")
@login_required
def delivery_list():
    form = DeliveryListForm(formdata=request.args)
    if not form.validate():
        flash("That sort order or page is not valid, so the deliveries are shown by date sent.", "error")
        return redirect(url_for("admin.delivery_list"))
    page = deliveries.list_deliveries(
        form.orderBy.data, form.direction.data, form.page.data or 1, per_page=DELIVERIES_PER_PAGE
    )
    return render_template(
        "admin/deliveries/index.html",
        title="Sent vouchers",
        page=page,
        order_by=form.orderBy.data,
        direction=form.direction.data,
    )


@bp.route("/deliveries/create")
@login_required
def delivery_create():
    form = DeliveryForm(formdata=None)
    form.centre.choices = centre_choices()
    return _render_delivery_form(form)


@bp.route("/deliveries/store", methods=["POST"])
@login_required
def delivery_store():
    form = DeliveryForm()
    form.centre.choices = centre_choices()
    if not form.validate():
        return _render_delivery_form(form, 422)
    centre = db.session.get(Centre, form.centre.data) or abort(404)
    try:
        delivery, count = deliveries.create_delivery(
            centre, form.sponsor_id, form.voucher_range, form.date_sent.data, current_user
        )
        db.session.commit()
    except deliveries.RangeNotDeliverable as error:
        db.session.rollback()
        flash(str(error), "error")
        return _render_delivery_form(form, 422)
    flash(
        f"Sent {count:,} voucher{'s' if count != 1 else ''} ({delivery.range}) to {centre.name}, "
        f"dated {delivery.dispatched_at:%d/%m/%Y}.",
        "success",
    )
    return redirect(url_for("admin.delivery_list", orderBy="dispatchDate", direction="desc"))


@bp.route("/deliveries/store")
@login_required
def delivery_store_get():
    # A CSRF failure or a refreshed page can land here with GET; the form is one click away.
    return redirect(url_for("admin.delivery_create"))


def _render_delivery_form(form, status=200):
    return render_template("admin/deliveries/create.html", title="Send vouchers", form=form), status
