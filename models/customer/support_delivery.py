# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class SupportDelivery(models.Model):
    """A version delivered on a configuration item: append-only. A wrong
    delivery is corrected by a new one, so the item's history stays as it
    happened (traceability of deliveries per customer and per product)."""

    _name = "support.delivery"
    _inherit = ["support.append.only.mixin"]
    _description = "Delivery of a Configuration Item"
    _order = "date desc, id desc"
    _rec_name = "version"
    _check_company_auto = True

    item_id = fields.Many2one(
        "support.configuration.item",
        required=True,
        index=True,
        ondelete="restrict",
        check_company=True,
    )
    partner_id = fields.Many2one(
        related="item_id.partner_id", string="Customer", store=True, index=True
    )
    company_id = fields.Many2one(related="item_id.company_id", store=True, index=True)
    item_type = fields.Selection(related="item_id.item_type")
    product_id = fields.Many2one(related="item_id.product_id")
    version = fields.Char(required=True)
    date = fields.Date(
        required=True,
        default=fields.Date.context_today,
        index=True,
        help="Day the version was delivered: earlier than the day it is recorded "
        "for a delivery made offline, never later than today.",
    )
    ticket_id = fields.Many2one(
        "helpdesk.ticket",
        index="btree_not_null",
        ondelete="restrict",
        help="Request this delivery answers.",
    )
    ticket_partner_id = fields.Many2one(
        related="ticket_id.commercial_partner_id", string="Ticket Customer"
    )
    note = fields.Text()
    user_id = fields.Many2one(
        "res.users",
        string="Delivered By",
        required=True,
        default=lambda self: self.env.user,
        ondelete="restrict",
        help="The user who recorded the delivery.",
    )

    @api.constrains("ticket_id", "item_id")
    def _check_ticket_id(self):
        for delivery in self.sudo():
            ticket = delivery.ticket_id
            if ticket and ticket.commercial_partner_id != delivery.item_id.partner_id:
                raise ValidationError(
                    self.env._(
                        "Ticket %(ticket)s is not a request of %(customer)s, the "
                        "customer of item %(item)s.",
                        ticket=ticket.display_name,
                        customer=delivery.item_id.partner_id.display_name,
                        item=delivery.item_id.display_name,
                    )
                )

    @api.constrains("date")
    def _check_date(self):
        # Every path (a form, RPC, an import, a date sent as a context
        # default) is checked: the user's today, in the user's time zone.
        today = fields.Date.context_today(self)
        for delivery in self:
            if delivery.date > today:
                raise ValidationError(
                    self.env._(
                        "A delivery cannot be dated in the future (%(date)s): "
                        "record it on the day it is made.",
                        date=fields.Date.to_string(delivery.date),
                    )
                )

    @api.model
    def _support_delivered_by_vals(self, vals):
        """The delivery's author is the user who records it, whatever the
        client sends (a context default included): another user is refused."""
        user_id = vals.get("user_id")
        if user_id and user_id != self.env.uid:
            raise UserError(
                self.env._(
                    '"Delivered By" is always the user who records the '
                    "delivery: you cannot record one in another user's name."
                )
            )
        return dict(vals, user_id=self.env.uid)

    @api.model_create_multi
    def create(self, vals_list):
        vals_list = [self._support_delivered_by_vals(vals) for vals in vals_list]
        deliveries = super().create(vals_list)
        for delivery in deliveries:
            body = self.env._(
                "Version %(version)s delivered on %(item)s.",
                version=delivery.version,
                item=delivery.item_id.display_name,
            )
            delivery.item_id.message_post(body=body)
            if delivery.ticket_id:
                delivery.ticket_id.message_post(body=body)
        return deliveries

    def _support_append_only_message(self, operation):
        if operation == "write":
            return self.env._(
                "A delivery is never changed: record a new delivery to correct it."
            )
        return self.env._(
            "A delivery is never deleted: the history of the configuration "
            "keeps it. Record a new delivery to correct it."
        )
