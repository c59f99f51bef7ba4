# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Figures of the packs per unit, for kanban, pivot and graph views: hours and
credits are never added together."""

from odoo import api, fields, models

from .support_pack import QUANTITY_DIGITS


class SupportPack(models.Model):
    _inherit = "support.pack"

    # the kanban shows a column per state, even an empty one
    state = fields.Selection(group_expand="_group_expand_states")
    # a sum over packs of both units would add hours and credits
    quantity_granted = fields.Float(aggregator=False)
    quantity_consumed = fields.Float(aggregator=False)
    quantity_remaining = fields.Float(aggregator=False)
    consumed_credit = fields.Float(
        string="Credits Consumed",
        compute="_compute_unit_figures",
        store=True,
        digits=(16, QUANTITY_DIGITS),
    )
    remaining_credit = fields.Float(
        string="Credits Left",
        compute="_compute_unit_figures",
        store=True,
        digits=(16, QUANTITY_DIGITS),
    )
    consumed_hour = fields.Float(
        string="Hours Consumed",
        compute="_compute_unit_figures",
        store=True,
        digits=(16, QUANTITY_DIGITS),
    )
    remaining_hour = fields.Float(
        string="Hours Left",
        compute="_compute_unit_figures",
        store=True,
        digits=(16, QUANTITY_DIGITS),
    )

    @api.model
    def _group_expand_states(self, states, domain):
        """Every state but cancelled (unless a cancelled pack is shown)."""
        return [
            key
            for key, __ in self._fields["state"].selection
            if key != "cancelled" or key in states
        ]

    @api.depends("unit", "quantity_consumed", "quantity_remaining")
    def _compute_unit_figures(self):
        for pack in self:
            credit = pack.unit == "credit"
            hour = pack.unit == "hour"
            pack.consumed_credit = pack.quantity_consumed if credit else 0.0
            pack.remaining_credit = pack.quantity_remaining if credit else 0.0
            pack.consumed_hour = pack.quantity_consumed if hour else 0.0
            pack.remaining_hour = pack.quantity_remaining if hour else 0.0
