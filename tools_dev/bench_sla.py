#!/usr/bin/env python3
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Ticket creation with this addon's two SLA targets (``<prefix>_pack``) against
helpdesk_mgmt_sla's one (``<prefix>_oca``, the addon's dependencies), on the
same Paris working-hours calendar, in alternating rounds, rolled back: ms and
queries per ticket and the ratio (goal: bench_common.py; docs/DEVELOP.md).

    python3 tools_dev/bench_sla.py [--tickets 200] [--rounds 3] [--keep]
"""

import ast
import statistics
import sys
import time
import uuid

from bench_common import GOAL_SLA_RATIO, MODULE, ROOT, finish, install, parser, start

NO_TRACKING = {"tracking_disable": True}


def setup(env, with_pack):
    """The Paris working-hours calendar, its team and the SLA policies."""
    from odoo import Command

    hours = ((9.0, 12.5, "morning"), (13.5, 17.0, "afternoon"))
    attendances = [Command.clear()] + [
        Command.create(
            dict(name=f"{day}-{start}", dayofweek=str(day), day_period=period)
            | dict(hour_from=start, hour_to=end)
        )
        for day in range(5)
        for start, end, period in hours
    ]
    calendar = env["resource.calendar"].create(
        dict(name="Bench hours", tz="Europe/Paris", attendance_ids=attendances)
    )
    team = env["helpdesk.ticket.team"].create(
        {"name": "Bench", "use_sla": True, "resource_calendar_id": calendar.id}
    )
    done = env["helpdesk.ticket.stage"].search([("closed", "=", True)], limit=1)
    env["helpdesk.sla"].search([]).write({"active": False})
    resolution = {"name": "Resolution 12 h", "hours": 12, "stage_id": done.id}
    if with_pack:
        ours = dict(priority="2", use_calendar=True)
        resolution.update(ours, target="resolution")
        env["helpdesk.sla"].create(
            dict(ours, name="First response 24 h", hours=24, target="first_response")
        )
    env["helpdesk.sla"].create(resolution)
    return team


def measure(db, with_pack, tickets, context):
    """(ms, queries) per ticket, everything rolled back."""
    from odoo import SUPERUSER_ID, api
    from odoo.modules.registry import Registry

    with Registry(db).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, context)
        team = setup(env, with_pack)
        values = dict(
            name="Bench", description="<p>b</p>", team_id=team.id, priority="2"
        )
        for _i in range(10):  # warm-up: caches, prepared statements
            env["helpdesk.ticket"].create(values)
        check = env["helpdesk.ticket"].create(values)
        assert len(check.ticket_sla_ids) == 1 + with_pack, check.ticket_sla_ids
        env.flush_all()
        queries, start_time = cr.sql_log_count, time.perf_counter()
        for _i in range(tickets):
            env["helpdesk.ticket"].create(values)
            env.flush_all()
        elapsed = time.perf_counter() - start_time
        queries = cr.sql_log_count - queries
        cr.rollback()
    return elapsed * 1000 / tickets, queries / tickets


def report(label, args, dbs, context):
    """Rounds alternated to share the machine's noise; the medians, the ratio."""
    runs = {"oca": [], "pack": []}
    for _round in range(args.rounds):
        for name in runs:
            runs[name].append(measure(dbs[name], name == "pack", args.tickets, context))
    ms, qs = (
        {k: statistics.median(r[i] for r in v) for k, v in runs.items()} for i in (0, 1)
    )
    ratio = ms["pack"] / ms["oca"]
    print(
        f"ticket creation, {label}: median of {args.rounds} rounds x {args.tickets}"
        f" tickets\n  helpdesk_mgmt_sla, 1 target:      {ms['oca']:.2f} ms/ticket, "
        f"{qs['oca']:.1f} queries/ticket\n  helpdesk_support_pack, 2 targets: "
        f"{ms['pack']:.2f} ms/ticket, {qs['pack']:.1f} queries/ticket\n  ratio "
        f"time {ratio:.2f} (goal <= {GOAL_SLA_RATIO}: "
        f"{'PASS' if ratio <= GOAL_SLA_RATIO else 'FAIL'}), ratio queries "
        f"{qs['pack'] / qs['oca']:.2f}",
        flush=True,
    )
    return ratio <= GOAL_SLA_RATIO


def main():
    prefix = f"hsps_bench_{uuid.uuid4().hex[:8]}"
    args = parser(__doc__, prefix, tickets=200, rounds=3).parse_args()
    addons_path = start(args)
    manifest = ast.literal_eval((ROOT / "__manifest__.py").read_text())
    dbs = {"oca": f"{args.prefix}_oca", "pack": f"{args.prefix}_pack"}
    install(
        {dbs["oca"]: ",".join(manifest["depends"]), dbs["pack"]: MODULE},
        addons_path,
        args,
    )
    try:  # the goal is the full create's (the user's); the other is a hint
        ok = report("full create (chatter, followers, tracking)", args, dbs, {})
        report("without mail tracking (SLA share larger)", args, dbs, NO_TRACKING)
    finally:
        finish(args, dbs.values())
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
