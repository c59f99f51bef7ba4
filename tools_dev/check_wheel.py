#!/usr/bin/env python3
"""Build the addon's wheel with whool and check what it holds.

Usage: python3 tools_dev/check_wheel.py BUILD_DIR

whool names the wheel after the addon's folder and packages every file git
tracks there (outside git: every file of the folder), with no way to leave one
out; the repository root is the addon. So the wheel is built from an export of
the addon, as `git archive` makes it: the tracked files (as they are in the
working tree) but those .gitattributes marks ``export-ignore`` (the development
files: tools_dev/, docs/, .ci/, Makefile, node and lint files) are copied to
BUILD_DIR/src/helpdesk_support_pack, a folder with the addon's name whatever the
checkout is called, and `pip wheel` builds it there without network
(--no-build-isolation: whool comes from `make deps`). Outside git, whool takes
the manifest's version as it is. Then:

* name and version: odoo-addon-helpdesk_support_pack, the manifest's version;
* license: the manifest's (AGPL-3) and its classifier; the development status;
* dependencies: Odoo 18.0, each addon of the manifest's ``depends`` that is not
  part of Odoo (with pyproject.toml's ``depends_override`` range where there is
  one, helpdesk_mgmt_sla's 18.0.2.x series), and nothing else;
* files: every exported file (but pyproject.toml) is in the wheel under
  odoo/addons/helpdesk_support_pack/, the manifest's data, demo and asset
  files, LICENSE, the README, icon.png and index.html first of all, and
  nothing else: none of the development files (DEVELOPMENT below, whatever
  .gitattributes says), no file git does not track;
* the export: `git archive --worktree-attributes HEAD` leaves out the same
  files of HEAD as this script does (the recipe for a wheel built by hand).

Exit 1 with the list of what is wrong.
"""

import ast
import email.parser
import fnmatch
import io
import os
import shutil
import subprocess
import sys
import tarfile
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
# The development files, which the wheel never holds (fnmatch patterns of
# paths in the repository; .gitattributes marks them export-ignore).
DEVELOPMENT = (
    ".ci/*",
    "docs/*",
    "tools_dev/*",
    "node_modules/*",
    "Makefile",
    "package.json",
    "package-lock.json",
    ".eslintrc*",
    ".prettierrc*",
    ".pylintrc*",
    "ruff.toml",
    ".pre-commit-config.yaml",
    ".editorconfig",
    ".gitattributes",
    ".gitignore",
)


def git(*args, stdin=None):
    return subprocess.run(
        ["git", *args], cwd=ROOT, input=stdin, capture_output=True, check=True
    ).stdout


def tracked_files():
    return sorted(
        f
        for f in git("ls-files", "-z").decode().split("\0")
        if f and os.path.isfile(os.path.join(ROOT, f))
    )


def export_ignored(files):
    """The files .gitattributes (as in the working tree) marks export-ignore."""
    paths = "".join(f + "\0" for f in files).encode()
    out = git("check-attr", "-z", "--stdin", "export-ignore", stdin=paths)
    # -z: path NUL attribute NUL value NUL, for each path
    fields = out.decode().split("\0")
    return {fields[i] for i in range(0, len(fields) - 2, 3) if fields[i + 2] == "set"}


def archive_ignored():
    """The files of HEAD that `git archive` leaves out, if HEAD exists."""
    try:
        head = git("ls-tree", "-r", "-z", "--name-only", "HEAD").decode()
        tar = git("archive", "--format=tar", "--worktree-attributes", "HEAD")
    except subprocess.CalledProcessError:
        return None, None
    files = {f for f in head.split("\0") if f}
    with tarfile.open(fileobj=io.BytesIO(tar)) as tf:
        exported = {m.name for m in tf.getmembers() if not m.isdir()}
    return files, files - exported


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


def is_development(path):
    return any(fnmatch.fnmatchcase(path, pattern) for pattern in DEVELOPMENT)


def check_files(in_wheel, manifest, files):
    """files: the exported files (tracked, not export-ignore)."""
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
        "static/description/icon.png",
        "static/description/index.html",
        "i18n/fr.po",
        "i18n/es.po",
    ):
        if f not in in_wheel:
            errors.append(f"{f} missing from the wheel")
    if not in_wheel & {"README.rst", "README.md"}:
        errors.append("no README.rst nor README.md in the wheel")
    wanted = {f for f in files if f != "pyproject.toml" and not is_development(f)}
    for f in sorted(wanted - in_wheel):
        errors.append(f"tracked file {f} missing from the wheel")
    for f in sorted(in_wheel - wanted):
        if is_development(f):
            errors.append(
                f"development file {f} in the wheel: mark it export-ignore"
                " in .gitattributes"
            )
        else:
            errors.append(f"{f} in the wheel but not an exported file")
    return errors


def check_export(ignored):
    """`git archive` leaves out of HEAD the files this script leaves out."""
    files, by_archive = archive_ignored()
    if files is None:
        return []
    by_attr = ignored & files
    if by_archive == by_attr:
        return []
    return [
        f"git archive HEAD leaves out {sorted(by_archive - by_attr)} and keeps"
        f" {sorted(by_attr - by_archive)}, unlike git check-attr export-ignore"
    ]


def main(argv):
    if len(argv) != 1:
        print(__doc__)
        return 2
    build_dir = os.path.abspath(argv[0])
    with open(os.path.join(ROOT, "__manifest__.py"), encoding="utf-8") as f:
        manifest = ast.literal_eval(f.read())
    with open(os.path.join(ROOT, "pyproject.toml"), "rb") as f:
        pyproject = tomllib.load(f)
    tracked = tracked_files()
    ignored = export_ignored(tracked)
    files = [f for f in tracked if f not in ignored]
    wheel = build(build_dir, files)
    meta, in_wheel = read_wheel(wheel)
    errors = check_metadata(wheel, meta, manifest, pyproject)
    errors += check_files(in_wheel, manifest, files)
    errors += check_export(ignored)
    requires = meta.get_all("Requires-Dist") or []
    count = len(in_wheel)
    name = os.path.basename(wheel)
    if errors:
        print(f"wheel {name}: FAILED")
        for e in errors:
            print("  - " + e)
        return 1
    print(
        f"wheel {name}: OK ({count} files, {len(ignored)} development files"
        f" left out; requires {', '.join(sorted(requires))})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
