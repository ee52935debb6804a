"""The OpenAPI document of the trader API."""

from flask import jsonify

from arc.api import docs_bp
from arc.extensions import rest_api


@docs_bp.route("/openapi.json")
def openapi_json():
    return jsonify(rest_api.spec.to_dict())
