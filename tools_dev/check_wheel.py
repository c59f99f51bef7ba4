#!/usr/bin/env python3
"""Build the addon's wheel with whool and check what it holds (`make test`).

Usage: python3 tools_dev/check_wheel.py BUILD_DIR

whool packs every file of the addon's folder and has no exclude option, so the
wheel is built (`pip wheel`, no network nor git) from an export: the tracked
files of the working tree but those .gitattributes marks ``export-ignore``.
Checked: the metadata (name, version, license, classifiers, dependencies as the
manifest and pyproject.toml's ``depends_override`` say, README.rst), every
exported file in the wheel and no development file.  Exit 1 with what is wrong.
"""

import ast
import email.parser
import fnmatch
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from manifestoo_core.core_addons import get_core_addons
from manifestoo_core.odoo_series import OdooSeries
from packaging.requirements import Requirement

try:
    import tomllib
except ImportError:  # Python 3.10: whool depends on tomli there
    import tomli as tomllib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ADDON = "helpdesk_support_pack"
# Never in the wheel (.gitattributes marks them export-ignore)
DEVELOPMENT = (
    *(".ci/*", "docs/*", "tools_dev/*", "node_modules/*", "Makefile", "README.md"),
    *("package.json", "package-lock.json", ".eslintrc*", ".prettierrc*"),
    *(".pylintrc*", "ruff.toml", ".pre-commit-config.yaml", ".editorconfig"),
    *(".gitattributes", ".gitignore"),
)
CLASSIFIERS = {
    "License :: OSI Approved :: GNU Affero General Public License v3",
    "Framework :: Odoo :: 18.0",
    "Development Status :: 4 - Beta",
}
REQUIRED = (
    *("__manifest__.py", "LICENSE", "README.rst", "readme/DESCRIPTION.md"),
    *("static/description/icon.png", "static/description/index.html"),
    *("i18n/fr.po", "i18n/es.po"),
)


def git(*args, stdin=None):
    run = ["git", *args]
    return subprocess.run(
        run, cwd=ROOT, input=stdin, capture_output=True, text=True, check=True
    ).stdout


def exported_files():
    """Tracked files present in the working tree, but the export-ignore ones."""
    files = git("ls-files", "-z").split("\0")
    files = [f for f in files if os.path.isfile(os.path.join(ROOT, f))]
    out = git(
        "check-attr", "-z", "--stdin", "export-ignore", stdin="\0".join(files) + "\0"
    )
    fields = out.split("\0")  # path NUL attribute NUL value NUL, per path
    ignored = {
        fields[i] for i in range(0, len(fields) - 2, 3) if fields[i + 2] == "set"
    }
    return [f for f in files if f not in ignored], ignored


def build(build_dir, files):
    src, dist = os.path.join(build_dir, "src", ADDON), os.path.join(build_dir, "dist")
    shutil.rmtree(build_dir, ignore_errors=True)
    for f in files:
        os.makedirs(os.path.dirname(os.path.join(src, f)), exist_ok=True)
        shutil.copy2(os.path.join(ROOT, f), os.path.join(src, f))
    env = dict(os.environ, GIT_DIR=os.path.join(build_dir, "no-git"))
    cmd = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation"]
    cmd += ["--quiet", "--wheel-dir", dist, src]
    print("+ " + " ".join(cmd))
    subprocess.run(cmd, env=env, check=True, stdin=subprocess.DEVNULL)
    (wheel,) = [w for w in os.listdir(dist) if w.endswith(".whl")]
    return os.path.join(dist, wheel)


def check_metadata(wheel, meta, manifest, pyproject):
    version, requires = manifest["version"], set(meta.get_all("Requires-Dist") or [])
    overrides = pyproject["tool"]["whool"].get("depends_override", {})
    core = get_core_addons(OdooSeries.v18_0)
    wanted_reqs = {"odoo==18.0.*"} | {
        overrides.get(d, f"odoo-addon-{d}==18.0.*")
        for d in manifest["depends"]
        if d not in core
    }
    wanted = {
        "wheel": f"odoo_addon_{ADDON}-{version}-py3-none-any.whl",
        "Name": f"odoo-addon-{ADDON}",
        "Version": version,
        "License": manifest["license"],
        "Description-Content-Type": "text/x-rst",
    }
    got = dict(meta.items(), wheel=os.path.basename(wheel))
    errors = [
        f"{k}: {got.get(k)!r}, expected {v!r}"
        for k, v in wanted.items()
        if got.get(k) != v
    ]
    if requires != wanted_reqs:
        errors.append(
            f"Requires-Dist: {sorted(requires)}, expected {sorted(wanted_reqs)}"
        )
    classifiers = set(meta.get_all("Classifier") or [])
    errors += [f"Classifier {c!r} missing" for c in CLASSIFIERS - classifiers]
    # helpdesk_mgmt_sla: the 18.0.2.x series only
    for req in map(Requirement, requires):
        series = [req.specifier.contains(v) for v in ("18.0.2.1.1", "18.0.3.0")]
        if req.name == "odoo-addon-helpdesk_mgmt_sla" and series != [True, False]:
            errors.append(f"{req} is not the 18.0.2.x series")
    return errors


def check_files(in_wheel, manifest, files):
    required = [*REQUIRED, *manifest.get("data", []), *manifest.get("demo", [])]
    errors = [f"{f} missing from the wheel" for f in required if f not in in_wheel]
    for bundle, globs in manifest.get("assets", {}).items():
        for glob in globs:
            if not fnmatch.filter(in_wheel, glob.removeprefix(f"{ADDON}/")):
                errors.append(f"asset {glob} ({bundle}) matches no file of the wheel")
    is_dev = lambda f: any(fnmatch.fnmatchcase(f, p) for p in DEVELOPMENT)  # noqa: E731
    wanted = {f for f in files if f != "pyproject.toml" and not is_dev(f)}
    errors += [f"exported file {f} missing from the wheel" for f in wanted - in_wheel]
    for f in sorted(in_wheel - wanted):
        why = "mark it export-ignore" if is_dev(f) else "not an exported file"
        errors.append(f"{f} in the wheel: {why}")
    return errors


def main(argv):
    if len(argv) != 1:
        sys.exit(__doc__)
    manifest = ast.literal_eval(Path(ROOT, "__manifest__.py").read_text())
    pyproject = tomllib.loads(Path(ROOT, "pyproject.toml").read_text())
    files, ignored = exported_files()
    wheel = build(os.path.abspath(argv[0]), files)
    prefix = f"odoo/addons/{ADDON}/"
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        meta_name = next(n for n in names if n.endswith(".dist-info/METADATA"))
        meta = email.parser.HeaderParser().parsestr(zf.read(meta_name).decode())
    in_wheel = {n.removeprefix(prefix) for n in names if n.startswith(prefix)}
    errors = check_metadata(wheel, meta, manifest, pyproject)
    errors += check_files(in_wheel, manifest, files)
    requires = ", ".join(sorted(meta.get_all("Requires-Dist") or []))
    print(f"wheel {os.path.basename(wheel)}: " + ("FAILED" if errors else "OK"), end="")
    print(
        "".join(f"\n  - {e}" for e in errors)
        or f" ({len(in_wheel)} files, "
        f"{len(ignored)} development files left out; requires {requires})"
    )
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
