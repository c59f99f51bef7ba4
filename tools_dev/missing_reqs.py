#!/usr/bin/env python3
"""Print the requirements (PEP 508 strings) that are NOT satisfied.

Usage: python3 tools_dev/missing_reqs.py 'ruff==0.9.9' 'pylint-odoo==9.3.*'

Prints the unsatisfied ones, shell-quoted, on one line (nothing when all are
satisfied) so that the Makefile only calls pip when something is missing.
"""

import shlex
import sys
from importlib import metadata

try:
    from packaging.requirements import Requirement
except ImportError:  # pip always vendors packaging
    from pip._vendor.packaging.requirements import Requirement


def is_satisfied(req_string):
    req = Requirement(req_string)
    try:
        installed = metadata.version(req.name)
    except metadata.PackageNotFoundError:
        return False
    return req.specifier.contains(installed, prereleases=True)


def main(argv):
    missing = [r for r in argv if not is_satisfied(r)]
    if missing:
        print(" ".join(shlex.quote(r) for r in missing))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
