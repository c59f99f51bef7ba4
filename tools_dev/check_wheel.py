#!/usr/bin/env python3
"""Build the addon's wheel with whool and check what it holds.

Usage: python3 tools_dev/check_wheel.py BUILD_DIR

whool names the wheel after the addon's folder and packages the files git
tracks: the tracked files (as they are in the working tree) are copied to
BUILD_DIR/src/helpdesk_support_pack, a folder with the addon's name whatever the
checkout is called, and `pip wheel` builds it there without network
(--no-build-isolation: whool comes from `make deps`). Outside git, whool takes
the manifest's version as it is. Then:

* name and version: odoo-addon-helpdesk_support_pack, the manifest's version;
* license: the manifest's (AGPL-3) and its classifier; the development status;
* dependencies: Odoo 18.0, each addon of the manifest's ``depends`` that is not
  part of Odoo (with pyproject.toml's ``depends_override`` range where there is
  one, helpdesk_mgmt_sla's 18.0.2.x series), and nothing else;
* files: every tracked file of the addon (but pyproject.toml) is in the wheel
  under odoo/addons/helpdesk_support_pack/, the manifest's data, demo and asset
  files, LICENSE, icon.png and index.html first of all.

Exit 1 with the list of what is wrong.
"""

import ast
import email.parser
import fnmatch
import os
import shutil
import subprocess
import sys
import zipfile

from manifestoo_core.core_addons import get_core_addons
from manifestoo_core.odoo_series import OdooSeries

try:
    import tomllib
except ImportError:  # Python 3.10: whool depends on tomli there
    import tomli as tomllib
try:
    from packaging.requirements import Requirement
    from packaging.version import Version
except ImportError:  # pip always vendors packaging
    from pip._vendor.packaging.requirements import Requirement
    from pip._vendor.packaging.version import Version

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ADDON = "helpdesk_support_pack"


def tracked_files():
    out = subprocess.check_output(["git", "ls-files", "-z"], cwd=ROOT)
    return sorted(
        f
        for f in out.decode().split("\0")
        if f and os.path.isfile(os.path.join(ROOT, f))
    )


def build(build_dir, files):
    src = os.path.join(build_dir, "src", ADDON)
    dist = os.path.join(build_dir, "dist")
    shutil.rmtree(build_dir, ignore_errors=True)
    for f in files:
        os.makedirs(os.path.dirname(os.path.join(src, f)), exist_ok=True)
        shutil.copy2(os.path.join(ROOT, f), os.path.join(src, f))
    # no git for whool: it packages the copy as it is, version from the manifest
    env = dict(os.environ, GIT_DIR=os.path.join(build_dir, "no-git"))
    cmd = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation"]
    cmd += ["--quiet", "--wheel-dir", dist, src]
    print("+ " + " ".join(cmd))
    subprocess.run(cmd, env=env, check=True, stdin=subprocess.DEVNULL)
    wheels = [w for w in os.listdir(dist) if w.endswith(".whl")]
    if len(wheels) != 1:
        raise SystemExit(f"expected one wheel in {dist}, found {wheels}")
    return os.path.join(dist, wheels[0])


def expected_requirements(manifest, pyproject):
    overrides = pyproject.get("tool", {}).get("whool", {}).get("depends_override", {})
    core = get_core_addons(OdooSeries.v18_0)
    reqs = {"odoo==18.0.*"}
    for depend in manifest["depends"]:
        if depend in core:
            continue
        reqs.add(overrides.get(depend, f"odoo-addon-{depend}==18.0.*"))
    return reqs


def read_wheel(wheel):
    """The wheel's METADATA and the files of the addon in it."""
    prefix = f"odoo/addons/{ADDON}/"
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        meta_name = next(n for n in names if n.endswith(".dist-info/METADATA"))
        meta = email.parser.HeaderParser().parsestr(zf.read(meta_name).decode())
    return meta, {n[len(prefix) :] for n in names if n.startswith(prefix)}


