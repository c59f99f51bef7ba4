#!/usr/bin/env python3
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""``make bench``: cost of the consumption posting, and a concurrency proof.

Builds its own data in a throw-away database (created, filled and dropped by
this script): 1,000 customers, each with a credit pack and a ticket, and a
helpdesk agent who logs time. Then, in one run:

1. creates timesheet lines on tickets as the agent, alternately with posting
   and with posting switched off (context key ``support_pack_no_posting``),
   and prints the time and the queries per creation side by side, the ratio
   and the difference (goal: ratio <= 1.3, at most 6 more queries);
2. has two threads, each with its own database cursor, post on one pack at
   the same time (each transaction holds its row lock for a while before
   committing), retrying serialization failures like Odoo's HTTP layer does,
   and checks that the pack ends with the exact sum.

Usage (from the repository root)::

    python3 tools_dev/bench.py [--addons-path PATHS] [--customers 1000]
        [--lines 300] [--keep] [-- extra odoo options, e.g. --db_host=...]

The addons path must hold ``helpdesk_support_pack`` and Odoo's addons; by
default (no ``--addons-path`` nor ``$HSP_ADDONS_PATH``) it is a temporary folder
with a ``helpdesk_support_pack`` symlink to this repository, plus Odoo's addons
(the OCA wheels are found by Odoo itself).
"""

import argparse
import logging
import os
import random
import shutil
import statistics
import sys
import tempfile
import threading
import time
import uuid

MODULE = "helpdesk_support_pack"
NO_POSTING = {"support_pack_no_posting": True}

_logger = logging.getLogger("bench")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--addons-path", default=os.environ.get("HSP_ADDONS_PATH"))
    parser.add_argument("--db", help="database name (default: hspc_bench_<random>)")
    parser.add_argument("--customers", type=int, default=1000)
    parser.add_argument(
        "--lines", type=int, default=300, help="timesheet lines per mode"
    )
    parser.add_argument(
        "--concurrent-lines",
        type=int,
        default=25,
        help="lines posted by each of the two threads on the same pack",
    )
    parser.add_argument(
        "--keep", action="store_true", help="do not drop the database at the end"
    )
    parser.add_argument("odoo_args", nargs="*", help="extra odoo options after --")
    return parser.parse_args()


def default_addons_path(odoo_module, tmp_dir):
    """Like the Makefile: a folder holding a helpdesk_support_pack symlink to this
    repository (whatever its name), odoo/addons and <odoo source>/addons."""
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    os.symlink(repo, os.path.join(tmp_dir, MODULE))
    odoo_addons = os.path.join(
        os.path.dirname(os.path.abspath(odoo_module.__file__)), "addons"
    )
    source_addons = os.path.join(
        os.path.dirname(os.path.dirname(odoo_addons)), "addons"
    )
    paths = [tmp_dir, odoo_addons]
    if os.path.isdir(source_addons):
        paths.append(source_addons)
    return ",".join(paths)


# ----------------------------------------------------------------------
# Data
# ----------------------------------------------------------------------
def build_data(env, customers):
    from odoo import Command

    t0 = time.perf_counter()
    env = env(
        context=dict(
            env.context,
            tracking_disable=True,
            mail_create_nolog=True,
            mail_notrack=True,
        )
    )
    company = env.company
    company.write(
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
                "groups_id": [
                    Command.set(
                        [
                            env.ref("base.group_user").id,
                            env.ref("helpdesk_mgmt.group_helpdesk_user").id,
                            env.ref("hr_timesheet.group_hr_timesheet_user").id,
                        ]
                    )
                ],
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
    category = env["helpdesk.ticket.category"].create(
        {"name": "Bench usage assistance", "support_coverage": "counted"}
    )
    product = env["product.product"].create(
        {
            "name": "Bench MAXI 100 credits",
            "type": "service",
            "support_pack_ok": True,
            "support_pack_unit": "credit",
            "support_pack_quantity": 100,
            "support_pack_validity_months": 12,
        }
    )
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
    packs = env["support.pack"].create(
        [
            {
                "partner_id": partner.id,
                "product_id": product.id,
                "unit": "credit",
                "validity_months": 12,
                "activation": "order",
            }
            for partner in partners
        ]
    )
    env["support.pack.move"].create(
        [pack._prepare_move_values("purchase", 1000.0) for pack in packs]
    )
    packs._action_activate()
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
        f"data: {len(partners)} customers, {len(packs)} packs, {len(tickets)} tickets "
        f"built in {time.perf_counter() - t0:.1f} s"
    )
    return agent.id, tickets.ids, project.id, packs[0].partner_id


# ----------------------------------------------------------------------
# 1. Cost of the posting
# ----------------------------------------------------------------------
def measure(env, agent_id, ticket_ids, project_id, lines):
    line_model = env["account.analytic.line"].with_user(agent_id)
    results = {"posting": ([], []), "no posting": ([], [])}

    def create(i, mode):
        values = {
            "name": f"Bench work {i}",
            "ticket_id": ticket_ids[i % len(ticket_ids)],
            "project_id": project_id,
            "unit_amount": ((i % 8) + 1) * 7 / 60.0,
        }
        model = line_model if mode == "posting" else line_model.with_context(NO_POSTING)
        env.invalidate_all()  # every creation starts cold, like a new request
        queries = env.cr.sql_log_count
        start = time.perf_counter()
        model.create(values)
        env.flush_all()
        elapsed = time.perf_counter() - start
        return elapsed, env.cr.sql_log_count - queries

    for i in range(20):  # warm-up: registry, ormcaches, rules
        create(i, "posting")
        create(i, "no posting")
    env.cr.commit()
    for i in range(lines):
        # alternate the order so that neither mode always runs on a warmer cache
        modes = ("posting", "no posting") if i % 2 else ("no posting", "posting")
        for mode in modes:
            elapsed, queries = create(i + 20, mode)
            results[mode][0].append(elapsed)
            results[mode][1].append(queries)
        if i % 50 == 49:
            env.cr.commit()
    env.cr.commit()

    def row(mode):
        times, queries = results[mode]
        return (
            statistics.mean(times) * 1000,
            statistics.median(times) * 1000,
            statistics.mean(queries),
        )

    on, off = row("posting"), row("no posting")
    print()
    print(f"timesheet line creation as the agent, {lines} lines per mode:")
    print(f"  {'':<12}{'mean ms':>10}{'median ms':>11}{'queries':>9}")
    print(f"  {'no posting':<12}{off[0]:>10.2f}{off[1]:>11.2f}{off[2]:>9.1f}")
    print(f"  {'posting':<12}{on[0]:>10.2f}{on[1]:>11.2f}{on[2]:>9.1f}")
    ratio_mean, ratio_median = on[0] / off[0], on[1] / off[1]
    extra = on[2] - off[2]
    print(
        f"  ratio (mean) {ratio_mean:.2f}, ratio (median) {ratio_median:.2f} "
        f"(goal <= 1.3); queries +{extra:.1f} per line (goal <= +6)"
    )
    return ratio_median, extra


# ----------------------------------------------------------------------
# 2. Concurrency proof
# ----------------------------------------------------------------------
def concurrency(registry, agent_id, project_id, lines_per_thread):
    from odoo import SUPERUSER_ID, api
    from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        partner = env["res.partner"].create({"name": "Race Ltd", "is_company": True})
        product = env["product.product"].search(
            [("support_pack_ok", "=", True)], limit=1
        )
        pack = env["support.pack"].create(
            {
                "partner_id": partner.id,
                "product_id": product.id,
                "unit": "credit",
                "validity_months": 12,
            }
        )
        granted = 4.0 * lines_per_thread + 50.0
        env["support.pack.move"].create(pack._prepare_move_values("purchase", granted))
        pack._action_activate()
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
            f"{expected:g}; transactions retried after waiting for the other "
            f"one's lock: {stats['retries']}"
        )
        for error in stats["errors"]:
            print(f"  error: {error}")
        print(f"  {'OK: no update lost' if ok else 'FAILED: an update was lost'}")
        return ok


def main():
    args = parse_args()
    # odoo-bin runs with TZ=UTC; `python3 -m odoo` and this script must too
    os.environ["TZ"] = "UTC"
    time.tzset()
    import odoo
    from odoo import SUPERUSER_ID, api
    from odoo.tools import config

    db = args.db or f"hspc_bench_{uuid.uuid4().hex[:8]}"
    tmp_dir = tempfile.mkdtemp(prefix="hsp_bench_addons_")
    addons_path = args.addons_path or default_addons_path(odoo, tmp_dir)
    config.parse_config(
        [
            f"--addons-path={addons_path}",
            f"--database={db}",
            "--without-demo=all",
            "--log-level=warn",
            "--max-cron-threads=0",
            *args.odoo_args,
        ]
    )
    logging.getLogger("bench").setLevel(logging.INFO)
    from odoo.modules.registry import Registry
    from odoo.service import db as db_service

    print(f"database {db}: installing {MODULE} (a few minutes)...")
    t0 = time.perf_counter()
    db_service._create_empty_database(db)
    ok = False
    try:
        config["init"] = {MODULE: 1}
        registry = Registry.new(db, update_module=True)
        print(f"installed in {time.perf_counter() - t0:.0f} s")
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            agent_id, ticket_ids, project_id, __ = build_data(env, args.customers)
            ratio, extra = measure(env, agent_id, ticket_ids, project_id, args.lines)
        ok = concurrency(registry, agent_id, project_id, args.concurrent_lines)
        print()
        print(
            "summary: ratio {:.2f} ({}), +{:.1f} queries ({}), concurrency {}".format(
                ratio,
                "ok" if ratio <= 1.3 else "ABOVE GOAL",
                extra,
                "ok" if extra <= 6 else "ABOVE GOAL",
                "ok" if ok else "FAILED",
            )
        )
    finally:
        if args.keep:
            print(f"database {db} kept")
        else:
            db_service.exp_drop(db)
            print(f"database {db} dropped")
        shutil.rmtree(tmp_dir, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
