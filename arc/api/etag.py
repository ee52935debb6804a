"""Entity tags on the trader API's cacheable routes.

The tag is the MD5 digest of the response body, so it changes only when the JSON changes. A request
whose ``If-None-Match`` lists the current tag gets 304 with an empty body and the same tag.
"""

import hashlib
from functools import wraps

from flask import make_response, request


def _listed_tags(header):
    tags = set()
    for part in header.split(","):
        part = part.strip()
        if part.startswith("W/"):
            part = part[2:]
        if part:
            tags.add(part)
    return tags


def etagged(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        response = make_response(view(*args, **kwargs))
        if response.status_code != 200:
            return response
        tag = '"' + hashlib.md5(response.get_data()).hexdigest() + '"'
        response.headers["ETag"] = tag
        if tag in _listed_tags(request.headers.get("If-None-Match", "")):
            response.status_code = 304
            response.set_data(b"")
            for name in ("Content-Type", "Content-Length"):
                response.headers.pop(name, None)
        return response

    return wrapper
