#!/usr/bin/env bash
# Set up this machine for `make run` / `make test` (and CI's `.ci/run`), doing
# only what is missing, each step saying what it did and how long it took
# (docs/DEVELOP.md): system (the Debian packages, through sudo when not root),
# postgresql (started, the current user's role), odoo (18.0 from the official
# nightly source, into $VENV when the system Python is externally managed),
# python (the --pip requirements not satisfied), node (`npm ci` in --node-dir).
#
# Usage: tools_dev/setup_machine.sh [--steps system,postgresql,odoo,python,node]
#            [--pip REQUIREMENT]... [--node-dir DIR]
# Environment: PYTHON_BASE (python3), VENV (.build/venv), ODOO_NIGHTLY_URL,
#   ODOO_INSTALL_TIMEOUT (seconds, 900), SETUP_BUILD_DIR (.build).
# Last line: "setup: nothing to install (T s)" or "setup: done in T s (...)";
# exit 1 with a message saying what to do when a step cannot be done.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
PYTHON_BASE="${PYTHON_BASE:-python3}"
BUILD="${SETUP_BUILD_DIR:-$root/.build}"
VENV="${VENV:-$BUILD/venv}"
ODOO_NIGHTLY_URL="${ODOO_NIGHTLY_URL:-https://nightly.odoo.com/18.0/nightly/src/odoo_18.0.latest.tar.gz}"
ODOO_INSTALL_TIMEOUT="${ODOO_INSTALL_TIMEOUT:-900}"

steps="system,postgresql,odoo,python,node"
pip_reqs=()
node_dir=""
while [ $# -gt 0 ]; do
    case "$1" in
    --steps) steps="$2"; shift 2 ;;
    --pip) pip_reqs+=("$2"); shift 2 ;;
    --node-dir) node_dir="$2"; shift 2 ;;
    *) echo "setup: unknown argument $1" >&2; exit 2 ;;
    esac
done
want() { [[ ",$steps," == *",$1,"* ]]; }

# ------------------------------------------------------------------ helpers
t_all="${EPOCHREALTIME/./}"
done_steps=()
t0=0
step_start() { t0="${EPOCHREALTIME/./}"; }
elapsed() { # seconds since $1 (microseconds), one decimal
    local d=$((${EPOCHREALTIME/./} - $1))
    printf '%d.%d s' $((d / 1000000)) $((d / 100000 % 10))
}
step_end() { # "label" "what happened" [done: it did something]
    echo "[setup] $1: $2 ($(elapsed "$t0"))"
    if [ "${3:-}" = done ]; then done_steps+=("$1"); fi
}
run() { echo "  + $*"; "$@"; }
die() { printf '\nsetup: ERROR: %s\n' "$*" >&2; exit 1; }
have() { command -v "$1" >/dev/null 2>&1; }

# root, else sudo (non-interactive when there is no terminal to ask a password)
SUDO=()
need_root() { # $1: what for, $2: the command to run as root
    if [ "$(id -u)" -eq 0 ]; then SUDO=(); return; fi
    have sudo || die "$1 needs root and sudo is not installed: run as root: $2"
    if [ -t 0 ]; then SUDO=(sudo); else SUDO=(sudo -n); fi
}

# Everything the probe says about an interpreter, on one line of key=value.
# shellcheck disable=SC2016
PROBE='# setup-probe
import os, sys, sysconfig, importlib.util as u
try:
    import odoo.release as r
    odoo = os.path.dirname(os.path.dirname(r.__file__)) if r.version_info[:2] == (18, 0) else ""
except Exception:
    odoo = ""
marker = os.path.join(sysconfig.get_path("stdlib"), "EXTERNALLY-MANAGED")
in_venv = sys.prefix != getattr(sys, "base_prefix", sys.prefix)
headers = os.path.isfile(os.path.join(sysconfig.get_paths()["include"], "Python.h"))
print("odoo=%s managed=%d pip=%d ensurepip=%d headers=%d" % (
    odoo, os.path.isfile(marker) and not in_venv, u.find_spec("pip") is not None,
    u.find_spec("ensurepip") is not None, headers))'
