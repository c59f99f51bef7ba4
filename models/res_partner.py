# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

PACK_READERS = (
    "helpdesk_support_pack.group_support_pack_user,"
    "helpdesk_mgmt.group_helpdesk_user_own"
)


class ResPartner(models.Model):
    _inherit = "res.partner"

    # The figures read the packs and the ledger: only for who may read them
    # (an employee without those rights reads the partner without them).
    support_pack_ids = fields.One2many(
        "support.pack",
        "partner_id",
        string="Support Packs",
        readonly=True,
        groups=PACK_READERS,
    )
    support_balance_credit = fields.Float(
        string="Credits Left",
        compute="_compute_support_balance",
        digits=(16, 2),
        groups=PACK_READERS,
        help="Credits remaining on the active packs of the company.",
    )
    support_balance_hour = fields.Float(
        string="Hours Left",
        compute="_compute_support_balance",
        digits=(16, 2),
        groups=PACK_READERS,
        help="Hours remaining on the active packs of the company.",
    )
    support_pack_count = fields.Integer(
        compute="_compute_support_balance", groups=PACK_READERS
    )
    support_overdraft_credit = fields.Float(
        string="Credits Overdrawn",
        compute="_compute_support_overdraft",
        digits=(16, 2),
        groups=PACK_READERS,
        help="Credits consumed with no pack left (negative), not settled yet.",
    )
    support_overdraft_hour = fields.Float(
        string="Hours Overdrawn",
        compute="_compute_support_overdraft",
        digits=(16, 2),
        groups=PACK_READERS,
        help="Hours consumed with no pack left (negative), not settled yet.",
    )
    # Tickets by customer company (helpdesk_mgmt's own list is by contact): the
    # record rules of agents of their own or their team's tickets use it.
    support_commercial_ticket_ids = fields.One2many(
        "helpdesk.ticket",
        "commercial_partner_id",
        string="Tickets of the Company",
        readonly=True,
        groups="helpdesk_mgmt.group_helpdesk_user_own",
    )

    # the packs of the companies the user works in (the multi-company rule)
    @api.depends_context("allowed_company_ids")
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

    @api.depends_context("allowed_company_ids")
    def _compute_support_overdraft(self):
        commercials = self.commercial_partner_id
        totals = {}
        if commercials.ids:
            for partner, unit, quantity in self.env["support.pack.move"]._read_group(
                [
                    ("partner_id", "in", commercials.ids),
                    ("move_type", "=", "overdraft"),
                    ("settled", "=", False),
                ],
                ["partner_id", "unit"],
                ["quantity:sum"],
            ):
                totals[(partner.id, unit)] = quantity
        for partner in self:
            commercial = partner.commercial_partner_id.id
            partner.support_overdraft_credit = totals.get((commercial, "credit"), 0.0)
            partner.support_overdraft_hour = totals.get((commercial, "hour"), 0.0)

    def action_view_support_overdraft(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "helpdesk_support_pack.support_pack_move_overdraft_action"
        )
        action["domain"] = [
            ("move_type", "=", "overdraft"),
            ("settled", "=", False),
            ("partner_id", "=", self.commercial_partner_id.id),
        ]
        return action

    def action_view_support_packs(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "helpdesk_support_pack.support_pack_action"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"create": False, "search_default_filter_valid": 1}
        return action
