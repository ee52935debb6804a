"""Blueprints bound to one host name, for Flask's ``host_matching`` mode.

Flask passes ``subdomain`` from ``register_blueprint`` to each rule but not ``host``; these classes
pass ``host`` too, so every route of a blueprint answers on its own host only.
"""

import flask
import flask_smorest
from flask.sansio.blueprints import BlueprintSetupState


class HostSetupState(BlueprintSetupState):
    def add_url_rule(self, rule, endpoint=None, view_func=None, **options):
        options.setdefault("host", self.options.get("host"))
        super().add_url_rule(rule, endpoint, view_func, **options)


class HostBlueprintMixin:
    def make_setup_state(self, app, options, first_registration=False):
        return HostSetupState(self, app, options, first_registration)


class HostBlueprint(HostBlueprintMixin, flask.Blueprint):
    """A portal blueprint registered with ``host=``."""


class HostApiBlueprint(HostBlueprintMixin, flask_smorest.Blueprint):
    """A flask-smorest blueprint registered with ``host=``."""
