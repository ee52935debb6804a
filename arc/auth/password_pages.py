"""The password reset pages of the admin and store portals: ask for a link, then choose a password.

Both portals take the same steps. A ``ResetPages`` contains what differs: the user table, the
e-mail job, the wording, the templates, and the page the user lands on afterwards. Each portal's blueprint
keeps its own routes and calls the functions here.
"""

import logging
import string
from dataclasses import dataclass
from typing import Callable

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_login import login_user

from arc.extensions import db
from arc.jobs.queue import enqueue
from arc.users import password_resets

logger = logging.getLogger(__name__)

THROTTLED = "A reset link was sent to this address less than a minute ago. Please wait a minute before asking again."


@dataclass(frozen=True)
class ResetPages:
    portal: str
    user_model: type
    send_link: Callable
    forgot_form: type
    reset_form: type
    is_logged_in: Callable
    home_endpoint: str
    request_endpoint: str
    # Endpoint of the page shown after a new password is chosen. None logs the user in and
    # shows their home page.
    after_reset_endpoint: str | None
    link_sent: str
    invalid_link: str
    password_changed: str

    def template(self, name):
        return f"{self.portal}/passwords/{name}.html"


def request_page(pages):
    if pages.is_logged_in():
        return redirect(url_for(pages.home_endpoint))
    return _render_request_form(pages, pages.forgot_form())


def send_link(pages):
    """Queue a reset e-mail for a known address, with the same reply whether or not it is known."""
    if pages.is_logged_in():
        return redirect(url_for(pages.home_endpoint))
    form = pages.forgot_form()
    if not form.validate():
        return _render_request_form(pages, form, 422)
    user = password_resets.find_user(pages.user_model, form.email.data)
    if user is not None:
        if password_resets.recently_requested(user.email):
            form.email.errors.append(THROTTLED)
            return _render_request_form(pages, form, 429)
        enqueue(pages.send_link, user.id)
        logger.info("password reset link requested for %s %s", user.type_name, user.id)
    flash(pages.link_sent, "success")
    return redirect(url_for(pages.request_endpoint))


def back_to_request_page(pages):
    """Send a browser that opened the form's address (a reload after sending) to the request page."""
    return redirect(url_for(pages.request_endpoint))


def reset_page(pages, token):
    """Show the form for a new password; the e-mail address is filled in when the link carries it."""
    if any(character not in string.hexdigits.lower() for character in token):
        abort(404)
    if pages.is_logged_in():
        return redirect(url_for(pages.home_endpoint))
    return _render_reset_form(pages, pages.reset_form(token=token, email=request.args.get("email", "")))


def reset_password(pages):
    if pages.is_logged_in():
        return redirect(url_for(pages.home_endpoint))
    form = pages.reset_form()
    if not form.validate():
        return _render_reset_form(pages, form, 422)
    user = password_resets.find_user(pages.user_model, form.email.data)
    try:
        if user is None:
            raise password_resets.InvalidResetToken(form.email.data)
        password_resets.reset_password(user, form.token.data, form.password.data)
    except password_resets.InvalidResetToken:
        db.session.rollback()
        form.email.errors.append(pages.invalid_link)
        return _render_reset_form(pages, form, 422)
    if pages.after_reset_endpoint is None:
        session.clear()
        login_user(user)
    db.session.commit()
    logger.info("%s %s reset their password", user.type_name, user.id)
    flash(pages.password_changed, "success")
    return redirect(url_for(pages.after_reset_endpoint or pages.home_endpoint))


def _render_request_form(pages, form, status=200):
    return render_template(pages.template("request"), title="Reset your password", form=form), status


def _render_reset_form(pages, form, status=200):
    return render_template(pages.template("reset"), title="Choose a new password", form=form), status
