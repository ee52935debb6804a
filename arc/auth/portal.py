"""The login and logout flow shared by the admin and store portals."""

import logging

from flask import flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user

from arc.auth import throttle
from arc.auth.forms import LoginForm
from arc.extensions import db

logger = logging.getLogger(__name__)

WRONG_CREDENTIALS = "These credentials do not match our records."


def safe_next_url(target, default):
    """Return ``target`` when it is a path on this host, else ``default``.

    "//host" or a scheme would send the user to another site.
    """
    target = target or ""
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return default


def login_page(portal, authenticate, home_endpoint, title, form_class=LoginForm, template="auth/login.html"):
    """Render and process a portal's login form; ``authenticate(email, password)`` returns a user or None.

    The lockout is checked before the password, so a locked account stays locked.
    """
    if current_user.is_authenticated:
        return redirect(url_for(home_endpoint))
    form = form_class()
    if form.validate_on_submit():
        email = form.email.data
        wait = throttle.seconds_locked(portal, email)
        if wait:
            form.email.errors.append(f"Too many login attempts. Please try again in {wait} seconds.")
        else:
            user = authenticate(email, form.password.data)
            if user is not None:
                session.clear()
                login_user(user)
                db.session.commit()
                logger.info("%s %s logged in to the %s portal", user.type_name, user.id, portal)
                return redirect(safe_next_url(request.args.get("next"), url_for(home_endpoint)))
            throttle.record_failure(portal, email)
            logger.info("failed %s portal login from %s", portal, request.remote_addr)
            flash(WRONG_CREDENTIALS, "error")
    return render_template(template, form=form, title=title, portal=portal)


def logout(portal, login_endpoint):
    if current_user.is_authenticated:
        logger.info("%s %s logged out of the %s portal", current_user.type_name, current_user.id, portal)
    logout_user()
    session.clear()
    return redirect(url_for(login_endpoint))
