# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What the benchmarks of `make bench` share (docs/DEVELOP.md): their goals,
the command line, Odoo's configuration, the throw-away databases (installed in
parallel without demo data, dropped at the end unless --keep) and the helpdesk
fixtures (agents, a timesheet team, packs sold on confirmed quotations)."""

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

MODULE = "helpdesk_support_pack"
HOST_MODULES = "helpdesk_mgmt,helpdesk_mgmt_timesheet,helpdesk_mgmt_sla,sale_management"
QUIET = {"tracking_disable": True, "mail_create_nolog": True, "mail_notrack": True}
# The goals of issue 22: posting a timesheet line against the host addons
# alone, ticket creation against helpdesk_mgmt_sla's, closing with the report
GOAL_RATIO = 1.2
GOAL_EXTRA_QUERIES = 5.0
GOAL_SLA_RATIO = 1.1
GOAL_CLOSE_RATIO = 1.2
# Knowledge kept: the similar solved tickets of one ticket among 100,000
GOAL_KNOWLEDGE_MS = 50.0
# The consumption settings of the benchmarks' company
SETTINGS = dict(support_rounding_minutes=15, support_minimum_minutes=15)
SETTINGS.update(support_multiplier_very_high=2.0, support_cap_hours=4.0)
ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / ".build"
DATA_DIR = BUILD / "bench_data"  # the filestores (kept with --keep)
CFG = DATA_DIR / "odoo.cfg"  # empty: no ~/.odoorc leaks in


def parser(doc, prefix, **sizes):
    """argparse with --prefix, --keep, --reuse and ``sizes``."""
    result = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    result.add_argument("--prefix", default=prefix, help="database prefix")
    result.add_argument("--keep", action="store_true", help="keep the databases")
    result.add_argument("--reuse", action="store_true", help="databases of --keep")
    for name, default in sizes.items():
        result.add_argument(f"--{name}", type=type(default), default=default)
    return result


def odoo_args(addons_path):
    return [
        *("-c", str(CFG), f"--addons-path={addons_path}", f"--data-dir={DATA_DIR}"),
        *("--without-demo=all", "--log-level=warn", "--max-cron-threads=0"),
    ]


def start(args):
    """TZ=UTC (as odoo-bin), Odoo's configuration in this process; returns the
    addons path: as the Makefile's, .build/addons (holding a
    helpdesk_support_pack symlink to this checkout), odoo/addons, <source>/addons."""
    os.environ["TZ"] = "UTC"
    time.tzset()
    import odoo
    from odoo.tools import config

    DATA_DIR.mkdir(parents=True, exist_ok=True)
    CFG.write_text("[options]\n")
    link = BUILD / "addons" / MODULE
    if not link.exists():
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(ROOT)
    odoo_addons = Path(odoo.__file__).resolve().parent / "addons"
    paths = (link.parent, odoo_addons, odoo_addons.parent.parent / "addons")
    addons_path = ",".join(str(p) for p in paths if p.is_dir())
    config.parse_config(odoo_args(addons_path))
    return addons_path


def install(databases, addons_path, args):
    """Create ``databases`` ({name: comma-separated modules}) in parallel."""
    if args.reuse:
        return
    t0 = time.perf_counter()
    processes = {}
    for db, modules in databases.items():
        drop([db])
        print(f"database {db}: installing {modules} ...", flush=True)
        cmd = [sys.executable, "-m", "odoo", *odoo_args(addons_path), "-d", db]
        cmd += ["-i", modules, "--stop-after-init", "--no-http"]
        processes[db] = subprocess.Popen(cmd, stdin=subprocess.DEVNULL)
    failed = [db for db, process in processes.items() if process.wait()]
    if failed:
        raise SystemExit(f"installation failed in {', '.join(failed)}")
    print(f"installed in {time.perf_counter() - t0:.0f} s", flush=True)


def drop(databases):
    for db in databases:
        subprocess.run(["dropdb", "--if-exists", db], stderr=subprocess.DEVNULL)
        shutil.rmtree(DATA_DIR / "filestore" / db, ignore_errors=True)


def finish(args, databases):
    """Close the connections; drop the databases unless --keep or --reuse."""
    from odoo import sql_db

    sql_db.close_all()
    if args.keep or args.reuse:
        print(
            f"databases kept: {', '.join(databases)} (--reuse --prefix {args.prefix})"
        )
    else:
        drop(databases)


def create_pack_product(env, name="Bench credit", quantity=1):
    """A credit-pack service product: ``quantity`` credits per unit sold."""
    pack = dict(ok=True, unit="credit", quantity=quantity, validity_months=12)
    pack = {f"support_pack_{k}": v for k, v in dict(pack, activation="order").items()}
    return env["product.product"].create(dict(pack, name=name, type="service"))


def sell_packs(env, partners, product, credits):
    """Each partner buys a pack of ``credits`` on a confirmed quotation (the
    addon's own flow creates the pack, its purchase move and activates it)."""
    from odoo import Command

    line = {"product_id": product.id, "product_uom_qty": credits}
    orders = env["sale.order"].create(
        [{"partner_id": p.id, "order_line": [Command.create(line)]} for p in partners]
    )
    orders.action_confirm()
    packs = orders.order_line.support_pack_ids
    assert len(packs) == len(partners), "one pack per confirmed quotation"
    assert set(packs.mapped("state")) == {"active"}, packs.mapped("state")
    return packs


def helpdesk(env, users, with_pack):
    """Agents (``users``: values of res.users; helpdesk and timesheet users,
    each with an employee), a timesheet project and team, a category (counted
    on the packs ``with_pack``, which also sets the company's SETTINGS).
    Returns (agents, project, team, category)."""
    from odoo import Command

    if with_pack:
        env.company.write(SETTINGS)
    groups = ("base.group_user", "helpdesk_mgmt.group_helpdesk_user")
    groups += ("hr_timesheet.group_hr_timesheet_user",)
    groups = [Command.set([env.ref(xmlid).id for xmlid in groups])]
    agents = (
        env["res.users"]
        .with_context(no_reset_password=True)
        .create([dict(values, groups_id=groups) for values in users])
    )
    env["hr.employee"].create([{"name": a.name, "user_id": a.id} for a in agents])
    project = env["project.project"].create(
        {"name": "Bench support", "allow_timesheets": True}
    )
    team = env["helpdesk.ticket.team"].create(
        {
            "name": "Bench team",
            "allow_timesheet": True,
            "default_project_id": project.id,
            "user_ids": [Command.set(agents.ids)],
        }
    )
    category = {"name": "Bench usage assistance"}
    if with_pack:
        category["support_coverage"] = "counted"
    return agents, project, team, env["helpdesk.ticket.category"].create(category)


def customers(env, names):
    """A company and its contact per name: (companies, [contact, ...])."""
    companies = env["res.partner"].create(
        [{"name": name, "is_company": True} for name in names]
    )
    contacts = env["res.partner"].create(
        [{"name": f"Contact of {c.name}", "parent_id": c.id} for c in companies]
    )
    return companies, list(contacts)


def tickets(env, desk, contacts, priorities):
    """A ticket per contact on ``desk`` (helpdesk()'s), the agents in turn."""
    agents, project, team, category = desk
    values = dict(team_id=team.id, project_id=project.id, category_id=category.id)
    return env["helpdesk.ticket"].create(
        [
            dict(
                values,
                name=f"Bench request {i:04d}",
                description="<p>Bench</p>",
                partner_id=contact.id,
                priority=priorities[i % len(priorities)],
                user_id=agents[i % len(agents)].id,
            )
            for i, contact in enumerate(contacts)
        ]
    )
