# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Settlement of the overdraft, on the side of the pack: the customer's open
overdraft deducted from a newly activated pack (see
``support_pack_move_settlement`` for the rules and the invoicing)."""

from odoo import fields, models
from odoo.tools import float_compare, format_date

from ..lib.guard import internal, public
from .support_pack import QUANTITY_DIGITS


class SupportPack(models.Model):
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
            settlements = move_model.create(vals_list)
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
