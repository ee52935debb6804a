"""The service behind a real Apache with mod_wsgi, checked end to end by scripts/apache-smoke.

The script installs Debian's apache2 and mod_wsgi when they are missing and may build a virtual
environment, so it runs only with ARC_APACHE_SMOKE=1. It needs Redis on 127.0.0.1 and empties its
database 12.
"""

import os
import subprocess

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.mark.skipif(
    os.environ.get("ARC_APACHE_SMOKE") != "1",
    reason="Set ARC_APACHE_SMOKE=1 to run the real Apache smoke test (it installs apache2 and mod_wsgi with apt-get).",
)
def test_apache_smoke():
    result = subprocess.run(
        [os.path.join(ROOT, "scripts", "apache-smoke")],
        capture_output=True,
        text=True,
        timeout=1800,
    )

    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-6000:]
    assert "FAILED" not in result.stdout
    assert result.stdout.rstrip().endswith("checks.")
    assert "Apache smoke test passed" in result.stdout
