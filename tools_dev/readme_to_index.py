#!/usr/bin/env python3
"""Write static/description/index.html (the addon's page on Odoo's Apps screen)
from README.md, so that the two never drift.

Usage: python3 tools_dev/readme_to_index.py [--check]

The README's sections for developers of this repository (``DEV_SECTIONS``) are
left out; image paths under static/description/ become relative to that folder
(Odoo serves a description's relative images from
/<addon>/static/description/). With --check, writes nothing and exits 1 when
the committed index.html differs from what README.md gives (`make lint` runs
it; `make index` rewrites the file).
"""

import os
import re
import sys

import markdown

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
README = os.path.join(ROOT, "README.md")
INDEX = os.path.join(ROOT, "static", "description", "index.html")
DEV_SECTIONS = ("The two commands", "Layout", "Packaging")
HEADER = (
    "<!-- Generated from README.md by `make index` "
    "(tools_dev/readme_to_index.py): edit README.md, not this file. -->\n"
)


def user_sections(text):
    """README.md without its developers' level-2 sections."""
    kept, skip = [], False
    for line in text.splitlines(keepends=True):
        if line.startswith("## "):
            skip = line[3:].strip() in DEV_SECTIONS
        if not skip:
            kept.append(line)
    return "".join(kept)


def render(text):
    text = re.sub(r"\]\(static/description/", "](", user_sections(text))
    body = markdown.markdown(
        text, extensions=["tables", "fenced_code"], output_format="html"
    )
    body = "\n".join(line.rstrip() for line in body.splitlines())
    return (
        HEADER
        + '<section class="oe_container">\n<div class="oe_row oe_spaced">\n'
        + body
        + "\n</div>\n</section>\n"
    )


def main(argv):
    with open(README, encoding="utf-8") as f:
        html = render(f.read())
    rel = os.path.relpath(INDEX, ROOT)
    if "--check" in argv:
        try:
            with open(INDEX, encoding="utf-8") as f:
                current = f.read()
        except FileNotFoundError:
            current = None
        if current != html:
            print(f"{rel} is stale (README.md changed): run `make index`")
            return 1
        print(f"{rel}: up to date with README.md")
        return 0
    with open(INDEX, "w", encoding="utf-8") as f:
        f.write(html)
    print(f"{rel}: written from README.md")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
