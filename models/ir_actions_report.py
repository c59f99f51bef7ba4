# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models

INTERVENTION_REPORT = "helpdesk_support_pack.report_helpdesk_ticket_intervention"


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _get_rendering_context(self, report, docids, data):
        # The intervention report reads the ticket's lines and packs with sudo():
        # the user must read the tickets first (the portal renders it sudo after
        # its own access check).
        if report.report_name == INTERVENTION_REPORT:
            self.env[report.model].browse(docids).check_access("read")
        return super()._get_rendering_context(report, docids, data)
