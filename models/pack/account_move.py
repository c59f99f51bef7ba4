# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models
from odoo.tools import float_compare, float_is_zero

from ...lib.guard import internal, public
from ...lib.units import QUANTITY_DIGITS


class AccountMove(models.Model):
    """Invoices and the packs: a paid invoice activates the packs waiting
    for its payment; a posted invoice of a support subscription's period
    issues that period's allowance as a pack; a credit note on that invoice
    cancels the period's pack if nothing was consumed from it."""

    _inherit = "account.move"

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        posted._support_issue_subscription_packs()
        posted._support_cancel_credited_packs()
        return posted

    def _invoice_paid_hook(self):
        res = super()._invoice_paid_hook()
        for invoice in self.filtered(lambda m: m.move_type == "out_invoice"):
            lines = invoice.invoice_line_ids.sudo()
            # a sale's packs, and each period's pack of a subscription (every
            # period's invoice links the same sale line: the invoice line
            # says which period was paid)
            packs = (
                lines.sale_line_ids.support_pack_ids | lines.support_pack_ids
            ).filtered(lambda p: p.state == "pending" and p.activation == "payment")
            if not packs:
                continue
            payment_dates = invoice._get_reconciled_amls().mapped("date")
            date_start = (
                max(payment_dates) if payment_dates else fields.Date.context_today(self)
            )
            packs._action_activate(date_start)
            for pack in packs:
                pack.message_post(
                    body=self.env._("Pack activated: invoice %s paid.", invoice.name)
                )
        return res

    # ------------------------------------------------------------------
    # Support subscriptions (models/subscription/)
    # ------------------------------------------------------------------
    def _support_subscription_lines(self):
        """The posted customer invoices' lines that bill a period of a
        support subscription with an allowance, and issued no pack yet."""
        return (
            self.filtered(lambda m: m.move_type == "out_invoice")
            .invoice_line_ids.sudo()
            .filtered(
                lambda line: line.contract_line_id
                and line.support_period_start
                and line.support_period_end
                and line.product_id.support_subscription_ok
                and line.product_id.support_allowance_quantity > 0
                and float_compare(line.quantity, 0.0, precision_digits=2) > 0
                and not line.support_pack_ids.filtered(lambda p: p.state != "cancelled")
            )
        )

    def _support_issue_subscription_packs(self):
        """Each posted invoice line of a subscription's period issues the
        period's allowance (per unit invoiced) as a pack valid for exactly
        that period: active at once or once that invoice is paid, as the
        product says."""
        lines = self._support_subscription_lines()
        if not lines:
            return self.env["support.pack"]
        pack_model = internal(self.env["support.pack"])
        packs = pack_model.create(
            [line._support_prepare_pack_values() for line in lines]
        )
        moves = []
        for pack, line in zip(packs, lines, strict=True):
            product = line.product_id
            quantity = line.product_uom_id._compute_quantity(
                line.quantity, product.uom_id, raise_if_failure=False
            )
            moves.append(
                pack._prepare_move_values(
                    "purchase",
                    quantity * product.support_allowance_quantity,
                    date=line.move_id.invoice_date or fields.Date.context_today(self),
                    note=line.move_id.name,
                )
            )
        internal(self.env["support.pack.move"]).create(moves)
        packs.filtered(lambda p: p.activation == "order")._action_activate()
        packs._support_close_previous_periods()
        for pack in public(packs):
            pack.message_post_with_source(
                "mail.message_origin_link",
                render_values={"self": pack, "origin": pack.invoice_line_id.move_id},
                subtype_xmlid="mail.mt_note",
            )
        return packs

    def _support_cancel_credited_packs(self):
        """A posted credit note of a subscription's invoice cancels the
        period's pack when nothing was consumed from it (nor carried over
        into it); a consumed pack stays, and its note says so."""
        for refund in self.filtered(
            lambda m: m.move_type == "out_refund" and m.reversed_entry_id
        ):
            credited = refund.invoice_line_ids.sudo().product_id
            packs = (
                refund.reversed_entry_id.invoice_line_ids.sudo()
                .filtered(lambda line, credited=credited: line.product_id in credited)
                .support_pack_ids.filtered(
                    lambda p: p.state in ("pending", "active", "exhausted")
                )
            )
            for pack in packs:
                consumed = not float_is_zero(
                    pack.quantity_consumed, precision_digits=QUANTITY_DIGITS
                ) or "carry_over_in" in pack.move_ids.mapped("move_type")
                if consumed:
                    public(pack).message_post(
                        body=self.env._(
                            "Credit note %(refund)s posted for the invoice of this "
                            "period: the pack was already consumed, it is not "
                            "cancelled. Record an adjustment if needed.",
                            refund=refund.name,
                        ),
                        subtype_xmlid="mail.mt_note",
                    )
                    continue
                pack._action_cancel(note=self.env._("Credit note %s", refund.name))
                public(pack).message_post(
                    body=self.env._(
                        "Pack cancelled: credit note %s posted for the invoice "
                        "of this period.",
                        refund.name,
                    ),
                    subtype_xmlid="mail.mt_note",
                )
