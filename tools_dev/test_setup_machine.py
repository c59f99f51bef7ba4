#!/usr/bin/env python3
"""Tests of tools_dev/setup_machine.sh with no network and no root.

Each test runs the script with a PATH made only of stubs (apt-get, sudo,
dpkg-query, pg_isready, pg_lsclusters, pg_ctlcluster, psql, createuser,
runuser, id, python3, npm...) and a few real coreutils. The stubs share a JSON
state (installed packages, PostgreSQL up or down, role present, what each
interpreter imports) that the "installing" stubs change, and log every call:
the tests assert which packages the script asks for, through which command,
and that it does nothing when everything is there.

Usage: python3 tools_dev/test_setup_machine.py [-v]   (no Odoo, no network)
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPT = os.path.join(HERE, "setup_machine.sh")
BASH = shutil.which("bash")
# real utilities the script needs besides the stubbed ones
REAL_TOOLS = (
    "awk cat dirname env ls mkdir rm sed seq sleep sort tail timeout tr"
).split()
# commands each (stubbed) Debian package brings
PACKAGE_COMMANDS = {
    "postgresql": "pg_lsclusters pg_ctlcluster pg_createcluster psql pg_isready "
    "createuser",
    "postgresql-client": "psql pg_isready createuser",
    "poppler-utils": "pdftoppm",
    "nodejs": "node",
}
RUNTIME = "postgresql postgresql-client wkhtmltopdf chromium poppler-utils nodejs npm"
RUNTIME = RUNTIME.split() + ["python3"]
BUILD = "build-essential libpq-dev libldap2-dev libsasl2-dev libxml2-dev libxslt1-dev"
BUILD = BUILD.split()
# what a Debian 12 python3 says: externally managed, no venv module's pip
DEBIAN_PY = {"odoo": "", "managed": 1, "pip": 0, "ensurepip": 0, "headers": 0}
ODOO_PY = {"odoo": "/opt/odoo18", "managed": 0, "pip": 1, "ensurepip": 1, "headers": 1}

STUB = r"""#!{python}
import json, os, subprocess, sys

name, args, env = os.path.basename(sys.argv[0]), sys.argv[1:], os.environ
with open(env["STUB_STATE"]) as f:
    state = json.load(f)
root = env.get("STUB_ROOT") == "1" or state["uid"] == 0
user = "root" if root else state["user"]
with open(env["STUB_LOG"], "a") as f:
    f.write(json.dumps([name, args, user, env.get("STUB_AS", "")]) + "\n")
words = [a for a in args if not a.startswith("-")]


def ex(argv, **extra):
    sys.exit(subprocess.call(argv, env=dict(env, **extra)))


if name == "id":
    print(0 if root else state["uid"]) if args == ["-u"] else print(user)
elif name == "sudo":
    if not state["sudo_ok"]:
        sys.exit("sudo: a password is required")
    as_user = {"STUB_AS": args[args.index("-u") + 1]} if "-u" in args else {}
    ex(args[args.index(words[1 if as_user else 0]):], STUB_ROOT="1", **as_user)
elif name == "runuser":
    ex(args[args.index("--") + 1:], STUB_AS=args[1]) if root else sys.exit(1)
elif name == "dpkg-query":
    for pkg in words:
        print(pkg, "installed" if pkg in state["dpkg"] else "not-installed")
elif name == "apt-get" and not root:
    sys.exit(100)
elif name == "apt-get" and args[0] == "install":
    for pkg in words[1:]:
        state["dpkg"].append(pkg)
        for cmd in {commands}.get(pkg, pkg).split():
            path = os.path.join(env["STUB_CMDS"], cmd)
            os.path.lexists(path) or os.symlink(env["STUB_SCRIPT"], path)
        if pkg == "python3":
            state["base_probe"] = dict({debian_py})
        if pkg in ("python3-venv", "python3-dev"):
            state["base_probe"]["ensurepip" if pkg[8] == "v" else "headers"] = 1
        if pkg == "postgresql":
            state["clusters"] = state["clusters"] or [["15", "main", "5432"]]
