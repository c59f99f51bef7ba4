#!/usr/bin/env python3
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""``make bench``: what installing the addon adds to a timesheet line, and a
concurrency proof.

Creates two throw-away databases without demo data, side by side in one run
(installed in parallel, dropped at the end):

* ``<prefix>_host``: the host addons only (helpdesk_mgmt, helpdesk_mgmt_timesheet,
  helpdesk_mgmt_sla, sale_management): the helpdesk our user runs today;
* ``<prefix>_pack``: the same plus helpdesk_support_pack.

Both get the same data (customers, contacts, tickets, one helpdesk agent with
an employee, a timesheet project); in ``_pack`` each customer also bought a
credit pack on a confirmed quotation. Then, in one process holding both
registries:

1. the agent creates timesheet lines on tickets, one ``create`` per line, cold
   cache each time, alternately in ``_host`` and in ``_pack`` (interleaved line
   by line, the order flipped every line so that neither database always runs
   second); prints ms and SQL queries per line side by side, the ratio and the
   difference, with PASS/FAIL against the goals (ratio <= 1.3, at most +6
   queries per line);
2. in ``_pack``, two threads, each with its own database cursor, post on one
   pack at the same time (each transaction holds its row lock for a while
   before committing), retrying serialization failures like Odoo's HTTP layer
   does, and checks that the pack ends with the exact sum.

Usage (from the repository root)::

    python3 tools_dev/bench.py [--customers 1000] [--lines 300]
        [--concurrent-lines 25] [--keep] [--prefix hspc_bench_<random>]

