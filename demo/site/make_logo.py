#!/usr/bin/python3
"""Draw demo/site/logo.jpg, the made-up student's logo for the tcplife demo page.

Deterministic: fixed drawing, fixed-seed texture, fixed JPEG settings, so the
same Pillow version gives the same bytes. Needs Debian's python3-pil (and,
for the lettering, fonts-dejavu-core; without it Pillow's built-in font is
used). The fine texture is deliberate: it keeps the JPEG at ~150 KB so that
on loopback (MSS 65483) the 200 OK carrying it spans several TCP segments.

Usage: /usr/bin/python3 demo/site/make_logo.py [OUT]   (default: logo.jpg here)
"""
import math
import os
import random
import sys

from PIL import Image, ImageDraw, ImageFont

W, H = 640, 480
SEED = 9000  # the demo's port; any fixed value will do


def font(size):
    for path in ("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",):
        if os.path.exists(path):
            return ImageFont.truetype(path, size)
    return ImageFont.load_default()


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "logo.jpg")
    rng = random.Random(SEED)

    # Background: a purple-to-blue gradient with per-pixel grain.
    img = Image.new("RGB", (W, H))
    px = img.load()
    for y in range(H):
        for x in range(W):
            t = (x + y) / (W + H)
            g = rng.randint(-18, 18)
            r = int(110 - 60 * t) + g
            gg = int(40 + 50 * t) + g
            b = int(130 + 90 * t) + g
            px[x, y] = (max(0, min(255, r)), max(0, min(255, gg)),
                        max(0, min(255, b)))

    d = ImageDraw.Draw(img)
    cx, cy, rad = W // 2, 190, 140
    # Emblem: rings and a star of spokes, like a school seal.
    d.ellipse((cx - rad, cy - rad, cx + rad, cy + rad), outline=(255, 215, 90),
              width=10)
    d.ellipse((cx - rad + 24, cy - rad + 24, cx + rad - 24, cy + rad - 24),
              outline=(255, 255, 255), width=4)
    for i in range(12):
        a = 2 * math.pi * i / 12
        d.line((cx, cy, cx + (rad - 30) * math.cos(a),
                cy + (rad - 30) * math.sin(a)), fill=(255, 215, 90), width=3)
    d.ellipse((cx - 50, cy - 50, cx + 50, cy + 50), fill=(255, 255, 255))
    f = font(56)
    d.text((cx, cy), "NK", font=f, fill=(90, 30, 110), anchor="mm")
    d.text((cx, 390), "Computer Networks Lab 2", font=font(34),
           fill=(255, 255, 255), anchor="mm")
    d.text((cx, 440), "tcplife demo logo", font=font(24),
           fill=(255, 215, 90), anchor="mm")

    img.save(out, "JPEG", quality=90, optimize=False, progressive=False,
             subsampling=0)
    print(out, os.path.getsize(out), "bytes")


if __name__ == "__main__":
    main()
