"""The trader app's diagnostic log: entries are appended to a CSV file for developers to read."""

import csv
import json
import logging
import os

from flask import current_app, g, jsonify, request

from arc.api import bp
from arc.api.bearer import token_required

logger = logging.getLogger(__name__)

# Bounds on what one request adds to the log file: the app sends a handful of small entries at a time.
MAX_ENTRIES = 100
MAX_ENTRY_CHARACTERS = 16 * 1024


def market_log_path():
    return current_app.config["ARC_MARKET_LOG"]


def _entries(body):
    if isinstance(body, dict):
        return list(body.items())
    if isinstance(body, list):
        return list(enumerate(body))
    return []


def _field(entry, *path, default=""):
    for key in path:
        if not isinstance(entry, dict):
            return default
        entry = entry.get(key)
    return default if entry is None else entry


@bp.route("/log", methods=["PUT"])
@bp.doc(
    requestBody={
        "content": {"application/json": {"schema": {"type": "object", "additionalProperties": True}}},
        "description": "Log entries keyed by a hash the app chooses.",
    }
)
@bp.response(200, {"type": "array", "items": {"type": "string"}})
@token_required
def put_log():
    """Store the app's log entries (up to 100, each cut to 16 KB) and return the keys of those stored."""
    body = request.get_json(silent=True)
    if body is None:
        logger.info("user %s sent a log that is not JSON", g.api_user.id)
        return jsonify([])
    entries = _entries(body)[:MAX_ENTRIES]
    os.makedirs(os.path.dirname(market_log_path()), exist_ok=True)
    with open(market_log_path(), "a", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        for key, entry in entries:
            writer.writerow(
                [
                    key,
                    _field(entry, "config", "url"),
                    _field(entry, "status", default=-1),
                    _field(entry, "created"),
                    json.dumps(entry, ensure_ascii=False)[:MAX_ENTRY_CHARACTERS],
                    _field(entry, "trader", default=-1),
                ]
            )
    return jsonify([str(key) if isinstance(key, str) else key for key, _entry in entries])