The addons path is a temporary folder with a ``helpdesk_support_pack`` symlink
to this repository plus Odoo's addons (the OCA wheels are found by Odoo itself),
unless ``--addons-path`` or ``$HSP_ADDONS_PATH`` is given.
"""

import argparse
import logging
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid

MODULE = "helpdesk_support_pack"
HOST_MODULES = (
    "helpdesk_mgmt",
    "helpdesk_mgmt_timesheet",
    "helpdesk_mgmt_sla",
    "sale_management",
)
GOAL_RATIO = 1.3
GOAL_EXTRA_QUERIES = 6.0
QUIET = {"tracking_disable": True, "mail_create_nolog": True, "mail_notrack": True}

_logger = logging.getLogger("bench")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--addons-path", default=os.environ.get("HSP_ADDONS_PATH"))
    parser.add_argument(
        "--prefix", help="database name prefix (default: hspc_bench_<random>)"
    )
    parser.add_argument("--customers", type=int, default=1000)
    parser.add_argument(
        "--lines", type=int, default=300, help="timesheet lines per database"
    )
    parser.add_argument(
        "--concurrent-lines",
        type=int,
        default=25,
        help="lines posted by each of the two threads on the same pack",
    )
    parser.add_argument(
        "--keep", action="store_true", help="do not drop the databases at the end"
    )
    parser.add_argument("odoo_args", nargs="*", help="extra odoo options after --")
    return parser.parse_args()


# ----------------------------------------------------------------------
# Throw-away databases (shared with bench_workers.py)
# ----------------------------------------------------------------------
def default_addons_path(tmp_dir):
    """Like the Makefile: a folder holding a helpdesk_support_pack symlink to this
    repository (whatever its name), odoo/addons and <odoo source>/addons."""
    import odoo

    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    os.symlink(repo, os.path.join(tmp_dir, MODULE))
    odoo_addons = os.path.join(
        os.path.dirname(os.path.abspath(odoo.__file__)), "addons"
    )
    source_addons = os.path.join(
        os.path.dirname(os.path.dirname(odoo_addons)), "addons"
    )
    paths = [tmp_dir, odoo_addons]
    if os.path.isdir(source_addons):
        paths.append(source_addons)
    return ",".join(paths)


def odoo_env():
    """Environment of the Odoo subprocesses: TZ=UTC like odoo-bin, no ~/.odoorc."""
    return {**os.environ, "TZ": "UTC"}


def install(databases, addons_path, data_dir, odoo_args=()):
    """Create ``databases`` ({name: comma-separated modules}) without demo data,
    in parallel (one ``odoo -i ... --stop-after-init`` per database)."""
    t0 = time.perf_counter()
    cfg = os.path.join(data_dir, "odoo.cfg")
    with open(cfg, "w", encoding="utf-8") as handle:
        handle.write("[options]\n")
    processes = {}
    for db, modules in databases.items():
        subprocess.run(
            ["dropdb", "--if-exists", db], check=True, stderr=subprocess.DEVNULL
        )
        print(f"database {db}: installing {modules} ...", flush=True)
        processes[db] = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "odoo",
                "-c",
                cfg,
                "-d",
                db,
                "-i",
                modules,
                f"--addons-path={addons_path}",
                f"--data-dir={data_dir}",
                "--without-demo=all",
                "--stop-after-init",
                "--no-http",
                "--max-cron-threads=0",
                "--log-level=warn",
                *odoo_args,
            ],
            env=odoo_env(),
            stdin=subprocess.DEVNULL,
        )
    failed = [db for db, process in processes.items() if process.wait() != 0]
    if failed:
        raise SystemExit(f"installation failed in {', '.join(failed)}")
    print(f"installed in {time.perf_counter() - t0:.0f} s", flush=True)


def drop(databases, data_dir):
    for db in databases:
        subprocess.run(
            ["dropdb", "--if-exists", db], check=False, stderr=subprocess.DEVNULL
        )
        shutil.rmtree(os.path.join(data_dir, "filestore", db), ignore_errors=True)
    print(f"databases {', '.join(databases)} dropped")


def agent_groups(env):
    return [
        env.ref("base.group_user").id,
        env.ref("helpdesk_mgmt.group_helpdesk_user").id,
        env.ref("hr_timesheet.group_hr_timesheet_user").id,
    ]


def create_pack_product(env, name="Bench credit"):
    """A credit-pack service product: 1 credit per unit sold."""
    return env["product.product"].create(
        {
            "name": name,
            "type": "service",
            "support_pack_ok": True,
            "support_pack_unit": "credit",
            "support_pack_quantity": 1,
            "support_pack_validity_months": 12,
            "support_pack_activation": "order",
        }
    )


def sell_packs(env, partners, product, credits):
    """Each partner buys a pack of ``credits`` on a confirmed quotation (the
    addon's own flow creates the pack, its purchase move and activates it)."""
    from odoo import Command

    orders = env["sale.order"].create(
        [
            {
                "partner_id": partner.id,
                "order_line": [
                    Command.create(
                        {"product_id": product.id, "product_uom_qty": credits}
                    )
                ],
            }
            for partner in partners
        ]
    )
    orders.action_confirm()
    packs = orders.order_line.support_pack_ids
    assert len(packs) == len(partners), "one pack per confirmed quotation"
    assert all(pack.state == "active" for pack in packs), packs.mapped("state")
    return packs


# ----------------------------------------------------------------------
# Data
# ----------------------------------------------------------------------
def build_data(env, customers, with_pack):
    """The same helpdesk in both databases; ``with_pack``: packs and settings."""
    from odoo import Command

    t0 = time.perf_counter()
    env = env(context=dict(env.context, **QUIET))
    if with_pack:
        env.company.write(
            {
                "support_rounding_minutes": 15,
                "support_minimum_minutes": 15,
                "support_multiplier_very_high": 2.0,
                "support_cap_hours": 4.0,
            }
        )
    agent = (
        env["res.users"]
        .with_context(no_reset_password=True)
        .create(
            {
                "name": "Bench Agent",
                "login": "bench-agent",
                "groups_id": [Command.set(agent_groups(env))],
            }
        )
    )
    env["hr.employee"].create({"name": "Bench Agent", "user_id": agent.id})
    project = env["project.project"].create(
        {"name": "Bench support", "allow_timesheets": True}
    )
    team = env["helpdesk.ticket.team"].create(
        {
            "name": "Bench team",
            "allow_timesheet": True,
            "default_project_id": project.id,
            "user_ids": [Command.set(agent.ids)],
        }
    )
    category_values = {"name": "Bench usage assistance"}
    if with_pack:
        category_values["support_coverage"] = "counted"
    category = env["helpdesk.ticket.category"].create(category_values)
    partners = env["res.partner"].create(
        [
            {"name": f"Bench customer {i:04d}", "is_company": True}
            for i in range(customers)
        ]
    )
    contacts = env["res.partner"].create(
        [
            {"name": f"Contact {i:04d}", "parent_id": partner.id}
            for i, partner in enumerate(partners)
        ]
    )
    if with_pack:
        sell_packs(env, partners, create_pack_product(env), 1000)
    tickets = env["helpdesk.ticket"].create(
        [
            {
                "name": f"Bench request {i:04d}",
                "description": "<p>Bench</p>",
                "team_id": team.id,
                "project_id": project.id,
                "partner_id": contact.id,
                "category_id": category.id,
                "priority": "3" if i % 4 == 0 else "1",
                "user_id": agent.id,
            }
            for i, contact in enumerate(contacts)
        ]
    )
    env.cr.commit()
    print(
        f"  {env.cr.dbname}: {len(partners)} customers, {len(tickets)} tickets"
        + (f", {len(partners)} packs" if with_pack else "")
        + f", built in {time.perf_counter() - t0:.1f} s",
        flush=True,
    )
    return {"agent": agent.id, "tickets": tickets.ids, "project": project.id}


# ----------------------------------------------------------------------
# 1. What the addon adds to a timesheet line
# ----------------------------------------------------------------------
def measure(envs, data, lines):
    """``envs``/``data``: {"host": ..., "pack": ...}; one line in each database
    in turn, the order flipped every line."""
    results = {name: ([], []) for name in envs}

    def create(name, i):
        env = envs[name]
        values = {
            "name": f"Bench work {i}",
            "ticket_id": data[name]["tickets"][i % len(data[name]["tickets"])],
            "project_id": data[name]["project"],
            "unit_amount": ((i % 8) + 1) * 7 / 60.0,
        }
        model = env["account.analytic.line"].with_user(data[name]["agent"])
        env.invalidate_all()  # every creation starts cold, like a new request
        queries = env.cr.sql_log_count
        start = time.perf_counter()
        model.create(values)
        env.flush_all()
        elapsed = time.perf_counter() - start
        return elapsed, env.cr.sql_log_count - queries

    for i in range(20):  # warm-up: registry, ormcaches, rules, prepared plans
        for name in envs:
            create(name, i)
    for env in envs.values():
        env.cr.commit()
    for i in range(lines):
        order = ("host", "pack") if i % 2 else ("pack", "host")
        for name in order:
            elapsed, queries = create(name, i + 20)
            results[name][0].append(elapsed)
            results[name][1].append(queries)
        if i % 50 == 49:
            for env in envs.values():
                env.cr.commit()
    for env in envs.values():
        env.cr.commit()

    def row(name):
        times, queries = results[name]
        return (
            statistics.mean(times) * 1000,
            statistics.median(times) * 1000,
            statistics.mean(queries),
        )

    host, pack = row("host"), row("pack")
    print()
    print(
        f"timesheet line creation as the agent, {lines} lines per database, "
        "interleaved line by line:"
    )
    print(f"  {'':<34}{'mean ms':>10}{'median ms':>11}{'queries':>9}")
    for label, figures in (
        ("host addons, without this addon", host),
        ("host addons + helpdesk_support_pack", pack),
    ):
        print(f"  {label:<34}{figures[0]:>10.2f}{figures[1]:>11.2f}{figures[2]:>9.1f}")
    ratio_mean, ratio_median = pack[0] / host[0], pack[1] / host[1]
    extra = pack[2] - host[2]
    print(
        f"  ratio (median) {ratio_median:.2f} (mean {ratio_mean:.2f}), goal <= "
        f"{GOAL_RATIO}: {'PASS' if ratio_median <= GOAL_RATIO else 'FAIL'}"
    )
    print(
        f"  queries {extra:+.1f} per line, goal <= +{GOAL_EXTRA_QUERIES:g}: "
        f"{'PASS' if extra <= GOAL_EXTRA_QUERIES else 'FAIL'}"
    )
    return ratio_median, extra


# ----------------------------------------------------------------------
# 2. Concurrency proof
# ----------------------------------------------------------------------
def concurrency(registry, agent_id, project_id, lines_per_thread):
    from odoo import SUPERUSER_ID, api
    from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY

    granted = 4.0 * lines_per_thread + 50.0
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, dict(QUIET))
        partner = env["res.partner"].create({"name": "Race Ltd", "is_company": True})
        product = create_pack_product(env, "Bench race credit")
        pack = sell_packs(env, partner, product, granted)
        team = env["helpdesk.ticket.team"].search([("name", "=", "Bench team")])
        ticket = env["helpdesk.ticket"].create(
            {
                "name": "Race",
                "description": "<p>Race</p>",
                "team_id": team.id,
                "project_id": project_id,
                "partner_id": partner.id,
                "priority": "1",
                "user_id": agent_id,
            }
        )
        pack_id, ticket_id = pack.id, ticket.id

    barrier = threading.Barrier(2)
    stats = {"retries": 0, "errors": []}
    lock = threading.Lock()

    def worker(name):
        try:
            barrier.wait()
            for i in range(lines_per_thread):
                for attempt in range(30):
                    with registry.cursor() as cr:
                        env = api.Environment(cr, agent_id, {})
                        try:
                            # 16 min medium: 0.5 h, 2 credits
                            env["account.analytic.line"].create(
                                {
                                    "name": f"{name} {i}",
                                    "ticket_id": ticket_id,
                                    "project_id": project_id,
                                    "unit_amount": 16 / 60.0,
                                }
                            )
                            env.flush_all()
                            time.sleep(0.01)  # hold the row lock a while
                            cr.commit()
                        except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
                            cr.rollback()
                            with lock:
                                stats["retries"] += 1
                            # random back-off, as Odoo's retrying() does
                            time.sleep(random.uniform(0.0, 0.01 * 2 ** min(attempt, 5)))
                            continue
                        break
                else:
                    raise RuntimeError("too many serialization failures")
        except Exception as exc:  # reported below
            stats["errors"].append(repr(exc))

    threads = [threading.Thread(target=worker, args=(n,)) for n in ("A", "B")]
    # serialization failures are expected and retried: keep the log quiet
    sql_logger = logging.getLogger("odoo.sql_db")
    sql_level = sql_logger.level
    sql_logger.setLevel(logging.CRITICAL)
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    sql_logger.setLevel(sql_level)

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        pack = env["support.pack"].browse(pack_id)
        moves = env["support.pack.move"].search([("pack_id", "=", pack_id)])
        line_count = env["account.analytic.line"].search_count(
            [("ticket_id", "=", ticket_id)]
        )
        expected = granted - 2.0 * line_count
        ledger = sum(moves.mapped("quantity"))
        ok = (
            not stats["errors"]
            and line_count == 2 * lines_per_thread
            and abs(pack.quantity_remaining - expected) < 0.001
            and abs(ledger - expected) < 0.001
        )
        print()
        print(
            f"concurrency: 2 threads x {lines_per_thread} lines of 2 credits on one "
            f"pack of {granted:g} credits, in {elapsed:.1f} s"
        )
        print(
            f"  lines {line_count}, pack remaining {pack.quantity_remaining:g}, "
            f"ledger sum {ledger:g}, expected {granted:g} - {line_count} x 2 = "
            f"{expected:g}; transactions replayed after a serialization "
            f"failure (the shared ticket's row; a busy pack queues the posting "
            f"instead): {stats['retries']}"
        )
        for error in stats["errors"]:
            print(f"  error: {error}")
        print(f"  {'PASS: no update lost' if ok else 'FAIL: an update was lost'}")
        return ok


