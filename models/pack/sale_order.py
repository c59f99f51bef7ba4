# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    support_pack_ids = fields.One2many(
        "support.pack", "sale_order_id", string="Support Packs", readonly=True
    )
    support_ticket_id = fields.Many2one(
        "helpdesk.ticket",
        index="btree_not_null",
        copy=False,
        ondelete="set null",
        help="Request out of the support packs this quotation was made for.",
    )
    support_pack_count = fields.Integer(compute="_compute_support_pack_count")

    @api.depends("support_pack_ids")
    def _compute_support_pack_count(self):
        counts = dict(
            self.env["support.pack"]._read_group(
                [("sale_order_id", "in", self.ids)], ["sale_order_id"], ["__count"]
            )
        )
        for order in self:
            order.support_pack_count = counts.get(order._origin, 0)

    def _action_confirm(self):
        res = super()._action_confirm()
        self.order_line._support_pack_create()
        # after the packs: a quotation billing an overdraft settles it
        self.order_line._support_settle_overdraft()
        # what was sold joins the customer's configuration (maintenance)
        self.order_line._support_configuration_item_create()
        return res

    def _action_cancel(self):
        packs = self.sudo().order_line.support_pack_ids
        packs._check_cancellable()
        res = super()._action_cancel()
        packs._action_cancel()
        # what a posted invoice bills stays settled
        self.order_line._support_release_overdraft()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_overdraft_settled(self):
        # the lines go with the order without their own unlink
        self.order_line._support_check_unlink_overdraft()

    def action_view_support_packs(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "helpdesk_support_pack.support_pack_action"
        )
        packs = self.support_pack_ids
        if len(packs) == 1:
            action.update(
                {"views": [(False, "form")], "view_mode": "form", "res_id": packs.id}
            )
        else:
            action["domain"] = [("sale_order_id", "=", self.id)]
        action["context"] = {"create": False}
        return action
