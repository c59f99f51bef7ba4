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

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPT = os.path.join(HERE, "setup_machine.sh")
BASH = shutil.which("bash")
# real utilities the script needs besides the stubbed ones
REAL_TOOLS = (
    "awk cat dirname env ls mkdir rm sed seq sleep sort tail timeout tr"
).split()
# commands each (stubbed) Debian package brings
PACKAGE_COMMANDS = {
    "postgresql": ["pg_lsclusters", "pg_ctlcluster", "pg_createcluster"]
    + ["psql", "pg_isready", "createuser"],
    "postgresql-client": ["psql", "pg_isready", "createuser"],
    "wkhtmltopdf": ["wkhtmltopdf"],
    "chromium": ["chromium"],
    "poppler-utils": ["pdftoppm"],
    "nodejs": ["node"],
    "npm": ["npm"],
    "python3": ["python3"],
    "sudo": ["sudo"],
}
RUNTIME = [
    "postgresql",
    "postgresql-client",
    "wkhtmltopdf",
    "chromium",
    "poppler-utils",
    "nodejs",
    "npm",
    "python3",
]
BUILD = [
    "build-essential",
    "libpq-dev",
    "libldap2-dev",
    "libsasl2-dev",
    "libxml2-dev",
    "libxslt1-dev",
]
# what a Debian 12 python3 says: externally managed, no venv module's pip
DEBIAN_PY = {"odoo": "", "managed": 1, "pip": 0, "ensurepip": 0, "headers": 0}
ODOO_PY = {"odoo": "/opt/odoo18", "managed": 0, "pip": 1, "ensurepip": 1, "headers": 1}

STUB = r"""#!{python}
import json, os, subprocess, sys

name = os.path.basename(sys.argv[0])
args = sys.argv[1:]
state_file = os.environ["STUB_STATE"]
with open(state_file) as f:
    state = json.load(f)
root = os.environ.get("STUB_ROOT") == "1" or state["uid"] == 0
with open(os.environ["STUB_LOG"], "a") as f:
    f.write(json.dumps([name, args, "root" if root else state["user"],
                        os.environ.get("STUB_AS", "")]) + "\n")


def save():
    with open(state_file, "w") as f:
        json.dump(state, f)


def add_command(cmd):
    path = os.path.join(os.environ["STUB_CMDS"], cmd)
    if not os.path.lexists(path):
        os.symlink(os.environ["STUB_SCRIPT"], path)


def ex(argv, **env):
    sys.exit(subprocess.call(argv, env=dict(os.environ, **env)))


if name == "id":
    print(0 if root else state["uid"]) if args == ["-u"] else print(
        "root" if root else state["user"])
elif name == "sudo":
    if not state.get("sudo_ok", True):
        print("sudo: a password is required", file=sys.stderr)
        sys.exit(1)
    extra = {}
    while args and args[0].startswith("-"):
        opt = args.pop(0)
        if opt == "-u":
            extra["STUB_AS"] = args.pop(0)
    ex(args, STUB_ROOT="1", **extra)
elif name == "runuser":
    if not root:
        sys.exit(1)
    user = args[args.index("-u") + 1]
    ex(args[args.index("--") + 1:], STUB_AS=user)
elif name == "dpkg-query":
    for pkg in [a for a in args if not a.startswith("-")]:
        print(pkg, "installed" if pkg in state["dpkg"] else "not-installed")
elif name == "apt-get":
    if not root:
        print("E: are you root?", file=sys.stderr)
        sys.exit(100)
    if args[0] == "install":
        for pkg in [a for a in args[1:] if not a.startswith("-")]:
            state["dpkg"].append(pkg)
            for cmd in {commands}.get(pkg, []):
                add_command(cmd)
            if pkg == "python3":
                state["base_probe"] = dict({debian_py})
            if pkg == "python3-venv":
                state["base_probe"]["ensurepip"] = 1
            if pkg == "python3-dev":
                state["base_probe"]["headers"] = 1
            if pkg == "postgresql":
                state["clusters"] = state["clusters"] or [["15", "main", "5432"]]
        save()
elif name == "pg_isready":
    sys.exit(0 if state["pg_running"] else 2)
elif name == "pg_lsclusters":
    for ver, cl, port in state["clusters"]:
        print(ver, cl, port, "online" if state["pg_running"] else "down",
              "postgres", "/var/lib/postgresql/%s/%s" % (ver, cl))
elif name == "pg_ctlcluster":
    if not root:
        sys.exit(1)
    state["pg_running"] = True
    save()
elif name == "psql":
    sys.exit(0 if state["pg_running"] and state["role"] else 2)
elif name == "createuser":
    if os.environ.get("STUB_AS") != "postgres":
        sys.exit(1)
    state["role"] = True
    save()
elif name in ("python3", "python"):
    venv = not sys.argv[0].startswith(os.environ["STUB_CMDS"])
    key = "venv_probe" if venv else "base_probe"
    if args[:1] == ["-c"] and "# setup-probe" in args[1]:
        probe = state[key]
        print(" ".join("%s=%s" % kv for kv in sorted(probe.items())))
    elif args[:1] == ["-c"] and "# setup-fetch" in args[1]:
        if not state.get("download_ok"):
            sys.exit(1)
        for path in args[3:5]:
            open(path, "w").close()
    elif args[:2] == ["-m", "venv"]:
        os.makedirs(os.path.join(args[2], "bin"))
        os.symlink(os.environ["STUB_SCRIPT"], os.path.join(args[2], "bin", "python"))
        state["venv_probe"] = dict(odoo="", managed=0, pip=1, ensurepip=1, headers=1)
        save()
    elif args[:3] == ["-m", "pip", "install"]:
        target = [a for a in args[3:] if not a.startswith("-")]
        if target and target[-1].endswith(".tar.gz"):
            state[key]["odoo"] = "/site-packages"
        elif "-r" not in args:
            state["pip_missing"] = ""
        save()
    elif args[:1] == ["-c"] and "# setup-missing" in args[1]:
        print(state.get("pip_missing", ""))
# every other command (npm, chromium...) succeeds and does nothing
"""


class SetupMachineTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="setup-test-")
        self.addCleanup(shutil.rmtree, self.tmp)
        self.tools = os.path.join(self.tmp, "tools")  # always there
        self.cmds = os.path.join(self.tmp, "cmds")  # installed packages' commands
        self.node_dir = os.path.join(self.tmp, "addon")
        for d in (self.tools, self.cmds, self.node_dir):
            os.makedirs(d)
        self.stub = os.path.join(self.tmp, "stub")
        with open(self.stub, "w") as f:
            f.write(
                STUB.replace("{python}", sys.executable)
                .replace("{commands}", repr(PACKAGE_COMMANDS))
                .replace("{debian_py}", repr(DEBIAN_PY))
            )
        os.chmod(self.stub, 0o755)
        for tool in ("apt-get", "dpkg-query", "id", "runuser"):
            os.symlink(self.stub, os.path.join(self.tools, tool))
        for tool in REAL_TOOLS:
            os.symlink(shutil.which(tool), os.path.join(self.tools, tool))
        with open(os.path.join(self.node_dir, "package-lock.json"), "w") as f:
            f.write("{}")
        self.state_file = os.path.join(self.tmp, "state.json")
        self.log_file = os.path.join(self.tmp, "calls.log")

    # -- fixtures
    def machine(self, installed, uid=0, sudo=True, pg_running=True, role=True, **kw):
        """A machine where the Debian packages `installed` are present."""
        state = {
            "dpkg": list(installed),
            "uid": uid,
            "user": "root" if uid == 0 else "dev",
            "sudo_ok": sudo,
            "pg_running": pg_running,
            "role": role,
            "clusters": [["15", "main", "5432"]] if "postgresql" in installed else [],
            "base_probe": dict(ODOO_PY),
            "venv_probe": {},
            "pip_missing": "",
            "download_ok": True,
        }
        state.update(kw)
        for pkg in list(installed) + (["sudo"] if sudo is not None else []):
            for cmd in PACKAGE_COMMANDS.get(pkg, []):
                path = os.path.join(self.cmds, cmd)
                if not os.path.lexists(path):
                    os.symlink(self.stub, path)
        with open(self.state_file, "w") as f:
            json.dump(state, f)

    def node_modules_present(self):
        nm = os.path.join(self.node_dir, "node_modules")
        os.makedirs(os.path.join(nm, ".bin"))
        os.makedirs(os.path.join(nm, "@prettier", "plugin-xml"))
        for path in (".bin/prettier", "@prettier/plugin-xml/package.json"):
            with open(os.path.join(nm, path), "w") as f:
                f.write("{}")
        os.chmod(os.path.join(nm, ".bin", "prettier"), 0o755)
        with open(os.path.join(nm, ".package-lock.json"), "w") as f:
            f.write("{}")
        os.utime(os.path.join(self.node_dir, "package-lock.json"), (0, 0))

    def run_setup(self, *args):
        env = {
            "PATH": self.cmds + ":" + self.tools,
            "HOME": self.tmp,
            "STUB_STATE": self.state_file,
            "STUB_LOG": self.log_file,
            "STUB_CMDS": self.cmds,
            "STUB_SCRIPT": self.stub,
            "SETUP_BUILD_DIR": os.path.join(self.tmp, "build"),
        }
        argv = [BASH, SCRIPT, "--node-dir", self.node_dir, "--pip", "ruff==0.9.9"]
        proc = subprocess.run(
            argv + list(args),
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=60,
        )
        self.output = proc.stdout + proc.stderr
        self.calls = []
        if os.path.exists(self.log_file):
            with open(self.log_file) as f:
                self.calls = [json.loads(line) for line in f]
        with open(self.state_file) as f:
            self.state = json.load(f)
        return proc.returncode

    def called(self, name):
        return [c for c in self.calls if c[0] == name]

    def apt_installs(self):
        """Packages of each `apt-get install`, with who ran it."""
        return [
            (sorted(a for a in args[1:] if not a.startswith("-")), who)
            for _name, args, who, _as in self.called("apt-get")
            if args[0] == "install"
        ]

    # -- tests
    def test_all_present_does_nothing(self):
        self.machine(RUNTIME)
        self.node_modules_present()
        self.assertEqual(self.run_setup(), 0, self.output)
        for cmd in ("apt-get", "sudo", "pg_ctlcluster", "createuser", "runuser", "npm"):
            self.assertEqual(self.called(cmd), [], cmd)
        pip_installs = [
            c for c in self.called("python3") if c[1][:3] == ["-m", "pip", "install"]
        ]
        self.assertEqual(pip_installs, [])
        self.assertIn("Debian packages: all present", self.output)
        self.assertIn("setup: nothing to install", self.output.splitlines()[-1])

    def test_fresh_debian_as_root(self):
        """A fresh Debian 12 container: no package, no python3, no sudo."""
        self.machine([], sudo=None, pg_running=False, role=False, base_probe={})
        self.assertEqual(self.run_setup(), 0, self.output)
        expected = RUNTIME + BUILD + ["python3-dev", "python3-venv", "python3-pip"]
        self.assertEqual(self.apt_installs(), [(sorted(expected), "root")])
        updates = [c for c in self.called("apt-get") if c[1][0] == "update"]
        self.assertEqual(len(updates), 1)
        self.assertEqual(self.called("sudo"), [])
        # PostgreSQL started, role created as postgres, Odoo into a venv
        self.assertEqual(self.called("pg_ctlcluster")[0][1], ["15", "main", "start"])
        self.assertEqual(self.called("createuser")[0][1], ["--superuser", "root"])
        self.assertEqual(self.called("createuser")[0][3], "postgres")
        venvs = [c for c in self.called("python3") if c[1][:2] == ["-m", "venv"]]
        self.assertEqual(len(venvs), 1)
        self.assertEqual(self.state["venv_probe"]["odoo"], "/site-packages")
        self.assertEqual(self.state["base_probe"]["odoo"], "")
        venv_installs = [
            c[1] for c in self.called("python") if c[1][:2] == ["-m", "pip"]
        ]
        self.assertIn("-r", venv_installs[1])  # the nightly's requirements.txt first
        self.assertTrue(venv_installs[2][-1].endswith("odoo_18.0.latest.tar.gz"))
        self.assertEqual(len(self.called("npm")), 1)
        self.assertTrue(self.output.splitlines()[-1].startswith("setup: done in"))

    def test_second_run_after_fresh_install_does_nothing(self):
        self.machine([], sudo=None, pg_running=False, role=False, base_probe={})
        self.assertEqual(self.run_setup(), 0, self.output)
        self.node_modules_present()
        os.remove(self.log_file)
        self.assertEqual(self.run_setup(), 0, self.output)
        self.assertEqual(self.called("apt-get"), [])
        self.assertEqual(self.called("createuser"), [])
        self.assertIn("python imports it from /site-packages", self.output)
        self.assertIn("setup: nothing to install", self.output.splitlines()[-1])

    def test_some_missing_through_sudo(self):
        """Not root: exactly the missing packages, through sudo; PostgreSQL
        down and no role: started and created through sudo."""
        installed = [p for p in RUNTIME if p not in ("wkhtmltopdf", "poppler-utils")]
        self.machine(installed, uid=1000, pg_running=False, role=False)
        self.node_modules_present()
        self.assertEqual(self.run_setup(), 0, self.output)
        self.assertEqual(
            self.apt_installs(), [(["poppler-utils", "wkhtmltopdf"], "root")]
        )
        sudo_cmds = [c[1] for c in self.called("sudo")]
        self.assertIn(
            ["-n", "env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install"],
            [a[:5] for a in sudo_cmds],
        )
        self.assertIn(["-n", "pg_ctlcluster", "15", "main", "start"], sudo_cmds)
        self.assertIn(
            ["-n", "-u", "postgres", "createuser", "--superuser", "dev"], sudo_cmds
        )
        self.assertEqual(self.called("createuser")[0][3], "postgres")

    def test_not_root_without_sudo_says_what_to_run(self):
        installed = [p for p in RUNTIME if p != "chromium"]
        self.machine(installed, uid=1000, sudo=None)
        self.assertEqual(self.run_setup(), 1)
        self.assertEqual(self.called("apt-get"), [])
        self.assertIn("needs root and sudo is not installed", self.output)
        self.assertIn(
            "apt-get install -y --no-install-recommends chromium", self.output
        )

    def test_sudo_refused_says_what_to_run(self):
        self.machine([p for p in RUNTIME if p != "npm"], uid=1000, sudo=False)
        self.assertEqual(self.run_setup(), 1)
        self.assertIn("apt-get install -y --no-install-recommends npm", self.output)

    def test_commands_count_as_packages(self):
        """npm bundled with NodeSource's nodejs, postgresql-client-15 instead of
        the postgresql-client metapackage: nothing to ask for."""
        installed = [p for p in RUNTIME if p not in ("npm", "postgresql-client")]
        self.machine(installed)
        for cmd in ("npm", "psql", "pg_isready"):
            if not os.path.lexists(os.path.join(self.cmds, cmd)):
                os.symlink(self.stub, os.path.join(self.cmds, cmd))
        self.node_modules_present()
        self.assertEqual(self.run_setup(), 0, self.output)
        self.assertEqual(self.called("apt-get"), [])

    def test_odoo_missing_python_not_managed(self):
        """A pyenv-like python3 (not externally managed, its own headers):
        build packages only, no venv, Odoo into that python3."""
        probe = dict(ODOO_PY, odoo="")
        self.machine(RUNTIME, base_probe=probe)
        self.node_modules_present()
        self.assertEqual(self.run_setup(), 0, self.output)
        self.assertEqual(self.apt_installs(), [(sorted(BUILD), "root")])
        self.assertEqual(
            [c for c in self.called("python3") if c[1][:2] == ["-m", "venv"]], []
        )
        self.assertEqual(self.state["base_probe"]["odoo"], "/site-packages")
        self.assertIn("installed into python3", self.output)

    def test_odoo_download_fails_clearly(self):
        self.machine(
            RUNTIME + BUILD + ["python3-dev", "python3-venv"],
            base_probe=dict(DEBIAN_PY, ensurepip=1, headers=1),
            download_ok=False,
        )
        self.assertEqual(self.run_setup(), 1)
        self.assertEqual(self.called("apt-get"), [])
        self.assertIn("could not be downloaded", self.output)
        self.assertIn("install Odoo 18.0 from source", self.output)

    def test_lint_steps_probe_nothing(self):
        """`make lint`'s set-up (python and node only) asks neither apt nor
        PostgreSQL nor what python3 imports."""
        self.machine(RUNTIME)
        self.node_modules_present()
        self.assertEqual(self.run_setup("--steps", "python,node"), 0, self.output)
        names = {c[0] for c in self.calls}
        self.assertEqual(names, {"python3"})
        self.assertEqual(len(self.called("python3")), 1)  # the missing requirements
        self.assertIn("setup: nothing to install", self.output.splitlines()[-1])

    def test_missing_python_packages_installed(self):
        self.machine(RUNTIME, pip_missing="'ruff==0.9.9'")
        self.node_modules_present()
        self.assertEqual(self.run_setup(), 0, self.output)
        pip = [
            c[1] for c in self.called("python3") if c[1][:3] == ["-m", "pip", "install"]
        ]
        self.assertEqual(pip, [["-m", "pip", "install", "ruff==0.9.9"]])


if __name__ == "__main__":
    result = unittest.main(
        exit=False, verbosity=1 if "-v" not in sys.argv else 2
    ).result
    failed = len(result.failures) + len(result.errors)
    print(f"setup script tests: {result.testsRun - failed} passed, {failed} failed")
    sys.exit(1 if failed or not result.testsRun else 0)
