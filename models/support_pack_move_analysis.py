# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Figures of the ledger per unit, for pivot and graph views: hours and
credits are never added together."""

from odoo import api, fields, models

from .support_pack import QUANTITY_DIGITS


class SupportPackMove(models.Model):
    _inherit = "support.pack.move"

    # a sum over moves of both units would add hours and credits
    quantity = fields.Float(aggregator=False)
    quantity_credit = fields.Float(
        string="Credits",
        compute="_compute_unit_figures",
        store=True,
        precompute=True,
        digits=(16, QUANTITY_DIGITS),
        help="Signed quantity of a move in credits (0 for an hour move).",
    )
    quantity_hour = fields.Float(
        string="Hours",
        compute="_compute_unit_figures",
        store=True,
        precompute=True,
        digits=(16, QUANTITY_DIGITS),
        help="Signed quantity of a move in hours (0 for a credit move).",
    )
    consumed_credit = fields.Float(
        string="Credits Consumed",
        compute="_compute_unit_figures",
        store=True,
        precompute=True,
        digits=(16, QUANTITY_DIGITS),
        help="Credits consumed by time logged on tickets (on a pack or in "
        "overdraft), net of corrections.",
    )
    consumed_hour = fields.Float(
        string="Hours Consumed",
        compute="_compute_unit_figures",
        store=True,
        precompute=True,
        digits=(16, QUANTITY_DIGITS),
        help="Hours consumed by time logged on tickets (on a pack or in "
        "overdraft), net of corrections.",
    )
    salesperson_id = fields.Many2one(
        related="pack_id.user_id",
        string="Salesperson",
        store=True,
        precompute=True,
        index=True,
    )

    @api.model
    def _consumption_move_types(self):
        return ("consumption", "overdraft")

    def _is_overdraft_settlement(self):
        """A pack's move that settles an overdraft (never a timesheet's)."""
        self.ensure_one()
        return (
            self.move_type == "consumption"
            and not self.timesheet_id
            and bool(self.settled_overdraft_ids)
        )

    @api.depends("unit", "quantity", "move_type", "settled_overdraft_ids")
    def _compute_unit_figures(self):
        """An overdraft counts as consumed when it is logged; the move of the
        pack that later settles it is not counted again."""
        consumption_types = self._consumption_move_types()
        for move in self:
            credit = move.unit == "credit"
            hour = move.unit == "hour"
            consumed = (
                -move.quantity
                if move.move_type in consumption_types
                and not move._is_overdraft_settlement()
                else 0.0
            )
            move.quantity_credit = move.quantity if credit else 0.0
            move.quantity_hour = move.quantity if hour else 0.0
            move.consumed_credit = consumed if credit else 0.0
            move.consumed_hour = consumed if hour else 0.0
