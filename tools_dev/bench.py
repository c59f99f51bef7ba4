#!/usr/bin/env python3
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What installing the addon adds to a timesheet line (`make bench`, part 1).

Two throw-away databases with the same data (customers, contacts, tickets, an
agent with an employee, a timesheet project): ``<prefix>_host`` with the host
addons only (HOST_MODULES), ``<prefix>_pack`` with helpdesk_support_pack too,
where each customer bought a credit pack on a confirmed quotation.  In one
process holding both registries, the agent creates timesheet lines, one
``create`` per line, cold cache each time, alternately in each database (the
order flipped every line); prints ms and SQL queries per line side by side, the
ratio and the difference against the goals (bench_common.py).  The concurrency
proof is bench_workers.py's (real worker processes).

    python3 tools_dev/bench.py [--customers 1000] [--lines 300] [--keep]
"""

import statistics
import sys
import time
import uuid

from bench_common import (
    GOAL_EXTRA_QUERIES,
    GOAL_RATIO,
    HOST_MODULES,
    MODULE,
    QUIET,
    create_pack_product,
    finish,
    helpdesk,
    install,
    parser,
    sell_packs,
    start,
)


def build_data(env, customers, with_pack):
    """The same helpdesk in both databases; ``with_pack``: packs and settings."""
    t0 = time.perf_counter()
    env = env(context=dict(env.context, **QUIET))
    agents, project, team, category = helpdesk(
        env, [{"name": "Bench Agent", "login": "bench-agent"}], with_pack
    )
    agent = agents[0]
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


def main():
    prefix = f"hspc_bench_{uuid.uuid4().hex[:8]}"
    # --concurrent-lines: accepted and unused (the concurrency proof is
    # bench_workers.py's since issue 22), so that older command lines still run
    sizes = dict(customers=1000, lines=300, concurrent_lines=0)
    args = parser(__doc__, prefix, **sizes).parse_args()
    addons_path = start(args)
    from odoo import SUPERUSER_ID, api
    from odoo.modules.registry import Registry

    dbs = {"host": f"{args.prefix}_host", "pack": f"{args.prefix}_pack"}
    ok, cursors = False, []
    try:
        install({dbs["host"]: HOST_MODULES, dbs["pack"]: MODULE}, addons_path, args)
        envs, data = {}, {}
        print("data (the same in both databases):")
        for name, db in dbs.items():
            cursors.append(Registry(db).cursor())
            envs[name] = api.Environment(cursors[-1], SUPERUSER_ID, {})
            data[name] = build_data(envs[name], args.customers, name == "pack")
        ratio, extra = measure(envs, data, args.lines)
        ok = ratio <= GOAL_RATIO and extra <= GOAL_EXTRA_QUERIES
        print(
            f"\nsummary: ratio {ratio:.2f}, {extra:+.1f} queries per line: "
            + ("PASS" if ok else "FAIL")
        )
    finally:
        for cr in cursors:
            cr.close()
        finish(args, dbs.values())
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
