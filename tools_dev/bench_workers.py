#!/usr/bin/env python3
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""8 agents logging time at once over JSON-RPC on an Odoo server with worker
processes, host addons alone and with this addon (`make bench`, part 2;
docs/DEVELOP.md): three passes, each on a server of its own (``--workers=4``,
no cron), the agents on one ticket with the host addons alone, the same with
the addon, then a ticket each of one pack.  Each agent creates ``--lines``
lines, then edits half and deletes a quarter, shuffled.  Goals: on one ticket
no more failed calls than the host addons alone, a ticket each none, the
balance proof (remaining == sum of the moves == purchase - posted == purchase -
the rule on the agents' lines).

    python3 tools_dev/bench_workers.py [--agents 8] [--lines 40] [--workers 4]
        [--credits 5000] [--keep]
"""

import collections
import contextlib
import math
import os
import random
import re
import secrets
import signal
import socket
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
    customers,
    finish,
    helpdesk,
    install,
    odoo_args,
    parser,
    sell_packs,
    start,
    tickets,
)

LINE = "account.analytic.line"
LOGGER = "odoo.addons.helpdesk_support_pack.models.queue.support_posting_queue"
TIMEOUT = 120  # seconds per call: above Odoo's 5 retries' back-off
# (pass, database, tickets: 1 or one per agent, title)
PASSES = [
    ("host", "host", 1, "host addons alone, one ticket"),
    ("addon", "pack", 1, "with helpdesk_support_pack, one ticket"),
    ("addon_each", "pack", 0, "with helpdesk_support_pack, a ticket each"),
]


def build_fixtures(db, args, passes, with_pack):
    """Agents, a timesheet team, per pass a customer, its tickets and pack."""
    from odoo import SUPERUSER_ID, api
    from odoo.modules.registry import Registry

    registry, result = Registry(db), {}
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, dict(QUIET))
        logins = {
            f"bench-agent-{i}": secrets.token_urlsafe(12) for i in range(args.agents)
        }
        users = [dict(name=k, login=k, password=v) for k, v in logins.items()]
        desk = helpdesk(env, users, with_pack)
        product = create_pack_product(env) if with_pack else None
        for name, count in passes.items():
            companies, contacts = customers(env, [f"Bench Workers ({name})"])
            pack = sell_packs(env, companies, product, args.credits) if with_pack else 0
            result[name] = dict(
                logins=logins,
                pack=pack and pack.id,
                customer=companies.id,
                tickets=tickets(env, desk, contacts * count, "3").ids,
                project=desk[1].id,
            )
    return registry, result


def serve(db, addons_path, workers, logfile):
    """A server with ``workers`` on free ports, once it answers: (process, url)."""
    with socket.socket() as sock:
        port = sock.bind(("127.0.0.1", 0)) or sock.getsockname()[1]
    cmd = [sys.executable, "-m", "odoo", *odoo_args(addons_path), "-d", db]
    cmd += [f"--db-filter=^{db}$", f"--workers={workers}"]
    cmd += ["--http-interface=127.0.0.1", f"--http-port={port}", f"--logfile={logfile}"]
    cmd += ["--log-handler=odoo.service.model:INFO", f"--log-handler={LOGGER}:INFO"]
    # the gevent process (`python3 sys.argv[0] gevent`) cannot start from
    # `python3 -m odoo`; JSON-RPC does not use it: its tracebacks go to .stderr
    with open(logfile + ".stderr", "wb") as err:
        process = subprocess.Popen(cmd, stdout=err, stderr=err, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    for _i in range(300):
        with contextlib.suppress(requests.RequestException):
            if requests.get(f"{url}/web/health", timeout=5).ok:
                return process, url
        if process.poll() is not None:
            break
        time.sleep(0.5)
    stop(process)
    raise SystemExit(f"no server on {url}: {logfile}")


def stop(process):
    """SIGTERM to the server we started, then SIGKILL to what is left of it."""
    process.terminate()
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=30)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def agent(run, i, login, password):
    """One agent's session: creates, edits and deletes its lines (run["kept"][i]:
    id -> minutes), logging each call in run["calls"]."""
    session, kept, rng = (
        requests.Session(),
        run["kept"][i],
        random.Random(run["seed"] + i),
    )

    def rpc(path, params):
        body = {"jsonrpc": "2.0", "method": "call", "params": params}
        reply = session.post(run["url"] + path, json=body, timeout=TIMEOUT).json()
        if reply.get("error"):
            raise RuntimeError((reply["error"].get("data") or {}).get("name") or reply)
        return reply["result"]

    def call(method, *call_args):
        params = dict(model=LINE, method=method, args=list(call_args), kwargs={})
        try:
            result = rpc(f"/web/dataset/call_kw/{LINE}/{method}", params)
        except (RuntimeError, requests.RequestException, ValueError) as error:
            return run["calls"].append((method, f"{type(error).__name__}: {error}"))
        run["calls"].append((method, None))
        return result or True

    rpc("/web/session/authenticate", dict(db=run["db"], login=login, password=password))
    run["barrier"].wait(timeout=TIMEOUT)
    ticket = run["tickets"][i % len(run["tickets"])]
    for n in range(run["lines"]):
        minutes = rng.randint(1, 90)
        values = dict(
            name=f"{login} work {n}", ticket_id=ticket, unit_amount=minutes / 60
        )
        if ids := call("create", dict(values, project_id=run["project"])):
            kept[ids[0] if isinstance(ids, list) else ids] = minutes
    mine = list(kept)
    rng.shuffle(mine)
    operations = [("write", line) for line in mine[: len(mine) // 2]]
    operations += [
        ("unlink", line) for line in mine[len(mine) // 2 :][: len(mine) // 4]
    ]
    rng.shuffle(operations)
    for method, line in operations:
        minutes = rng.randint(1, 120)
        if method == "unlink" and call("unlink", [line]):
            del kept[line]
        elif method == "write" and call("write", [line], {"unit_amount": minutes / 60}):
            kept[line] = minutes


def run_agents(url, db, fx, args):
    """The agents at once, agent i on ticket i (modulo the tickets): (calls,
    {line id: minutes}, seconds, errors)."""
    run = dict(fx, url=url, db=db, seed=args.seed, lines=args.lines, calls=[])
    run.update(kept=[{} for _login in fx["logins"]], errors=[])
    run["barrier"] = threading.Barrier(args.agents + 1)

    def target(i, login, password):
        try:
            agent(run, i, login, password)
        except Exception as error:  # noqa: BLE001 - reported by the pass
            run["errors"].append(f"{login}: {type(error).__name__}: {error}")
            run["barrier"].abort()

    threads = [
        threading.Thread(target=target, args=(i, *login))
        for i, login in enumerate(fx["logins"].items())
    ]
    for thread in threads:
        thread.start()
    with contextlib.suppress(threading.BrokenBarrierError):
        run["barrier"].wait(timeout=TIMEOUT)  # every agent logged in
    start_time = time.perf_counter()
    for thread in threads:
        thread.join(timeout=TIMEOUT * (3 * args.lines + 2))
    if any(thread.is_alive() for thread in threads):
        run["errors"].append("agents still running at the deadline")
    lines = {line: minutes for own in run["kept"] for line, minutes in own.items()}
    return run["calls"], lines, time.perf_counter() - start_time, run["errors"]


def prove(registry, fx, lines):
    """Whether the server's lines are the agents'; with the addon, what is left
    in the queue posted as the cron would (this server runs no cron), then the
    balance proof's figures."""
    from odoo import SUPERUSER_ID, api

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        domain = [("ticket_id", "in", fx["tickets"])]
        result = {"match": sorted(env[LINE].search(domain).ids) == sorted(lines)}
        if not fx["pack"]:
            return result
        queue, moves = env["support.posting.queue"], env["support.pack.move"]
        result["drained"] = queue.search_count([])
        while queue.search_count([]) and queue._cron_process_queue():
            pass
        env.invalidate_all()
        pack = env["support.pack"].browse(fx["pack"])
        rule = SETTINGS["support_multiplier_very_high"]
        quarter = SETTINGS["support_rounding_minutes"]
        return dict(
            result,
            remaining=pack.quantity_remaining,
            ledger=sum(pack.move_ids.mapped("quantity")),
            moves=len(pack.move_ids),
            purchase=sum(
                m.quantity for m in pack.move_ids if m.move_type == "purchase"
            ),
            posted=sum(env[LINE].search(domain).mapped("support_quantity")),
            rule=sum(math.ceil(m / quarter) * rule for m in lines.values()),
            overdraft=moves.search_count(
                [("partner_id", "=", fx["customer"]), ("pack_id", "=", False)]
            ),
            left=queue.search_count([]),
        )


