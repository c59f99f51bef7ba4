#!/usr/bin/env python3
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The portal's read-only pages served from a real PostgreSQL read replica.

``make test REPLICA=1`` and ``make bench`` run it. On a throw-away database:

1. installs helpdesk_support_pack (no demo data) and builds two portal
   customers, A and B, each with a pack sold on a confirmed quotation, a ticket
   with time logged on it, and a resolved ticket;
2. starts a second PostgreSQL cluster on this machine as a streaming replica
   of the first one (``pg_basebackup -R`` into a temporary data directory,
   another port, a socket in that directory, run as the ``postgres`` system
   user), after allowing local replication connections in the first cluster's
   ``pg_hba.conf`` if it does not (the line is removed afterwards);
3. runs Odoo with ``--db_replica_host``/``--db_replica_port`` on it and, over
   HTTP as each customer: every read-only page of the addon (``/my/support``,
   a pack's ledger and its PDF statement, a ticket's intervention report, the
   ``/my`` counters) answers from the replica — the replica's
   ``pg_stat_activity`` shows Odoo's sessions busy during the request, the
   primary's none — and Odoo never had to retry one on the primary; the POST
   route that confirms a fix works (it goes to the primary); customer A gets
   nothing of B's on the replica either;
4. runs Odoo again without the replica: the same pages have the same content;
5. with ``--load`` (``make bench``): the portal under load, Odoo with
   ``--workers=4``, without then with the replica: ``--sessions`` (50)
   concurrent portal sessions, half of each customer, each loading ``/my/support``
   and a ticket page ``--rounds`` times (a bounded loop on 127.0.0.1): requests
   per second and the 95th percentile latency, side by side;
6. stops everything, removes the replica and the database, even on failure.

    python3 tools_dev/replica_check.py [--load] [--sessions 50] [--rounds 10]
        [--keep]
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import UTC, datetime

import requests
from bench import (
    MODULE,
    QUIET,
    create_pack_product,
    default_addons_path,
    drop,
    install,
    odoo_env,
    sell_packs,
)
from bench_workers import HOST, free_ports, stop_server

HTTP_TIMEOUT = 120
READY_TIMEOUT = 120
PG_USER = "postgres"  # the system user PostgreSQL runs as (it refuses root)
HBA_LINE = "local replication all trust  # helpdesk_support_pack replica_check"


# ----------------------------------------------------------------------
# PostgreSQL
# ----------------------------------------------------------------------
def psql(sql, db="postgres", host=None, port=None):
    cmd = ["psql", "-XAtq", "-d", db, "-c", sql]
    if host:
        cmd += ["-h", host]
    if port:
        cmd += ["-p", str(port)]
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def pg_bindir():
    return subprocess.run(
        ["pg_config", "--bindir"], check=True, capture_output=True, text=True
    ).stdout.strip()


def as_pg_user(cmd):
    """``cmd`` run as the PostgreSQL system user when we are root."""
    if os.geteuid() == 0:
        return ["runuser", "-u", PG_USER, "--", *cmd]
    return cmd


