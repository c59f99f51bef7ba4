# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import float_compare, float_is_zero

from ...lib.guard import internal, is_internal, public
from ...lib.units import QUANTITY_DIGITS


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    support_pack_ids = fields.One2many(
        "support.pack", "sale_line_id", string="Support Packs", readonly=True
    )
    # Overdraft billed by a quotation line
    support_overdraft_move_ids = fields.Many2many(
        "support.pack.move",
        "sale_order_line_support_overdraft_rel",
        "sale_line_id",
        "move_id",
        string="Overdraft Billed",
        readonly=True,
        copy=False,
        help="Overdraft moves this line bills: confirming the order settles "
        "those its quantity covers in full, oldest first.",
    )

    def _is_support_pack_line(self):
        self.ensure_one()
        return bool(
            not self.display_type
            and self.product_id.support_pack_ok
            and float_compare(
                self.product_uom_qty,
                0.0,
                precision_rounding=self.product_uom.rounding or 0.01,
            )
            > 0
        )

    def _get_support_pack_quantity(self):
        """Hours or credits granted by this line, in the pack's unit."""
        self.ensure_one()
        product = self.product_id
        qty = self.product_uom._compute_quantity(
            self.product_uom_qty, product.uom_id, raise_if_failure=False
        )
        return qty * product.support_pack_quantity

    def _prepare_support_pack_values(self):
        self.ensure_one()
        order = self.order_id
        product = self.product_id
        return {
            "partner_id": order.partner_id.commercial_partner_id.id,
            "company_id": order.company_id.id,
            "product_id": product.id,
            "sale_line_id": self.id,
            "user_id": order.user_id.id,
            "unit": product.support_pack_unit,
            "validity_months": product.support_pack_validity_months,
            # bought from the portal (models/customer/sale_order_portal.py):
            # the pack starts on payment
            "activation": "payment"
            if order.support_portal_purchase
            else product.support_pack_activation,
            "carry_over": product.support_pack_carry_over,
            "carry_over_cap": product.support_pack_carry_over_cap,
            "state": "pending",
        }

    def _support_pack_create(self):
        """Create one pack per confirmed support-pack line that has none yet."""
        lines = self.filtered(
            lambda line: line._is_support_pack_line()
            and not line.support_pack_ids.filtered(lambda p: p.state != "cancelled")
        )
        if not lines:
            return self.env["support.pack"]
        pack_model = internal(self.env["support.pack"])
        packs = pack_model.create(
            [line._prepare_support_pack_values() for line in lines]
        )
        moves = []
        for pack, line in zip(packs, lines, strict=True):
            moves.append(
                pack._prepare_move_values(
                    "purchase",
                    line._get_support_pack_quantity(),
                    date=fields.Date.context_today(line, line.order_id.date_order),
                    note=line.order_id.name,
                )
            )
        internal(self.env["support.pack.move"]).create(moves)
        to_activate = packs.filtered(lambda p: p.activation == "order")
        for pack in to_activate:
            order = pack.sale_line_id.order_id
            pack._action_activate(fields.Date.context_today(pack, order.date_order))
        for pack in public(packs):
            pack.message_post_with_source(
                "mail.message_origin_link",
                render_values={"self": pack, "origin": pack.sale_line_id.order_id},
                subtype_xmlid="mail.mt_note",
            )
        return packs

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._support_check_overdraft_vals(vals)
        lines = super().create(vals_list)
        lines.filtered(lambda line: line.state == "sale")._support_pack_create()
        return lines

    def write(self, vals):
        self._support_check_overdraft_vals(vals)
        if "product_uom_qty" not in vals and "product_uom" not in vals:
            return super().write(vals)
        before = {
            line.id: line._get_support_pack_quantity()
            for line in self
            if line.state == "sale" and line.support_pack_ids
        }
        res = super().write(vals)
        for line in self.filtered(lambda line: line.id in before):
            line._support_pack_update_quantity(before[line.id])
        # a confirmed line lowered (Odoo's way to drop it) no longer settles
        # the overdraft it stops billing
        self.filtered(lambda line: line.state == "sale")._support_release_overdraft()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_overdraft_settled(self):
        self._support_check_unlink_overdraft()

    def _support_pack_update_quantity(self, previous_quantity):
        """An upsell of a confirmed line adds a purchase move, a decrease an
        adjustment move (both with the order's name)."""
        self.ensure_one()
        pack = self.support_pack_ids.filtered(
            lambda p: p.state not in ("cancelled", "expired")
        )[:1]
        if not pack:
            return
        pack = pack.sudo()
        delta = self._get_support_pack_quantity() - previous_quantity
        if float_is_zero(delta, precision_digits=2):
            return
        if float_compare(pack.quantity_remaining + delta, 0.0, precision_digits=2) < 0:
            raise UserError(
                self.env._(
                    "The quantity of %(product)s cannot be lowered: only "
                    "%(remaining)s is left on pack %(pack)s.",
                    product=self.product_id.display_name,
                    remaining=pack._format_quantity(pack.quantity_remaining, pack.unit),
                    pack=pack.name,
                )
            )
        internal(self.env["support.pack.move"]).create(
            pack._prepare_move_values(
                "purchase" if delta > 0 else "adjustment",
                delta,
                note=self.env._("Quantity changed on %s", self.order_id.name),
            )
        )

    # Overdraft billed by a quotation line
    def _support_check_overdraft_vals(self, vals):
        if "support_overdraft_move_ids" in vals and not is_internal(self.env):
            raise AccessError(
                self.env._(
                    "The overdraft a quotation line bills is set by the action "
                    "'Invoice overdraft' only."
                )
            )

    def _support_overdraft_billed_quantity(self):
        """What this line bills, in the unit of measure of its product: its
        quantity while the order is confirmed, and in any case what its
        posted invoices bill (net of posted credit notes)."""
        self.ensure_one()
        billed = self.qty_invoiced_posted
        if self.state == "sale":
            billed = max(billed, self.product_uom_qty)
        return self.product_uom._compute_quantity(
            billed, self.product_id.uom_id, raise_if_failure=False
        )

    def _support_overdraft_covered(self, moves):
        """Those of the overdraft ``moves`` (sudoed) that this line bills in
        full, in the company's overage unit: oldest first, and only while the
        billed quantity covers each move whole (an overdraft move is never
        split). Nothing billed settles nothing."""
        self.ensure_one()
        covered = moves.browse()
        available = self._support_overdraft_billed_quantity()
        if float_compare(available, 0.0, precision_digits=QUANTITY_DIGITS) <= 0:
            return covered
        company = self.order_id.company_id.sudo()
        unit = company.support_overage_unit
        unit_minutes = company.support_rounding_minutes or 15
        for move in moves.sorted(lambda m: (m.date, m.id)):
            quantity = move._support_quantity_in(unit, unit_minutes)
            if quantity is None:
                continue
            if (
                float_compare(-quantity, available, precision_digits=QUANTITY_DIGITS)
                > 0
            ):
                break
            available += quantity
            covered |= move
        return covered

    def _support_settle_overdraft(self):
        """Confirmed lines settle the overdraft moves they bill in full (see
        ``_support_overdraft_covered``); the others stay open."""
        for line in self.sudo().filtered("support_overdraft_move_ids"):
            moves = line.support_overdraft_move_ids
            if moves.filtered(
                lambda m, line=line: m.settled and m.sale_line_id != line
            ):
                raise UserError(
                    self.env._(
                        "Part of the overdraft billed by %(order)s was settled "
                        "meanwhile (deducted, cancelled or billed on another "
                        "order): cancel this quotation and invoice the open "
                        "overdraft again.",
                        order=line.order_id.name,
                    )
                )
            covered = line._support_overdraft_covered(moves)
            to_settle = covered.filtered(lambda m: not m.settled)
            if to_settle:
                internal(to_settle).write({"settled": True, "sale_line_id": line.id})
            to_reopen = moves.filtered("settled") - covered
            if to_reopen:
                internal(to_reopen).write({"settled": False, "sale_line_id": False})
            line._support_notify_overdraft_open(moves - covered)

    def _support_release_overdraft(self):
        """The overdraft these lines settled and no longer bill in full (an
        order cancelled, a confirmed line lowered) is open again. What a posted
        invoice bills stays settled: only a credit note posted against that
        invoice reverses it."""
        moves = (
            self.env["support.pack.move"]
            .sudo()
            .search([("sale_line_id", "in", self.ids)])
        )
        for line in self.sudo().filtered(lambda line: line in moves.sale_line_id):
            settled = moves.filtered(lambda m, line=line: m.sale_line_id == line)
            to_reopen = settled - line._support_overdraft_covered(settled)
            if to_reopen:
                internal(to_reopen).write({"settled": False, "sale_line_id": False})
                line._support_notify_overdraft_open(to_reopen)

    def _support_notify_overdraft_open(self, moves):
        """A note on the order: the overdraft it links and leaves open."""
        self.ensure_one()
        text = moves.with_env(self.env)._support_format_totals()
        if text:
            public(self.order_id).message_post(
                body=self.env._(
                    "Overdraft left open, not billed in full by this order: %s.",
                    text,
                ),
                subtype_xmlid="mail.mt_note",
            )

    def _support_check_unlink_overdraft(self):
        """A line that settles overdraft (a posted invoice bills it) is never
        deleted: the settlement would lose what settled it."""
        moves = (
            self.env["support.pack.move"]
            .sudo()
            .search([("sale_line_id", "in", self.ids)], limit=1)
        )
        if moves:
            raise UserError(
                self.env._(
                    "%(order)s settles overdraft that its posted invoice "
                    "bills: it cannot be deleted. To open that overdraft again, "
                    "post a credit note for the invoice, then cancel the order "
                    "(set it back to quotation first if it is cancelled).",
                    order=moves.sale_line_id.order_id.name,
                )
            )
