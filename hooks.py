# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Install into a database that already runs helpdesk: nothing is computed row
by row, no running deadline is re-planned, no old target is escalated.

Odoo computes every stored computed field whose column it creates, on every
existing row, and fills a new required column with one UPDATE of the whole
table. On ``helpdesk_ticket``, ``helpdesk_ticket_sla`` and
``account_analytic_line`` this addon creates those columns itself, before its
models are loaded, with the values the existing rows must read.
"""

from odoo import fields
from odoo.tools import SQL
from odoo.tools.sql import column_exists

from .models.ticket.helpdesk_ticket_knowledge import drop_knowledge_search

# (table, column, PostgreSQL type, value of the existing rows or None, NOT NULL)
# The type is the field's ``column_type`` (a different one makes Odoo convert
# the column, i.e. rewrite the table); tests/test_support_install.py checks
# that every stored field of the addon on these tables is listed here.
SUPPORT_COLUMNS = [
    # helpdesk.ticket: nothing was estimated, consumed, escalated or answered
    # through this addon yet.
    ("helpdesk_ticket", "support_estimate_hours", "double precision", None, False),
    ("helpdesk_ticket", "support_estimate_state", "varchar", "none", True),
    ("helpdesk_ticket", "support_level", "varchar", "2", True),
    ("helpdesk_ticket", "first_response_date", "timestamp", None, False),
    ("helpdesk_ticket", "support_fix_confirmed_date", "timestamp", None, False),
    ("helpdesk_ticket", "support_fix_confirmed_partner_id", "int4", None, False),
    ("helpdesk_ticket", "support_parent_ticket_id", "int4", None, False),
    # Configuration under maintenance (IPM): not qualified yet, and every
    # existing ticket is an error report.
    ("helpdesk_ticket", "support_severity", "varchar", None, False),
    ("helpdesk_ticket", "support_maintenance_type", "varchar", None, False),
    ("helpdesk_ticket", "support_request_type", "varchar", "incident", True),
    # helpdesk.ticket: the customer's rules (no mode, no flag, nothing approved)
    ("helpdesk_ticket", "support_unauthorized_contact", "bool", None, False),
    ("helpdesk_ticket", "support_estimate_quantity", "numeric", None, False),
    ("helpdesk_ticket", "support_estimate_unit", "varchar", None, False),
    ("helpdesk_ticket", "support_service_mode_id", "int4", None, False),
    ("helpdesk_ticket", "support_proof_note", "text", None, False),
    # helpdesk.ticket: no resolution written yet, so no word of one to search
    # (the full-text column is no ORM field: a trigger keeps it, see
    # models/ticket/helpdesk_ticket_knowledge.py and TRIGGER_COLUMNS).
    ("helpdesk_ticket", "support_resolution", "text", None, False),
    # helpdesk.ticket: no fix planned on a release nor delivered as a hotfix.
    ("helpdesk_ticket", "support_release_id", "int4", None, False),
    ("helpdesk_ticket", "support_hotfix", "bool", None, False),
    # res.company: the release train's defaults (Wednesday 20:00), the
    # calendar falls back on the company's working hours.
    ("res_company", "support_release_weekday", "varchar", "2", False),
    ("res_company", "support_release_hour", "double precision", 20.0, False),
    ("res_company", "support_release_calendar_id", "int4", None, False),
    ("helpdesk_ticket", "support_resolution_tsv", "tsvector", None, False),
    # helpdesk.ticket: the category's coverage, stored with the ticket (filled
    # by fill_ticket_coverage)
    ("helpdesk_ticket", "support_coverage", "varchar", None, False),
    ("helpdesk_ticket", "support_estimate_required", "bool", None, False),
    # helpdesk.ticket.sla: target and status are filled from the policy and
    # the state (fill_ticket_sla_lines); no warning is planned for a target
    # that runs at the install.
    ("helpdesk_ticket_sla", "target", "varchar", None, False),
    ("helpdesk_ticket_sla", "status", "varchar", None, False),
    ("helpdesk_ticket_sla", "reached_date", "timestamp", None, False),
    ("helpdesk_ticket_sla", "warning_deadline", "timestamp", None, False),
    ("helpdesk_ticket_sla", "warning_date", "timestamp", None, False),
    ("helpdesk_ticket_sla", "escalation_date", "timestamp", None, False),
    ("helpdesk_ticket_sla", "warning_activity_id", "int4", None, False),
    ("helpdesk_ticket_sla", "escalation_activity_id", "int4", None, False),
    # account.analytic.line: lines logged before the install are never posted.
    ("account_analytic_line", "support_rounded_hours", "numeric", None, False),
    ("account_analytic_line", "support_multiplier", "numeric", None, False),
    ("account_analytic_line", "support_coverage", "varchar", None, False),
    ("account_analytic_line", "support_unit", "varchar", None, False),
    ("account_analytic_line", "support_quantity", "numeric", None, False),
    ("account_analytic_line", "support_reported_date", "timestamp", None, False),
    # TRUE on the existing rows only: the default is dropped right after.
    ("account_analytic_line", "support_legacy", "bool", True, False),
    # res.partner: no company restricts its support, no mode yet.
    ("res_partner", "support_restricted", "bool", None, False),
    ("res_partner", "support_authorized", "bool", None, False),
    ("res_partner", "support_service_mode_id", "int4", None, False),
    # res.partner: no customer renews automatically (the mode's default).
    ("res_partner", "support_auto_renew", "bool", None, False),
    ("res_partner", "support_auto_renew_mode", "varchar", "send", True),
    # res.partner: no company subscribes to support yet.
    ("res_partner", "support_subscriber", "bool", None, False),
    # account.move.line: no invoice line bills a support period yet.
    ("account_move_line", "support_period_start", "date", None, False),
    ("account_move_line", "support_period_end", "date", None, False),
    # contract.line (OCA contract): no line is a maintenance by percentage yet.
    ("contract_line", "support_maintenance_rate", "numeric", None, False),
]

# The columns of SUPPORT_COLUMNS that are no ORM field: PostgreSQL keeps them
# (a trigger), the ORM never reads nor writes them.
TRIGGER_COLUMNS = {("helpdesk_ticket", "support_resolution_tsv")}


def pre_init_hook(env):
    create_support_columns(env.cr)
    fill_ticket_sla_lines(env.cr, fields.Datetime.now())
    fill_ticket_coverage(env.cr)


def post_init_hook(env):
    """The closed stages that send helpdesk_mgmt's own closing email send it
    with the ticket's resolution (a stage given another email keeps it)."""
    swap_closing_template(
        env,
        "helpdesk_mgmt.closed_ticket_template",
        "helpdesk_support_pack.mail_template_support_ticket_closed",
    )