def main():
    args = parse_args()
    # odoo-bin runs with TZ=UTC; `python3 -m odoo` and this script must too
    os.environ["TZ"] = "UTC"
    time.tzset()
    from odoo import SUPERUSER_ID, api, sql_db
    from odoo.modules.registry import Registry
    from odoo.tools import config

    prefix = args.prefix or f"hspc_bench_{uuid.uuid4().hex[:8]}"
    dbs = {"host": f"{prefix}_host", "pack": f"{prefix}_pack"}
    tmp_dir = tempfile.mkdtemp(prefix="hsp_bench_")
    addons_dir = os.path.join(tmp_dir, "addons")
    os.mkdir(addons_dir)
    addons_path = args.addons_path or default_addons_path(addons_dir)
    data_dir = os.path.join(tmp_dir, "data")
    os.mkdir(data_dir)
    config.parse_config(
        [
            f"--addons-path={addons_path}",
            f"--data-dir={data_dir}",
            "--without-demo=all",
            "--log-level=warn",
            "--max-cron-threads=0",
            *args.odoo_args,
        ]
    )
    ok = False
    cursors = {}
    try:
        install(
            {dbs["host"]: ",".join(HOST_MODULES), dbs["pack"]: MODULE},
            addons_path,
            data_dir,
            args.odoo_args,
        )
        registries = {name: Registry(db) for name, db in dbs.items()}
        envs, data = {}, {}
        print("data (the same in both databases):")
        for name, registry in registries.items():
            cursors[name] = registry.cursor()
            envs[name] = api.Environment(cursors[name], SUPERUSER_ID, {})
            data[name] = build_data(envs[name], args.customers, name == "pack")
        ratio, extra = measure(envs, data, args.lines)
        for cr in cursors.values():
            cr.close()
        cursors.clear()
        concurrent_ok = concurrency(
            registries["pack"],
            data["pack"]["agent"],
            data["pack"]["project"],
            args.concurrent_lines,
        )
        ok = ratio <= GOAL_RATIO and extra <= GOAL_EXTRA_QUERIES and concurrent_ok
        print()
        print(
            "summary: ratio {:.2f} ({}), {:+.1f} queries per line ({}), "
            "concurrency {}".format(
                ratio,
                "PASS" if ratio <= GOAL_RATIO else "FAIL",
                extra,
                "PASS" if extra <= GOAL_EXTRA_QUERIES else "FAIL",
                "PASS" if concurrent_ok else "FAIL",
            )
        )
    finally:
        for cr in cursors.values():
            cr.close()
        sql_db.close_all()
        if args.keep:
            print(f"databases {', '.join(dbs.values())} kept (data dir {data_dir})")
        else:
            drop(dbs.values(), data_dir)
            shutil.rmtree(tmp_dir, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
