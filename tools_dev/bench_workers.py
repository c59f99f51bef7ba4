#!/usr/bin/env python3
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""8 agents logging time at once over JSON-RPC on an Odoo server with worker
processes, host addons alone and with this addon (`make bench`, part 2).

Two throw-away databases (bench_common.py): ``<prefix>_host`` with the host
addons, ``<prefix>_pack`` with this addon, each with ``--agents`` helpdesk
agents (a password each), a timesheet team and very high tickets; with the
addon, the customer of each pass bought one credit pack.  Three passes, each on
a server of its own (``--workers=4 --max-cron-threads=0`` on 127.0.0.1): the
agents on one ticket with the host addons alone (the baseline), the same with
the addon, then each agent on its own ticket of one customer's pack.  Each
agent is a thread with its own JSON-RPC session: it creates ``--lines`` lines,
then edits some and deletes others, shuffled.  Prints per pass: calls per
second, latencies, the failed calls and their errors, the conflicts the server
retried (its log), the postings queued on a busy pack and the longest wait of
one, and the balance proof: the pack's remaining == the sum of its moves ==
purchase - what the remaining lines posted == purchase - what the agents' lines
cost by the rule (started quarter-hours x2 on a very high ticket).  Goals: on
one ticket no more failed calls than the host addons alone; a ticket each none.

    python3 tools_dev/bench_workers.py [--agents 8] [--lines 40] [--workers 4]
        [--credits 5000] [--keep]
"""

import logging
import math
import os
import random
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid

import requests
from bench_common import (
    HOST_MODULES,
    MODULE,
    QUIET,
    SETTINGS,
    create_pack_product,
    finish,
    helpdesk,
    install,
    odoo_args,
    parser,
    sell_packs,
    start,
)
from requests.adapters import HTTPAdapter
from urllib3.util import Retry

HOST = "127.0.0.1"
QUEUE_LOGGER = "odoo.addons.helpdesk_support_pack.models.queue.support_posting_queue"
MAX_TRIES = 5  # odoo.service.model.MAX_TRIES_ON_CONCURRENCY_FAILURE
HTTP_TIMEOUT = 120  # seconds per call: above Odoo's 5 retries' back-off


def free_ports(count):
    """``count`` distinct free TCP ports on 127.0.0.1."""
    sockets = []
    try:
        for _i in range(count):
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.bind((HOST, 0))
            sockets.append(sock)
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def expected_credits(minutes):
    """The rule, independently of the addon: 1 credit per started quarter-hour,
    x2 on a very high priority ticket."""
    rounding = SETTINGS["support_rounding_minutes"]
    return math.ceil(minutes / rounding) * SETTINGS["support_multiplier_very_high"]


# ----------------------------------------------------------------------
# Fixtures (in this process, before the servers start)
# ----------------------------------------------------------------------
def build_fixtures(db, agents, credits, passes, with_addon):
    """Agents, a timesheet team and, per pass of ``passes`` ({name: number of
    tickets}), a customer with its very high tickets (and, ``with_addon``, its
    credit pack). Returns the registry and {pass name: fixtures}."""
    from odoo import SUPERUSER_ID, api
    from odoo.modules.registry import Registry

    registry = Registry(db)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, dict(QUIET))
        passwords = {
            f"bench-agent-{i}": secrets.token_urlsafe(12) for i in range(agents)
        }
        users = [
            {"name": f"Bench Agent {i}", "login": login, "password": password}
            for i, (login, password) in enumerate(passwords.items())
        ]
        users, project, team, category = helpdesk(env, users, with_addon)
        product = create_pack_product(env) if with_addon else None
        fixtures = {}
        for name, ticket_count in passes.items():
            customer = env["res.partner"].create(
                {"name": f"Bench Workers Ltd ({name})", "is_company": True}
            )
            contact = env["res.partner"].create(
                {"name": f"Bench contact ({name})", "parent_id": customer.id}
            )
            pack = sell_packs(env, customer, product, credits) if with_addon else None
            tickets = env["helpdesk.ticket"].create(
                [
                    {
                        "name": f"Bench urgent request {i} ({name})",
                        "description": "<p>Bench</p>",
                        "team_id": team.id,
                        "project_id": project.id,
                        "partner_id": contact.id,
                        "category_id": category.id,
                        "priority": "3",
                        "user_id": users[i % len(users)].id,
                    }
                    for i in range(ticket_count)
                ]
            )
            fixtures[name] = {
                "passwords": passwords,
                "pack": pack.id if pack else None,
                "customer": customer.id,
                "tickets": tickets.ids,
                "project": project.id,
            }
    return registry, fixtures


# ----------------------------------------------------------------------
# Server
# ----------------------------------------------------------------------
class StartRetry(Retry):
    BACKOFF_MAX = DEFAULT_BACKOFF_MAX = 2  # seconds between tries (urllib3 1 and 2)


def start_server(db, addons_path, port, gevent_port, workers, logfile):
    cmd = [sys.executable, "-m", "odoo", *odoo_args(addons_path), "-d", db]
    cmd += [f"--db-filter=^{db}$", f"--workers={workers}", f"--http-interface={HOST}"]
    cmd += [f"--http-port={port}", f"--gevent-port={gevent_port}", "--no-database-list"]
    # Odoo logs each retried serialization failure at INFO there, and the
    # addon the postings queued on a busy pack
    cmd += [
        "--log-handler=odoo.service.model:INFO",
        f"--log-handler={QUEUE_LOGGER}:INFO",
    ]
    cmd += [f"--logfile={logfile}"]
    # In prefork mode the server also spawns a gevent (websocket) process as
    # `python3 sys.argv[0] gevent`, which cannot start from `python3 -m odoo`;
    # JSON-RPC does not use it: its tracebacks go to .stderr, out of the figures.
    with open(logfile + ".stderr", "wb") as stderr:
        process = subprocess.Popen(
            cmd,
            stdin=subprocess.DEVNULL,
            stdout=stderr,
            stderr=stderr,
            start_new_session=True,
        )
    url = f"http://{HOST}:{port}"
    # until it answers: urllib3 retries the refused connections (about 2 min)
    logging.getLogger("urllib3.connectionpool").setLevel(logging.ERROR)
    session = requests.Session()
    retry = StartRetry(total=70, backoff_factor=0.1, status_forcelist=[502, 503])
    session.mount("http://", HTTPAdapter(max_retries=retry))
    try:
        session.get(f"{url}/web/health", timeout=10).raise_for_status()
    except requests.RequestException as error:
        stop_server(process)
        raise SystemExit(f"no server on {url} ({error}): {logfile}") from None
    return process, url


def stop_server(process):
    """SIGTERM to the server we started (its workers stop with it), then
    SIGKILL to its process group if it is still there after 30 s."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(process.pid, signal.SIGKILL)  # leftover workers, if any
    except ProcessLookupError:
        pass
    process.wait()