def uninstall_hook(env):
    """Back to helpdesk_mgmt's closing email; the full-text search of the
    resolutions (its trigger, functions and column) dropped."""
    drop_knowledge_search(env.cr)
    swap_closing_template(
        env,
        "helpdesk_support_pack.mail_template_support_ticket_closed",
        "helpdesk_mgmt.closed_ticket_template",
    )


def swap_closing_template(env, old_xmlid, new_xmlid):
    old = env.ref(old_xmlid, raise_if_not_found=False)
    new = env.ref(new_xmlid, raise_if_not_found=False)
    if old and new:
        env["helpdesk.ticket.stage"].with_context(active_test=False).search(
            [("mail_template_id", "=", old.id)]
        ).write({"mail_template_id": new.id})


def create_support_columns(cr):
    """Create the addon's columns on the big tables, each only when missing.

    A column with a value for the existing rows is added with that value as
    its default, then the default is dropped: on PostgreSQL >= 11 the existing
    rows read it without any row being rewritten, and new rows get what the
    ORM writes. The policy's ``target`` column (``helpdesk_sla``, a small
    table) is created too, so that the targets can be filled from it.
    """
    columns = [
        *SUPPORT_COLUMNS,
        ("helpdesk_sla", "target", "varchar", "resolution", True),
    ]
    for table, column, column_type, value, required in columns:
        if column_exists(cr, table, column):
            continue
        cr.execute(
            SQL(
                "ALTER TABLE %s ADD COLUMN %s %s%s%s",
                SQL.identifier(table),
                SQL.identifier(column),
                SQL(column_type),
                SQL(" NOT NULL") if required else SQL(),
                SQL(" DEFAULT %s", value) if value is not None else SQL(),
            )
        )
        if value is not None:
            cr.execute(
                SQL(
                    "ALTER TABLE %s ALTER COLUMN %s DROP DEFAULT",
                    SQL.identifier(table),
                    SQL.identifier(column),
                )
            )


def fill_ticket_sla_lines(cr, now):
    """Give the existing SLA lines their target and status, in one statement.

    Deadlines, states and consumed times stay as helpdesk_mgmt_sla left them.
    A target still running whose deadline passed before ``now`` (the install)
    is recorded as breached in ``status`` (helpdesk_mgmt_sla already shows it
    expired) and keeps its state: the alert job escalates ongoing targets
    only, so it was late before this addon watched it and the first run of
    the SLA cron does not escalate every old ticket at once.
    """
    cr.execute(
        SQL(
            """
            UPDATE helpdesk_ticket_sla sla_line
               SET target = sla_policy.target,
                   status = CASE
                       WHEN sla_line.state = 'accomplished' THEN 'reached'
                       WHEN sla_line.state = 'expired'
                            OR (sla_line.state = 'in_progress'
                                AND sla_line.deadline <= %(now)s)
                       THEN 'breached' ELSE 'ongoing' END
              FROM helpdesk_sla sla_policy
             WHERE sla_policy.id = sla_line.sla_id
               AND sla_line.target IS NULL
            """,
            now=now,
        )
    )


def fill_ticket_coverage(cr):
    """The coverage of the existing tickets that have a category, in one
    statement: every category is counted on the packs once the addon is
    installed (the default of ``helpdesk.ticket.category.support_coverage``),
    and requires no estimate (the column's NULL)."""
    cr.execute(
        SQL(
            """
            UPDATE helpdesk_ticket
               SET support_coverage = 'counted'
             WHERE category_id IS NOT NULL
               AND support_coverage IS NULL
            """
        )
    )