def check_metadata(wheel, meta, manifest, pyproject):
    errors = []

    def expect(what, got, wanted):
        if got != wanted:
            errors.append(f"{what}: {got!r}, expected {wanted!r}")

    version = manifest["version"]
    expect(
        "wheel file",
        os.path.basename(wheel),
        f"odoo_addon_{ADDON}-{version}-py3-none-any.whl",
    )
    expect("Name", meta["Name"], f"odoo-addon-{ADDON}")
    expect("Version", meta["Version"], version)
    expect("License", meta["License"], manifest["license"])
    classifiers = meta.get_all("Classifier") or []
    for classifier in (
        "License :: OSI Approved :: GNU Affero General Public License v3",
        "Framework :: Odoo :: 18.0",
        "Development Status :: 4 - Beta",
    ):
        if classifier not in classifiers:
            errors.append(f"Classifier {classifier!r} missing (has {classifiers})")
    requires = set(meta.get_all("Requires-Dist") or [])
    expect(
        "Requires-Dist",
        sorted(requires),
        sorted(expected_requirements(manifest, pyproject)),
    )
    # helpdesk_mgmt_sla: the 18.0.2.x series, nothing before nor after
    sla = [
        Requirement(r) for r in requires if r.startswith("odoo-addon-helpdesk_mgmt_sla")
    ]
    if len(sla) != 1:
        errors.append(f"no single helpdesk_mgmt_sla requirement in {sorted(requires)}")
        return errors
    for v, ok in (
        ("18.0.2.0.0", True),
        ("18.0.2.1.1", True),
        ("18.0.2.1.1.3", True),
        ("18.0.1.9.0", False),
        ("18.0.3.0.0", False),
        ("19.0.2.0.0", False),
    ):
        if sla[0].specifier.contains(Version(v)) != ok:
            errors.append(
                f"{sla[0]} {'refuses' if ok else 'accepts'} helpdesk_mgmt_sla {v}"
            )
    return errors


def check_files(in_wheel, manifest, files):
    errors = []
    for key in ("data", "demo"):
        for f in manifest.get(key, []):
            if f not in in_wheel:
                errors.append(
                    f"{key} file {f} (in __manifest__.py) missing from the wheel"
                )
    for bundle, globs in manifest.get("assets", {}).items():
        for glob in globs:
            pattern = glob.removeprefix(f"{ADDON}/")
            if not fnmatch.filter(in_wheel, pattern):
                errors.append(f"asset {glob} ({bundle}) matches no file of the wheel")
    for f in (
        "__manifest__.py",
        "LICENSE",
        "README.md",
        "static/description/icon.png",
        "static/description/index.html",
        "i18n/fr.po",
        "i18n/es.po",
    ):
        if f not in in_wheel:
            errors.append(f"{f} missing from the wheel")
    wanted = {f for f in files if f != "pyproject.toml"}
    for f in sorted(wanted - in_wheel):
        errors.append(f"tracked file {f} missing from the wheel")
    for f in sorted(in_wheel - wanted):
        errors.append(f"{f} in the wheel but not a tracked file")
    return errors


def main(argv):
    if len(argv) != 1:
        print(__doc__)
        return 2
    build_dir = os.path.abspath(argv[0])
    with open(os.path.join(ROOT, "__manifest__.py"), encoding="utf-8") as f:
        manifest = ast.literal_eval(f.read())
    with open(os.path.join(ROOT, "pyproject.toml"), "rb") as f:
        pyproject = tomllib.load(f)
    files = tracked_files()
    wheel = build(build_dir, files)
    meta, in_wheel = read_wheel(wheel)
    errors = check_metadata(wheel, meta, manifest, pyproject)
    errors += check_files(in_wheel, manifest, files)
    requires = meta.get_all("Requires-Dist") or []
    count = len(in_wheel)
    name = os.path.basename(wheel)
    if errors:
        print(f"wheel {name}: FAILED")
        for e in errors:
            print("  - " + e)
        return 1
    print(f"wheel {name}: OK ({count} files; requires {', '.join(sorted(requires))})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
