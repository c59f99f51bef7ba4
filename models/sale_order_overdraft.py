# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def _action_confirm(self):
        res = super()._action_confirm()
        self.order_line._support_settle_overdraft()
        return res

    def _action_cancel(self):
        res = super()._action_cancel()
        self.order_line._support_reopen_overdraft()
        return res
