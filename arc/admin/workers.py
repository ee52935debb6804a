"""Admin pages for children's-centre workers: list, add, edit, disable or enable, delete, CSV."""

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from arc.admin import bp
from arc.admin.people_forms import PER_PAGE_CHOICES, WorkerEditForm, WorkerForm, WorkerListArgs
from arc.admin.record_pages import csv_download, load_or_404, paginate, save_changes
from arc.centres.queries import centres_by_area
from arc.users import workers
from arc.users.models import CentreUser
from arc.users.workers import WorkerDetails, WorkerError

SET_PASSWORD_HINT = "They have no password yet: they must reset it from the centre login page before logging in."


def _details(form):
    return WorkerDetails(
        name=form.name.data,
        email=form.email.data,
        home_centre_id=form.worker_centre.data,
        alternative_centre_ids=tuple(form.alternative_centres.data or ()),
        downloader=bool(getattr(form, "downloader", None) and form.downloader.data),
    )


@bp.route("/workers")
@login_required
def workers_index():
    args = WorkerListArgs(request.args)
    if not args.validate():
        flash("That sort order, search or page is not valid, so the list is shown in its usual order.", "error")
        return redirect(url_for("admin.workers_index"))
    statement = workers.worker_listing(args.orderBy.data, args.direction.data, args.search.data)
    page = paginate(statement, args.page.data, args.per_page.data)
    alternatives = workers.alternative_centre_names([row[0].id for row in page.items])
    query = {name: value for name, value in args.data.items() if name != "page" and value not in (None, "")}
    return render_template(
        "admin/workers/index.html", title="Workers", page=page, args=args, query=query,
        alternatives=alternatives, per_page_choices=PER_PAGE_CHOICES,
    )


@bp.route("/workers/create")
@bp.route("/workers", methods=["POST"], endpoint="workers_store")
@login_required
def workers_create():
    form = WorkerForm()
    groups = centres_by_area()
    form.set_centre_choices(groups)
    if form.validate_on_submit():
        saved, worker = save_changes(
            form, "The worker", lambda: workers.create_worker(_details(form), current_user), WorkerError
        )
        if saved:
            flash(f"Worker {worker.name} was created. {SET_PASSWORD_HINT}", "success")
            return redirect(url_for("admin.workers_index"))
    return render_template(
        "admin/workers/form.html", title="Add a Children's Centre Worker", form=form, groups=groups, worker=None
    )


@bp.route("/workers/<int:worker_id>/edit")
@bp.route("/workers/<int:worker_id>", methods=["POST", "PUT"], endpoint="workers_update")
@login_required
def workers_edit(worker_id):
    worker = load_or_404(CentreUser, worker_id)
    home, alternatives = workers.worker_centre_ids(worker)
    form = WorkerEditForm(data={
        "name": worker.name, "email": worker.email, "worker_centre": home,
        "alternative_centres": alternatives, "downloader": worker.downloader,
    })
    groups = centres_by_area()
    form.set_centre_choices(groups)
    if form.validate_on_submit():
        saved, _ = save_changes(
            form, "The worker", lambda: workers.update_worker(worker, _details(form), current_user), WorkerError
        )
        if saved:
            flash(f"Worker {form.name.data} was updated.", "success")
            return redirect(url_for("admin.workers_index"))
    return render_template(
        "admin/workers/form.html", title="Edit a Children's Centre Worker", form=form, groups=groups, worker=worker
    )


@bp.route("/workers/<int:worker_id>/toggle", methods=["POST"])
@login_required
def workers_toggle(worker_id):
    worker = load_or_404(CentreUser, worker_id)
    name = worker.name
    saved, disabled = save_changes(None, "The worker", lambda: workers.toggle_worker(worker, current_user))
    if saved:
        flash(f"Worker {name} was {'disabled' if disabled else 'enabled'}.", "success")
    return redirect(url_for("admin.workers_edit", worker_id=worker_id))


@bp.route("/workers/<int:worker_id>/delete", methods=["POST"])
@login_required
def workers_delete(worker_id):
    worker = load_or_404(CentreUser, worker_id)
    name = worker.name
    saved, _ = save_changes(None, "The worker", lambda: workers.delete_worker(worker, current_user), WorkerError)
    if not saved:
        return redirect(url_for("admin.workers_edit", worker_id=worker_id))
    flash(f"Worker {name} was deleted for good.", "success")
    return redirect(url_for("admin.workers_index"))


@bp.route("/workers/download")
@login_required
def workers_download():
    return csv_download("active_workers.csv", workers.CSV_HEADER, workers.worker_csv_rows())