def server_log(logfile):
    """Conflicts retried and given up, postings queued on a busy pack, and the
    longest wait of a queued posting the server posted (seconds or None)."""
    with open(logfile, encoding="utf-8", errors="replace") as handle:
        text = handle.read()
    queued = re.findall(r"support packs busy: (\d+) posting\(s\) queued", text)
    waits = re.findall(r"queued posting\(s\) done, longest wait ([0-9.]+) s", text)
    return dict(
        retried=text.count("tries left, try again"),
        given_up=text.count("maximum number of tries reached"),
        queued=sum(map(int, queued)),
        wait=max(map(float, waits), default=None),
    )


def report(title, args, calls, lines, elapsed, errors, proof, log):
    """Print one pass; returns {"calls", "failed", "ok", "log", "drained"}."""
    failed = collections.Counter(call for call in calls if call[1])
    print(f"\nmulti-process, {title}: Odoo --workers={args.workers}, {args.agents}")
    print(f"  agents over JSON-RPC: {len(calls)} calls in {elapsed:.1f} s, ", end="")
    print(
        f"{len(calls) / max(elapsed, 1e-9):.1f} calls/s, failed calls: {failed.total()}"
    )
    for (method, error), count in failed.items():
        print(f"    {count} x {method}: {error}")
    for error in errors:
        print(f"  error: {error}")
    print(
        f"  conflicts retried by Odoo: {log['retried']} (given up: {log['given_up']});"
        f" the agents' {len(lines)} lines are the server's: {proof['match']}"
    )
    ok = proof["match"] and not errors
    if "remaining" in proof:
        wait = "-" if log["wait"] is None else f"{log['wait']:.2f} s"
        print(
            f"  postings queued on a busy pack: {log['queued']}, longest wait {wait};"
            f" left when the calls ended {proof['drained']}, then {proof['left']}"
        )
        close = lambda a, b: abs(a - b) < 0.001  # noqa: E731
        balance_ok = (
            close(proof["remaining"], proof["ledger"])
            and close(proof["remaining"], proof["purchase"] - proof["posted"])
            and close(proof["posted"], proof["rule"])
            and not proof["overdraft"]
            and not proof["left"]
        )
        print(
            f"  balance: pack remaining {proof['remaining']:g} = sum of its "
            f"{proof['moves']} moves {proof['ledger']:g} = purchase "
            f"{proof['purchase']:g}"
            f" - {proof['posted']:g} posted; the rule on the agents' lines: "
            f"{proof['rule']:g}; overdraft moves: {proof['overdraft']}; balance proof: "
            + ("PASS" if balance_ok else "FAIL")
        )
        ok = ok and balance_ok
    drained = proof.get("drained", 0)
    return dict(
        calls=len(calls), failed=failed.total(), ok=ok, log=log, drained=drained
    )