declare -A base=() venv=()
probe() { # $1: interpreter, $2: name of the associative array to fill
    local -n out="$2"
    local line kv
    out=()
    line="$("$1" -c "$PROBE" 2>/dev/null)" || return 1
    for kv in $line; do out["${kv%%=*}"]="${kv#*=}"; done
}
probe_all() {
    base=() venv=()
    if have "$PYTHON_BASE"; then probe "$PYTHON_BASE" base || true; fi
    if [ -x "$VENV/bin/python" ]; then probe "$VENV/bin/python" venv || true; fi
}
odoo_python() { # the interpreter that imports Odoo 18.0, if any
    if [ -n "${venv[odoo]:-}" ]; then echo "$VENV/bin/python"
    elif [ -n "${base[odoo]:-}" ]; then echo "$PYTHON_BASE"; fi
}
# (only the system and odoo steps need to know what the interpreters import)
if want system || want odoo; then
    step_start
    probe_all
    says="$PYTHON_BASE: Odoo 18.0 from ${base[odoo]:-nowhere}, externally managed: "
    says+="$([ "${base[managed]:-0}" = 1 ] && echo yes || echo no)"
    [ ! -x "$VENV/bin/python" ] || says+="; $VENV: Odoo 18.0 from ${venv[odoo]:-nowhere}"
    step_end "Python" "$(have "$PYTHON_BASE" && echo "$says" || echo "$PYTHON_BASE: not installed")"
fi

# ------------------------------------------------------------------ system
# "package|command ...": present when dpkg says the package is installed or
# when one of the commands is on the PATH (nodejs from NodeSource bundles npm,
# PostgreSQL's client may come as postgresql-client-15, Chrome for chromium).
system_requirements() {
    local -a reqs=("postgresql|" "postgresql-client|psql" "wkhtmltopdf|wkhtmltopdf"
        "chromium|chromium chromium-browser google-chrome google-chrome-stable"
        "poppler-utils|pdftoppm" "nodejs|node nodejs" "npm|npm" "python3|$PYTHON_BASE")
    if [ -z "$(odoo_python)" ]; then
        # Odoo will be installed from source: what pip needs to build the
        # sdists of its requirements (psycopg2, python-ldap; lxml where no
        # wheel matches the Python version)
        reqs+=("build-essential|" "libpq-dev|" "libldap2-dev|" "libsasl2-dev|"
            "libxml2-dev|" "libxslt1-dev|")
        # (no python3 yet: all three; a venv where it is externally managed)
        [ "${base[headers]:-0}" = 1 ] || reqs+=("python3-dev|")
        have "$PYTHON_BASE" && [ "${base[managed]:-0}" = 0 ] || [ "${base[ensurepip]:-0}" = 1 ] \
            || reqs+=("python3-venv|")
        have "$PYTHON_BASE" && [ "${base[managed]:-0}" = 1 ] || [ "${base[pip]:-0}" = 1 ] \
            || reqs+=("python3-pip|")
    fi
    printf '%s\n' "${reqs[@]}"
}

