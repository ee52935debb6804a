"""Blueprints bound to one host name, for Flask's ``host_matching`` mode.

Flask passes ``subdomain`` from ``register_blueprint`` to each rule but not ``host``; these classes
pass ``host`` too, so every route of a blueprint responds on its own host only.
"""

import flask
import flask_smorest
from flask.sansio.blueprints import BlueprintSetupState
from werkzeug.routing import IntegerConverter

from arc.columns import MAX_ID


class RowIdConverter(IntegerConverter):
    """The ``int`` URL converter, bounded by the largest row id: a larger number is a 404, not a
    database error. Routes may still pass their own ``max``."""

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ID, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


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
