# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    support_pack_ids = fields.One2many(
        "support.pack", "partner_id", string="Support Packs", readonly=True
    )
    support_balance_credit = fields.Float(
        string="Credits Left",
        compute="_compute_support_balance",
        digits=(16, 2),
        help="Credits remaining on the active packs of the company.",
    )
    support_balance_hour = fields.Float(
        string="Hours Left",
        compute="_compute_support_balance",
        digits=(16, 2),
        help="Hours remaining on the active packs of the company.",
    )
    support_pack_count = fields.Integer(compute="_compute_support_balance")

    @api.depends_context("company")
    def _compute_support_balance(self):
        commercials = self.commercial_partner_id
        balances = {}
        counts = {}
        if commercials.ids:
            pack_model = self.env["support.pack"]
            for partner, unit, remaining in pack_model._read_group(
                [
                    ("partner_id", "in", commercials.ids),
                    ("state", "in", ("active", "exhausted")),
                ],
                ["partner_id", "unit"],
                ["quantity_remaining:sum"],
            ):
                balances[(partner.id, unit)] = remaining
            counts = {
                partner.id: count
                for partner, count in pack_model._read_group(
                    [("partner_id", "in", commercials.ids)],
                    ["partner_id"],
                    ["__count"],
                )
            }
        for partner in self:
            commercial = partner.commercial_partner_id.id
            partner.support_balance_credit = balances.get((commercial, "credit"), 0.0)
            partner.support_balance_hour = balances.get((commercial, "hour"), 0.0)
            partner.support_pack_count = counts.get(commercial, 0)

    def action_view_support_packs(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "helpdesk_support_pack.support_pack_action"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"create": False, "search_default_filter_valid": 1}
        return action
