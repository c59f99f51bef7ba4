# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    support_configuration_item_count = fields.Integer(
        string="Configuration Items",
        compute="_compute_support_configuration_item_count",
    )

    def _compute_support_configuration_item_count(self):
        item_model = self.env["support.configuration.item"]
        counts = {}
        if item_model.has_access("read"):
            counts = dict(
                item_model._read_group(
                    [("partner_id", "in", self.commercial_partner_id.ids)],
                    ["partner_id"],
                    ["__count"],
                )
            )
        for partner in self:
            partner.support_configuration_item_count = counts.get(
                partner.commercial_partner_id, 0
            )

    def action_view_support_configuration(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "helpdesk_support_pack.support_configuration_item_action"
        )
        partner = self.commercial_partner_id
        action["domain"] = [("partner_id", "=", partner.id)]
        action["context"] = {"default_partner_id": partner.id}
        return action
