#!/usr/bin/env python3
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What installing the addon adds to a timesheet line (`make bench`, part 1;
docs/DEVELOP.md): the same data in ``<prefix>_host`` (host addons) and
``<prefix>_pack`` (the addon, a credit pack per customer); in one process, the
agent creates lines alternately in each, cold cache each time: ms and queries
per line, the ratio and the difference against the goals (bench_common.py).

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
    customers,
    finish,
    helpdesk,
    install,
    parser,
    sell_packs,
    start,
    tickets,
)


def build_data(env, count, with_pack):
    """The same helpdesk in both databases; ``with_pack``: packs and settings."""
    t0 = time.perf_counter()
    env = env(context=dict(env.context, **QUIET))
    desk = helpdesk(env, [{"name": "Bench Agent", "login": "bench-agent"}], with_pack)
    names = [f"Bench customer {i:04d}" for i in range(count)]
    companies, contacts = customers(env, names)
    if with_pack:
        sell_packs(env, companies, create_pack_product(env), 1000)
    ticket_ids = tickets(env, desk, contacts, "3111").ids
    env.cr.commit()
    packs = f", {count} packs" if with_pack else ""
    print(f"  {env.cr.dbname}: {count} customers and tickets{packs}, ", end="")
    print(f"built in {time.perf_counter() - t0:.1f} s", flush=True)
    return {"agent": desk[0].id, "tickets": ticket_ids, "project": desk[1].id}


def measure(envs, data, lines):
    """``envs``/``data``: {"host": ..., "pack": ...}; one line in each database
    in turn, the order flipped every line: (median ratio, extra queries)."""
    results = {name: [] for name in envs}

    def create(name, i):
        env, tickets = envs[name], data[name]["tickets"]
        values = dict(name=f"Bench work {i}", ticket_id=tickets[i % len(tickets)])
        values.update(
            project_id=data[name]["project"], unit_amount=(i % 8 + 1) * 7 / 60
        )
        model = env["account.analytic.line"].with_user(data[name]["agent"])
        env.invalidate_all()  # every creation starts cold, like a new request
        queries, start_time = env.cr.sql_log_count, time.perf_counter()
        model.create(values)
        env.flush_all()
        return time.perf_counter() - start_time, env.cr.sql_log_count - queries

    for i in range(lines + 20):  # 20 to warm up: registry, caches, prepared plans
        for name in ("host", "pack") if i % 2 else ("pack", "host"):
            figures = create(name, i)
            if i >= 20:
                results[name].append(figures)
        if i % 50 == 19:
            for env in envs.values():
                env.cr.commit()
    for env in envs.values():
        env.cr.commit()
    print(f"\ntimesheet line creation as the agent, {lines} lines per database:")
    print(f"  {'':<34}{'mean ms':>10}{'median ms':>11}{'queries':>9}")
    rows = {}
    for name, label in (
        ("host", "host addons, without this addon"),
        ("pack", "host addons + helpdesk_support_pack"),
    ):
        times, queries = zip(*results[name], strict=True)
        rows[name] = [
            statistics.mean(times),
            statistics.median(times),
            statistics.mean(queries),
        ]
        ms = rows[name][0] * 1000, rows[name][1] * 1000
        print(f"  {label:<34}{ms[0]:>10.2f}{ms[1]:>11.2f}{rows[name][2]:>9.1f}")
    host, pack = rows["host"], rows["pack"]
    ratio, extra = pack[1] / host[1], pack[2] - host[2]
    print(
        f"  ratio (median) {ratio:.2f} (mean {pack[0] / host[0]:.2f}), goal <= "
        f"{GOAL_RATIO}: {'PASS' if ratio <= GOAL_RATIO else 'FAIL'}\n  queries "
        f"{extra:+.1f} per line, goal <= +{GOAL_EXTRA_QUERIES:g}: "
        + ("PASS" if extra <= GOAL_EXTRA_QUERIES else "FAIL")
    )
    return ratio, extra


def main():
    prefix = f"hspc_bench_{uuid.uuid4().hex[:8]}"
    args = parser(__doc__, prefix, customers=1000, lines=300).parse_args()
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
