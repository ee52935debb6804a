"""Draw the trader app's icons: a white voucher with a tick on the charity's rose colour.

The PNG files in ``static/icons`` are made by this module and committed; run
``python -m arc.market.icons`` after changing the drawing. Shapes are drawn from signed distance
functions, which give smooth (anti-aliased) edges without an imaging library.
"""

import math
import os
import struct
import zlib

ROSE = (139, 15, 79)
WHITE = (255, 255, 255)
ICON_FOLDER = os.path.join(os.path.dirname(__file__), "static", "icons")

# Geometry in units of the icon's side (0 to 1). The voucher and tick stay inside the middle 80%
# circle that launchers keep when they crop a maskable icon.
VOUCHER_HALF_WIDTH, VOUCHER_HALF_HEIGHT, VOUCHER_RADIUS = 0.31, 0.20, 0.05
NOTCH_RADIUS = 0.06
TICK = ((0.40, 0.50), (0.47, 0.57), (0.61, 0.43))
TICK_HALF_WIDTH = 0.03
# Corner radius of the rounded square background of the plain ("any") icons.
BACKGROUND_RADIUS = 0.18

# (file name, side in pixels, background): "full" fills the square, as maskable and Apple icons need.
ICONS = (
    ("icon-192.png", 192, "rounded"),
    ("icon-512.png", 512, "rounded"),
    ("icon-maskable-512.png", 512, "full"),
    ("apple-touch-icon.png", 180, "full"),
)


def rounded_box_distance(x, y, half_width, half_height, radius):
    """Return the signed distance from (x, y) to a rounded rectangle centred on the origin."""
    qx = abs(x) - half_width + radius
    qy = abs(y) - half_height + radius
    outside = math.hypot(max(qx, 0.0), max(qy, 0.0))
    return outside + min(max(qx, qy), 0.0) - radius


def segment_distance(x, y, start, end):
    """Return the distance from (x, y) to the line segment from ``start`` to ``end``."""
    (ax, ay), (bx, by) = start, end
    dx, dy = bx - ax, by - ay
    t = max(0.0, min(1.0, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(x - ax - t * dx, y - ay - t * dy)


def coverage(distance, pixel):
    """Return how much of a pixel a shape covers, from the signed distance (in icon units) at its centre."""
    return max(0.0, min(1.0, 0.5 - distance / pixel))


def pixel_colour(u, v, pixel, background):
    """Return the RGBA colour at icon coordinates (u, v)."""
    if background == "full":
        alpha = 1.0
    else:
        alpha = coverage(rounded_box_distance(u - 0.5, v - 0.5, 0.5, 0.5, BACKGROUND_RADIUS), pixel)
    colour = ROSE

    voucher = coverage(rounded_box_distance(u - 0.5, v - 0.5, VOUCHER_HALF_WIDTH, VOUCHER_HALF_HEIGHT, VOUCHER_RADIUS), pixel)
    for notch_x in (0.5 - VOUCHER_HALF_WIDTH, 0.5 + VOUCHER_HALF_WIDTH):
        voucher *= 1.0 - coverage(math.hypot(u - notch_x, v - 0.5) - NOTCH_RADIUS, pixel)
    tick = max(coverage(segment_distance(u, v, TICK[i], TICK[i + 1]) - TICK_HALF_WIDTH, pixel) for i in range(2))

    white = voucher * (1.0 - tick)
    colour = tuple(round(c * (1.0 - white) + w * white) for c, w in zip(colour, WHITE))
    return (*colour, round(alpha * 255))


def draw(size, background):
    """Return the rows of an icon ``size`` pixels square, each row a bytes object of RGBA values."""
    pixel = 1.0 / size
    rows = []
    for row in range(size):
        v = (row + 0.5) * pixel
        line = bytearray()
        for column in range(size):
            line.extend(pixel_colour((column + 0.5) * pixel, v, pixel, background))
        rows.append(bytes(line))
    return rows


def _chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def encode_png(rows, size):
    """Return PNG bytes for square RGBA ``rows`` (8 bits a channel, no filtering)."""
    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    raw = b"".join(b"\x00" + row for row in rows)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(raw, 9)) + _chunk(b"IEND", b"")


def svg_icon():
    """Return the same drawing as SVG, on a 100 by 100 grid with the rounded background."""
    def scale(value):
        return round(value * 100, 2)

    x = scale(0.5 - VOUCHER_HALF_WIDTH)
    y = scale(0.5 - VOUCHER_HALF_HEIGHT)
    points = " ".join(f"{scale(px)},{scale(py)}" for px, py in TICK)
    rose = "#%02x%02x%02x" % ROSE
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">\n'
        f'  <rect width="100" height="100" rx="{scale(BACKGROUND_RADIUS)}" fill="{rose}"/>\n'
        '  <mask id="notches">\n'
        '    <rect width="100" height="100" fill="#fff"/>\n'
        f'    <circle cx="{x}" cy="50" r="{scale(NOTCH_RADIUS)}" fill="#000"/>\n'
        f'    <circle cx="{scale(0.5 + VOUCHER_HALF_WIDTH)}" cy="50" r="{scale(NOTCH_RADIUS)}" fill="#000"/>\n'
        '  </mask>\n'
        f'  <rect x="{x}" y="{y}" width="{scale(2 * VOUCHER_HALF_WIDTH)}" height="{scale(2 * VOUCHER_HALF_HEIGHT)}" '
        f'rx="{scale(VOUCHER_RADIUS)}" fill="#fff" mask="url(#notches)"/>\n'
        f'  <polyline points="{points}" fill="none" stroke="{rose}" stroke-width="{scale(2 * TICK_HALF_WIDTH)}" '
        'stroke-linecap="round" stroke-linejoin="round"/>\n'
        "</svg>\n"
    )


def write_icons(folder=ICON_FOLDER):
    """Write every PNG icon and the SVG icon into ``folder``; return the paths written."""
    os.makedirs(folder, exist_ok=True)
    written = []
    for name, size, background in ICONS:
        path = os.path.join(folder, name)
        with open(path, "wb") as output:
            output.write(encode_png(draw(size, background), size))
        written.append(path)
    path = os.path.join(folder, "icon.svg")
    with open(path, "w", encoding="utf-8") as output:
        output.write(svg_icon())
    written.append(path)
    return written


if __name__ == "__main__":
    for written_path in write_icons():
        print(written_path)
