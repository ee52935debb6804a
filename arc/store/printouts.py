"""Printable PDF sheets: one family's collection form, every family form of a centre, a centre's weekly sheet."""

import logging

from flask import Response, flash, redirect, url_for
from flask_login import current_user

from arc import clock
from arc.registrations import printouts
from arc.store import bp
from arc.store.scope import load_centre_or_404, load_registration_or_404, session_centre

logger = logging.getLogger(__name__)


def pdf_response(content, file_name):
    return Response(
        content,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{file_name}"', "Cache-Control": "private, no-cache"},
    )


@bp.route("/registrations/<int:registration_id>/print")
def print_registration(registration_id):
    registration = load_registration_or_404(registration_id)
    now = clock.now()
    sheet = printouts.family_sheet(registration, registration.centre.name, now.date())
    logger.info("centre user %s printed the family form of registration %s", current_user.id, registration.id)
    return pdf_response(printouts.family_sheets_pdf([sheet], now.date()), f"Registration{now:%Y%m%d%H%M%S}.pdf")


@bp.route("/registrations/print")
def print_registrations():
    centre = session_centre()
    if centre is None:
        flash("There is no centre to print family forms for: choose one of your centres first.", "error")
        return redirect(url_for("store.dashboard"))
    now = clock.now()
    registrations = printouts.active_registrations(centre)
    if not registrations:
        flash(f"No Registrations in that centre: {centre.name} has no active families to print forms for.", "error")
        return redirect(url_for("store.dashboard"))
    sheets = [printouts.family_sheet(registration, centre.name, now.date()) for registration in registrations]
    logger.info("centre user %s printed %d family forms of centre %s", current_user.id, len(sheets), centre.id)
    return pdf_response(printouts.family_sheets_pdf(sheets, now.date()), f"Registrations_{now:%Y%m%d%H%M%S}.pdf")


@bp.route("/centres/<int:centre_id>/registrations/collection")
def print_collection_sheet(centre_id):
    centre = load_centre_or_404(centre_id)
    now = clock.now()
    registrations = printouts.active_registrations(centre)
    if not registrations:
        flash(f"No Registrations in that centre: {centre.name} has no active families to print a sheet for.", "error")
        return redirect(url_for("store.dashboard"))
    rows = printouts.collection_rows(registrations, now.date())
    logger.info("centre user %s printed the collection sheet of centre %s", current_user.id, centre.id)
    content = printouts.collection_sheet_pdf(centre, rows, now.date())
    return pdf_response(content, f"CC{centre.id}Regs_{now:%Y%m%d%H%M%S}.pdf")