missing_packages() { # prints the missing packages, one a line
    local -a specs pkgs=()
    local spec pkg cmd
    mapfile -t specs < <(system_requirements)
    for spec in "${specs[@]}"; do pkgs+=("${spec%%|*}"); done
    declare -A installed=()
    if have dpkg-query; then
        while read -r pkg status; do
            [ "$status" = installed ] && installed["$pkg"]=1
        done < <(dpkg-query -W -f='${Package} ${db:Status-Status}\n' "${pkgs[@]}" 2>/dev/null || true)
    fi
    for spec in "${specs[@]}"; do
        pkg="${spec%%|*}"
        [ -n "${installed[$pkg]:-}" ] && continue
        for cmd in ${spec#*|}; do have "$cmd" && continue 2; done
        # a PostgreSQL server that answers (any version, any package) will do
        [ "$pkg" = postgresql ] && have pg_isready && pg_isready -q 2>/dev/null && continue
        echo "$pkg"
    done
}

step_system() {
    step_start
    local -a missing
    mapfile -t missing < <(missing_packages)
    [ "${#missing[@]}" -gt 0 ] || { step_end "Debian packages" "all present"; return; }
    echo "[setup] Debian packages: installing ${missing[*]}"
    local todo="apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
    have apt-get || die "no apt-get here (not Debian or Ubuntu): install ${missing[*]} (or their equivalents), then re-run"
    need_root "installing ${missing[*]}" "$todo"
    run "${SUDO[@]}" apt-get update -qq </dev/null || die "apt-get update failed: run as root: $todo"
    run "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null \
        || die "apt-get install failed: run as root: $todo"
    hash -r
    probe_all
    local -a still
    mapfile -t still < <(missing_packages)
    [ "${#still[@]}" -eq 0 ] || die "still missing after apt-get install: ${still[*]}"
    step_end "Debian packages" "installed ${missing[*]}" done
}

# ------------------------------------------------------------------ postgresql
step_postgresql() {
    step_start
    have pg_isready || die "pg_isready not found: install postgresql-client (the 'system' step does)"
    if pg_isready -q; then
        step_end "PostgreSQL" "answers"
    else
        have pg_lsclusters || die "PostgreSQL does not answer and pg_lsclusters is missing: install postgresql and start it"
        local -a down=()
        local ver name port status rest
        while read -r ver name port status rest; do
            [ "$status" = online ] || down+=("$ver $name")
        done < <(pg_lsclusters -h)
        [ "${#down[@]}" -gt 0 ] || die "no PostgreSQL cluster: apt-get install postgresql"
        need_root "starting PostgreSQL" "pg_ctlcluster <version> main start"
        local cluster i
        # shellcheck disable=SC2086
        for cluster in "${down[@]}"; do run "${SUDO[@]}" pg_ctlcluster $cluster start </dev/null || true; done
        for i in $(seq 1 30); do pg_isready -q && break || sleep 1; done
        pg_isready -q || die "PostgreSQL still does not answer after starting ${down[*]}: see /var/log/postgresql/"
        step_end "PostgreSQL" "started ${down[*]}" done
    fi

    step_start
    local user
    user="$(id -un)"
    psql -d template1 -XAtqc 'SELECT 1' >/dev/null 2>&1 && { step_end "PostgreSQL role $user" "exists"; return; }
    need_root "creating the PostgreSQL role $user" "runuser -u postgres -- createuser --superuser $user"
    if [ "$(id -u)" -eq 0 ]; then
        run runuser -u postgres -- createuser --superuser "$user" </dev/null || true
    else
        run "${SUDO[@]}" -u postgres createuser --superuser "$user" </dev/null || true
    fi
    psql -d template1 -XAtqc 'SELECT 1' >/dev/null 2>&1 \
        || die "the PostgreSQL role $user cannot connect: as the postgres user, run: createuser --superuser $user"
    step_end "PostgreSQL role $user" "created (superuser)" done
}

# ------------------------------------------------------------------ odoo
# Download the tarball and take its requirements.txt out (pinned per Python
# version, as Odoo's source installation documentation says to install them).
# argv: url, tarball, requirements file, timeout.
# shellcheck disable=SC2016
FETCH='# setup-fetch
import shutil, sys, tarfile, urllib.request
url, tarball, reqs, timeout = sys.argv[1:5]
try:
    with urllib.request.urlopen(url, timeout=float(timeout)) as resp, open(tarball, "wb") as out:
        shutil.copyfileobj(resp, out)
except OSError as e:
    sys.exit("  download failed: %s" % e)
with tarfile.open(tarball) as tar:
    member = next(m for m in tar.getmembers() if m.name.count("/") == 1 and m.name.endswith("/requirements.txt"))
    with tar.extractfile(member) as src, open(reqs, "wb") as out:
        shutil.copyfileobj(src, out)'

step_odoo() {
    step_start
    local py
    py="$(odoo_python)"
    [ -z "$py" ] || { step_end "Odoo 18.0" "$py imports it from ${venv[odoo]:-${base[odoo]:-}}"; return; }
    have "$PYTHON_BASE" || die "$PYTHON_BASE not found (the 'system' step installs python3)"
    py="$PYTHON_BASE"
    if [ "${base[managed]:-0}" = 1 ]; then
        py="$VENV/bin/python"
        [ -x "$py" ] || run "$PYTHON_BASE" -m venv "$VENV" </dev/null \
            || die "cannot create the virtual environment $VENV: apt-get install python3-venv"
    fi
    echo "[setup] Odoo 18.0: not importable by $py: installing it from $ODOO_NIGHTLY_URL"
    mkdir -p "$BUILD"
    local tarball="$BUILD/odoo_18.0.latest.tar.gz" reqs="$BUILD/odoo-requirements.txt"
    echo "  + download $ODOO_NIGHTLY_URL"
    if ! "$py" -c "$FETCH" "$ODOO_NIGHTLY_URL" "$tarball" "$reqs" 120 </dev/null; then
        rm -f "$tarball" "$reqs"
        die "Odoo 18.0 is not importable by $py and its official nightly source could not be downloaded from $ODOO_NIGHTLY_URL: install Odoo 18.0 from source (https://www.odoo.com/documentation/18.0/administration/on_premise/source.html) so that \`$PYTHON_BASE -c 'import odoo'\` works, then re-run"
    fi
    # setuptools<70 builds the old sdists pinned there; keep the constraint
    # files pip is already configured with
    printf 'setuptools<70\n' >"$BUILD/odoo-build-constraints.txt"
    local constraints
    constraints="$("$py" -m pip config list 2>/dev/null | sed -n "s/^[^=]*[.]constraint='\(.*\)'$/\1/p" | tr '\n' ' ' || true)"
    constraints="${PIP_CONSTRAINT:-} $constraints $BUILD/odoo-build-constraints.txt"
    local what t
    for what in "-r $reqs" "$tarball"; do # Odoo's requirements, then Odoo
        t="${EPOCHREALTIME/./}"
        # shellcheck disable=SC2086
        PIP_CONSTRAINT="$constraints" run timeout "$ODOO_INSTALL_TIMEOUT" \
            "$py" -m pip install --timeout 30 --retries 2 $what </dev/null \
            || die "pip install $what into $py failed (see pip's message above)"
        echo "  $(elapsed "$t")"
    done
    probe_all
    [ -n "$(odoo_python)" ] || die "Odoo was installed but $py still cannot import Odoo 18.0"
    step_end "Odoo 18.0" "installed into $py from $ODOO_NIGHTLY_URL" done
}

# ------------------------------------------------------------------ python
# The requirements (PEP 508) that are not satisfied, shell-quoted on one line
# (nothing when all are): pip is called only when something is missing.
MISSING='# setup-missing
import shlex, sys
from importlib import metadata
from pip._vendor.packaging.requirements import Requirement
def ok(req):
    try:
        return req.specifier.contains(metadata.version(req.name), prereleases=True)
    except metadata.PackageNotFoundError:
        return False
print(" ".join(shlex.quote(r) for r in sys.argv[1:] if not ok(Requirement(r))))'
step_python() {
    [ "${#pip_reqs[@]}" -gt 0 ] || return 0
    step_start
    local py="$PYTHON_BASE" missing # the Makefile's rule: the venv's python if any
    if [ -x "$VENV/bin/python" ]; then py="$VENV/bin/python"; fi
    missing="$("$py" -c "$MISSING" "${pip_reqs[@]}")"
    [ -n "$missing" ] || { step_end "Python packages" "all ${#pip_reqs[@]} present"; return; }
    eval "run \"\$py\" -m pip install $missing" </dev/null \
        || die "pip could not install $missing into $py"
    step_end "Python packages" "installed $missing" done
}

# ------------------------------------------------------------------ node
step_node() {
    [ -n "$node_dir" ] || return 0
    step_start
    local nm="$node_dir/node_modules"
    if [ -x "$nm/.bin/prettier" ] && [ -f "$nm/@prettier/plugin-xml/package.json" ] \
        && [ -f "$nm/.package-lock.json" ] && [ ! "$node_dir/package-lock.json" -nt "$nm/.package-lock.json" ]; then
        step_end "npm packages" "present (node_modules up to date)" && return
    fi
    have npm || die "npm is needed to install prettier: apt-get install nodejs npm (the 'system' step does)"
    (cd "$node_dir" && run npm ci --no-audit --no-fund </dev/null) || die "npm ci failed in $node_dir"
    step_end "npm packages" "installed (npm ci)" done
}

for s in system postgresql odoo python node; do if want "$s"; then "step_$s"; fi; done
if [ "${#done_steps[@]}" -eq 0 ]; then echo "setup: nothing to install ($(elapsed "$t_all"))"
else echo "setup: done in $(elapsed "$t_all") (${done_steps[*]})"; fi
