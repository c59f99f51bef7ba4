# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class SupportPackStatement(models.TransientModel):
    _name = "support.pack.statement"
    _description = "Support Pack Statement"

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
    )
    # packs belong to the customer's company: a contact picks its company's
    commercial_partner_id = fields.Many2one(related="partner_id.commercial_partner_id")
    pack_ids = fields.Many2many(
        "support.pack",
        string="Packs",
        compute="_compute_pack_ids",
        store=True,
        readonly=False,
        domain="[('partner_id', '=', commercial_partner_id)]",
        help="Leave empty for every pack of the customer.",
    )
    date_from = fields.Date(string="From")
    date_to = fields.Date(string="To", default=fields.Date.context_today)

    @api.depends("partner_id")
    def _compute_pack_ids(self):
        for wizard in self:
            wizard.pack_ids = wizard.pack_ids.filtered(
                lambda p, w=wizard: p.partner_id == w.partner_id.commercial_partner_id
            )

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for wizard in self:
            if (
                wizard.date_from
                and wizard.date_to
                and wizard.date_from > wizard.date_to
            ):
                raise ValidationError(
                    self.env._("The statement cannot end before it starts.")
                )

    def _get_packs(self):
        self.ensure_one()
        if self.pack_ids:
            return self.pack_ids
        return self.env["support.pack"].search(
            [
                ("partner_id", "=", self.partner_id.commercial_partner_id.id),
                ("state", "!=", "cancelled"),
            ],
            order="date_start, id",
        )

    def _prepare_report_data(self):
        self.ensure_one()
        return {
            "pack_ids": self._get_packs().ids,
            "date_from": fields.Date.to_string(self.date_from),
            "date_to": fields.Date.to_string(self.date_to),
        }

    def action_print(self):
        self.ensure_one()
        packs = self._get_packs()
        if not packs:
            raise UserError(self.env._("This customer has no support pack."))
        return self.env.ref(
            "helpdesk_support_pack.support_pack_report_statement"
        ).report_action(packs, data=self._prepare_report_data())
