# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare

from ..tools.formatting import format_duration, format_quantity

# Context key: the timesheet line ids the intervention report lists (all the
# lines of the ticket without it).
REPORT_LINES_KEY = "support_report_timesheet_ids"


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    # Consumption (support packs)
    support_estimate_hours = fields.Float(
        string="Estimate (hours)",
        tracking=True,
        copy=False,
        help="Time the request should take. Above the cap (Helpdesk settings) "
        "the request is out of the packs and turned into a quotation.",
    )
    support_estimate_state = fields.Selection(
        [
            ("none", "Not sent"),
            ("sent", "Sent"),
            ("approved", "Approved"),
            ("refused", "Refused"),
        ],
        string="Estimate Status",
        required=True,
        default="none",
        tracking=True,
        copy=False,
    )
    support_estimate_required = fields.Boolean(
        related="category_id.support_estimate_required"
    )
    support_coverage = fields.Selection(related="category_id.support_coverage")
    support_over_cap = fields.Boolean(compute="_compute_support_over_cap")
    support_quantity = fields.Float(
        string="Support Consumed",
        compute="_compute_support_quantity",
        store=True,
        digits=(16, 2),
        help="Hours or credits consumed on the customer's packs by the time "
        "logged on this ticket (overdraft included).",
    )
    support_rounded_hours = fields.Float(
        string="Rounded Time",
        compute="_compute_support_quantity",
        store=True,
        digits=(16, 2),
    )
    support_sale_order_ids = fields.One2many(
        "sale.order", "support_ticket_id", string="Quotations", readonly=True
    )
    support_sale_order_count = fields.Integer(
        compute="_compute_support_sale_order_count"
    )

    @api.depends("support_estimate_hours", "company_id.support_cap_hours")
    def _compute_support_over_cap(self):
        for ticket in self:
            ticket.support_over_cap = ticket._support_is_over_cap()

    @api.depends("timesheet_ids.support_quantity", "timesheet_ids.support_rounded_hours")
    def _compute_support_quantity(self):
        # The lines hold what their live moves post, so this equals the ledger
        # moves of the ticket, read from the lines already in cache.
        for ticket in self:
            lines = ticket.timesheet_ids
            ticket.support_quantity = sum(lines.mapped("support_quantity"))
            ticket.support_rounded_hours = sum(lines.mapped("support_rounded_hours"))

    def _compute_support_sale_order_count(self):
        counts = dict(
            self.env["sale.order"]
            .sudo()
            ._read_group(
                [("support_ticket_id", "in", self.ids)],
                ["support_ticket_id"],
                ["__count"],
            )
        )
        for ticket in self:
            ticket.support_sale_order_count = counts.get(ticket._origin, 0)

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    def write(self, vals):
        to_report = self.browse()
        if vals.get("stage_id"):
            stage = self.env["helpdesk.ticket.stage"].browse(vals["stage_id"])
            if stage.closed:
                to_report = self.filtered(
                    lambda t: not t.stage_id.closed
                    and t.company_id.support_report_send == "close"
                )
        res = super().write(vals)
        if to_report:
            to_report._support_send_intervention_report()
        return res

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _support_is_over_cap(self):
        self.ensure_one()
        cap = self.company_id.support_cap_hours
        return bool(cap) and float_compare(
            self.support_estimate_hours, cap, precision_digits=2
        ) > 0

    def _support_check_time_allowed(self):
        """Refuse logging time the packs must not count (translated reason)."""
        for ticket in self:
            if not ticket.commercial_partner_id:
                raise UserError(
                    self.env._(
                        "Ticket %s has no customer: set its contact before "
                        "logging time, so that the right support pack is used.",
                        ticket.display_name,
                    )
                )
            if ticket.category_id.support_coverage == "not_covered":
                raise UserError(
                    self.env._(
                        "The category %(category)s of ticket %(ticket)s is not "
                        "covered by the support packs: no time can be logged on "
                        "it. Use the button 'Create quotation' on the ticket.",
                        category=ticket.category_id.display_name,
                        ticket=ticket.display_name,
                    )
                )
            if ticket._support_is_over_cap():
                raise UserError(
                    self.env._(
                        "Ticket %(ticket)s is estimated at %(estimate)s h, above "
                        "the %(cap)s h a support pack covers: no time can be "
                        "logged on it. Use the button 'Create quotation' on the "
                        "ticket.",
                        ticket=ticket.display_name,
                        estimate=f"{ticket.support_estimate_hours:g}",
                        cap=f"{ticket.company_id.support_cap_hours:g}",
                    )
                )
            if (
                ticket.category_id.support_estimate_required
                and ticket.support_estimate_state != "approved"
            ):
                raise UserError(
                    self.env._(
                        "The customer has not approved the estimate of ticket "
                        "%s yet: send the estimate and log time once it is "
                        "approved.",
                        ticket.display_name,
                    )
                )

    # ------------------------------------------------------------------
    # Intervention report
    # ------------------------------------------------------------------
    def _get_support_report_lines(self):
        """Timesheet lines the intervention report lists, oldest first."""
        self.ensure_one()
        lines = self.timesheet_ids
        only = self.env.context.get(REPORT_LINES_KEY)
        if only is not None:
            lines = lines.filtered(lambda line: line.id in only)
        return lines.sorted(lambda line: (line.date, line.id))

    def _get_support_report_sla_rows(self):
        """SLA targets of the ticket (helpdesk_mgmt_sla) and whether they were met."""
        self.ensure_one()
        if "ticket_sla_ids" not in self._fields:
            return []
        status = {
            "accomplished": self.env._("Met"),
            "expired": self.env._("Missed"),
            "in_progress": self.env._("Ongoing"),
            "on_hold": self.env._("On hold"),
        }
        rows = []
        for sla in self.sudo().ticket_sla_ids:
            state = sla.state
            if state == "in_progress" and sla.expired:
                state = "expired"
            rows.append(
                {
                    "name": sla.name,
                    "deadline": sla.deadline,
                    "met": state == "accomplished",
                    "status": status.get(state, state),
                }
            )
        return rows

    def _get_support_report_values(self):
        """Rows, totals and balances of the intervention report, formatted in the
        language of the environment."""
        self.ensure_one()
        pack_model = self.env["support.pack"]
        lines = self._get_support_report_lines()
        rows = []
        last_move_by_pack = {}
        consumed = {}
        for line in lines:
            moves = line._support_get_live_moves()
            for move in moves.filtered("pack_id"):
                last_move_by_pack[move.pack_id] = max(
                    last_move_by_pack.get(move.pack_id, 0), move.id
                )
            pack_names = moves.pack_id.mapped("name")
            if moves.filtered(lambda m: not m.pack_id):
                pack_names.append(self.env._("Overdraft"))
            unit = line.support_unit or "credit"
            if line.support_coverage == "included":
                quantity_text = self.env._("Included")
            else:
                quantity_text = pack_model._format_quantity(line.support_quantity, unit)
                consumed[unit] = consumed.get(unit, 0.0) + line.support_quantity
            rows.append(
                {
                    "line": line,
                    "date": line.date,
                    "technician": line.sudo().employee_id.name
                    or line.sudo().user_id.name
                    or "",
                    "description": line.name or "",
                    "logged": format_duration(line._support_get_hours()),
                    "rounded": format_duration(line.support_rounded_hours),
                    "multiplier": "×" + format_quantity(line.support_multiplier),
                    "quantity": line.support_quantity,
                    "quantity_text": quantity_text,
                    "pack": ", ".join(pack_names),
                }
            )
        balances = []
        move_model = self.env["support.pack.move"].sudo()
        for pack, last_id in sorted(
            last_move_by_pack.items(), key=lambda item: item[0].id
        ):
            balance = sum(
                move_model.search(
                    [("pack_id", "=", pack.id), ("id", "<=", last_id)]
                ).mapped("quantity")
            )
            balances.append(
                {
                    "pack": pack,
                    "name": pack.name,
                    "product": pack.sudo().product_id.display_name,
                    "date_end": pack.date_end,
                    "balance": round(balance, 2),
                    "balance_text": pack_model._format_quantity(balance, pack.unit),
                }
            )
        return {
            "rows": rows,
            "total_logged": format_duration(
                sum(line._support_get_hours() for line in lines)
            ),
            "total_rounded": format_duration(
                sum(lines.mapped("support_rounded_hours"))
            ),
            "total_consumed": ", ".join(
                pack_model._format_quantity(qty, unit)
                for unit, qty in sorted(consumed.items())
            )
            or pack_model._format_quantity(0.0, "credit"),
            "balances": balances,
            "slas": self._get_support_report_sla_rows(),
        }

    def _get_report_base_filename(self):
        self.ensure_one()
        return self.env._("Intervention report - %s", self.number or self.name)

    def _get_support_report_unreported_lines(self):
        self.ensure_one()
        return self.sudo().timesheet_ids.filtered(
            lambda line: not line.support_reported_date
        )

    def _support_send_intervention_report(self):
        """Email the report of the interventions not reported yet to the customer,
        then flag them as reported. Returns the tickets whose report was sent."""
        template = self.env.ref(
            "helpdesk_support_pack.mail_template_support_intervention_report",
            raise_if_not_found=False,
        )
        sent = self.browse()
        if not template:
            return sent
        for ticket in self:
            lines = ticket._get_support_report_unreported_lines()
            if not lines or not ticket.partner_id.email:
                continue
            ticket.with_context(
                **{REPORT_LINES_KEY: lines.ids}
            ).message_post_with_source(
                template,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
            lines._support_write_posting(
                {"support_reported_date": fields.Datetime.now()}
            )
            sent |= ticket
        return sent

    def _prepare_support_quotation_values(self, product):
        self.ensure_one()
        return {
            "partner_id": self.commercial_partner_id.id,
            "origin": self.number,
            "support_ticket_id": self.id,
            "company_id": self.company_id.id,
            "order_line": [
                fields.Command.create(
                    {
                        "product_id": product.id,
                        "product_uom_qty": self.support_estimate_hours or 1.0,
                        "name": f"{product.display_name}\n{self.display_name}",
                    }
                )
            ],
        }

    def _get_support_quotation_product(self):
        self.ensure_one()
        return self.company_id.support_quotation_product_id or self.env.ref(
            "helpdesk_support_pack.product_support_deployment",
            raise_if_not_found=False,
        )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_support_send_estimate(self):
        self.ensure_one()
        self.check_access("write")
        if self.support_estimate_hours <= 0:
            raise UserError(
                self.env._("Enter the estimate (hours) before sending it.")
            )
        if not self.partner_id:
            raise UserError(
                self.env._("The ticket has no customer to send the estimate to.")
            )
        self.support_estimate_state = "sent"
        self.message_post(
            body=Markup("<p>%s</p>")
            % self.env._(
                "Estimate for ticket %(ticket)s: %(hours)s h. Please approve it "
                "so that we can start the work.",
                ticket=self.display_name,
                hours=f"{self.support_estimate_hours:g}",
            ),
            partner_ids=self.partner_id.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        return True

    def action_support_approve_estimate_phone(self):
        self.ensure_one()
        self.check_access("write")
        if self.support_estimate_state != "sent":
            raise UserError(self.env._("Only a sent estimate can be approved."))
        self.support_estimate_state = "approved"
        self.message_post(
            body=self.env._(
                "Estimate of %(hours)s h approved by phone, recorded by %(user)s.",
                hours=f"{self.support_estimate_hours:g}",
                user=self.env.user.name,
            ),
            subtype_xmlid="mail.mt_note",
        )
        return True

    def action_support_create_quotation(self):
        self.ensure_one()
        self.check_access("write")
        if not self.commercial_partner_id:
            raise UserError(
                self.env._("The ticket needs a customer to create a quotation.")
            )
        product = self._get_support_quotation_product()
        if not product:
            raise UserError(
                self.env._(
                    "Choose the quotation service in the Helpdesk settings first."
                )
            )
        order_model = self.env["sale.order"]
        can_sell = order_model.has_access("create")
        # The agent may write the ticket (checked above); without sales rights the
        # draft quotation is created for the sales team to complete.
        order = (order_model if can_sell else order_model.sudo()).create(
            self._prepare_support_quotation_values(product)
        )
        self.message_post(
            body=Markup("<p>%s</p>")
            % self.env._("Quotation %s created for this request.", order.name),
            subtype_xmlid="mail.mt_note",
        )
        if not can_sell:
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {
                    "type": "success",
                    "message": self.env._(
                        "Quotation %s created: the sales team will complete it.",
                        order.name,
                    ),
                    "next": {"type": "ir.actions.act_window_close"},
                },
            }
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Quotation"),
            "res_model": "sale.order",
            "res_id": order.id,
            "views": [(False, "form")],
            "view_mode": "form",
        }

    def action_support_send_report(self):
        """Email the report of the interventions not reported yet (button)."""
        self.ensure_one()
        self.check_access("write")
        if not self.partner_id.email:
            raise UserError(
                self.env._("The customer of the ticket has no email address.")
            )
        if not self._get_support_report_unreported_lines():
            raise UserError(
                self.env._(
                    "Every intervention of this ticket was already reported to "
                    "the customer: print the report from the Print menu instead."
                )
            )
        self._support_send_intervention_report()
        return True

    def action_view_support_sale_orders(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Quotations"),
            "res_model": "sale.order",
            "domain": [("support_ticket_id", "=", self.id)],
            "views": [(False, "list"), (False, "form")],
            "view_mode": "list,form",
        }