elif name == "pg_isready":
    sys.exit(0 if state["pg_running"] else 2)
elif name == "pg_lsclusters":
    for ver, cl, port in state["clusters"]:
        up = "online" if state["pg_running"] else "down"
        print(ver, cl, port, up, "postgres", "/var/lib/postgresql/%s/%s" % (ver, cl))
elif name == "pg_ctlcluster":
    state["pg_running"] = root or sys.exit(1)
elif name == "psql":
    sys.exit(0 if state["pg_running"] and state["role"] else 2)
elif name == "createuser":
    state["role"] = env.get("STUB_AS") == "postgres" or sys.exit(1)
elif name in ("python3", "python"):
    base = sys.argv[0].startswith(env["STUB_CMDS"])
    probe = state["base_probe" if base else "venv_probe"]
    code = args[1] if args[:1] == ["-c"] else ""
    if "# setup-probe" in code:
        print(" ".join("%s=%s" % kv for kv in sorted(probe.items())))
    elif "# setup-fetch" in code:
        state["download_ok"] or sys.exit(1)
        [open(path, "w").close() for path in args[3:5]]
    elif "# setup-missing" in code:
        print(state["pip_missing"])
    elif args[:2] == ["-m", "venv"]:
        os.makedirs(os.path.join(args[2], "bin"))
        os.symlink(env["STUB_SCRIPT"], os.path.join(args[2], "bin", "python"))
        state["venv_probe"] = dict(odoo="", managed=0, pip=1, ensurepip=1, headers=1)
    elif args[:3] == ["-m", "pip", "install"] and words[-1].endswith(".tar.gz"):
        probe["odoo"] = "/site-packages"
    elif args[:3] == ["-m", "pip", "install"] and "-r" not in args:
        state["pip_missing"] = ""
# every other command (npm, chromium...) succeeds and does nothing
with open(env["STUB_STATE"], "w") as f:
    json.dump(state, f)
