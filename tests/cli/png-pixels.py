#!/usr/bin/python3
"""png-pixels.py - for t0091: an RGBA PNG (the logo a seller profile
named) against what pdfimages -png extracted from a PDF: its colour image
(RGB) and its soft mask (grey).  Exits 0 when every pixel's colour and
opacity are the same, 1 otherwise.  Only 8-bit, non-interlaced PNGs.

usage: png-pixels.py LOGO.png COLOR.png MASK.png
"""
import struct
import sys
import zlib


def decode(path):
    """(width, height, channels, rows of bytes) of an 8-bit PNG."""
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", path
    pos, idat, w = 8, b"", 0
    while pos < len(data):
        n, = struct.unpack(">I", data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, ctype, _, _, lace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and lace == 0, path
            ch = {0: 1, 2: 3, 4: 2, 6: 4}[ctype]
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw, rows, prev, rb = zlib.decompress(idat), [], bytearray(w * ch), w * ch
    for y in range(h):
        f, cur = raw[y * (rb + 1)], bytearray(raw[y * (rb + 1) + 1:(y + 1) * (rb + 1)])
        for i in range(rb):
            a = cur[i - ch] if i >= ch else 0
            b = prev[i]
            c = prev[i - ch] if i >= ch else 0
            p = a + b - c
            pred = [0, a, b, (a + b) // 2,
                    a if abs(p - a) <= abs(p - b) and abs(p - a) <= abs(p - c)
                    else b if abs(p - b) <= abs(p - c) else c][f]
            cur[i] = (cur[i] + pred) & 0xFF
        rows.append(bytes(cur))
        prev = cur
    return w, h, ch, rows


def main():
    w, h, ch, src = decode(sys.argv[1])
    cw, chh, cc, col = decode(sys.argv[2])
    mw, mh, mc, mask = decode(sys.argv[3])
    assert ch == 4 and cc == 3 and mc == 1, (ch, cc, mc)
    assert (w, h) == (cw, chh) == (mw, mh), ((w, h), (cw, chh), (mw, mh))
    for y in range(h):
        for x in range(w):
            if (src[y][4 * x:4 * x + 3] != col[y][3 * x:3 * x + 3] or
                    src[y][4 * x + 3] != mask[y][x]):
                print("pixel (%d, %d) differs" % (x, y))
                return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
