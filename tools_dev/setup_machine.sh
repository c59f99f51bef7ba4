#!/usr/bin/env bash
# Set up this machine for `make run` / `make test` (and CI's `.ci/run`), doing
# only what is missing, each step saying what it does and how long it took:
#
#   system      Debian packages: PostgreSQL (server and client), wkhtmltopdf,
#               chromium, poppler-utils, nodejs, npm, python3; when Odoo must be
#               installed, also what building its requirements needs
#               (build-essential, python3-dev, libpq-dev, libldap2-dev,
#               libsasl2-dev, libxml2-dev, libxslt1-dev, python3-venv or
#               python3-pip). apt-get as root, through sudo otherwise.
#   postgresql  start the local cluster when PostgreSQL does not answer, create
#               the current user's role (superuser) when it cannot connect
#   odoo        when no interpreter imports Odoo 18.0: install it from Odoo's
#               official nightly source (ODOO_NIGHTLY_URL), into the virtual
#               environment $VENV when the system Python is externally managed
#               (PEP 668, Debian 12+), into $PYTHON_BASE otherwise
#   python      pip-install the --pip requirements that are not satisfied
#   node        `npm ci` in --node-dir when its node_modules is not up to date
#
# Usage: tools_dev/setup_machine.sh [--steps system,postgresql,odoo,python,node]
#            [--pip REQUIREMENT]... [--node-dir DIR]
# Environment: PYTHON_BASE (python3), VENV (.build/venv), ODOO_NIGHTLY_URL,
#   ODOO_INSTALL_TIMEOUT (seconds, 900), SETUP_BUILD_DIR (.build).
# The interpreter to use afterwards is $VENV/bin/python when it exists, else
# $PYTHON_BASE (the Makefile's PYTHON follows the same rule).
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
# step_end "label" "what happened" [did-something]
step_end() {
    echo "[setup] $1: $2 ($(elapsed "$t0"))"
    if [ "${3:-}" = done ]; then done_steps+=("$1"); fi
}
run() { echo "  + $*"; "$@"; }
die() {
    echo "" >&2
    echo "setup: ERROR: $*" >&2
    exit 1
}
have() { command -v "$1" >/dev/null 2>&1; }

# root, else sudo (non-interactive when there is no terminal to ask a password)
SUDO=()
need_root() { # $1: what for
    if [ "$(id -u)" -eq 0 ]; then
        SUDO=()
    elif have sudo; then
        if [ -t 0 ]; then SUDO=(sudo); else SUDO=(sudo -n); fi
    else
        die "$1 needs root and sudo is not installed: run as root: $2"
    fi
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
print("odoo=%s managed=%d pip=%d ensurepip=%d headers=%d" % (
    odoo,
    os.path.isfile(marker) and not in_venv,
    u.find_spec("pip") is not None,
    u.find_spec("ensurepip") is not None,
    os.path.isfile(os.path.join(sysconfig.get_paths()["include"], "Python.h")),
))'
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
    if [ -n "${venv[odoo]:-}" ]; then
        echo "$VENV/bin/python"
    elif [ -n "${base[odoo]:-}" ]; then
        echo "$PYTHON_BASE"
    fi
}
# (only the system and odoo steps need to know what the interpreters import)
if want system || want odoo; then
    step_start
    probe_all
    if have "$PYTHON_BASE"; then
        describe="$PYTHON_BASE: $([ -n "${base[odoo]:-}" ] && echo "imports Odoo 18.0 from ${base[odoo]}" || echo "no Odoo 18.0"), $([ "${base[managed]:-0}" = 1 ] && echo "externally managed (PEP 668)" || echo "not externally managed")"
        [ ! -x "$VENV/bin/python" ] || describe+="; $VENV: $([ -n "${venv[odoo]:-}" ] && echo "imports Odoo 18.0 from ${venv[odoo]}" || echo "no Odoo 18.0")"
    else
        describe="$PYTHON_BASE: not installed"
    fi
    step_end "Python" "$describe"
fi

