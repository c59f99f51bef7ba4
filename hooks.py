# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tools.sql import column_exists, create_column


def pre_init_hook(env):
    """Pre-create the stored computed columns added to big tables, so that the
    install does not compute them ticket by ticket: no timesheet line is posted
    before the install, every ticket has consumed 0 (an empty column reads 0)."""
    for column in ("support_quantity", "support_rounded_hours"):
        if not column_exists(env.cr, "helpdesk_ticket", column):
            create_column(env.cr, "helpdesk_ticket", column, "numeric")
