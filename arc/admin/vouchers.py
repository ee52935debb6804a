"""Admin pages for vouchers: the live list, search, one voucher, printing a batch, voiding a range."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError

from arc.admin import bp
from arc.admin.forms import VoidVouchersForm, VoucherBatchForm, VoucherListForm, VoucherSearchForm, sponsor_choices
from arc.extensions import db
from arc.sponsors.models import Sponsor
from arc.vouchers import listing, operations
from arc.vouchers.codes import format_batch_code
from arc.vouchers.models import Voucher
from arc.vouchers.queries import find_by_code


@bp.route("/vouchers")
@login_required
def voucher_list():
    form = VoucherListForm(formdata=request.args)
    if not form.validate():
        flash("That list position is not valid, so the first page is shown.", "error")
        return redirect(url_for("admin.voucher_list"))
    page = listing.list_vouchers(form.sort.data, form.direction.data, form.after.data or None, form.before.data or None)
    return render_template(
        "admin/vouchers/index.html",
        title="View live vouchers",
        page=page,
        total=listing.voucher_total(),
        search_form=VoucherSearchForm(formdata=None),
    )


@bp.route("/vouchers/search")
@login_required
def voucher_search():
    if not request.args.get("voucher_code") and "search" not in request.args:
        return redirect(url_for("admin.voucher_list"))
    form = VoucherSearchForm(formdata=request.args)
    valid = form.validate()
    found = find_by_code(form.voucher_code.data) if valid else None
    page = render_template(
        "admin/vouchers/search.html",
        title="View live vouchers",
        search_form=form,
        searched=form.voucher_code.data if valid else None,
        vouchers=[found] if found else [],
    )
    return page, 200 if valid else 422


@bp.route("/vouchers/<int:voucher_id>")
@login_required
def voucher_show(voucher_id):
    voucher = db.session.get(Voucher, voucher_id) or abort(404)
    return render_template(
        "admin/vouchers/show.html",
        title=f"Voucher Code: {voucher.code}",
        voucher=voucher,
        history=listing.voucher_history(voucher),
        void_form=VoidVouchersForm(formdata=None),
    )


@bp.route("/vouchers/create")
@login_required
def voucher_create():
    form = VoucherBatchForm()
    form.sponsor_id.choices = sponsor_choices()
    return _render_batch_form(form)


@bp.route("/vouchers", methods=["POST"])
@login_required
def voucher_store_batch():
    form = VoucherBatchForm()
    form.sponsor_id.choices = sponsor_choices()
    if not form.validate():
        return _render_batch_form(form, 422)
    sponsor = db.session.get(Sponsor, form.sponsor_id.data) or abort(404)
    try:
        created = operations.create_batch(sponsor, int(form.start.data), int(form.end.data), current_user)
        db.session.commit()
    except (operations.CodesAlreadyExist, operations.BatchTooLarge) as error:
        db.session.rollback()
        flash(str(error), "error")
        return _render_batch_form(form, 422)
    except ValueError:
        # Old data may contain an area whose shortcode is empty or not letters only. Code parsing and
        # range queries raise ValueError (InvalidVoucherCode among them) for such a prefix.
        db.session.rollback()
        flash(f"No vouchers were created: the area {sponsor.name} has no valid voucher prefix "
              f"({sponsor.shortcode!r}). Give it a prefix of letters first.", "error")
        return _render_batch_form(form, 422)
    except IntegrityError:
        # Another member of staff created some of these codes at the same moment.
        db.session.rollback()
        flash("No vouchers were created: some of these codes were created by someone else just now. "
              "Check the list of vouchers and try again.", "error")
        return _render_batch_form(form, 409)
    noun = "voucher" if created == 1 else "vouchers"
    first, last = int(form.start.data), int(form.end.data)
    flash(f"Created {created:,} printed {noun} from {format_batch_code(sponsor.shortcode, first)} "
          f"to {format_batch_code(sponsor.shortcode, last)} for {sponsor.name}.", "success")
    return redirect(url_for("admin.voucher_list"))


def _render_batch_form(form, status=200):
    return render_template("admin/vouchers/create.html", title="Add a batch of voucher codes", form=form), status


@bp.route("/vouchers/void")
@login_required
def voucher_void():
    return _render_void_form(VoidVouchersForm(formdata=None))


@bp.route("/vouchers", methods=["PATCH"])
@bp.route("/vouchers/void", methods=["POST"])
@login_required
def voucher_retire_batch():
    form = VoidVouchersForm()
    if not form.validate():
        return _render_void_form(form, 422)
    try:
        result = operations.retire_range(form.sponsor_id, form.voucher_range, form.transition.data, current_user)
        db.session.commit()
    except operations.NothingToVoid as error:
        db.session.rollback()
        flash(str(error), "error")
        return _render_void_form(form, 422)
    flash(retired_message(result), "success")
    return redirect(url_for("admin.voucher_list"))


def _render_void_form(form, status=200):
    return render_template("admin/vouchers/void.html", title="Void vouchers", form=form), status


def retired_message(result):
    """Return the confirmation of a void or expire: which codes were retired and which were left alone."""
    verb = "Voided" if result.transition == "void" else "Expired"
    listed = " ".join(result.retired_codes[: operations.LISTED_CODES])
    more = result.retired_count - operations.LISTED_CODES
    message = (
        f"{verb} and retired {result.retired_count:,} voucher{'s' if result.retired_count != 1 else ''}: "
        f"{listed}{f' and {more:,} more' if more > 0 else ''}."
    )
    if result.not_retired_count:
        left = " ".join(f"{code} ({state})" for code, state in result.not_retired)
        more = result.not_retired_count - len(result.not_retired)
        message += (
            f" {result.not_retired_count:,} voucher{'s' if result.not_retired_count != 1 else ''} in the range "
            f"could not be retired because {'they were' if result.not_retired_count != 1 else 'it was'} "
            f"not dispatched: {left}{f' and {more:,} more' if more > 0 else ''}."
        )
    return message
