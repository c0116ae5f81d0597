#!/usr/bin/python3
"""logo.py - draws samples/logo.png, the sample seller's logo (a made-up
mark, not the company's): a blue rounded square with three signal arcs and
the name "SIP.TG" in Noto Sans Bold from fonts/, as an 8-bit RGBA PNG.

Run once by hand (python3 samples/logo.py samples/logo.png, needs Debian's
python3-fonttools); samples/build.sh uses the committed file, so the build
never depends on this script or its Python.
"""
import math
import struct
import sys
import zlib

from fontTools.pens.basePen import BasePen
from fontTools.ttLib import TTFont

W, H, SS = 312, 96, 4          # pixels, supersampling per axis
BLUE = (0x1f, 0x6f, 0xd6)
INK = (0x1d, 0x1d, 0x1f)


class Flatten(BasePen):
    """Glyph outlines as closed polygons (curves cut into segments)."""

    def __init__(self, glyphset, scale, dx, dy):
        super().__init__(glyphset)
        self.polys, self.cur = [], []
        self.s, self.dx, self.dy = scale, dx, dy

    def _pt(self, p):
        return (self.dx + p[0] * self.s, self.dy - p[1] * self.s)

    def _moveTo(self, p):
        self.cur = [self._pt(p)]

    def _lineTo(self, p):
        self.cur.append(self._pt(p))

    def _qCurveToOne(self, p1, p2):
        p0 = self.cur[-1]
        a, b = self._pt(p1), self._pt(p2)
        for i in range(1, 9):
            t = i / 8
            self.cur.append(((1 - t) ** 2 * p0[0] + 2 * (1 - t) * t * a[0] + t * t * b[0],
                             (1 - t) ** 2 * p0[1] + 2 * (1 - t) * t * a[1] + t * t * b[1]))

    def _curveToOne(self, p1, p2, p3):
        p0 = self.cur[-1]
        a, b, c = self._pt(p1), self._pt(p2), self._pt(p3)
        for i in range(1, 13):
            t = i / 12
            u = 1 - t
            self.cur.append((u ** 3 * p0[0] + 3 * u * u * t * a[0] + 3 * u * t * t * b[0] + t ** 3 * c[0],
                             u ** 3 * p0[1] + 3 * u * u * t * a[1] + 3 * u * t * t * b[1] + t ** 3 * c[1]))

    def _closePath(self):
        if self.cur:
            self.polys.append(self.cur)
        self.cur = []


def coverage_polys(polys):
    """Non-zero winding coverage of polygons, W*H floats in 0..1."""
    cov = [0.0] * (W * H)
    for sy in range(H * SS):
        y = (sy + 0.5) / SS
        xs = []
        for poly in polys:
            for i in range(len(poly)):
                (x0, y0), (x1, y1) = poly[i], poly[(i + 1) % len(poly)]
                if (y0 <= y < y1) or (y1 <= y < y0):
                    xs.append((x0 + (y - y0) * (x1 - x0) / (y1 - y0), 1 if y1 > y0 else -1))
        xs.sort()
        wind = 0
        for i in range(len(xs) - 1):
            wind += xs[i][1]
            if wind != 0:
                a, b = xs[i][0] * SS, xs[i + 1][0] * SS
                for sx in range(max(0, math.ceil(a - 0.5)), min(W * SS, math.ceil(b - 0.5))):
                    cov[(sy // SS) * W + sx // SS] += 1 / (SS * SS)
    return cov


def main(out):
    img = [(0, 0, 0, 0)] * (W * H)

    def paint(cov, rgb):
        for i, c in enumerate(cov):
            if c <= 0:
                continue
            c = min(c, 1.0)
            r, g, b, a = img[i]
            na = c + a / 255 * (1 - c)
            mix = [(rgb[k] * c + (r, g, b)[k] * a / 255 * (1 - c)) / na for k in range(3)]
            img[i] = (round(mix[0]), round(mix[1]), round(mix[2]), round(na * 255))

    # The mark: a rounded square, H - 8 pixels a side.
    side, r0, x0, y0 = H - 8, 16, 4, 4
    sq = []
    for cx, cy, a0 in ((x0 + side - r0, y0 + r0, -90), (x0 + side - r0, y0 + side - r0, 0),
                       (x0 + r0, y0 + side - r0, 90), (x0 + r0, y0 + r0, 180)):
        for k in range(9):
            t = math.radians(a0 + k * 90 / 8)
            sq.append((cx + r0 * math.cos(t), cy + r0 * math.sin(t)))
    paint(coverage_polys([sq]), BLUE)
    # Three signal arcs and a dot, in white, from the lower left corner.
    ox, oy = x0 + 24, y0 + side - 24
    arcs = []
    for rad in (18, 34, 50):
        outer = [(ox + (rad + 5) * math.cos(math.radians(a)), oy - (rad + 5) * math.sin(math.radians(a)))
                 for a in range(0, 91, 5)]
        inner = [(ox + (rad - 5) * math.cos(math.radians(a)), oy - (rad - 5) * math.sin(math.radians(a)))
                 for a in range(90, -1, -5)]
        arcs.append(outer + inner)
    arcs.append([(ox + 7 * math.cos(math.radians(a)), oy + 7 * math.sin(math.radians(a)))
                 for a in range(0, 360, 15)])
    paint(coverage_polys(arcs), (255, 255, 255))
    # The name.
    font = TTFont(sys.path[0] + "/../fonts/NotoSans-Bold.ttf")
    gs, cmap = font.getGlyphSet(), font.getBestCmap()
    scale, pen_x = 46 / font["head"].unitsPerEm, side + 20
    pen = Flatten(gs, scale, 0, 68)
    for ch in "SIP.TG":
        name = cmap[ord(ch)]
        pen.dx = pen_x
        gs[name].draw(pen)
        pen_x += gs[name].width * scale
    paint(coverage_polys(pen.polys), INK)

    raw = b"".join(b"\0" + bytes(v for px in img[y * W:(y + 1) * W] for v in px) for y in range(H))

    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))
    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", W, H, 8, 6, 0, 0, 0)) +
           chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))
    with open(out, "wb") as f:
        f.write(png)


if __name__ == "__main__":
    main(sys.argv[1])