class Replica:
    """A streaming replica of the local cluster, in a temporary directory."""

    def __init__(self, tmp_dir):
        self.dir = os.path.join(tmp_dir, "replica")
        self.socket_dir = os.path.join(tmp_dir, "replica_socket")
        self.log = os.path.join(tmp_dir, "replica.log")
        self.port = free_ports(1)[0]
        self.hba_file = None
        self.started = False

    def allow_replication(self):
        """Local replication connections must be allowed on the primary."""
        self.hba_file = psql("SHOW hba_file").strip()
        with open(self.hba_file, encoding="utf-8") as handle:
            lines = handle.read().splitlines()
        if any(
            line.split()[:2] == ["local", "replication"]
            for line in lines
            if line.strip() and not line.lstrip().startswith("#")
        ):
            self.hba_file = None  # already allowed: nothing to undo
            return
        print(f"+ {self.hba_file}: allow local replication connections (undone)")
        with open(self.hba_file, "w", encoding="utf-8") as handle:
            handle.write("\n".join([HBA_LINE, *lines]) + "\n")
        psql("SELECT pg_reload_conf()")

    def restore_hba(self):
        if not self.hba_file:
            return
        with open(self.hba_file, encoding="utf-8") as handle:
            lines = [line for line in handle.read().splitlines() if line != HBA_LINE]
        with open(self.hba_file, "w", encoding="utf-8") as handle:
            handle.write("\n".join(lines) + "\n")
        psql("SELECT pg_reload_conf()")
        self.hba_file = None

    def start(self):
        self.allow_replication()
        t0 = time.perf_counter()
        print(f"+ pg_basebackup -R -D {self.dir}", flush=True)
        subprocess.run(
            ["pg_basebackup", "-D", self.dir, "-R", "-X", "stream", "-c", "fast"],
            check=True,
        )
        # Settings a hot standby needs at least as high as its primary's.
        settings = {
            name: psql(f"SHOW {name}").strip()
            for name in (
                "max_connections",
                "max_worker_processes",
                "max_wal_senders",
                "max_prepared_transactions",
                "max_locks_per_transaction",
            )
        }
        os.makedirs(self.socket_dir)
        with open(os.path.join(self.dir, "postgresql.conf"), "w") as handle:
            handle.write(
                "\n".join(
                    [
                        f"port = {self.port}",
                        "listen_addresses = ''",
                        f"unix_socket_directories = '{self.socket_dir}'",
                        "hot_standby = on",
                        "logging_collector = off",
                        # the statements the pages run, to prove where
                        "log_statement = 'all'",
                        "log_line_prefix = '%m [%p] %d '",
                        *(f"{name} = {value}" for name, value in settings.items()),
                    ]
                )
                + "\n"
            )
        with open(os.path.join(self.dir, "pg_hba.conf"), "w") as handle:
            handle.write("local all all trust\n")
        open(os.path.join(self.dir, "pg_ident.conf"), "w").close()
        if os.geteuid() == 0:
            for path in (self.dir, self.socket_dir):
                shutil.chown(path, PG_USER, PG_USER)
                for root, dirs, files in os.walk(path):
                    for name in dirs + files:
                        shutil.chown(os.path.join(root, name), PG_USER, PG_USER)
            shutil.chown(os.path.dirname(self.dir), PG_USER)
        os.chmod(self.dir, 0o700)
        subprocess.run(
            as_pg_user(
                [
                    os.path.join(pg_bindir(), "pg_ctl"),
                    "-D",
                    self.dir,
                    "-l",
                    self.log,
                    "-w",
                    "start",
                ]
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )
        self.started = True
        assert (
            psql(
                "SELECT pg_is_in_recovery()", host=self.socket_dir, port=self.port
            ).strip()
            == "t"
        )
        print(
            f"replica on port {self.port} (socket {self.socket_dir}) ready in "
            f"{time.perf_counter() - t0:.1f} s",
            flush=True,
        )

    def catch_up(self, timeout=60):
        """Wait until the replica has replayed everything the primary wrote."""
        target = psql("SELECT pg_current_wal_lsn()").strip()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            behind = psql(
                f"SELECT pg_wal_lsn_diff('{target}', pg_last_wal_replay_lsn()) > 0",
                host=self.socket_dir,
                port=self.port,
            ).strip()
            if behind == "f":
                return
            time.sleep(0.2)
        raise SystemExit("the replica did not catch up with the primary")

    def stop(self):
        if self.started:
            subprocess.run(
                as_pg_user(
                    [
                        os.path.join(pg_bindir(), "pg_ctl"),
                        "-D",
                        self.dir,
                        "-m",
                        "fast",
                        "-w",
                        "stop",
                    ]
                ),
                check=False,
                stdout=subprocess.DEVNULL,
            )
            self.started = False
        self.restore_hba()


def busy_since(db, since, host=None, port=None):
    """The last statement of each of Odoo's sessions on ``db`` that ran one
    after ``since`` (pg_stat_activity)."""
    out = psql(
        "SELECT replace(left(query, 200), E'\\n', ' ') FROM pg_stat_activity "
        f"WHERE datname = '{db}' AND backend_type = 'client backend' "
        "AND pid <> pg_backend_pid() "
        f"AND (state = 'active' OR state_change >= '{since.isoformat()}+00')",
        host=host,
        port=port,
    )
    return [line for line in out.splitlines() if line.strip()]


# Odoo reads its registry's signaling sequences on the primary at the start of
# every request, read-only routes included (sequences are not replicated):
# the only statement a read-only page may run there.
ODOO_REGISTRY_CHECK = "base_registry_signaling"
ADDON_TABLES = re.compile(r"support_pack|helpdesk_ticket|account_analytic_line")


LOG_ENTRY = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d")


def statements_since(logfile, offset, db):
    """Statements on ``db`` logged after ``offset`` in a PostgreSQL log (one
    entry per statement, continuation lines included) that touch this addon's
    tables."""
    if not logfile:
        return None
    entries, entry = [], []
    with open(logfile, encoding="utf-8", errors="replace") as handle:
        handle.seek(offset)
        for line in handle:
            if LOG_ENTRY.match(line) and entry:
                entries.append("".join(entry))
                entry = []
            entry.append(line)
    entries.append("".join(entry))
    return sum(
        1
        for text in entries
        if (f" {db} " in text or f"@{db} " in text)
        and "statement:" in text
        and ADDON_TABLES.search(text)
    )


def primary_log():
    """The primary's log file (Debian: /var/log/postgresql/postgresql-<version>-
    <cluster>.log), when this process can read it."""
    current = psql("SELECT pg_current_logfile()").strip()
    data_dir = psql("SHOW data_directory").strip()
    version, cluster = data_dir.rstrip("/").split("/")[-2:]
    for path in (
        current and os.path.join(data_dir, current),
        f"/var/log/postgresql/postgresql-{version}-{cluster}.log",
    ):
        if path and os.access(path, os.R_OK):
            return path
    return None


def size(path):
    return os.path.getsize(path) if path else 0


# ----------------------------------------------------------------------
# Fixtures
# ----------------------------------------------------------------------
def build_fixtures(db):
    from odoo import SUPERUSER_ID, Command, api
    from odoo.modules.registry import Registry

    registry = Registry(db)
    customers = {}
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, dict(QUIET))
        product = create_pack_product(env, "Replica credit")
        project = env["project.project"].create(
            {"name": "Replica support", "allow_timesheets": True}
        )
        team = env["helpdesk.ticket.team"].create(
            {
                "name": "Replica team",
                "allow_timesheet": True,
                "default_project_id": project.id,
            }
        )
        closed = env["helpdesk.ticket.stage"].search(
            [("closed", "=", True)], order="sequence", limit=1
        )
        employee = env["hr.employee"].search(
            [("user_id", "=", env.ref("base.user_admin").id)], limit=1
        )
        for key in ("A", "B"):
            company = env["res.partner"].create(
                {"name": f"Replica Campus {key}", "is_company": True}
            )
            contact = env["res.partner"].create(
                {
                    "name": f"Replica contact {key}",
                    "parent_id": company.id,
                    "email": f"replica-{key.lower()}@example.com",
                }
            )
            password = uuid.uuid4().hex
            env["res.users"].with_context(no_reset_password=True).create(
                {
                    "login": f"replica-portal-{key.lower()}",
                    "password": password,
                    "partner_id": contact.id,
                    "groups_id": [Command.set([env.ref("base.group_portal").id])],
                }
            )
            pack = sell_packs(env, company, product, 20)
            tickets = env["helpdesk.ticket"].create(
                [
                    {
                        "name": f"Replica ticket {key} {n}",
                        "description": "<p>Replica</p>",
                        "team_id": team.id,
                        "project_id": project.id,
                        "partner_id": contact.id,
                        "priority": "1",
                    }
                    for n in (1, 2)
                ]
            )
            env["account.analytic.line"].create(
                {
                    "name": f"Work for {key}",
                    "ticket_id": tickets[0].id,
                    "project_id": project.id,
                    "employee_id": employee.id,
                    "unit_amount": 0.5,
                }
            )
            tickets[1].stage_id = closed
            customers[key] = {
                "login": f"replica-portal-{key.lower()}",
                "password": password,
                "pack": pack.id,
                "ticket": tickets[0].id,
                "resolved": tickets[1].id,
            }
    return registry, customers