"""


def when(**probe):
    return dict(ODOO_PY, **probe)


FRESH = dict(installed=[], sudo=None, pg_running=False, role=False, base_probe={})
PIP = "-m pip install --timeout 30 --retries 2"
# name: the machine (SetupMachineTest.machine's arguments), node_modules present
# or not, the script's extra arguments, its exit code, the packages of each
# `apt-get install` (all run as root), [command, start of its arguments, how
# many calls, as whom (STUB_AS) or None], strings in the output, the last line
# start, the stubs' state afterwards
CASES = {
    "all_present_does_nothing": dict(
        machine=dict(installed=RUNTIME),
        calls=[[c, "", 0] for c in ("apt-get", "sudo", "pg_ctlcluster")]
        + [[c, "", 0] for c in ("createuser", "runuser", "npm")]
        + [["python3", "-m pip install", 0]],
        out=["Debian packages: all present"],
        last="setup: nothing to install",
    ),
    "fresh_debian_as_root": dict(  # no package, no python3, no sudo
        machine=FRESH,
        node=False,
        apt=[RUNTIME + BUILD + ["python3-dev", "python3-venv", "python3-pip"]],
        calls=[
            ["apt-get", "update", 1],
            ["sudo", "", 0],
            ["pg_ctlcluster", "15 main start", 1],
            ["createuser", "--superuser root", 1, "postgres"],
            ["python3", "-m venv", 1],
            ["python", f"{PIP} -r", 1],  # the nightly's requirements.txt
            ["python", f"{PIP} /", 1],  # then the tarball
            ["npm", "", 1],
        ],
        last="setup: done in",
        state={"venv_probe": "/site-packages", "base_probe": ""},
    ),
    "second_run_after_fresh_install_does_nothing": dict(
        machine=FRESH,
        first_run=True,
        calls=[["apt-get", "", 0], ["createuser", "", 0]],
        out=["python imports it from /site-packages"],
        last="setup: nothing to install",
    ),
    "some_missing_through_sudo": dict(  # PostgreSQL down and no role too
        machine=dict(
            installed=[p for p in RUNTIME if p not in ("wkhtmltopdf", "poppler-utils")],
            uid=1000,
            pg_running=False,
            role=False,
        ),
        apt=[["poppler-utils", "wkhtmltopdf"]],
        calls=[
            ["sudo", "-n env DEBIAN_FRONTEND=noninteractive apt-get install", 1],
            ["sudo", "-n pg_ctlcluster 15 main start", 1],
            ["sudo", "-n -u postgres createuser --superuser dev", 1],
            ["createuser", "", 1, "postgres"],
        ],
    ),
    "not_root_without_sudo_says_what_to_run": dict(
        machine=dict(installed=RUNTIME[:3] + RUNTIME[4:], uid=1000, sudo=None),
        rc=1,
        calls=[["apt-get", "", 0]],
        out=[
            "needs root and sudo is not installed",
            "apt-get install -y --no-install-recommends chromium",
        ],
    ),
    "sudo_refused_says_what_to_run": dict(
        machine=dict(installed=RUNTIME[:6] + RUNTIME[7:], uid=1000, sudo=False),
        rc=1,
        out=["apt-get install -y --no-install-recommends npm"],
    ),
    # npm bundled with NodeSource's nodejs, postgresql-client-15 instead of
    # the postgresql-client metapackage: nothing to ask for
    "commands_count_as_packages": dict(
        machine=dict(installed=RUNTIME[:1] + RUNTIME[2:6] + RUNTIME[7:]),
        commands=["npm", "psql", "pg_isready"],
        calls=[["apt-get", "", 0]],
    ),
    # a pyenv-like python3 (not externally managed, its own headers): build
    # packages only, no venv, Odoo into that python3
    "odoo_missing_python_not_managed": dict(
        machine=dict(installed=RUNTIME, base_probe=when(odoo="")),
        apt=[BUILD],
        calls=[["python3", "-m venv", 0]],
        out=["installed into python3"],
        state={"base_probe": "/site-packages"},
    ),
    "odoo_download_fails_clearly": dict(
        machine=dict(
            installed=RUNTIME + BUILD + ["python3-dev", "python3-venv"],
            base_probe=dict(DEBIAN_PY, ensurepip=1, headers=1),
            download_ok=False,
        ),
        rc=1,
        calls=[["apt-get", "", 0]],
        out=["could not be downloaded", "install Odoo 18.0 from source"],
    ),
    # `make lint`'s set-up asks neither apt nor PostgreSQL nor what python3
    # imports: one call, for the missing requirements
    "lint_steps_probe_nothing": dict(
        machine=dict(installed=RUNTIME),
        args=["--steps", "python,node"],
        calls=[["python3", "", 1]],
        only=["python3"],
        last="setup: nothing to install",
    ),
    "missing_python_packages_installed": dict(
        machine=dict(installed=RUNTIME, pip_missing="'ruff==0.9.9'"),
        calls=[["python3", "-m pip install ruff==0.9.9", 1]],
    ),
}


class SetupMachineTest(unittest.TestCase):
    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="setup-test-"))
        self.addCleanup(shutil.rmtree, self.tmp)
        # tools: always there; cmds: the installed packages' commands
        self.tools, self.cmds, self.node_dir = (
            self.tmp / d for d in ("tools", "cmds", "addon")
        )
        for d in (self.tools, self.cmds, self.node_dir):
            d.mkdir()
        self.stub = self.tmp / "stub"
        self.stub.write_text(
            STUB.replace("{python}", sys.executable)
            .replace("{commands}", repr(PACKAGE_COMMANDS))
            .replace("{debian_py}", repr(DEBIAN_PY))
        )
        self.stub.chmod(0o755)
        for tool in ("apt-get", "dpkg-query", "id", "runuser"):
            (self.tools / tool).symlink_to(self.stub)
        for tool in REAL_TOOLS:
            (self.tools / tool).symlink_to(shutil.which(tool))
        (self.node_dir / "package-lock.json").write_text("{}")
        self.state_file, self.log_file = self.tmp / "state.json", self.tmp / "calls.log"

    def machine(self, installed, uid=0, sudo=True, pg_running=True, role=True, **kw):
        """A machine where the Debian packages `installed` are present."""
        state = dict(dpkg=list(installed), uid=uid, user="root" if uid == 0 else "dev")
        state.update(sudo_ok=sudo, pg_running=pg_running, role=role, venv_probe={})
        state.update(base_probe=dict(ODOO_PY), pip_missing="", download_ok=True)
        state["clusters"] = [["15", "main", "5432"]] * ("postgresql" in installed)
        state.update(kw)
        for pkg in list(installed) + (["sudo"] if sudo is not None else []):
            self.commands(PACKAGE_COMMANDS.get(pkg, pkg).split())
        self.state_file.write_text(json.dumps(state))

    def commands(self, names):
        for cmd in names:
            if not (self.cmds / cmd).is_symlink():
                (self.cmds / cmd).symlink_to(self.stub)

    def node_modules_present(self):
        nm = self.node_dir / "node_modules"
        for path in (".bin/prettier", "@prettier/plugin-xml/package.json"):
            (nm / path).parent.mkdir(parents=True)
            (nm / path).write_text("{}")
        (nm / ".bin/prettier").chmod(0o755)
        (nm / ".package-lock.json").write_text("{}")
        os.utime(self.node_dir / "package-lock.json", (0, 0))

    def run_setup(self, *args):
        env = dict(PATH=f"{self.cmds}:{self.tools}", HOME=str(self.tmp))
        env.update(STUB_STATE=str(self.state_file), STUB_LOG=str(self.log_file))
        env.update(STUB_CMDS=str(self.cmds), STUB_SCRIPT=str(self.stub))
        env["SETUP_BUILD_DIR"] = str(self.tmp / "build")
        argv = [BASH, SCRIPT, "--node-dir", self.node_dir, "--pip", "ruff==0.9.9"]
        proc = subprocess.run(
            argv + list(args), env=env, stdin=subprocess.DEVNULL, capture_output=True
        )
        self.output = (proc.stdout + proc.stderr).decode()
        self.calls = [
            json.loads(line) for line in self.log_file.read_text().splitlines()
        ]
        self.state = json.loads(self.state_file.read_text())
        return proc.returncode

    def check(self, case):
        self.machine(**case["machine"])
        self.commands(case.get("commands", []))
        if case.get("first_run"):
            self.assertEqual(self.run_setup(), 0, self.output)
            self.log_file.unlink()
        if case.get("node", True):
            self.node_modules_present()
        self.assertEqual(
            self.run_setup(*case.get("args", [])), case.get("rc", 0), self.output
        )
        installs = [
            sorted(a for a in args[1:] if not a.startswith("-"))
            for name, args, who, __ in self.calls
            if name == "apt-get" and args[0] == "install" and who == "root"
        ]
        if "apt" in case:
            self.assertEqual(installs, [sorted(p) for p in case["apt"]])
        for name, prefix, count, *who in case.get("calls", []):
            calls = [
                c
                for c in self.calls
                if c[0] == name and " ".join(c[1]).startswith(prefix)
            ]
            self.assertEqual(len(calls), count, (name, prefix, self.calls))
            if who:
                self.assertEqual({c[3] for c in calls}, set(who), name)
        if "only" in case:
            self.assertEqual({c[0] for c in self.calls}, set(case["only"]))
        for text in case.get("out", []):
            self.assertIn(text, self.output)
        self.assertTrue(self.output.splitlines()[-1].startswith(case.get("last", "")))
        for probe, odoo in case.get("state", {}).items():
            self.assertEqual(self.state[probe]["odoo"], odoo)


for _name, _case in CASES.items():
    setattr(SetupMachineTest, f"test_{_name}", lambda self, c=_case: self.check(c))

if __name__ == "__main__":
    result = unittest.main(exit=False, verbosity=2 if "-v" in sys.argv else 1).result
    failed = len(result.failures) + len(result.errors)
    print(f"setup script tests: {result.testsRun - failed} passed, {failed} failed")
    sys.exit(1 if failed or not result.testsRun else 0)