# ----------------------------------------------------------------------
# Agents
# ----------------------------------------------------------------------
class RpcError(Exception):
    pass


class Agent:
    """One helpdesk agent: its own HTTP session, logged in over JSON-RPC."""

    def __init__(self, url, db, login, password, ticket):
        self.url, self.db, self.login, self.password = url, db, login, password
        self.ticket = ticket
        self.session = requests.Session()
        self.calls = []  # (operation, seconds, error or None)
        self.lines = {}  # line id -> minutes, as the agent last set them

    def rpc(self, path, params):
        response = self.session.post(
            f"{self.url}{path}",
            json={"jsonrpc": "2.0", "method": "call", "id": 1, "params": params},
            timeout=HTTP_TIMEOUT,
        )
        response.raise_for_status()
        payload = response.json()
        if payload.get("error"):
            data = payload["error"].get("data") or {}
            raise RpcError(
                f"{data.get('name', payload['error'].get('message'))}: "
                f"{data.get('message', '')}".strip()
            )
        return payload["result"]

    def authenticate(self):
        result = self.rpc(
            "/web/session/authenticate",
            {"db": self.db, "login": self.login, "password": self.password},
        )
        if not result.get("uid"):
            raise RpcError(f"login refused for {self.login}")

    def call(self, operation, method, args):
        start = time.perf_counter()
        error = None
        result = None
        try:
            result = self.rpc(
                f"/web/dataset/call_kw/account.analytic.line/{method}",
                {
                    "model": "account.analytic.line",
                    "method": method,
                    "args": args,
                    "kwargs": {},
                },
            )
        except (RpcError, requests.RequestException, ValueError) as exc:
            error = f"{type(exc).__name__}: {exc}"
        self.calls.append((operation, time.perf_counter() - start, error))
        return error is None, result

    def run(self, barrier, fixtures, lines, rng):
        self.authenticate()
        barrier.wait(timeout=HTTP_TIMEOUT)
        for i in range(lines):
            minutes = rng.randint(1, 90)
            ok, line_id = self.call(
                "create",
                "create",
                [
                    {
                        "name": f"{self.login} work {i}",
                        "ticket_id": self.ticket,
                        "project_id": fixtures["project"],
                        "unit_amount": minutes / 60.0,
                    }
                ],
            )
            if ok:
                line_id = line_id[0] if isinstance(line_id, list) else line_id
                self.lines[line_id] = minutes
        # then edit half of the lines and delete a quarter, shuffled
        ids = list(self.lines)
        rng.shuffle(ids)
        edits, deletes = ids[: len(ids) // 2], ids[len(ids) // 2 :][: len(ids) // 4]
        operations = [("write", line_id) for line_id in edits]
        operations += [("unlink", line_id) for line_id in deletes]
        rng.shuffle(operations)
        for operation, line_id in operations:
            if operation == "write":
                minutes = rng.randint(1, 120)
                ok, __ = self.call(
                    "edit", "write", [[line_id], {"unit_amount": minutes / 60.0}]
                )
                if ok:
                    self.lines[line_id] = minutes
            else:
                ok, __ = self.call("delete", "unlink", [[line_id]])
                if ok:
                    del self.lines[line_id]


def run_agents(url, db, fixtures, lines, seed):
    """The agents of ``fixtures``, agent i on ticket i (modulo the tickets)."""
    tickets = fixtures["tickets"]
    agents = [
        Agent(url, db, login, password, tickets[i % len(tickets)])
        for i, (login, password) in enumerate(fixtures["passwords"].items())
    ]
    barrier = threading.Barrier(len(agents) + 1)
    errors = []

    def target(agent, rng):
        try:
            agent.run(barrier, fixtures, lines, rng)
        except Exception as exc:  # reported by the caller
            errors.append(f"{agent.login}: {type(exc).__name__}: {exc}")
            barrier.abort()

    threads = [
        threading.Thread(target=target, args=(agent, random.Random(seed + i)))
        for i, agent in enumerate(agents)
    ]
    for thread in threads:
        thread.start()
    try:
        barrier.wait(timeout=HTTP_TIMEOUT)  # every agent logged in
    except threading.BrokenBarrierError:
        pass
    start = time.perf_counter()
    deadline = time.monotonic() + HTTP_TIMEOUT * (3 * lines + 2)
    for thread in threads:
        thread.join(timeout=max(0.0, deadline - time.monotonic()))
    elapsed = time.perf_counter() - start
    if any(thread.is_alive() for thread in threads):
        errors.append("agents still running at the deadline")
    return agents, elapsed, errors


# ----------------------------------------------------------------------
# Proof
# ----------------------------------------------------------------------
def drain_queue(registry):
    """Postings still queued once the calls are over (the server runs no cron
    here): the scheduled job's method, run as the cron would until the queue
    is empty. Returns how many were left and how long the oldest had waited
    when the job's method posted it (seconds, None when none was left)."""
    from odoo import SUPERUSER_ID, api, fields

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        entries = env["support.posting.queue"].search([])
        if not entries:
            return 0, None
        queued_since = min(entries.mapped("create_date"))
        # One batch per run of the job: run it as the cron would, until the
        # queue is empty (or a run posts nothing: what is left failed, and
        # the balance proof shows it).
        queue = env["support.posting.queue"]
        while queue.search_count([]) and queue._cron_process_queue():
            pass
        waited = (fields.Datetime.now() - queued_since).total_seconds()
    return len(entries), waited


def prove(registry, fixtures, agents, with_addon):
    """The lines on the server are the agents' lines; with the addon, the
    balance proof's figures."""
    from odoo import SUPERUSER_ID, api

    client = {}
    for agent in agents:
        client.update(agent.lines)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        lines = env["account.analytic.line"].search(
            [("ticket_id", "in", fixtures["tickets"])]
        )
        figures = {
            "lines": len(lines),
            "client_lines": len(client),
            "server_lines_match": sorted(client) == sorted(lines.ids),
        }
        if not with_addon:
            return figures
        pack = env["support.pack"].browse(fixtures["pack"])
        moves = env["support.pack.move"].search([("pack_id", "=", pack.id)])
        purchase = sum(
            moves.filtered(lambda m: m.move_type == "purchase").mapped("quantity")
        )
        figures.update(
            {
                "remaining": pack.quantity_remaining,
                "ledger": sum(moves.mapped("quantity")),
                "moves": len(moves),
                "purchase": purchase,
                "posted": sum(lines.mapped("support_quantity")),
                "overdraft": env["support.pack.move"].search_count(
                    [
                        ("partner_id", "=", fixtures["customer"]),
                        ("pack_id", "=", False),
                    ]
                ),
                "queued_left": env["support.posting.queue"].search_count([]),
            }
        )
    figures["rule"] = sum(expected_credits(minutes) for minutes in client.values())
    return figures


def server_log(logfile):
    """From a server's log: conflicts retried, requests given up, the postings
    queued on a busy pack, the batches left to the scheduled job, and the
    longest wait of a queued posting the server processed (seconds)."""
    log = {
        "retried": 0,
        "given_up": 0,
        "queued": 0,
        "left": 0,
        "longest_wait": None,
    }
    if not os.path.exists(logfile):
        return log
    with open(logfile, encoding="utf-8", errors="replace") as handle:
        text = handle.read()
    log["retried"] = text.count("tries left, try again")
    log["given_up"] = text.count("maximum number of tries reached")
    log["queued"] = sum(
        int(n)
        for n in re.findall(r"support packs busy: (\d+) posting\(s\) queued", text)
    )
    log["left"] = text.count("left to the scheduled job")
    waits = [
        float(wait)
        for wait in re.findall(
            r"queued posting\(s\) done, longest wait ([0-9.]+) s", text
        )
    ]
    log["longest_wait"] = max(waits, default=None)
    return log


def close(a, b):
    return abs(a - b) < 0.001


def report_pass(title, run, workers):
    """Print one pass; returns its result: {"calls", "failed", "ok", ...}."""
    agents, elapsed, errors = run["agents"], run["elapsed"], run["errors"]
    figures, log = run["figures"], run["log"]
    with_addon = "remaining" in figures
    calls = [call for agent in agents for call in agent.calls]
    failed = [call for call in calls if call[2]]
    print()
    print(
        f"multi-process, {title}: Odoo --workers={workers}, {len(agents)} agents "
        f"over JSON-RPC, {len(set(agent.ticket for agent in agents))} very high "
        f"ticket(s)"
    )
    for operation in ("create", "edit", "delete"):
        times = [c[1] for c in calls if c[0] == operation]
        if not times:
            continue
        times.sort()
        p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
        print(
            f"  {operation + 's':<8}{len(times):>5} calls, median "
            f"{statistics.median(times) * 1000:7.1f} ms, p95 {p95 * 1000:7.1f} ms"
        )
    print(
        f"  {len(calls)} calls in {elapsed:.1f} s: "
        f"{len(calls) / elapsed if elapsed else 0:.1f} calls/s"
    )
    print(f"  failed calls: {len(failed)}")
    seen = {}
    for operation, __, error in failed:
        seen.setdefault((operation, error), 0)
        seen[(operation, error)] += 1
    for (operation, error), count in seen.items():
        print(f"    {count} x {operation}: {error}")
    for error in errors:
        print(f"  error: {error}")
    print(
        f"  serialization conflicts retried by Odoo's HTTP layer: {log['retried']} "
        f"(given up after {MAX_TRIES} tries: {log['given_up']})"
    )
    ok = figures["server_lines_match"] and not errors
    print(
        f"  the agents' {figures['client_lines']} remaining lines are the "
        f"{figures['lines']} on the server: "
        f"{'yes' if figures['server_lines_match'] else 'NO'}"
    )
    if with_addon:
        longest = log["longest_wait"]
        print(
            f"  postings queued on a busy pack: {log['queued']}, done right after "
            f"their call's commit, longest wait in the queue "
            f"{'-' if longest is None else f'{longest:.2f} s'} (from the start "
            f"of the call that queued it); {log['left']} batch(es) left to the "
            f"scheduled job; queued when the calls ended: {run['drained']}"
            + (
                f", posted by the job's method {run['drained_wait']:.1f} s after "
                f"their call"
                if run["drained"]
                else ""
            )
            + f"; left after it: {figures['queued_left']}"
        )
        balance_ok = (
            close(figures["remaining"], figures["ledger"])
            and close(figures["remaining"], figures["purchase"] - figures["posted"])
            and close(figures["posted"], figures["rule"])
            and not figures["overdraft"]
            and not figures["queued_left"]
        )
        print(
            f"  balance: pack remaining {figures['remaining']:g} = sum of its "
            f"{figures['moves']} moves {figures['ledger']:g} = purchase "
            f"{figures['purchase']:g} - {figures['posted']:g} posted on the "
            f"{figures['lines']} remaining lines; the rule on the agents' lines "
            f"(started quarter-hours x2): {figures['rule']:g} credits; overdraft "
            f"moves: {figures['overdraft']}"
        )
        print(f"  balance proof: {'PASS' if balance_ok else 'FAIL'}")
        ok = ok and balance_ok
    return {"calls": len(calls), "failed": len(failed), "ok": ok, "log": log, **run}


def summary(results):
    """The failed calls side by side, against the goals, and the longest wait
    of a queued posting. Returns whether the goals are met."""
    host, one, each = results["host"], results["addon"], results["addon_each"]
    one_ok = one["failed"] <= host["failed"]
    each_ok = each["failed"] == 0
    print()
    agents = len(host["agents"])
    print("multi-process, failed calls side by side:")
    print(
        f"  {agents} agents on one ticket: host addons alone {host['failed']} of "
        f"{host['calls']}, with helpdesk_support_pack {one['failed']} of "
        f"{one['calls']} (goal: no more than the host): "
        f"{'PASS' if one_ok else 'FAIL'}"
    )
    print(
        f"  {agents} agents on {agents} tickets of one pack, with "
        f"helpdesk_support_pack: "
        f"{each['failed']} of {each['calls']} (goal 0): "
        f"{'PASS' if each_ok else 'FAIL'}"
    )
    waits = [r["log"]["longest_wait"] for r in (one, each)]
    waits = [wait for wait in waits if wait is not None]
    queued = sum(r["log"]["queued"] for r in (one, each))
    drained = sum(r["drained"] for r in (one, each))
    print(
        f"  longest wait of a queued posting: "
        f"{f'{max(waits):.2f} s' if waits else '- (none queued)'} ({queued} "
        f"postings queued in the two passes with the addon, "
        f"{drained} left to the scheduled job)"
    )
    return one_ok and each_ok and all(r["ok"] for r in results.values())


# ----------------------------------------------------------------------
# Main
# ----------------------------------------------------------------------
# (pass name, database, tickets, title)
PASSES = [
    ("host", "host", 1, "host addons alone, one ticket"),
    ("addon", "pack", 1, "with helpdesk_support_pack, one ticket"),
    ("addon_each", "pack", None, "with helpdesk_support_pack, a ticket each"),
]


def run_pass(db, registry, fixtures, args, addons_path, logfile):
    """One server, the agents' calls, then (with the addon) what is left in
    the queue posted by the job's method, and the proof's figures."""
    with_addon = fixtures["pack"] is not None
    from odoo import sql_db

    sql_db.close_all()
    port, gevent_port = free_ports(2)
    t0 = time.perf_counter()
    process, url = start_server(
        db, addons_path, port, gevent_port, args.workers, logfile
    )
    try:
        print(
            f"server pid {process.pid} on {url} (--workers={args.workers}, {db}) "
            f"ready in {time.perf_counter() - t0:.1f} s",
            flush=True,
        )
        agents, elapsed, errors = run_agents(url, db, fixtures, args.lines, args.seed)
    finally:
        stop_server(process)
    drained, drained_wait = drain_queue(registry) if with_addon else (0, None)
    return {
        "agents": agents,
        "elapsed": elapsed,
        "errors": errors,
        "drained": drained,
        "drained_wait": drained_wait,
        "figures": prove(registry, fixtures, agents, with_addon),
        "log": server_log(logfile),
    }


def main():
    prefix = f"hspw_bench_{uuid.uuid4().hex[:8]}"
    sizes = dict(agents=8, lines=40, workers=4, credits=5000.0, seed=18)
    args = parser(__doc__, prefix, **sizes).parse_args()
    addons_path = start(args)
    dbs = {"host": f"{args.prefix}_host", "pack": f"{args.prefix}_pack"}
    tmp_dir = tempfile.mkdtemp(prefix="hsp_bench_workers_")
    ok = False
    try:
        install({dbs["host"]: HOST_MODULES, dbs["pack"]: MODULE}, addons_path, args)
        setups = {}
        for key, db in dbs.items():
            passes = {
                name: tickets or args.agents
                for name, db_key, tickets, __ in PASSES
                if db_key == key
            }
            setups[key] = build_fixtures(
                db, args.agents, args.credits, passes, with_addon=key == "pack"
            )
        results = {}
        for name, key, __, title in PASSES:
            registry, fixtures = setups[key]
            logfile = os.path.join(tmp_dir, f"server_{name}.log")
            run = run_pass(
                dbs[key], registry, fixtures[name], args, addons_path, logfile
            )
            results[name] = report_pass(title, run, args.workers)
        ok = summary(results)
    finally:
        finish(args, dbs.values())
        if args.keep:
            print(f"server logs in {tmp_dir}")
        else:
            shutil.rmtree(tmp_dir, ignore_errors=True)
    print(f"multi-process summary: {'PASS' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
