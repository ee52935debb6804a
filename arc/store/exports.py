"""Downloads for centre workers and charity staff: the registrations spreadsheet and the Master Voucher Log."""

import logging

from flask import Response, abort, flash, redirect, render_template, request, stream_with_context, url_for
from flask_login import current_user

from arc import clock
from arc.exports import archives
from arc.exports.secretstream import ArchiveError
from arc.registrations import access, exports
from arc.store import bp
from arc.store.part_b_forms import LogFileForm, ProgrammeForm
from arc.store.scope import load_centre_or_404

logger = logging.getLogger(__name__)

NO_REGISTRATIONS = "No Registrations in that centre."
NO_CURRENT_LOG = "Sorry, couldn't find a current export. Please check the exporter ran on schedule"
UNREADABLE_LOG = "Sorry, the export file was unreadable. Please contact support."
MISSING_LOG = "Sorry, we couldn't find the file you were looking for. Please contact support if this error persists."


def back_to_dashboard(message):
    flash(message, "error")
    return redirect(url_for("store.dashboard"))


def csv_response(centre_ids, layout):
    """Stream the registrations spreadsheet of these centres, or go back to the dashboard when it is empty."""
    registration_ids = exports.ordered_registration_ids(centre_ids)
    if not registration_ids:
        return back_to_dashboard(NO_REGISTRATIONS)
    now = clock.now()
    content = stream_with_context(exports.summary_csv(registration_ids, layout, now.date()))
    return Response(
        content,
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{exports.file_name(now)}"',
            "Cache-Control": "private, no-cache, no-store, must-revalidate",
            "Pragma": "no-cache",
            "Expires": "0",
        },
    )


@bp.route("/centres/registrations/summary")
def export_registrations():
    if not access.may_export(current_user):
        abort(403)
    form = ProgrammeForm(formdata=request.args)
    if not form.validate():
        abort(400, description=" ".join(form.programme.errors))
    programme = form.programme.data or 0
    centre_ids = access.relevant_centre_ids(current_user, programme)
    logger.info("centre user %s exported the registrations of programme %s", current_user.id, programme)
    return csv_response(centre_ids, exports.SummaryLayout(programme=programme, full=True))


@bp.route("/centres/<int:centre_id>/registrations/summary")
def export_centre_registrations(centre_id):
    centre = load_centre_or_404(centre_id)
    if not access.may_download(current_user):
        abort(403)
    layout = exports.SummaryLayout(programme=centre.sponsor.programme, full=access.may_export(current_user))
    logger.info("centre user %s exported the registrations of centre %s", current_user.id, centre.id)
    return csv_response([centre.id], layout)


def archive_response(name, download_name):
    """Stream an archive decrypted, or go back to the dashboard saying why it cannot be read."""
    try:
        stream = archives.open_archive(name)
    except archives.ArchiveNotFound:
        return back_to_dashboard(MISSING_LOG)
    except ArchiveError as error:
        logger.error("voucher log %s could not be decrypted: %s", name, error)
        return back_to_dashboard(UNREADABLE_LOG)
    logger.info("centre user %s downloaded the voucher log %s", current_user.id, name)
    return Response(
        stream,
        mimetype="application/x-zip" if name == archives.report_file_name() else "text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{download_name or name}"',
            "Cache-Control": "private, no-cache",
        },
    )


@bp.route("/vouchers/master-log")
def master_voucher_log():
    if not access.may_export(current_user):
        abort(403)
    report = archives.current_report()
    if report is None:
        return back_to_dashboard(NO_CURRENT_LOG)
    return archive_response(report.name, f"{report.name}_{report.modified:%Y-%m-%d_%H%M}.zip")


@bp.route("/vouchers/historical")
def historic_voucher_logs():
    if not access.may_export(current_user):
        abort(403)
    return render_template(
        "store/exports/historical.html",
        title="Export Voucher Logs",
        logs=archives.list_historic_logs(),
        file_size=file_size,
    )


@bp.route("/vouchers/download")
def download_voucher_log():
    if not access.may_export(current_user):
        abort(403)
    form = LogFileForm(formdata=request.args)
    if not form.validate():
        return back_to_dashboard(MISSING_LOG)
    return archive_response(form.log_file.data, None)


def file_size(size):
    """Return a byte count in 1024-based units with at most 2 decimals: 5116 gives "5 KB", 3261416 "3.11 MB"."""
    units = ("B", "KB", "MB", "GB", "TB")
    value = float(size)
    unit = 0
    while value >= 1024 and unit < len(units) - 1:
        value /= 1024
        unit += 1
    return f"{round(value, 2):g} {units[unit]}"
