"""Blueprints bound to one host name, for Flask's ``host_matching`` mode.

Flask passes ``subdomain`` from ``register_blueprint`` to each rule, but not ``host``. These classes
pass ``host`` too, so every route of a blueprint responds on its own host only.
"""

import flask
import flask_smorest
from flask.sansio.blueprints import BlueprintSetupState
from werkzeug.routing import IntegerConverter

from arc.columns import MAX_ID


class RowIdConverter(IntegerConverter):
    """The ``int`` URL converter for row ids: a number larger than any id becomes 0, which names no
    row, so the view returns its usual 404 instead of a database error.

    Rejecting the number in the converter instead would make a GET on a path whose PUT route also
    exists answer 405.
    """

    def to_python(self, value):
        number = super().to_python(value)
        return 0 if number > MAX_ID else number


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