def set_base_url(registry, url):
    """wkhtmltopdf fetches the report's assets from this server."""
    from odoo import SUPERUSER_ID, api

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        params = env["ir.config_parameter"]
        params.set_param("web.base.url", url)
        params.set_param("web.base.url.freeze", "True")
        params.set_param("report.url", url)


# ----------------------------------------------------------------------
# Odoo server
# ----------------------------------------------------------------------
def start_server(db, addons_path, data_dir, logfile, replica=None, workers=0):
    port, gevent_port = free_ports(2)
    cmd = [
        sys.executable,
        "-m",
        "odoo",
        "-c",
        os.path.join(data_dir, "odoo.cfg"),
        "-d",
        db,
        f"--db-filter=^{db}$",
        f"--addons-path={addons_path}",
        f"--data-dir={data_dir}",
        "--max-cron-threads=0",
        f"--http-interface={HOST}",
        f"--http-port={port}",
        f"--gevent-port={gevent_port}",
        "--without-demo=all",
        "--log-level=info",
        f"--logfile={logfile}",
        f"--workers={workers}",
    ]
    if replica:
        cmd += [
            f"--db_replica_host={replica.socket_dir}",
            f"--db_replica_port={replica.port}",
        ]
    process = subprocess.Popen(
        cmd,
        env=odoo_env(),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://{HOST}:{port}"
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server stopped at start-up (see {logfile})")
        try:
            if requests.get(f"{url}/web/login", timeout=5).ok:
                return process, url
        except requests.RequestException:
            pass
        time.sleep(0.5)
    stop_server(process)
    raise SystemExit(f"the server did not answer on {url}")


def login(url, customer):
    session = requests.Session()
    page = session.get(f"{url}/web/login", timeout=HTTP_TIMEOUT)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    response = session.post(
        f"{url}/web/login",
        data={
            "login": customer["login"],
            "password": customer["password"],
            "csrf_token": token,
            "redirect": "/my",
        },
        timeout=HTTP_TIMEOUT,
    )
    assert response.ok and "/web/login" not in response.url, "login failed"
    return session


def pages(customer):
    """(label, path, kind) of the read-only pages of ``customer``."""
    return [
        ("My support", "/my/support", "html"),
        ("pack ledger", f"/my/support/{customer['pack']}", "html"),
        (
            "pack statement PDF",
            f"/my/support/{customer['pack']}?report_type=pdf",
            "pdf",
        ),
        (
            "intervention report PDF",
            f"/my/ticket/{customer['ticket']}?report_type=pdf",
            "pdf",
        ),
        ("/my counters", "/my/counters", "json"),
    ]


def fetch(session, url, path, kind):
    if kind == "json":
        response = session.post(
            f"{url}{path}",
            json={
                "jsonrpc": "2.0",
                "method": "call",
                "params": {"counters": ["support_pack_count", "ticket_count"]},
            },
            timeout=HTTP_TIMEOUT,
        )
        return response.status_code, response.json().get("result")
    response = session.get(f"{url}{path}", timeout=HTTP_TIMEOUT, allow_redirects=False)
    if kind == "pdf":
        assert response.content.startswith(b"%PDF"), f"{path}: not a PDF"
        text = subprocess.run(
            ["pdftotext", "-", "-"],
            input=response.content,
            capture_output=True,
            check=True,
        ).stdout.decode()
        return response.status_code, " ".join(text.split())
    main = re.search(r"<main.*?</main>", response.text, re.S)
    text = re.sub(r"<[^>]+>", " ", main.group(0) if main else response.text)
    text = re.sub(r"csrf_token[^ ]*", "", text)
    return response.status_code, " ".join(text.split())


# ----------------------------------------------------------------------
def check_with_replica(db, url, customers, replica, logfile):
    ok = True
    results = {}
    sessions = {key: login(url, customer) for key, customer in customers.items()}
    # warm-up: asset bundles and report assets exist before measuring
    for key, customer in customers.items():
        for _label, path, kind in pages(customer):
            fetch(sessions[key], url, path, kind)
    replica.catch_up()
    log_start = os.path.getsize(logfile)
    plog = primary_log()
    print(f"  statements logged by the primary in {plog or '(no readable log)'}")
    for key, customer in customers.items():
        for label, path, kind in pages(customer):
            time.sleep(0.05)
            since = datetime.now(UTC).replace(tzinfo=None)
            offset, primary_offset = size(replica.log), size(plog)
            status, content = fetch(sessions[key], url, path, kind)
            on_replica = busy_since(db, since, replica.socket_dir, replica.port)
            statements = statements_since(replica.log, offset, db)
            on_primary = statements_since(plog, primary_offset, db)
            if on_primary is None:  # no readable log: the sessions' last statements
                on_primary = sum(
                    1
                    for q in busy_since(db, since)
                    if ODOO_REGISTRY_CHECK not in q and q != "ROLLBACK"
                )
            good = status == 200 and on_replica and statements and not on_primary
            ok &= bool(good)
            results[key, path] = content
            print(
                f"  {key} {label:<26} {status}  statements on the addon's tables: "
                f"replica {statements} ({len(on_replica)} session(s)), "
                f"primary {on_primary}: {'PASS' if good else 'FAIL'}"
            )
    # the other customer's pack and ticket, on the replica too
    for key, other in (("A", "B"), ("B", "A")):
        for label, path in (
            ("pack of the other customer", f"/my/support/{customers[other]['pack']}"),
            (
                "report of the other customer",
                f"/my/ticket/{customers[other]['ticket']}?report_type=pdf",
            ),
        ):
            response = sessions[key].get(
                f"{url}{path}", timeout=HTTP_TIMEOUT, allow_redirects=False
            )
            good = response.status_code in (302, 303) and response.headers.get(
                "Location", ""
            ).endswith("/my")
            ok &= good
            print(
                f"  {key} {label:<30} {response.status_code} -> "
                f"{response.headers.get('Location')}: {'PASS' if good else 'FAIL'}"
            )
    # a state change goes to the primary
    for key, customer in customers.items():
        page = sessions[key].get(
            f"{url}/my/ticket/{customer['resolved']}", timeout=HTTP_TIMEOUT
        )
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        primary_offset = size(plog)
        response = sessions[key].post(
            f"{url}/my/ticket/{customer['resolved']}/confirm",
            data={"csrf_token": token},
            timeout=HTTP_TIMEOUT,
            allow_redirects=False,
        )
        confirmed = psql(
            "SELECT support_fix_confirmed_date IS NOT NULL FROM helpdesk_ticket "
            f"WHERE id = {customer['resolved']}",
            db=db,
        ).strip()
        # (the primary's log sees it: the check above can see a statement)
        logged = statements_since(plog, primary_offset, db)
        good = response.status_code in (302, 303) and confirmed == "t"
        good &= logged is None or logged > 0
        ok &= good
        print(
            f"  {key} POST confirm the fix        {response.status_code}, "
            f"written on the primary: {'yes' if confirmed == 't' else 'NO'} "
            f"({logged} statement(s) on the addon's tables logged there): "
            f"{'PASS' if good else 'FAIL'}"
        )
    with open(logfile, encoding="utf-8", errors="replace") as handle:
        handle.seek(log_start)
        retried = handle.read().count("retrying with a read/write cursor")
    print(f"  read-only requests Odoo retried on the primary: {retried} (goal 0)")
    ok &= retried == 0
    return ok, results


def check_without_replica(url, customers, with_replica):
    ok = True
    sessions = {key: login(url, customer) for key, customer in customers.items()}
    for key, customer in customers.items():
        for label, path, kind in pages(customer):
            status, content = fetch(sessions[key], url, path, kind)
            same = status == 200 and content == with_replica[key, path]
            ok &= same
            print(f"  {key} {label:<26} same content: {'PASS' if same else 'FAIL'}")
    return ok


def load(url, customers, sessions_count, rounds):
    """``sessions_count`` portal sessions at once, each loading /my/support
    and its customer's ticket page ``rounds`` times. Returns (requests,
    seconds, p95 ms, errors, dropped).

    A GET whose connection the server dropped before answering is sent once
    more, as a browser does; those are counted apart (``dropped``). Odoo's
    prefork worker gives a client 2 s to send its request once accepted: 50
    client threads on this 2-core machine, beside 4 workers, sometimes miss
    it."""
    keys = sorted(customers)
    sessions = [
        (customers[keys[i % len(keys)]], login(url, customers[keys[i % len(keys)]]))
        for i in range(sessions_count)
    ]
    for __, session in sessions:
        # one connection per request, as Odoo's prefork workers serve them (a
        # kept-alive connection the worker already closed would fail on reuse)
        session.headers["Connection"] = "close"
    barrier = threading.Barrier(sessions_count)
    times, errors, dropped = [], [], []
    lock = threading.Lock()

    def run(customer, session):
        paths = ["/my/support", f"/my/ticket/{customer['ticket']}"]
        barrier.wait()
        for _round in range(rounds):
            for path in paths:
                t0 = time.perf_counter()
                failed = False
                for attempt in (1, 2):
                    try:
                        response = session.get(f"{url}{path}", timeout=HTTP_TIMEOUT)
                        failed = response.status_code != 200 and response.status_code
                    except requests.ConnectionError as exc:
                        failed = repr(exc)
                        if attempt == 1:
                            with lock:
                                dropped.append(path)
                            continue
                    except requests.RequestException as exc:
                        failed = repr(exc)
                    break
                with lock:
                    times.append(time.perf_counter() - t0)
                    if failed:
                        errors.append((path, failed))

    threads = [threading.Thread(target=run, args=pair) for pair in sessions]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    times.sort()
    p95 = times[min(len(times) - 1, int(0.95 * len(times)))] * 1000 if times else 0
    return len(times), elapsed, p95, errors, dropped


def run_load(db, addons_path, data_dir, tmp_dir, registry, customers, replica, args):
    from odoo import sql_db

    figures = {}
    for label, with_replica in (("without replica", False), ("with replica", True)):
        process, url = start_server(
            db,
            addons_path,
            data_dir,
            os.path.join(tmp_dir, f"odoo_load_{with_replica}.log"),
            replica if with_replica else None,
            workers=4,
        )
        try:
            set_base_url(registry, url)
            sql_db.close_all()
            load(url, customers, 4, 1)  # warm-up of the workers
            figures[label] = load(url, customers, args.sessions, args.rounds)
        finally:
            stop_server(process)
    print(
        f"portal under load: Odoo --workers=4, {args.sessions} portal sessions "
        f"at once, /my/support + a ticket page x {args.rounds} each"
    )
    ok = True
    for label, (count, elapsed, p95, errors, dropped) in figures.items():
        ok &= not errors
        print(
            f"  {label:<16} {count} requests in {elapsed:.1f} s: "
            f"{count / elapsed:.1f} req/s, p95 {p95:.0f} ms, errors {len(errors)} "
            f"(connections dropped before the request was read, sent again: "
            f"{len(dropped)})"
        )
        kinds = {}
        for path, error in errors:
            kinds[path.split("/")[2], error] = (
                kinds.get((path.split("/")[2], error), 0) + 1
            )
        for (page, error), n in kinds.items():
            print(f"    {n} x /my/{page}...: {error}")
    return ok


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--load", action="store_true", help="add the load bench")
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    os.environ["TZ"] = "UTC"
    time.tzset()
    from odoo import sql_db
    from odoo.tools import config

    db = f"hspr_check_{uuid.uuid4().hex[:8]}"
    tmp_dir = tempfile.mkdtemp(prefix="hsp_replica_")
    addons_dir = os.path.join(tmp_dir, "addons")
    os.mkdir(addons_dir)
    addons_path = default_addons_path(addons_dir)
    data_dir = os.path.join(tmp_dir, "data")
    os.mkdir(data_dir)
    config.parse_config(
        [
            f"--addons-path={addons_path}",
            f"--data-dir={data_dir}",
            "--without-demo=all",
            "--log-level=warn",
            "--max-cron-threads=0",
        ]
    )
    replica = Replica(tmp_dir)
    process = None
    ok = False
    try:
        install({db: MODULE}, addons_path, data_dir)
        registry, customers = build_fixtures(db)
        sql_db.close_all()
        # every statement on this database, in both clusters' logs
        psql(f"ALTER DATABASE {db} SET log_statement = 'all'")
        replica.start()
        print("Odoo with --db_replica_host/--db_replica_port:")
        logfile = os.path.join(tmp_dir, "odoo_replica.log")
        process, url = start_server(db, addons_path, data_dir, logfile, replica)
        set_base_url(registry, url)
        sql_db.close_all()
        ok_replica, contents = check_with_replica(db, url, customers, replica, logfile)
        stop_server(process)
        process = None
        print("Odoo without replica:")
        process, url = start_server(
            db, addons_path, data_dir, os.path.join(tmp_dir, "odoo.log")
        )
        set_base_url(registry, url)
        sql_db.close_all()
        ok_primary = check_without_replica(url, customers, contents)
        stop_server(process)
        process = None
        ok = ok_replica and ok_primary
        if args.load:
            ok &= run_load(
                db, addons_path, data_dir, tmp_dir, registry, customers, replica, args
            )
    finally:
        if process is not None:
            stop_server(process)
        replica.stop()
        sql_db.close_all()
        if args.keep:
            print(f"kept: database {db}, {tmp_dir}")
        else:
            drop([db], data_dir)
            shutil.rmtree(tmp_dir, ignore_errors=True)
    print(f"replica check: {'PASS' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
