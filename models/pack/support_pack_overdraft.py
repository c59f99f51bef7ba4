# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Settlement of the overdraft: deducted from the next pack or invoiced.

An overdraft move (time consumed with no pack left) stays open until either:

* the customer's next pack is activated (company setting ``deduct``): right
  after its purchase, one consumption move per open overdraft move is posted
  on the new pack, and the overdraft move gets ``settled`` and
  ``settled_move_id`` (that consumption move);
* a quotation with the overage product bills it (setting ``invoice``, or the
  "Invoice overdraft" action at any time): confirming the quotation settles the
  moves it lists (``sale_line_id``) that its line's quantity bills in full,
  oldest first (a move is never split: a line billing less than a move settles
  nothing of it). Cancelling the order, or lowering the confirmed line, opens
  again what it no longer bills, except what a posted invoice bills: that
  stays settled until a credit note is posted against the invoice and the
  order is cancelled (see ``sale.order.line._support_release_overdraft``).

Units: an overdraft is recorded in credits or hours (the unit of the
customer's packs when it was posted). It is settled in another unit only
through its own figures: the rounded time and the multiplier stored on the
move give what the same time costs in that unit (rounded hours × multiplier;
credits = started periods × multiplier, with the company's rounding unit). A
move without rounded time is settled only in its own unit.
"""

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, float_is_zero, float_round, format_date

from ...lib import rounding
from ...lib.guard import internal, public, with_flag
from ...lib.units import QUANTITY_DIGITS
from .support_pack_top_up import NO_TOP_UP_FLAG


class SupportPackMove(models.Model):
    _inherit = "support.pack.move"

    # ------------------------------------------------------------------
    # Units
    # ------------------------------------------------------------------
    def _support_quantity_in(self, unit, unit_minutes):
        """This move's signed quantity in ``unit``; ``None`` when it does not
        convert (another unit and no rounded time recorded)."""
        self.ensure_one()
        if unit == self.unit:
            return self.quantity
        if float_is_zero(self.rounded_hours, precision_digits=QUANTITY_DIGITS):
            return None
        quantity = rounding.consumed_quantity(
            abs(self.rounded_hours), unit, self.multiplier or 1.0, unit_minutes
        )
        return quantity if self.quantity > 0 else -quantity

    # ------------------------------------------------------------------
    # Open overdraft
    # ------------------------------------------------------------------
    @api.model
    def _support_open_overdraft_domain(self, partners, company=None):
        domain = [
            ("move_type", "=", "overdraft"),
            ("settled", "=", False),
            ("partner_id", "in", partners.ids),
        ]
        if company:
            domain.append(("company_id", "=", company.id))
        return domain

    def _support_on_quotation(self):
        """Those of these moves that a quotation not confirmed yet bills."""
        lines = (
            self.env["sale.order.line"]
            .sudo()
            .search(
                [
                    ("support_overdraft_move_ids", "in", self.ids),
                    ("state", "in", ("draft", "sent")),
                ]
            )
        )
        return self & lines.support_overdraft_move_ids

    # ------------------------------------------------------------------
    # Reversals of overdraft moves
    # ------------------------------------------------------------------
    def _prepare_settled_overdraft_reversal_values(self, note=None):
        """Undoing an overdraft that a pack deducted gives the time back to
        that pack (or where its balance went), not to the customer again:
        the values that redirect its reversal (none when it was not deducted,
        or when the pack its balance went to counts in another unit)."""
        self.ensure_one()
        settlement = self.sudo().settled_move_id
        if not settlement:
            return {}
        pack = settlement.pack_id
        if pack.state in self._closed_pack_states():
            pack = settlement._get_closed_pack_successor()
            if pack.unit != settlement.unit:
                return {}
        if not pack:
            return {}
        return {
            "pack_id": pack.id,
            "move_type": "consumption",
            "unit": pack.unit,
            "quantity": -settlement.quantity,
            "date": fields.Date.context_today(self),
            "note": self.env._(
                "%(reason)s: overdraft deducted from %(pack)s, given back",
                reason=note or self.env._("Reversal"),
                pack=pack.name,
            ),
        }

    def _support_settle_reversed_overdraft(self):
        """An open overdraft and its reversal (among these new reversals)
        cancel each other: both are settled (nothing to deduct nor to
        invoice)."""
        pairs = self.filtered(
            lambda m: m.move_type == "overdraft"
            and m.counterpart_move_id.move_type == "overdraft"
            and not m.counterpart_move_id.settled
        )
        if pairs:
            internal(pairs | pairs.counterpart_move_id).write({"settled": True})

    # ------------------------------------------------------------------
    # Invoice
    # ------------------------------------------------------------------
    def action_support_invoice_overdraft(self):
        """One draft quotation per customer (and company) with the overage
        product and the open overdraft among these moves."""
        moves = self.filtered_domain(
            [("move_type", "=", "overdraft"), ("settled", "=", False)]
        )
        if not moves:
            raise UserError(
                self.env._("None of the selected moves is an open overdraft.")
            )
        return moves._support_create_overage_orders()

    def _support_create_overage_orders(self):
        self.check_access("read")
        self.env["sale.order"].check_access("create")
        moves = self.sudo()
        moves -= moves._support_on_quotation()
        groups = {}
        for move in moves:
            groups.setdefault((move.partner_id, move.company_id), self.browse())
            groups[(move.partner_id, move.company_id)] |= move
        orders = self.env["sale.order"]
        for (partner, company), group in groups.items():
            order = self._support_create_overage_order(partner, company, group)
            if order:
                orders |= order
        if not orders:
            raise UserError(
                self.env._(
                    "Nothing to invoice: the open overdraft is already on a "
                    "quotation, or it does not convert to the unit of the "
                    "overage product."
                )
            )
        action = {
            "type": "ir.actions.act_window",
            "name": self.env._("Overage quotations"),
            "res_model": "sale.order",
            "domain": [("id", "in", orders.ids)],
            "views": [(False, "list"), (False, "form")],
            "view_mode": "list,form",
        }
        if len(orders) == 1:
            action.update(
                {"res_id": orders.id, "views": [(False, "form")], "view_mode": "form"}
            )
        return action

    @api.model
    def _support_create_overage_order(self, partner, company, moves):
        """The draft quotation of ``moves`` (sudoed, one customer and
        company), made by the acting user; empty when nothing converts."""
        company = company.sudo()
        product = company.support_overage_product_id
        if not product:
            raise UserError(
                self.env._(
                    "Set the overage product in the settings (Support Packs, "
                    "Overdraft) before invoicing an overdraft."
                )
            )
        unit = company.support_overage_unit
        unit_minutes = company.support_rounding_minutes or 15
        billed = self.browse()
        total = 0.0
        for move in moves.sorted(lambda m: (m.date, m.id)):
            quantity = move._support_quantity_in(unit, unit_minutes)
            if quantity is None:
                continue
            billed |= move
            total -= quantity
        total = float_round(total, precision_digits=QUANTITY_DIGITS)
        if float_compare(total, 0.0, precision_digits=QUANTITY_DIGITS) <= 0:
            return self.env["sale.order"]
        dates = billed.mapped("date")
        order = (
            self.env["sale.order"]
            .with_company(company)
            .create(
                self._support_prepare_overage_order_values(
                    partner, company, product, total, min(dates), max(dates)
                )
            )
        )
        internal(order.order_line).write(
            {"support_overdraft_move_ids": [Command.set(billed.ids)]}
        )
        return order

    @api.model
    def _support_prepare_overage_order_values(
        self, partner, company, product, quantity, date_from, date_to
    ):
        lang_partner = partner.with_context(lang=partner.lang)
        return {
            "partner_id": partner.id,
            "company_id": company.id,
            "user_id": self.env.user.id,
            "order_line": [
                Command.create(
                    {
                        "product_id": product.id,
                        "product_uom_qty": quantity,
                        "name": lang_partner.env._(
                            "%(product)s: support consumed with no pack left, "
                            "from %(from)s to %(to)s",
                            product=product.with_context(
                                lang=partner.lang
                            ).display_name,
                            **{
                                "from": format_date(
                                    self.env, date_from, lang_code=partner.lang
                                ),
                                "to": format_date(
                                    self.env, date_to, lang_code=partner.lang
                                ),
                            },
                        ),
                    }
                )
            ],
        }

    # ------------------------------------------------------------------
    # Customer-facing summary (portal, statement, sale order)
    # ------------------------------------------------------------------
    def _support_format_totals(self):
        """What these moves took, per unit, in the language of the
        environment: '2 credits, 1.5 h' (empty when they net to nothing)."""
        totals = {}
        for move in self:
            totals[move.unit] = totals.get(move.unit, 0.0) + move.quantity
        pack_model = self.env["support.pack"]
        return ", ".join(
            pack_model._format_quantity(-quantity, unit)
            for unit, quantity in sorted(totals.items())
            if not float_is_zero(quantity, precision_digits=QUANTITY_DIGITS)
        )

    @api.model
    def _get_overdraft_summary(self, partner):
        """Open overdraft of a customer (commercial partner), per unit, and
        what will happen to it. The caller restricts ``partner`` to the user's
        own company before this sudo read."""
        partner = partner.commercial_partner_id
        moves = self.sudo().search(
            self._support_open_overdraft_domain(partner), order="date, id"
        )
        if not moves:
            return {}
        text = moves._support_format_totals()
        if not text:
            return {}
        quoted = moves._support_on_quotation()
        company = moves[:1].company_id.sudo()
        if quoted:
            orders = (
                self.env["sale.order.line"]
                .sudo()
                .search([("support_overdraft_move_ids", "in", quoted.ids)])
                .order_id
            )
            outcome = self.env._(
                "It is billed on quotation %s.", ", ".join(orders.mapped("name"))
            )
        elif company.support_overdraft_policy == "invoice":
            outcome = self.env._("It will be invoiced.")
        else:
            outcome = self.env._("It will be deducted from your next support pack.")
        return {
            "moves": moves,
            "text": text,
            "outcome": outcome,
            "date_from": moves[0].date,
        }


class SupportPack(models.Model):
    """The customer's open overdraft, deducted from a newly activated pack."""

    _inherit = "support.pack"

    def _support_settle_overdraft(self):
        """Deduct the customer's open overdraft from these newly activated
        packs (company setting ``deduct``), oldest overdraft first, each move
        whole and only while the pack's balance covers it."""
        move_model = internal(self.env["support.pack.move"])
        for pack in internal(self):
            company = pack.company_id
            if company.support_overdraft_policy != "deduct" or pack.state != "active":
                continue
            moves = move_model.search(
                move_model._support_open_overdraft_domain(pack.partner_id, company),
                order="date, id",
            )
            moves -= moves._support_on_quotation()
            if not moves:
                continue
            unit_minutes = company.support_rounding_minutes or 15
            available = pack.quantity_remaining
            todo = []
            for move in moves:
                quantity = move._support_quantity_in(pack.unit, unit_minutes)
                if quantity is None or (
                    float_compare(
                        -quantity, available, precision_digits=QUANTITY_DIGITS
                    )
                    > 0
                ):
                    continue
                available += quantity
                todo.append((move, quantity))
            if not todo:
                continue
            vals_list = [
                pack._support_prepare_settlement_values(move, quantity)
                for move, quantity in todo
            ]
            # a pack its settlement leaves low is never renewed from here
            # (the overdraft moves are marked settled only after it)
            settlements = with_flag(move_model, NO_TOP_UP_FLAG).create(vals_list)
            for (move, __), settlement in zip(todo, settlements, strict=True):
                move.write({"settled": True, "settled_move_id": settlement.id})
            public(pack).message_post(
                body=self.env._(
                    "Overdraft of the customer deducted from this pack: %s.",
                    self._format_quantity(
                        -sum(q for __, q in todo if q < 0), pack.unit
                    ),
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def _support_prepare_settlement_values(self, overdraft, quantity):
        """The move of this pack that settles ``overdraft`` (``quantity`` in
        the pack's unit): consumed time is a consumption, time credited back
        (a closed pack's correction) an adjustment."""
        self.ensure_one()
        note = self.env._(
            "Overdraft of %(date)s settled on this pack",
            date=format_date(self.env, overdraft.date),
        )
        return self._prepare_move_values(
            "consumption" if quantity < 0 else "adjustment",
            quantity,
            date=self.date_start or fields.Date.context_today(self),
            ticket_id=overdraft.ticket_id.id,
            logged_hours=overdraft.logged_hours,
            rounded_hours=overdraft.rounded_hours,
            multiplier=overdraft.multiplier,
            note=note,
        )
