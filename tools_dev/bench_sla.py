#!/usr/bin/env python3
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Ticket creation cost of the SLA: two targets (this addon) vs one (OCA).

Creates two throw-away databases without demo data, side by side in one run:

* ``<prefix>_oca``:  the addon's dependencies (helpdesk_mgmt_sla and the rest
  of the stack) without the addon, one resolution policy (12 h) as
  helpdesk_mgmt_sla has it;
* ``<prefix>_pack``: the same plus helpdesk_support_pack, a first response
  (24 h) and a resolution (12 h) policy for the ticket's priority.

Both count working hours on the same Mon-Fri 9:00-12:30 / 13:30-17:00 Paris
calendar (the slowest clock: the 24/7 default policies are cheaper). Tickets are
created one per ``create`` call, in alternating rounds, and everything is rolled
back. Prints ms and SQL queries per ticket and the ratios (goal: bench_common).

    python3 tools_dev/bench_sla.py [--tickets 200] [--rounds 3] [--keep]
    python3 tools_dev/bench_sla.py --reuse --prefix P   # databases of --keep
"""

import ast
import statistics
import sys
import time
import uuid

from bench_common import GOAL_SLA_RATIO, MODULE, ROOT, finish, install, parser, start


def dependencies():
    manifest = ast.literal_eval((ROOT / "__manifest__.py").read_text())
    return ",".join(manifest["depends"])


def setup(env, with_pack):
    from odoo import Command

    calendar = env["resource.calendar"].create(
        {
            "name": "Bench support hours",
            "tz": "Europe/Paris",
            "attendance_ids": [Command.clear()]
            + [
                Command.create(
                    {
                        "name": f"{day}-{start}",
                        "dayofweek": str(day),
                        "hour_from": start,
                        "hour_to": end,
                        "day_period": period,
                    }
                )
                for day in range(5)
                for start, end, period in (
                    (9.0, 12.5, "morning"),
                    (13.5, 17.0, "afternoon"),
                )
            ],
        }
    )
    team = env["helpdesk.ticket.team"].create(
        {"name": "Bench", "use_sla": True, "resource_calendar_id": calendar.id}
    )
    done = env["helpdesk.ticket.stage"].search([("closed", "=", True)], limit=1)
    env["helpdesk.sla"].search([]).write({"active": False})
    resolution = {"name": "Resolution 12 h", "hours": 12, "stage_id": done.id}
    if with_pack:
        resolution.update(priority="2", target="resolution", use_calendar=True)
        env["helpdesk.sla"].create(
            {
                "name": "First response 24 h",
                "hours": 24,
                "priority": "2",
                "target": "first_response",
                "use_calendar": True,
            }
        )
    env["helpdesk.sla"].create(resolution)
    return team


def measure(db, with_pack, tickets, expected_targets, context):
    from odoo import SUPERUSER_ID, api
    from odoo.modules.registry import Registry

    registry = Registry(db)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, context)
        team = setup(env, with_pack)
        Ticket = env["helpdesk.ticket"]

        def create():
            return Ticket.create(
                {
                    "name": "Bench ticket",
                    "description": "<p>bench</p>",
                    "team_id": team.id,
                    "priority": "2",
                }
            )

        for _i in range(10):  # warm-up: caches, prepared statements
            create()
        env.flush_all()
        check = create()
        env.flush_all()
        assert len(check.ticket_sla_ids) == expected_targets, check.ticket_sla_ids
        queries = cr.sql_log_count
        start = time.perf_counter()
        for _i in range(tickets):
            create()
            env.flush_all()
        elapsed = time.perf_counter() - start
        queries = cr.sql_log_count - queries
        cr.rollback()
    return elapsed * 1000 / tickets, queries / tickets


def main():
    prefix = f"hsps_bench_{uuid.uuid4().hex[:8]}"
    args = parser(__doc__, prefix, tickets=200, rounds=3).parse_args()
    addons_path = start(args)
    dbs = {"oca": f"{args.prefix}_oca", "pack": f"{args.prefix}_pack"}
    install({dbs["oca"]: dependencies(), dbs["pack"]: MODULE}, addons_path, args)
    modes = {
        "full create (chatter, followers, tracking)": {},
        "without mail tracking (SLA share larger)": {"tracking_disable": True},
    }
    try:
        # the goal is the full create's (the user's); the other is a hint
        ok = [report(label, args, dbs, context) for label, context in modes.items()][0]
    finally:
        finish(args, dbs.values())
    return 0 if ok else 1


def report(label, args, dbs, context):
    results = {"oca": [], "pack": []}
    for _round in range(args.rounds):  # alternate to share the machine's noise
        results["oca"].append(measure(dbs["oca"], False, args.tickets, 1, context))
        results["pack"].append(measure(dbs["pack"], True, args.tickets, 2, context))
    ms = {k: statistics.median(r[0] for r in v) for k, v in results.items()}
    qs = {k: statistics.median(r[1] for r in v) for k, v in results.items()}
    print(
        f"ticket creation, {label}: median of {args.rounds} rounds x "
        f"{args.tickets} tickets"
    )
    print(
        f"  helpdesk_mgmt_sla, 1 target:      {ms['oca']:.2f} ms/ticket, "
        f"{qs['oca']:.1f} queries/ticket"
    )
    print(
        f"  helpdesk_support_pack, 2 targets: {ms['pack']:.2f} ms/ticket, "
        f"{qs['pack']:.1f} queries/ticket"
    )
    ratio = ms["pack"] / ms["oca"]
    print(
        f"  ratio time {ratio:.2f} (goal <= {GOAL_SLA_RATIO}: "
        f"{'PASS' if ratio <= GOAL_SLA_RATIO else 'FAIL'}), ratio queries "
        f"{qs['pack'] / qs['oca']:.2f}",
        flush=True,
    )
    return ratio <= GOAL_SLA_RATIO


if __name__ == "__main__":
    sys.exit(main())
