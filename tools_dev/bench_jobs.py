#!/usr/bin/env python3
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Scheduled jobs and the report sending, side by side in one run.

Creates one throw-away database with helpdesk_support_pack, without demo data,
and measures, everything rolled back:

* the expiry job over ``--packs`` packs (10,000 by default) past their end
  date: seconds, queries per pack, batches;
* the SLA alert job over ``--targets`` running targets (10,000 by default):
  the warnings, then the escalations: seconds, queries per target, batches;
* closing a ticket with two interventions, the company sending the report on
  close (queued: the job renders it after the commit) vs not sending it
  (setting "manual"): ms per close, ratio (goal <= 1.2).

The jobs are called as the cron framework calls them (one batch of 200 per
call, again while some are left), in one transaction here.

    python3 tools_dev/bench_jobs.py [--packs 10000] [--targets 10000]
                                    [--closes 100] [--keep]
"""

import statistics
import sys
import time
import uuid
from datetime import timedelta
from unittest.mock import patch

from bench import build_data
from bench_common import (
    GOAL_CLOSE_RATIO,
    MODULE,
    QUIET,
    create_pack_product,
    finish,
    install,
    parser,
    start,
)


def run_job(env, model, method):
    """Call the job until nothing is left; (seconds, queries, batches, done)."""
    progress = []
    cron_class = type(env["ir.cron"])
    with (
        patch.object(
            cron_class,
            "_notify_progress",
            lambda cron, done, remaining, deactivate=False: progress.append(
                (done, remaining)
            ),
        ),
        patch.object(cron_class, "_trigger", lambda cron, at=None: None),
    ):
        env.flush_all()
        env.invalidate_all()
        queries = env.cr.sql_log_count
        start = time.perf_counter()
        while True:
            getattr(env[model], method)()
            env.flush_all()
            if not progress or not progress[-1][1]:
                break
        elapsed = time.perf_counter() - start
    return (
        elapsed,
        env.cr.sql_log_count - queries,
        len(progress),
        sum(done for done, __ in progress),
    )


def bench_expiry(env, count):
    from odoo import fields

    from odoo.addons.helpdesk_support_pack.lib.guard import internal

    env = env(context=dict(env.context, **QUIET))
    product = create_pack_product(env, "Bench expiry pack", 10)
    today = fields.Date.context_today(env["support.pack"])
    packs = env["support.pack"]
    for offset in range(0, count, 1000):
        customers = env["res.partner"].create(
            [
                {"name": f"Bench expiry {i}", "is_company": True}
                for i in range(offset, min(count, offset + 1000))
            ]
        )
        chunk = internal(env["support.pack"]).create(
            [
                {
                    "partner_id": customer.id,
                    "company_id": env.company.id,
                    "product_id": product.id,
                    "unit": "credit",
                    "activation": "order",
                    "carry_over": "renewal",
                    "validity_months": 12,
                    "state": "active",
                    "date_start": today - timedelta(days=365),
                    "date_end": today - timedelta(days=1),
                }
                for customer in customers
            ]
        )
        internal(env["support.pack.move"]).create(
            [
                values
                for pack in chunk
                for values in (
                    pack._prepare_move_values("purchase", 10.0),
                    pack._prepare_move_values("consumption", -4.0),
                )
            ]
        )
        packs |= chunk
    elapsed, queries, batches, done = run_job(env, "support.pack", "_cron_expire_packs")
    assert done == count and set(packs.mapped("state")) == {"expired"}
    print(
        f"expiry job, {count} packs: {elapsed:.1f} s, "
        f"{queries / count:.3f} queries/pack ({queries} in {batches} batches)",
        flush=True,
    )


def bench_sla_alerts(env, count):
    from odoo import fields
    from odoo.tools import SQL

    env = env(context=dict(env.context, **QUIET))
    leader = env.ref("base.user_admin")
    team = env["helpdesk.ticket.team"].create(
        {"name": "Bench SLA", "use_sla": True, "user_id": leader.id}
    )
    done_stage = env["helpdesk.ticket.stage"].search([("closed", "=", True)], limit=1)
    env["helpdesk.sla"].search([]).write({"active": False})
    env["helpdesk.sla"].create(
        {
            "name": "Resolution 8 h",
            "hours": 8,
            "priority": "2",
            "target": "resolution",
            "use_calendar": False,
            "stage_id": done_stage.id,
            "team_ids": [(6, 0, team.ids)],
        }
    )
    for offset in range(0, count, 500):
        env["helpdesk.ticket"].create(
            [
                {
                    "name": f"Bench SLA {i}",
                    "description": "<p>bench</p>",
                    "team_id": team.id,
                    "user_id": leader.id,
                    "priority": "2",
                }
                for i in range(offset, min(count, offset + 500))
            ]
        )
    env.flush_all()
    now = fields.Datetime.now()
    env.cr.execute(
        SQL(
            "UPDATE helpdesk_ticket_sla SET warning_deadline = %s, deadline = %s "
            "WHERE state = 'in_progress'",
            now - timedelta(hours=1),
            now + timedelta(hours=1),
        )
    )
    env.invalidate_all()
    results = []
    elapsed, queries, batches, warned = run_job(
        env, "helpdesk.ticket.sla", "_cron_sla_alerts"
    )
    results.append(("warnings", elapsed, queries, batches, warned))
    env.cr.execute(
        SQL(
            "UPDATE helpdesk_ticket_sla SET deadline = %s WHERE state = 'in_progress'",
            now - timedelta(minutes=1),
        )
    )
    env.invalidate_all()
    elapsed, queries, batches, escalated = run_job(
        env, "helpdesk.ticket.sla", "_cron_sla_alerts"
    )
    results.append(("escalations", elapsed, queries, batches, escalated))
    for label, elapsed, queries, batches, done in results:
        assert done == count, (label, done)
        print(
            f"SLA alert job, {count} running targets, {label}: {elapsed:.1f} s, "
            f"{queries / count:.3f} queries/target ({queries} in {batches} batches)",
            flush=True,
        )


def bench_close(env, closes):
    # bench.build_data commits its data: here everything is rolled back
    with patch.object(type(env.cr), "commit", lambda cr: None):
        data = build_data(env, closes * 2, True)
    agent = env["res.users"].browse(data["agent"])
    tickets = env["helpdesk.ticket"].browse(data["tickets"])
    tickets.partner_id.write({"email": "customer@example.com"})
    quiet = env(context=dict(env.context, **QUIET))
    quiet["account.analytic.line"].with_user(agent).create(
        [
            {
                "name": f"Bench work {n}",
                "ticket_id": ticket.id,
                "project_id": data["project"],
                "unit_amount": (7 + 9 * n) / 60.0,
            }
            for ticket in tickets
            for n in range(2)
        ]
    )
    closed = env["helpdesk.ticket.stage"].search([("closed", "=", True)], limit=1)
    results = {"close": [], "manual": []}
    for i, ticket in enumerate(tickets):
        mode = "close" if i % 2 else "manual"
        env.company.support_report_send = mode
        env.flush_all()
        env.invalidate_all()  # every close starts cold, like a new request
        start = time.perf_counter()
        ticket.with_user(agent).write({"stage_id": closed.id})
        env.flush_all()
        results[mode].append(time.perf_counter() - start)
    queued = env["support.report.queue"].search_count([])
    assert queued == len(results["close"]), queued
    ms = {mode: statistics.median(times) * 1000 for mode, times in results.items()}
    ratio = ms["close"] / ms["manual"]
    print(
        f"closing a ticket with 2 interventions, median of {closes} closes each: "
        f"report sent on close (queued) {ms['close']:.1f} ms, without sending "
        f"{ms['manual']:.1f} ms, ratio {ratio:.2f} (goal <= {GOAL_CLOSE_RATIO}: "
        f"{'PASS' if ratio <= GOAL_CLOSE_RATIO else 'FAIL'})",
        flush=True,
    )
    return ratio <= GOAL_CLOSE_RATIO


def main():
    prefix = f"hsp_bench_jobs_{uuid.uuid4().hex[:8]}"
    args = parser(__doc__, prefix, packs=10000, targets=10000, closes=100)
    args = args.parse_args()
    addons_path = start(args)
    from odoo import SUPERUSER_ID, api
    from odoo.modules.registry import Registry

    db = f"{args.prefix}_pack"
    ok = True
    try:
        install({db: MODULE}, addons_path, args)
        registry = Registry(db)
        for part, size in (
            (bench_expiry, args.packs),
            (bench_sla_alerts, args.targets),
            (bench_close, args.closes),
        ):
            with registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                try:
                    ok = (part(env, size) is not False) and ok
                except Exception as error:  # noqa: BLE001 - the next part runs
                    print(f"{part.__name__} FAILED: {error!r}", flush=True)
                    ok = False
                cr.rollback()
    finally:
        finish(args, [db])
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
