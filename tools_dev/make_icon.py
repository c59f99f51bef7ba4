#!/usr/bin/env python3
"""Draw static/description/icon.png (the addon's icon on the Apps screen):
a support ticket holding a pack's balance bar, on Odoo's usual rounded square.

Usage: python3 tools_dev/make_icon.py   (needs Pillow, an Odoo requirement)
"""

import os

from PIL import Image, ImageDraw

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SIZE, SCALE = 128, 4  # drawn 4x larger, then downsampled (antialiasing)


def main():
    s = SIZE * SCALE
    img = Image.new("RGBA", (s, s), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)

    def box(x0, y0, x1, y1):
        return [v * SCALE for v in (x0, y0, x1, y1)]

    d.rounded_rectangle(box(0, 0, 128, 128), radius=24 * SCALE, fill="#1F7A74")
    # the ticket, with its two side notches
    d.rounded_rectangle(box(18, 34, 110, 94), radius=8 * SCALE, fill="#FFFFFF")
    for cx in (18, 110):
        d.ellipse(box(cx - 9, 55, cx + 9, 73), fill="#1F7A74")
    # dashed tear line
    for y in range(40, 90, 8):
        d.rectangle(box(40, y, 42, y + 4), fill="#B8D8D5")
    # the pack's balance: consumed (dark) and remaining (light) credits
    d.rounded_rectangle(box(50, 50, 100, 60), radius=5 * SCALE, fill="#D6EBE9")
    d.rounded_rectangle(box(50, 50, 82, 60), radius=5 * SCALE, fill="#F2A541")
    for i, w in enumerate((42, 30)):
        y = 68 + i * 9
        d.rounded_rectangle(box(50, y, 50 + w, y + 4), radius=2 * SCALE, fill="#9CC9C5")
    img = img.resize((SIZE, SIZE), Image.LANCZOS)
    path = os.path.join(ROOT, "static", "description", "icon.png")
    img.save(path, optimize=True)
    print(f"{os.path.relpath(path, ROOT)} written")


if __name__ == "__main__":
    main()
