# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.osv import expression

from ...lib.guard import get_flag, with_flag

_logger = logging.getLogger(__name__)

# Private flag set while an automatic renewal order is confirmed and while the
# customer's overdraft is deducted from a new pack: a pack that falls to its
# threshold there is warned, never renewed from there (no renewal within a
# renewal; the overdraft is marked settled only after its deduction).
NO_TOP_UP_FLAG = "helpdesk_support_pack_no_top_up"


class SupportPack(models.Model):
    """Auto top-up: a customer who renews automatically
    (``res.partner.support_auto_renew``) gets a quotation for its usual pack
    when the balance of one of its packs falls to the low balance threshold,
    sent with its portal link or confirmed (the mode). Called by the low
    balance warning (``support_pack_renewal``), so for every caller that
    posts a consumption, once per dip: the warning's flag is reset only when
    the balance goes back above the threshold, and no quotation is made while
    one is open or while another pack of the customer takes over."""

    _inherit = "support.pack"

    def _support_get_open_pack_orders(self, customers, companies):
        """{(customer, company): the oldest open quotation of a support pack}:
        draft or sent, not past its validity date (the automatic renewal's,
        'Buy more support''s or the salesperson's)."""
        today = fields.Date.context_today(self)
        orders = (
            self.env["sale.order"]
            .sudo()
            .search(
                [
                    ("partner_id.commercial_partner_id", "in", customers.ids),
                    ("company_id", "in", companies.ids),
                    ("state", "in", ("draft", "sent")),
                    ("order_line.product_id.support_pack_ok", "=", True),
                    "|",
                    ("validity_date", "=", False),
                    ("validity_date", ">=", today),
                ],
                order="id",
            )
        )
        result = {}
        for order in orders:
            key = (order.partner_id.commercial_partner_id, order.company_id)
            result.setdefault(key, order)
        return result

    def _support_get_taking_over_packs(self):
        """{pack: another pack of its customer, company and unit that takes
        over}: waiting for its payment, or active above its own threshold."""
        packs = self.sudo()
        others = packs.search(
            expression.AND(
                [
                    [
                        ("partner_id", "in", packs.partner_id.ids),
                        ("company_id", "in", packs.company_id.ids),
                        ("id", "not in", packs.ids),
                    ],
                    expression.OR(
                        [
                            [("state", "=", "pending")],
                            [
                                ("state", "=", "active"),
                                ("date_end", ">=", fields.Date.context_today(self)),
                            ],
                        ]
                    ),
                ]
            )
        )
        others = others.filtered(
            lambda p: p.state == "pending" or not p._is_low_balance()
        )
        result = {}
        for pack in packs:
            for other in others:
                if (other.partner_id, other.company_id, other.unit) == (
                    pack.partner_id,
                    pack.company_id,
                    pack.unit,
                ):
                    result[pack] = other
                    break
        return result

    def _support_auto_renew(self):
        """Top up the customers of these packs (just fallen to their
        threshold) who renew automatically: one order per customer and
        company. Returns {pack id: {'status': 'sent' | 'confirmed' | 'open' |
        'failed', 'order': sale.order, 'error': text}} for the packs of those
        customers. A renewal refused (a UserError: no pack product to sell,
        a check of the sale) is rolled back and reported, never stopping the
        posting that called it."""
        if get_flag(self.env, NO_TOP_UP_FLAG):
            return {}
        packs = self.sudo().filtered(
            lambda p: p.partner_id.support_auto_renew
            and p.state in ("active", "exhausted")
        )
        if not packs:
            return {}
        taken_over = packs._support_get_taking_over_packs()
        packs = packs.filtered(lambda p: p not in taken_over)
        open_orders = self._support_get_open_pack_orders(
            packs.partner_id, packs.company_id
        )
        results, done = {}, {}
        for pack in packs:
            key = (pack.partner_id, pack.company_id)
            if key in done:
                # another pack of the customer in the same posting
                results[pack.id] = done[key]
                continue
            if key in open_orders:
                result = {"status": "open", "order": open_orders[key]}
            else:
                result = pack._support_try_top_up()
            results[pack.id] = done[key] = result
        return results

    def _support_try_top_up(self):
        """The automatic renewal of this pack's customer, in a savepoint:
        {'status', 'order', 'error'} (see :meth:`_support_auto_renew`)."""
        self.ensure_one()
        try:
            with self.env.cr.savepoint():
                order = self._support_create_top_up_order()
        except UserError as error:
            _logger.info("Automatic renewal of %s failed: %s", self.name, error)
            return {
                "status": "failed",
                "order": self.env["sale.order"],
                "error": str(error),
            }
        return {
            "status": "confirmed" if order.state == "sale" else "sent",
            "order": order,
        }

    def _support_prepare_top_up_order_values(self):
        """The usual pack's quotation (``sale.order``'s
        ``_support_prepare_usual_pack_order_values``, as 'Buy more support'
        makes it) for the customer, with its salesperson."""
        self.ensure_one()
        customer = self.partner_id
        values = self.env["sale.order"]._support_prepare_usual_pack_order_values(
            customer, self.company_id
        )
        values.update(
            {
                "user_id": (customer.user_id or self._get_renewal_activity_user()).id,
                "origin": self.name,
                "support_auto_renewal": True,
            }
        )
        return values

    def _support_create_top_up_order(self):
        """The automatic renewal order of this pack's customer: sent by email
        with its portal link, or confirmed (the pack then starts as its
        product says: on confirmation or on payment)."""
        self.ensure_one()
        pack = self.sudo()
        order = (
            self.env["sale.order"]
            .sudo()
            .with_company(pack.company_id)
            .create(pack._support_prepare_top_up_order_values())
        )
        order.message_post(
            body=self.env._(
                "Automatic renewal: %(remaining)s left on %(pack)s, at its low "
                "balance threshold.",
                remaining=self._format_quantity(pack.quantity_remaining, pack.unit),
                pack=pack.name,
            ),
            subtype_xmlid="mail.mt_note",
        )
        if pack.partner_id.support_auto_renew_mode == "confirm":
            no_top_up = with_flag(order, NO_TOP_UP_FLAG)
            no_top_up.with_context(send_email=True).action_confirm()
        else:
            order.with_context(mark_so_as_sent=True)._send_order_notification_mail(
                order._find_mail_template()
            )
        return order
