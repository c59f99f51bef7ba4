# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What the customer of a ticket has left, shown before time is logged."""

from odoo import api, fields, models
from odoo.tools import float_compare, format_date

from ...lib.units import UNITS
from .helpdesk_ticket import SUPPORT_LEVELS

PACK_READERS = "helpdesk_mgmt.group_helpdesk_user_own"


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    support_balance_text = fields.Char(
        string="Customer Balance",
        compute="_compute_support_balance",
        groups=PACK_READERS,
        help="What the customer has left on its active packs, per unit.",
    )
    support_next_pack_id = fields.Many2one(
        "support.pack",
        string="Next Line Draws From",
        compute="_compute_support_balance",
        groups=PACK_READERS,
        help="The pack the next timesheet line of today will consume: the "
        "customer's valid pack with a balance that expires first.",
    )
    support_next_pack_date_end = fields.Date(
        string="Pack Valid Until",
        compute="_compute_support_balance",
        groups=PACK_READERS,
    )
    support_balance_state = fields.Selection(
        [
            ("ok", "Balance available"),
            ("low", "Low balance"),
            ("overdraft", "Overdraft"),
            ("none", "No pack left"),
        ],
        compute="_compute_support_balance",
        groups=PACK_READERS,
    )
    support_balance_warning = fields.Char(
        compute="_compute_support_balance",
        groups=PACK_READERS,
    )
    support_posting_pending = fields.Boolean(
        string="Posting Pending",
        compute="_compute_support_posting_pending",
        groups=PACK_READERS,
        help="A posting of the ticket's customer is queued (another one was "
        "being recorded on its packs at that moment): its balance and this "
        "ticket's consumed figures will change in a moment.",
    )
    # hours or credits, by customer: never summed over tickets
    support_quantity = fields.Float(aggregator=False)
    support_unit = fields.Selection(
        [*UNITS, ("mixed", "Hours and credits")],
        string="Consumed Unit",
        compute="_compute_support_unit",
        help="Unit of the consumed quantity of the ticket.",
    )
    # The level an agent may pick: level 3 is reached by escalation only.
    support_level_choice = fields.Selection(
        [level for level in SUPPORT_LEVELS if level[0] != "3"],
        string="Selectable Support Level",
        compute="_compute_support_level_choice",
        inverse="_inverse_support_level_choice",
        help="Level 3 (development) is reached only by escalation from level 2.",
    )

    @api.depends("commercial_partner_id")
    def _compute_support_posting_pending(self):
        pending = self.env["support.posting.queue"]._support_get_pending_partner_ids(
            self.commercial_partner_id
        )
        for ticket in self:
            ticket.support_posting_pending = ticket.commercial_partner_id.id in pending

    @api.depends("timesheet_ids.support_unit")
    def _compute_support_unit(self):
        for ticket in self:
            units = set(ticket.timesheet_ids.mapped("support_unit")) - {False}
            ticket.support_unit = (
                units.pop() if len(units) == 1 else ("mixed" if units else False)
            )

    @api.depends("support_level")
    def _compute_support_level_choice(self):
        for ticket in self:
            level = ticket.support_level
            ticket.support_level_choice = level if level != "3" else False

    def _inverse_support_level_choice(self):
        for ticket in self:
            if (
                ticket.support_level_choice
                and ticket.support_level_choice != ticket.support_level
            ):
                ticket.support_level = ticket.support_level_choice

    @api.depends("commercial_partner_id", "company_id")
    @api.depends_context("allowed_company_ids")
    def _compute_support_balance(self):
        """Two queries for the whole batch: the live packs of the customers,
        and their open overdraft."""
        partners = self.commercial_partner_id
        packs = self.env["support.pack"]
        open_overdraft = {}
        if partners:
            # the agent reads the tickets: the packs of their customers are
            # read as the posting reads them (allocation), without rules
            packs = packs.sudo().search(
                [
                    ("partner_id", "in", partners.ids),
                    ("state", "in", ("active", "exhausted")),
                ],
                order="date_end, id",
            )
            move_model = self.env["support.pack.move"].sudo()
            for partner, company, unit, quantity in move_model._read_group(
                move_model._support_open_overdraft_domain(partners),
                ["partner_id", "company_id", "unit"],
                ["quantity:sum"],
            ):
                if float_compare(quantity, 0.0, precision_digits=2) < 0:
                    open_overdraft.setdefault((partner.id, company.id), []).append(
                        (unit, quantity)
                    )
        today = fields.Date.context_today(self)
        pack_model = self.env["support.pack"]
        for ticket in self:
            partner = ticket.commercial_partner_id
            company = ticket.company_id or self.env.company
            mine = packs.filtered(
                lambda p, partner=partner, company=company: p.partner_id == partner
                and p.company_id == company
            )
            totals = {}
            for pack in mine:
                totals[pack.unit] = totals.get(pack.unit, 0.0) + pack.quantity_remaining
            next_pack = mine.filtered(
                lambda p: p.date_start
                and p.date_start <= today <= p.date_end
                and float_compare(p.quantity_remaining, 0.0, precision_digits=2) > 0
            )[:1]
            overdraft = open_overdraft.get((partner.id, company.id), [])
            ticket.support_balance_text = ", ".join(
                pack_model._format_quantity(quantity, unit)
                for unit, quantity in sorted(totals.items())
            )
            ticket.support_next_pack_id = next_pack.with_env(self.env)
            ticket.support_next_pack_date_end = next_pack.date_end
            ticket.support_balance_state, ticket.support_balance_warning = (
                ticket._support_balance_warning(partner, next_pack, overdraft)
            )

    def _support_balance_warning(self, partner, next_pack, overdraft):
        """(state, warning) of the customer's balance for this ticket."""
        self.ensure_one()
        pack_model = self.env["support.pack"]
        if not partner:
            return False, False
        if overdraft:
            return "overdraft", self.env._(
                "%(customer)s is in overdraft: %(quantity)s consumed with no pack "
                "left.",
                customer=partner.display_name,
                quantity=", ".join(
                    pack_model._format_quantity(-quantity, unit)
                    for unit, quantity in overdraft
                ),
            )
        if not next_pack:
            return "none", self.env._(
                "%(customer)s has no support pack left: time logged now is an "
                "overdraft.",
                customer=partner.display_name,
            )
        if next_pack._is_low_balance():
            return "low", self.env._(
                "Low balance: %(quantity)s left on %(pack)s (valid until %(date)s).",
                quantity=pack_model._format_quantity(
                    next_pack.quantity_remaining, next_pack.unit
                ),
                pack=next_pack.name,
                date=format_date(self.env, next_pack.date_end),
            )
        return "ok", False
