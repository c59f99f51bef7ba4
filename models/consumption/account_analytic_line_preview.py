# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What a timesheet line will cost, shown while the agent types it: the
posting's own figures (rounded time, multiplier, coverage) in the unit of the
pack it will draw from. Computed on the unsaved line in the form; never read
by the posting."""

from odoo import api, fields, models

from ...lib.units import UNITS


class AccountAnalyticLinePreview(models.Model):
    _inherit = "account.analytic.line"

    support_preview_rounded_hours = fields.Float(
        string="Rounded Time (preview)",
        compute="_compute_support_preview",
        digits=(16, 2),
        help="The time as it will be posted: rounded up to the started period "
        "(a quarter-hour by default).",
    )
    support_preview_multiplier = fields.Float(
        string="Multiplier (preview)",
        compute="_compute_support_preview",
        digits=(16, 2),
        help="The multiplier of the ticket's priority.",
    )
    support_preview_quantity = fields.Float(
        string="Cost",
        compute="_compute_support_preview",
        digits=(16, 2),
        aggregator=False,
        help="What the line consumes on the customer's packs: the rounded time "
        "times the multiplier, in the unit of the pack it draws from (0 when "
        "the ticket's category is included in the contract). Shown as you "
        "type; a saved line shows what was posted.",
    )
    support_preview_unit = fields.Selection(
        UNITS, string="Cost Unit", compute="_compute_support_preview"
    )
    support_preview_text = fields.Char(
        string="Cost (preview)",
        compute="_compute_support_preview",
        help="What the line consumes on the customer's packs, with its unit.",
    )

    @api.depends(
        "unit_amount",
        "product_uom_id",
        "ticket_id",
        "ticket_id.priority",
        "ticket_id.category_id",
        "company_id",
        "support_rounded_hours",
        "support_multiplier",
        "support_quantity",
        "support_unit",
    )
    def _compute_support_preview(self):
        pack_model = self.env["support.pack"]
        for line in self:
            figures = line._support_get_preview()
            (
                line.support_preview_rounded_hours,
                line.support_preview_multiplier,
                line.support_preview_quantity,
                line.support_preview_unit,
            ) = figures
            line.support_preview_text = (
                pack_model._format_quantity(figures[2], figures[3])
                if figures[3]
                else False
            )

    def _support_get_preview(self):
        """(rounded hours, multiplier, quantity, unit) of the line: what was
        posted for a saved line, what the posting would record for a line
        being typed (or changed) in a form."""
        self.ensure_one()
        origin = self._origin
        if origin and (
            origin.support_legacy
            or (
                origin.support_unit
                and self._support_preview_key() == origin._support_preview_key()
            )
        ):
            # Saved and not re-posted by the change being typed (a new
            # priority on the ticket's form does not re-post its lines).
            return (
                origin.support_rounded_hours,
                origin.support_multiplier,
                origin.support_quantity,
                origin.support_unit,
            )
        if not self.ticket_id or not self.ticket_id.commercial_partner_id:
            return (0.0, 0.0, 0.0, False)
        posting = self._support_prepare_posting()
        unit = self._support_get_preview_unit(posting)
        quantity = self._support_get_posting_quantity(posting, unit)
        return (posting["rounded_hours"], posting["multiplier"], quantity, unit)

    def _support_preview_key(self):
        """The posting key (``_support_posting_key``) of a line being edited:
        the saved records it points to, not their form copies."""
        self.ensure_one()
        return (
            self.ticket_id._origin.id,
            self.date,
            self.unit_amount,
            self.product_uom_id._origin.id,
        )

    def _support_get_preview_unit(self, posting):
        """The unit the posting would choose (``_support_get_unit``): the
        customer's valid pack with a balance that expires first, else its
        latest pack, else credits."""
        ticket = self.ticket_id.sudo()
        next_pack = ticket.support_next_pack_id
        if next_pack:
            return next_pack.unit
        latest = ticket._support_get_latest_pack(posting["partner"], posting["company"])
        return latest.unit or "credit"