def summary(results, agents):
    """The failed calls side by side, the longest wait of a queued posting."""
    host, one, each = results["host"], results["addon"], results["addon_each"]
    one_ok, each_ok = one["failed"] <= host["failed"], each["failed"] == 0
    waits = [r["log"]["wait"] for r in (one, each) if r["log"]["wait"] is not None]
    print(
        f"\nmulti-process, failed calls side by side:\n  {agents} agents on one "
        f"ticket: host addons alone {host['failed']} of {host['calls']}, with "
        f"helpdesk_support_pack {one['failed']} of {one['calls']} (goal: no more "
        f"than the host): {'PASS' if one_ok else 'FAIL'}\n  {agents} agents on "
        f"{agents} tickets of one pack: {each['failed']} of {each['calls']} (goal 0):"
        f" {'PASS' if each_ok else 'FAIL'}\n  longest wait of a queued posting: "
        + (f"{max(waits):.2f} s" if waits else "- (none queued)")
        + f" ({one['log']['queued'] + each['log']['queued']} queued, "
        f"{one['drained'] + each['drained']} left to the scheduled job)"
    )
    return one_ok and each_ok and all(r["ok"] for r in results.values())


def main():
    prefix = f"hspw_bench_{uuid.uuid4().hex[:8]}"
    sizes = dict(agents=8, lines=40, workers=4, credits=5000.0, seed=18)
    args = parser(__doc__, prefix, **sizes).parse_args()
    addons_path = start(args)
    from odoo import sql_db

    dbs = {"host": f"{args.prefix}_host", "pack": f"{args.prefix}_pack"}
    tmp_dir, ok, results = tempfile.mkdtemp(prefix="hsp_bench_workers_"), False, {}
    try:
        install({dbs["host"]: HOST_MODULES, dbs["pack"]: MODULE}, addons_path, args)
        setups = {
            key: build_fixtures(
                db,
                args,
                {name: n or args.agents for name, k, n, __ in PASSES if k == key},
                key == "pack",
            )
            for key, db in dbs.items()
        }
        for name, key, __, title in PASSES:
            registry, fx = setups[key][0], setups[key][1][name]
            logfile = os.path.join(tmp_dir, f"server_{name}.log")
            sql_db.close_all()
            process, url = serve(dbs[key], addons_path, args.workers, logfile)
            try:
                calls, lines, elapsed, errors = run_agents(url, dbs[key], fx, args)
            finally:
                stop(process)
            proof, log = prove(registry, fx, lines), server_log(logfile)
            results[name] = report(
                title, args, calls, lines, elapsed, errors, proof, log
            )
        ok = summary(results, args.agents)
    finally:
        finish(args, dbs.values())
        print(f"server logs in {tmp_dir}")
    print(f"multi-process summary: {'PASS' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