# ------------------------------------------------------------------ system
# "package|command ...": present when dpkg says the package is installed or
# when one of the commands is on the PATH (nodejs from NodeSource bundles npm,
# PostgreSQL's client may come as postgresql-client-15, Chrome for chromium).
system_requirements() {
    local -a reqs=(
        "postgresql|"
        "postgresql-client|psql"
        "wkhtmltopdf|wkhtmltopdf"
        "chromium|chromium chromium-browser google-chrome google-chrome-stable"
        "poppler-utils|pdftoppm"
        "nodejs|node nodejs"
        "npm|npm"
        "python3|$PYTHON_BASE"
    )
    if [ -z "$(odoo_python)" ]; then
        # Odoo will be installed from source: what pip needs to build the
        # sdists of its requirements (psycopg2, python-ldap; lxml where no
        # wheel matches the Python version)
        reqs+=("build-essential|" "libpq-dev|" "libldap2-dev|" "libsasl2-dev|"
            "libxml2-dev|" "libxslt1-dev|")
        if ! have "$PYTHON_BASE"; then
            reqs+=("python3-dev|" "python3-venv|" "python3-pip|")
        else
            [ "${base[headers]:-0}" = 1 ] || reqs+=("python3-dev|")
            if [ "${base[managed]:-0}" = 1 ]; then
                [ "${base[ensurepip]:-0}" = 1 ] || reqs+=("python3-venv|")
            else
                [ "${base[pip]:-0}" = 1 ] || reqs+=("python3-pip|")
            fi
        fi
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
        for cmd in ${spec#*|}; do
            have "$cmd" && continue 2
        done
        # a PostgreSQL server that answers (any version, any package) will do
        if [ "$pkg" = postgresql ] && have pg_isready && pg_isready -q 2>/dev/null; then
            continue
        fi
        echo "$pkg"
    done
}

step_system() {
    step_start
    local -a missing
    mapfile -t missing < <(missing_packages)
    if [ "${#missing[@]}" -eq 0 ]; then
        step_end "Debian packages" "all present"
        return
    fi
    echo "[setup] Debian packages: installing ${missing[*]}"
    if ! have apt-get; then
        die "no apt-get here (not Debian or Ubuntu): install ${missing[*]} (or their equivalents), then re-run"
    fi
    need_root "installing ${missing[*]}" \
        "apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
    local t_update="${EPOCHREALTIME/./}"
    run "${SUDO[@]}" apt-get update -qq </dev/null \
        || die "apt-get update failed${SUDO:+ (through ${SUDO[*]})}: run as root: apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
    echo "  apt-get update: $(elapsed "$t_update")"
    run "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null \
        || die "apt-get install failed: run as root: apt-get install -y --no-install-recommends ${missing[*]}"
    hash -r
    probe_all
    local -a still
    mapfile -t still < <(missing_packages)
    if [ "${#still[@]}" -gt 0 ]; then
        die "still missing after apt-get install: ${still[*]}"
    fi
    step_end "Debian packages" "installed ${missing[*]}" done
}

# ------------------------------------------------------------------ postgresql
step_postgresql() {
    step_start
    have pg_isready || die "pg_isready not found: install postgresql-client (the 'system' step does)"
    if pg_isready -q; then
        step_end "PostgreSQL" "answers"
    else
        if [ -n "${PGHOST:-}" ] && [[ "${PGHOST}" != /* ]]; then
            die "PostgreSQL at PGHOST=$PGHOST does not answer: start it, or unset PGHOST to use the local server"
        fi
        have pg_lsclusters || die "PostgreSQL does not answer and pg_lsclusters is missing: install postgresql and start it"
        local -a down=()
        local ver name port status rest
        while read -r ver name port status rest; do
            [ "$status" = online ] || down+=("$ver $name")
        done < <(pg_lsclusters -h)
        need_root "starting PostgreSQL" "pg_ctlcluster <version> main start"
        if [ "${#down[@]}" -eq 0 ]; then
            ver="$(pg_lsclusters -h | awk '{print $1}' | sort -V | tail -n 1)"
            [ -n "$ver" ] || ver="$(ls /usr/lib/postgresql 2>/dev/null | sort -V | tail -n 1)"
            [ -n "$ver" ] || die "no PostgreSQL server installed: apt-get install postgresql"
            run "${SUDO[@]}" pg_createcluster "$ver" main </dev/null
            down=("$ver main")
        fi
        local cluster
        for cluster in "${down[@]}"; do
            # shellcheck disable=SC2086
            run "${SUDO[@]}" pg_ctlcluster $cluster start </dev/null || true
        done
        local i
        for i in $(seq 1 30); do
            pg_isready -q && break
            sleep 1
        done
        pg_isready -q || die "PostgreSQL still does not answer after starting ${down[*]}: see /var/log/postgresql/"
        step_end "PostgreSQL" "started ${down[*]}" done
    fi

    step_start
    local user
    user="$(id -un)"
    if psql -d template1 -XAtqc 'SELECT 1' >/dev/null 2>&1; then
        step_end "PostgreSQL role $user" "exists"
        return
    fi
    need_root "creating the PostgreSQL role $user" "runuser -u postgres -- createuser --superuser $user"
    if [ "$(id -u)" -eq 0 ] && have runuser; then
        run runuser -u postgres -- createuser --superuser "$user" </dev/null || true
    elif [ "$(id -u)" -eq 0 ]; then
        run su postgres -c "createuser --superuser $user" </dev/null || true
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
    if [ -n "$py" ]; then
        local where="${venv[odoo]:-${base[odoo]:-}}"
        step_end "Odoo 18.0" "$py imports it from $where"
        return
    fi
    have "$PYTHON_BASE" || die "$PYTHON_BASE not found (the 'system' step installs python3)"
    if [ "${base[managed]:-0}" = 1 ]; then
        py="$VENV/bin/python"
        if [ ! -x "$py" ]; then
            echo "[setup] Odoo 18.0: $PYTHON_BASE is externally managed (PEP 668): virtual environment $VENV"
            run "$PYTHON_BASE" -m venv "$VENV" </dev/null \
                || die "cannot create the virtual environment $VENV: apt-get install python3-venv"
        fi
    else
        py="$PYTHON_BASE"
    fi
    echo "[setup] Odoo 18.0: not importable by $py: installing it from $ODOO_NIGHTLY_URL"
    mkdir -p "$BUILD"
    local tarball="$BUILD/odoo_18.0.latest.tar.gz" reqs="$BUILD/odoo-requirements.txt"
    local t="${EPOCHREALTIME/./}"
    echo "  + download $ODOO_NIGHTLY_URL"
    if ! "$py" -c "$FETCH" "$ODOO_NIGHTLY_URL" "$tarball" "$reqs" 120 </dev/null; then
        rm -f "$tarball" "$reqs"
        die "Odoo 18.0 is not importable by $py and its official nightly source could not be downloaded from $ODOO_NIGHTLY_URL: install Odoo 18.0 from source (https://www.odoo.com/documentation/18.0/administration/on_premise/source.html) so that \`$PYTHON_BASE -c 'import odoo'\` works, then re-run"
    fi
    echo "  download: $(elapsed "$t")"
    # setuptools<70 builds the old sdists pinned there; keep the constraint
    # files pip is already configured with
    printf 'setuptools<70\n' >"$BUILD/odoo-build-constraints.txt"
    local constraints
    constraints="$("$py" -m pip config list 2>/dev/null | sed -n "s/^[^=]*[.]constraint='\(.*\)'$/\1/p" | tr '\n' ' ' || true)"
    constraints="${PIP_CONSTRAINT:-} $constraints $BUILD/odoo-build-constraints.txt"
    t="${EPOCHREALTIME/./}"
    if ! PIP_CONSTRAINT="$constraints" run timeout "$ODOO_INSTALL_TIMEOUT" \
        "$py" -m pip install --timeout 30 --retries 2 -r "$reqs" </dev/null; then
        die "installing Odoo's requirements ($reqs) into $py failed (see pip's message above)"
    fi
    echo "  requirements: $(elapsed "$t")"
    t="${EPOCHREALTIME/./}"
    PIP_CONSTRAINT="$constraints" run timeout "$ODOO_INSTALL_TIMEOUT" \
        "$py" -m pip install --timeout 30 --retries 2 "$tarball" </dev/null \
        || die "installing Odoo from $tarball into $py failed (see pip's message above)"
    echo "  odoo: $(elapsed "$t")"
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
    req = Requirement(req)
    try:
        return req.specifier.contains(metadata.version(req.name), prereleases=True)
    except metadata.PackageNotFoundError:
        return False
print(" ".join(shlex.quote(r) for r in sys.argv[1:] if not ok(r)))'
step_python() {
    [ "${#pip_reqs[@]}" -gt 0 ] || return 0
    step_start
    # the Makefile's rule: the venv's python when there is one
    local py="$PYTHON_BASE"
    if [ -x "$VENV/bin/python" ]; then py="$VENV/bin/python"; fi
    local missing
    missing="$("$py" -c "$MISSING" "${pip_reqs[@]}")"
    if [ -z "$missing" ]; then
        step_end "Python packages" "all ${#pip_reqs[@]} present"
        return
    fi
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
        step_end "npm packages" "present (node_modules up to date)"
        return
    fi
    have npm || die "npm is needed to install prettier: apt-get install nodejs npm (the 'system' step does)"
    (cd "$node_dir" && run npm ci --no-audit --no-fund </dev/null) || die "npm ci failed in $node_dir"
    step_end "npm packages" "installed (npm ci)" done
}

for s in system postgresql odoo python node; do
    if want "$s"; then "step_$s"; fi
done
if [ "${#done_steps[@]}" -eq 0 ]; then
    echo "setup: nothing to install ($(elapsed "$t_all"))"
else
    echo "setup: done in $(elapsed "$t_all") (${done_steps[*]})"
fi
