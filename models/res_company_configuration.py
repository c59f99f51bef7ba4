# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

TICKET_PRIORITIES = [
    ("0", "Low"),
    ("1", "Medium"),
    ("2", "High"),
    ("3", "Very High"),
]
SEVERITY_PRIORITY_FIELDS = {
    "critical": "support_priority_critical",
    "major": "support_priority_major",
    "minor": "support_priority_minor",
    "temporary": "support_priority_temporary",
}


class ResCompany(models.Model):
    _inherit = "res.company"

    support_priority_critical = fields.Selection(
        TICKET_PRIORITIES, string="Priority of Critical Errors", default="3"
    )
    support_priority_major = fields.Selection(
        TICKET_PRIORITIES, string="Priority of Major Errors", default="2"
    )
    support_priority_minor = fields.Selection(
        TICKET_PRIORITIES, string="Priority of Minor Errors", default="1"
    )
    support_priority_temporary = fields.Selection(
        TICKET_PRIORITIES, string="Priority of Temporary Errors", default="0"
    )

    def _support_get_severity_priority(self, severity):
        """Default ticket priority of ``severity`` ('0'-'3'), or False."""
        self.ensure_one()
        fname = SEVERITY_PRIORITY_FIELDS.get(severity)
        return self[fname] if fname else False
