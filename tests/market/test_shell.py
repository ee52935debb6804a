"""The trader app's files as the market host serves them: the page, worker, manifest and icons."""

import json
import re
import struct
import zlib

import pytest

from arc.market import icons
from arc.market.views import LEGACY_PATHS, SCREEN_PATHS
from tests.conftest import SERVICE_HOST


@pytest.mark.parametrize("path", SCREEN_PATHS + LEGACY_PATHS)
def test_every_screen_path_serves_app_page(market_client, path):
    response = market_client.get(path)

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert f'data-api-base="//{SERVICE_HOST}/api"' in page
    assert 'src="/static/js/app.js"' in page


def test_service_worker_lists_every_app_file(market_client):
    response = market_client.get("/sw.js")

    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "no-cache"
    script = response.get_data(as_text=True)
    files = json.loads(re.search(r"^const SHELL_FILES = (.*);$", script, re.MULTILINE).group(1))
    assert files[:2] == ["/", "/manifest.webmanifest"]
    for name in ("/static/js/app.js", "/static/js/queue.js", "/static/js/screens/record.js", "/static/css/app.css",
                 "/static/icons/icon-192.png"):
        assert name in files
    assert "/static/sw.js" not in files
    for url in files:
        assert market_client.get(url).status_code == 200, url


def test_service_worker_version_matches_page(market_client):
    page = market_client.get("/").get_data(as_text=True)
    script = market_client.get("/sw.js").get_data(as_text=True)

    version = re.search(r'<meta name="app-version" content="([0-9a-f]{16})">', page).group(1)
    assert f'const VERSION = "{version}";' in script


def test_version_changes_with_api_address(app, market_client):
    before = market_client.get("/sw.js").get_data(as_text=True)
    app.config["ARC_SERVICE_DOMAIN"] = "elsewhere.localhost"
    try:
        after = market_client.get("/sw.js").get_data(as_text=True)
    finally:
        app.config["ARC_SERVICE_DOMAIN"] = SERVICE_HOST

    assert before.splitlines()[0] != after.splitlines()[0]


def test_manifest_describes_installable_app(market_client):
    response = market_client.get("/manifest.webmanifest")

    assert response.mimetype == "application/manifest+json"
    manifest = response.get_json(force=True)
    assert manifest["start_url"] == "/"
    assert manifest["display"] == "standalone"
    assert manifest["lang"] == "en-GB"
    sizes = {icon["sizes"] for icon in manifest["icons"] if icon["type"] == "image/png"}
    assert {"192x192", "512x512"} <= sizes
    assert any(icon["purpose"] == "maskable" for icon in manifest["icons"])
    for icon in manifest["icons"]:
        assert market_client.get(icon["src"]).status_code == 200, icon["src"]


def read_png(data):
    """Return (width, height, rows of RGBA bytes) of an unfiltered 8-bit RGBA PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height, depth, colour_type = struct.unpack(">IIBB", data[16:26])
    assert (depth, colour_type) == (8, 6)
    chunks, offset = [], 8
    while offset < len(data):
        length, kind = struct.unpack(">I4s", data[offset:offset + 8])
        chunks.append((kind, data[offset + 8:offset + 8 + length]))
        offset += 12 + length
    raw = zlib.decompress(b"".join(body for kind, body in chunks if kind == b"IDAT"))
    stride = 1 + 4 * width
    return width, height, [raw[row * stride + 1:(row + 1) * stride] for row in range(height)]


@pytest.mark.parametrize("name,size,background", icons.ICONS)
def test_committed_icon_has_its_size(name, size, background):
    with open(f"{icons.ICON_FOLDER}/{name}", "rb") as file:
        width, height, rows = read_png(file.read())

    assert (width, height) == (size, size)
    # A point on the voucher above the tick, and the top left corner.
    voucher = rows[int(size * 0.35)][4 * (size // 2):4 * (size // 2) + 4]
    corner = rows[0][0:4]
    assert tuple(voucher) == (*icons.WHITE, 255)
    assert corner[3] == (255 if background == "full" else 0)


def test_icon_encoder_round_trips():
    rows = [bytes([10, 20, 30, 255, 40, 50, 60, 128]), bytes([0, 0, 0, 0, 255, 255, 255, 255])]

    assert read_png(icons.encode_png(rows, 2)) == (2, 2, rows)
