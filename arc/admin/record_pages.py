"""Steps shared by the admin pages that list, edit and download records.

Loading a record or a 404, committing the request's changes once (with a message instead of a 500
when the database fails), paginating a domain query, and streaming a CSV download.
"""

import csv
import io
import itertools
import logging
import math
from dataclasses import dataclass

import sqlalchemy as sa
from flask import Response, abort, flash, stream_with_context
from sqlalchemy.exc import SQLAlchemyError
from wtforms import FieldList

from arc.columns import MAX_ID
from arc.extensions import db
from arc.spreadsheets import safe_row

logger = logging.getLogger(__name__)

DEFAULT_PER_PAGE = 25
SAVE_FAILED = "{} could not be saved because of a database error. Nothing was changed; please try again."


def load_or_404(model, record_id, include_deleted=True):
    """Return the record with this id, or abort with 404 when there is none.

    With ``include_deleted=False`` a soft-deleted record counts as missing.
    """
    record = db.session.get(model, record_id) if 0 < record_id <= MAX_ID else None
    if record is None or (not include_deleted and record.deleted_at is not None):
        abort(404)
    return record


def rollback_and_flash(what):
    """Roll back after a failed write, log it and tell the user nothing was saved."""
    db.session.rollback()
    logger.exception("saving %s failed", what)
    flash(SAVE_FAILED.format(what), "error")


def show_domain_error(form, error):
    """Show a domain rule failure under the form field it names, or at the top of the page."""
    field = getattr(form, error.field, None) if form is not None and error.field else None
    if field is None or isinstance(field, FieldList):
        flash(str(error), "error")
    else:
        field.errors = [*field.errors, str(error)]


@dataclass(frozen=True)
class Page:
    """One page of a list: its rows, its 1-based number, the rows per page and the total count."""

    items: list
    number: int
    per_page: int
    total: int

    @property
    def pages(self):
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def first_row(self):
        return (self.number - 1) * self.per_page + 1 if self.total else 0

    @property
    def last_row(self):
        return min(self.total, self.number * self.per_page)


def paginate(statement, number, per_page=DEFAULT_PER_PAGE):
    """Run an ordered select for one page. A page past the end shows the last page.

    Rows are returned as they come from the select, so it may name several entities or columns.
    """
    total = db.session.scalar(sa.select(sa.func.count()).select_from(statement.order_by(None).subquery()))
    number = min(max(1, number or 1), max(1, math.ceil(total / per_page)))
    rows = db.session.execute(statement.limit(per_page).offset((number - 1) * per_page)).all()
    return Page(items=rows, number=number, per_page=per_page, total=total)


def csv_download(filename, header, rows):
    """Stream a CSV attachment: the header row, then each row of ``rows`` as the iterator yields it."""

    def generate():
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        for row in itertools.chain([header], rows):
            writer.writerow(safe_row(row))
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()

    return Response(
        stream_with_context(generate()),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def save_changes(form, what, change, *expected_errors):
    """Run ``change()`` and commit once. Returns (True, its result), or (False, None) after a rollback.

    An exception of ``expected_errors`` is a domain rule failure with an optional ``field``. It is
    shown under that field of ``form``, or flashed when there is no such field. A database error is
    flashed as "``what`` could not be saved".
    """
    try:
        result = change()
        db.session.commit()
    except expected_errors as error:
        db.session.rollback()
        show_domain_error(form, error)
    except SQLAlchemyError:
        rollback_and_flash(what)
    else:
        return True, result
    return False, None
