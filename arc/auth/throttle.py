"""Login throttling for the portals: five failed attempts a minute per e-mail address and client.

The check runs before the password is tested, so a locked account stays locked even for the right
password until the window has passed.
"""

import time

from flask import request
from limits import RateLimitItemPerMinute

from arc.extensions import limiter

FAILED_LOGINS = RateLimitItemPerMinute(5)


def _key(portal, email):
    return f"login-failures/{portal}/{(email or '').strip().lower()}/{request.remote_addr}"


def seconds_locked(portal, email):
    """Return how many seconds the login stays locked, or 0 when another attempt is allowed."""
    key = _key(portal, email)
    if limiter.limiter.test(FAILED_LOGINS, key):
        return 0
    reset_at, _remaining = limiter.limiter.get_window_stats(FAILED_LOGINS, key)
    return max(1, int(reset_at - time.time()))


def record_failure(portal, email):
    limiter.limiter.hit(FAILED_LOGINS, _key(portal, email))
