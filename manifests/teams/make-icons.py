#!/usr/bin/env python3
"""Draws the Teams app icons once (standard library only): color.png 192x192 (a white chat bubble with a
check mark on the accent colour) and outline.png 32x32 (the same bubble, white on transparent).
The PNGs are committed; run this again only to change the design."""
import struct, zlib, os

ACCENT = (0x25, 0x63, 0xEB)

def png(path, size, pixel):
    rows = b"".join(b"\x00" + b"".join(bytes(pixel(x, y, size)) for x in range(size)) for y in range(size))
    def chunk(tag, data):
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)
    ihdr = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)  # 8-bit RGBA, not interlaced
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))

def bubble(u, v):
    """True inside a speech bubble drawn in the unit square (u, v in 0..1)."""
    inside_body = 0.12 <= u <= 0.88 and 0.18 <= v <= 0.70
    # rounded corners
    for cx, cy in ((0.22, 0.28), (0.78, 0.28), (0.22, 0.60), (0.78, 0.60)):
        if (u < 0.22 or u > 0.78) and (v < 0.28 or v > 0.60):
            if abs(u - cx) <= 0.10 and abs(v - cy) <= 0.10:
                inside_body = inside_body and (u - cx) ** 2 + (v - cy) ** 2 <= 0.10 ** 2
    tail = 0.26 <= u <= 0.46 and 0.70 <= v <= 0.86 and (u - 0.26) <= (0.86 - v) * 1.25
    return inside_body or tail

def check(u, v):
    """A check mark inside the bubble (the request is handled)."""
    def near(ax, ay, bx, by, w):
        dx, dy = bx - ax, by - ay
        t = max(0.0, min(1.0, ((u - ax) * dx + (v - ay) * dy) / (dx * dx + dy * dy)))
        return (u - ax - t * dx) ** 2 + (v - ay - t * dy) ** 2 <= w * w
    return near(0.32, 0.44, 0.45, 0.57, 0.045) or near(0.45, 0.57, 0.70, 0.31, 0.045)

def color(x, y, size):
    u, v = (x + 0.5) / size, (y + 0.5) / size
    if bubble(u, v) and not check(u, v):
        return (255, 255, 255, 255)
    return ACCENT + (255,)

def outline(x, y, size):
    u, v = (x + 0.5) / size, (y + 0.5) / size
    return (255, 255, 255, 255) if bubble(u, v) and not check(u, v) else (0, 0, 0, 0)

here = os.path.dirname(os.path.abspath(__file__))
png(os.path.join(here, "color.png"), 192, color)
png(os.path.join(here, "outline.png"), 32, outline)
