# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class SupportPackStatementReport(models.AbstractModel):
    """Pack statement: printed from the pack (whole life of the pack) or from the
    statement wizard (``data``: ``pack_ids``, ``date_from``, ``date_to``)."""

    _name = "report.helpdesk_support_pack.report_support_pack_statement"
    _description = "Support Pack Statement Report"

    @api.model
    def _get_report_values(self, docids, data=None):
        data = data or {}
        pack_ids = docids or data.get("pack_ids") or []
        docs = self.env["support.pack"].browse(pack_ids)
        docs.check_access("read")
        return {
            "doc_ids": docs.ids,
            "doc_model": "support.pack",
            "docs": docs,
            "date_from": fields.Date.to_date(data.get("date_from")) or None,
            "date_to": fields.Date.to_date(data.get("date_to")) or None,
        }
