"""Admin pages for children's centres: list, add, edit, and the JSON list of a centre's neighbours."""

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from arc.admin import bp
from arc.admin.people_forms import CentreEditForm, CentreForm, ListPageArgs, grouped_choices
from arc.admin.record_pages import load_or_404, paginate, save_changes
from arc.centres import operations, queries
from arc.centres.models import Centre
from arc.centres.operations import CentreError
from arc.sponsors.queries import active_sponsors


@bp.route("/centres")
@login_required
def centres_index():
    args = ListPageArgs(request.args)
    if not args.validate():
        return redirect(url_for("admin.centres_index"))
    page = paginate(queries.centre_listing(), args.page.data)
    return render_template("admin/centres/index.html", title="Children's Centres", page=page)


@bp.route("/centres/create")
@bp.route("/centres", methods=["POST"], endpoint="centres_store")
@login_required
def centres_create():
    form = CentreForm()
    form.sponsor.choices = grouped_choices([(None, active_sponsors())])
    if form.validate_on_submit():
        saved, centre = save_changes(form, "The centre", lambda: operations.create_centre(
            form.name.data, form.rvid_prefix.data, form.sponsor.data, form.print_pref.data, current_user
        ), CentreError)
        if saved:
            flash(f"Centre {centre.name} was created with RVID prefix {centre.prefix}.", "success")
            return redirect(url_for("admin.centres_index"))
    return render_template("admin/centres/form.html", title="Add a Children's Centre", form=form)


@bp.route("/centres/<int:centre_id>/edit")
@bp.route("/centres/<int:centre_id>/update", methods=["POST", "PUT"], endpoint="centres_update")
@login_required
def centres_edit(centre_id):
    centre = load_or_404(Centre, centre_id)
    form = CentreEditForm(obj=centre)
    if form.validate_on_submit():
        saved, _ = save_changes(form, "The centre", lambda: operations.update_centre(
            centre, form.name.data, form.print_pref.data, current_user
        ), CentreError)
        if saved:
            flash(f"Centre {form.name.data} was updated.", "success")
            return redirect(url_for("admin.centres_index"))
    return render_template("admin/centres/edit.html", title=centre.name, form=form, centre=centre)


@bp.route("/centres/<int:centre_id>/neighbours")
@login_required
def centres_neighbours(centre_id):
    centre = load_or_404(Centre, centre_id)
    return jsonify([{"name": neighbour.name, "id": neighbour.id} for neighbour in queries.neighbours(centre)])
