# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.osv import expression
from odoo.tools import float_compare, plaintext2html

from ..tools.formatting import format_number
from ..tools.guard import get_flag, internal, is_internal, with_flag

# Private context flags (tools.guard.with_flag): the timesheet line ids the
# intervention report lists (all the lines of the ticket without it), and the
# refresh of a ticket's SLA targets that keeps the reached and breached ones.
REPORT_LINES_KEY = "support_report_timesheet_ids"
SLA_REFRESH_KEY = "helpdesk_support_pack_sla_refresh"
INTERVENTION_REPORT = "report.helpdesk_support_pack.report_helpdesk_ticket_intervention"

SUPPORT_LEVELS = [
    ("1", "Level 1 - customer's administrators"),
    ("2", "Level 2 - functional support"),
    ("3", "Level 3 - development"),
]


class HelpdeskTicket(models.Model):
    _name = "helpdesk.ticket"
    _inherit = ["helpdesk.ticket", "support.protected.mixin"]

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
        readonly=True,
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
        "sale.order",
        "support_ticket_id",
        string="Quotations",
        readonly=True,
        groups="sales_team.group_sale_salesman",
    )
    support_sale_order_count = fields.Integer(
        compute="_compute_support_sale_order_count",
        groups="sales_team.group_sale_salesman",
    )

    # SLA and support levels
    support_level = fields.Selection(
        SUPPORT_LEVELS,
        required=True,
        default="2",
        tracking=True,
        copy=False,
        help="Level 3 (development) is reached only by escalation from level 2.",
    )
    first_response_date = fields.Datetime(
        readonly=True,
        copy=False,
        help="First public reply of an internal user to the customer.",
    )
    sla_status = fields.Selection(
        [
            ("ongoing", "Ongoing"),
            ("at_risk", "At risk"),
            ("breached", "Breached"),
            ("reached", "Reached"),
        ],
        string="SLA status",
        compute="_compute_sla_status",
        search="_search_sla_status",
    )

    # Portal: confirmation of the fix, reopening
    support_fix_confirmed_date = fields.Datetime(
        string="Fix Confirmed On",
        readonly=True,
        copy=False,
        tracking=True,
        help="The customer confirmed from the portal that the fix works.",
    )
    support_fix_confirmed_partner_id = fields.Many2one(
        "res.partner", string="Fix Confirmed By", readonly=True, copy=False
    )
    support_parent_ticket_id = fields.Many2one(
        "helpdesk.ticket",
        string="Reopened From",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
        help="Closed ticket the customer reopened after its grace period.",
    )
    support_child_ticket_ids = fields.One2many(
        "helpdesk.ticket",
        "support_parent_ticket_id",
        string="Follow-up Tickets",
        readonly=True,
    )

    @api.depends("support_estimate_hours", "company_id.support_cap_hours")
    def _compute_support_over_cap(self):
        for ticket in self:
            ticket.support_over_cap = ticket._support_is_over_cap()

    @api.depends(
        "timesheet_ids.support_quantity", "timesheet_ids.support_rounded_hours"
    )
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
    @api.model
    def _support_protected_fields(self):
        """Written by the flows that own them: estimate sending and approval
        (portal, phone button), the first reply, the customer's confirmation
        and reopening, the consumption of the ticket's timesheets."""
        return super()._support_protected_fields() + [
            "support_estimate_state",
            "first_response_date",
            "support_fix_confirmed_date",
            "support_fix_confirmed_partner_id",
            "support_parent_ticket_id",
            "support_quantity",
            "support_rounded_hours",
        ]

    @api.model
    def _support_check_level(self, vals):
        if vals.get("support_level") == "3" and not is_internal(self.env):
            raise UserError(
                self.env._(
                    "Level 3 is reached only through the Escalate action, "
                    "which asks for a reason."
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._support_check_level(vals)
            # the defaults a client may send back as they are
            self._support_check_protected(
                {
                    name: value
                    for name, value in vals.items()
                    if value
                    and not (name == "support_estimate_state" and value == "none")
                }
            )
        return super().create(vals_list)

    def write(self, vals):
        self._support_check_level(vals)
        self._support_check_protected(vals)
        if "support_estimate_hours" in vals:
            # A higher estimate than the one sent or approved needs a new approval.
            raised = self.filtered(
                lambda t: t.support_estimate_state in ("sent", "approved")
                and float_compare(
                    vals["support_estimate_hours"] or 0.0,
                    t.support_estimate_hours,
                    precision_digits=2,
                )
                > 0
            )
            if raised:
                super(HelpdeskTicket, raised).write({"support_estimate_state": "none"})
        to_report = self.browse()
        if vals.get("stage_id"):
            stage = self.env["helpdesk.ticket.stage"].browse(vals["stage_id"])
            if stage.closed:
                to_report = self.filtered(
                    lambda t: not t.stage_id.closed
                    and t.company_id.support_report_send == "close"
                )
        customers = (
            {ticket.id: ticket.commercial_partner_id for ticket in self}
            if "partner_id" in vals
            else {}
        )
        res = super().write(vals)
        if customers:
            self._support_repost_new_customer(customers)
        if "priority" in vals:
            self._refresh_sla_targets()
        if to_report:
            self.env["support.report.queue"]._enqueue(to_report)
        return res

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _support_repost_new_customer(self, previous):
        """The ticket changed customer: its time moves to the new customer's
        packs (or is no longer posted, without customer)."""
        changed = self.filtered(
            lambda ticket: ticket.commercial_partner_id != previous[ticket.id]
        )
        lines = changed.sudo().timesheet_ids.filtered(
            lambda line: not line.support_legacy
        )
        if lines:
            lines._support_post_or_queue(repost=True)

    def _support_is_over_cap(self):
        self.ensure_one()
        cap = self.company_id.support_cap_hours
        return (
            bool(cap)
            and float_compare(self.support_estimate_hours, cap, precision_digits=2) > 0
        )

    def _support_get_coverage(self):
        """(coverage, estimate required) of the ticket's category."""
        self.ensure_one()
        if not self.category_id:
            return ("counted", False)
        return (self.support_coverage, self.support_estimate_required)

    def _support_check_time_allowed(self):
        """Refuse logging time the packs must not count (translated reason)."""
        for ticket in self:
            coverage, estimate_required = ticket._support_get_coverage()
            if coverage == "not_covered":
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
                        estimate=format_number(self.env, ticket.support_estimate_hours),
                        cap=format_number(
                            self.env, ticket.company_id.support_cap_hours
                        ),
                    )
                )
            if estimate_required and ticket.support_estimate_state != "approved":
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
        only = get_flag(self.env, REPORT_LINES_KEY)
        if only is not None:
            lines = lines.filtered(lambda line: line.id in only)
        return lines.sorted(lambda line: (line.date, line.id))

    def _get_support_report_values(self):
        """Rows, totals and balances of the intervention report, formatted in the
        language of the environment (the report model builds them)."""
        self.ensure_one()
        return self.env[INTERVENTION_REPORT]._get_ticket_values(self)

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
            with_flag(ticket, REPORT_LINES_KEY, lines.ids).message_post_with_source(
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
            raise UserError(self.env._("Enter the estimate (hours) before sending it."))
        if not self.partner_id:
            raise UserError(
                self.env._("The ticket has no customer to send the estimate to.")
            )
        internal(self, sudo=False).support_estimate_state = "sent"
        self._support_send_estimate_mail()
        return True

    def action_support_approve_estimate_phone(self):
        self.ensure_one()
        self.check_access("write")
        if self.support_estimate_state != "sent":
            raise UserError(self.env._("Only a sent estimate can be approved."))
        internal(self, sudo=False).support_estimate_state = "approved"
        self.message_post(
            body=self.env._(
                "Estimate of %(hours)s h approved by phone, recorded by %(user)s.",
                hours=format_number(self.env, self.support_estimate_hours),
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

    # ------------------------------------------------------------------
    # Portal actions (called on the ticket the controller checked access to)
    # ------------------------------------------------------------------
    def _support_is_resolved(self):
        """Resolved: in a closed stage (helpdesk_mgmt), fix not confirmed yet."""
        self.ensure_one()
        return bool(self.stage_id.closed) and not self.support_fix_confirmed_date

    def _support_get_reopen_deadline(self):
        """Last moment the ticket itself can be reopened (False: never closed)."""
        self.ensure_one()
        if not self.closed_date:
            return False
        return self.closed_date + timedelta(
            days=self.company_id.support_reopen_grace_days
        )

    def _support_can_reopen_in_place(self):
        self.ensure_one()
        deadline = self._support_get_reopen_deadline()
        return bool(deadline) and fields.Datetime.now() <= deadline

    def _support_get_reopen_stage(self):
        """First open stage of the ticket's team."""
        self.ensure_one()
        stages = self.team_id._get_applicable_stages()
        return stages.filtered(lambda stage: not stage.closed).sorted(
            lambda stage: (stage.sequence, stage.id)
        )[:1]

    def _support_get_team_partners(self):
        """Partners told about a customer's action: assignee and team members."""
        self.ensure_one()
        users = self.user_id | self.team_id.user_ids
        return users.filtered(lambda user: not user.share).partner_id

    def _support_check_customer(self, partner):
        """Only a contact of the ticket's customer acts as the customer: a
        follower of another company or an internal user who can read the
        ticket may not approve, confirm or reopen for it."""
        self.ensure_one()
        customer = self.commercial_partner_id
        if not customer or partner.commercial_partner_id != customer:
            raise AccessError(
                self.env._(
                    "Only the contacts of %(customer)s can answer for ticket "
                    "%(ticket)s.",
                    customer=customer.display_name or self.env._("the customer"),
                    ticket=self.display_name,
                )
            )

    def _support_portal_post(self, body, partner):
        self.ensure_one()
        return self.message_post(
            body=body,
            author_id=partner.id,
            partner_ids=self._support_get_team_partners().ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )

    def _prepare_support_reopen_ticket_values(self, reason):
        self.ensure_one()
        return {
            "name": self.env._("Reopening of %(ticket)s", ticket=self.name),
            "description": plaintext2html(reason),
            "partner_id": self.partner_id.id,
            "partner_name": self.partner_name,
            "partner_email": self.partner_email,
            "company_id": self.company_id.id,
            "team_id": self.team_id.id,
            "category_id": self.category_id.id,
            "priority": self.priority,
            "user_id": self.user_id.id,
            "support_parent_ticket_id": self.id,
        }

    def _get_support_portal_values(self):
        """What the customer's ticket page shows: SLA targets, each intervention
        with its logged and rounded time and the credits it consumed."""
        self.ensure_one()
        report = self.env[INTERVENTION_REPORT]
        lines = self.timesheet_ids.sorted(lambda line: (line.date, line.id))
        interventions, consumed = report._get_intervention_rows(lines)
        return {
            "slas": report._get_sla_rows(self),
            "interventions": interventions,
            **report._get_totals(lines, consumed),
            "resolved": self._support_is_resolved(),
            "reopen_in_place": self._support_can_reopen_in_place(),
            "reopen_deadline": self._support_get_reopen_deadline(),
        }

    def _support_portal_reopen(self, reason, partner):
        """Reopen a closed ticket with the customer's reason.

        Within the grace period the ticket goes back to the first open stage of
        its team; later a new ticket linked to this one is created and this one
        stays closed. Returns the ticket to show.
        """
        self.ensure_one()
        self._support_check_customer(partner)
        reason = (reason or "").strip()
        if not reason:
            raise UserError(self.env._("Tell us why you reopen the ticket."))
        if not self.stage_id.closed:
            raise UserError(self.env._("Only a closed ticket can be reopened."))
        if self._support_can_reopen_in_place():
            stage = self._support_get_reopen_stage()
            if not stage:
                raise UserError(
                    self.env._("The team of this ticket has no open stage.")
                )
            self.write({"stage_id": stage.id, "closed_date": False})
            internal(self).write(
                {
                    "support_fix_confirmed_date": False,
                    "support_fix_confirmed_partner_id": False,
                }
            )
            self._support_portal_post(
                Markup("<p>%s</p>%s")
                % (
                    self.env._("Ticket reopened by the customer."),
                    plaintext2html(reason),
                ),
                partner,
            )
            return self
        new_ticket = (
            internal(self)
            .create(self._prepare_support_reopen_ticket_values(reason))
            .with_env(self.env)
        )
        new_ticket.message_subscribe(partner_ids=partner.ids)
        new_ticket._support_portal_post(
            Markup("<p>%s</p>%s")
            % (
                self.env._(
                    "Follow-up of the closed ticket %(ticket)s, reopened by the "
                    "customer after the grace period.",
                    ticket=self.display_name,
                ),
                plaintext2html(reason),
            ),
            partner,
        )
        self._support_portal_post(
            Markup("<p>%s</p>")
            % self.env._(
                "The customer asked to reopen this ticket after the grace "
                "period: follow-up ticket %(ticket)s created.",
                ticket=new_ticket.display_name,
            ),
            partner,
        )
        return new_ticket

    def _support_portal_confirm(self, partner):
        """The customer confirms the fix of a resolved ticket."""
        self.ensure_one()
        self._support_check_customer(partner)
        if not self._support_is_resolved():
            raise UserError(
                self.env._("Only the fix of a resolved ticket can be confirmed.")
            )
        internal(self).write(
            {
                "support_fix_confirmed_date": fields.Datetime.now(),
                "support_fix_confirmed_partner_id": partner.id,
            }
        )
        self._support_portal_post(
            Markup("<p>%s</p>") % self.env._("The customer confirmed the fix."),
            partner,
        )
        return True

    def _support_portal_answer_estimate(self, approve, partner):
        """The customer approves or refuses the sent estimate."""
        self.ensure_one()
        self._support_check_customer(partner)
        if self.support_estimate_state != "sent":
            raise UserError(
                self.env._("Only a sent estimate can be approved or refused.")
            )
        internal(self).support_estimate_state = "approved" if approve else "refused"
        hours = format_number(self.env, self.support_estimate_hours)
        body = (
            self.env._("Estimate of %(hours)s h approved by the customer.", hours=hours)
            if approve
            else self.env._(
                "Estimate of %(hours)s h refused by the customer.", hours=hours
            )
        )
        self._support_portal_post(Markup("<p>%s</p>") % body, partner)
        return True

    # ------------------------------------------------------------------
    # SLA and support levels
    # ------------------------------------------------------------------
    @api.depends(
        "ticket_sla_ids.state",
        "ticket_sla_ids.deadline",
        "ticket_sla_ids.warning_deadline",
    )
    def _compute_sla_status(self):
        now = fields.Datetime.now()
        for ticket in self:
            lines = ticket.ticket_sla_ids
            running = lines.filtered(lambda r: r.state == "in_progress")
            if not lines:
                ticket.sla_status = False
            elif lines.filtered("expired"):
                ticket.sla_status = "breached"
            elif running.filtered(
                lambda r: r.warning_deadline and r.warning_deadline <= now
            ):
                ticket.sla_status = "at_risk"
            elif lines.filtered(lambda r: r.state != "accomplished"):
                ticket.sla_status = "ongoing"
            else:
                ticket.sla_status = "reached"

    def _search_sla_status(self, operator, value):
        """Every status with ``=``, ``!=``, ``in``, ``not in`` (a custom filter,
        a group-by), by the rules of :meth:`_compute_sla_status`: breached
        first, then at risk, ongoing, reached; no target at all is False."""
        if operator not in ("=", "!=", "in", "not in"):
            raise UserError(
                self.env._("The SLA status cannot be searched with %s.", operator)
            )
        values = value if isinstance(value, list | tuple | set) else [value]
        domains = self._get_sla_status_domains()
        unknown = [v for v in values if v not in domains]
        if unknown:
            raise UserError(
                self.env._("Unknown SLA status: %s.", ", ".join(map(str, unknown)))
            )
        domain = expression.OR([domains[v] for v in values]) if values else []
        if operator in ("!=", "not in"):
            return ["!", *expression.normalize_domain(domain)] if domain else []
        return domain or expression.FALSE_DOMAIN

    def _get_sla_status_domains(self):
        """{status: domain on tickets}, as computed."""
        now = fields.Datetime.now()
        breached = [
            (
                "ticket_sla_ids",
                "any",
                [
                    "|",
                    ("state", "=", "expired"),
                    "&",
                    ("state", "=", "in_progress"),
                    ("deadline", "<", now),
                ],
            )
        ]
        warned = [
            (
                "ticket_sla_ids",
                "any",
                [("state", "=", "in_progress"), ("warning_deadline", "<=", now)],
            )
        ]
        open_ = [("ticket_sla_ids", "any", [("state", "!=", "accomplished")])]

        def negate(domain):
            return ["!", *expression.normalize_domain(domain)]

        return {
            "breached": breached,
            "at_risk": expression.AND([warned, negate(breached)]),
            "ongoing": expression.AND([open_, negate(warned), negate(breached)]),
            "reached": expression.AND(
                [[("ticket_sla_ids", "!=", False)], negate(open_)]
            ),
            False: [("ticket_sla_ids", "=", False)],
        }

    def _get_sla_ticket_domain(self):
        domain = super()._get_sla_ticket_domain()
        return domain + [
            "|",
            ("priority", "=", False),
            ("priority", "=", self.priority),
        ]

    def _get_sla(self):
        """The policies of the ticket: a team's own policy always wins.

        A policy without team applies to the ticket only when none of the
        team's own policies that apply to it has the same target (the ticket's
        priority is already matched by both): the default grid fills the gaps
        of a team's grid, it never adds a second deadline next to it.

        During a refresh (``refresh_sla``) the policies of the reached and
        breached targets stay, and no new one replaces a closed target.
        """
        slas = super()._get_sla()
        own_targets = set(slas.filtered("team_ids").mapped("target"))
        slas = slas.filtered(lambda sla: sla.team_ids or sla.target not in own_targets)
        if get_flag(self.env, SLA_REFRESH_KEY):
            done = self.ticket_sla_ids.filtered(lambda r: r.status != "ongoing")
            done_targets = set(done.mapped("target"))
            slas = slas.filtered(lambda sla: sla.target not in done_targets)
            slas |= done.sla_id
        return slas

    def refresh_sla(self):
        """The "Set SLA" button of helpdesk_mgmt_sla, keeping the history:
        helpdesk_mgmt_sla swaps the lines for the policies of ``_get_sla``,
        which keeps those of the reached and breached targets meanwhile."""
        self.ensure_one()
        self.check_access("write")
        # Ticket write access is checked: agents may not create or unlink SLA
        # lines themselves.
        refresh = with_flag(self.sudo(), SLA_REFRESH_KEY)
        return super(HelpdeskTicket, refresh).refresh_sla()

    def action_view_sla_targets(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("SLA targets"),
            "res_model": "helpdesk.ticket.sla",
            "view_mode": "list,form",
            "domain": [("ticket_id", "=", self.id)],
            "context": {"create": False},
        }

    def action_escalate(self):
        self.ensure_one()
        self._check_escalation()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Escalate to level 3"),
            "res_model": "helpdesk.ticket.escalate",
            "view_mode": "form",
            "target": "new",
            "context": {"default_ticket_id": self.id},
        }

    def _check_escalation(self):
        for ticket in self:
            if ticket.support_level != "2":
                raise UserError(
                    self.env._(
                        "Only a level 2 ticket can be escalated to level 3 "
                        "(development); %(ticket)s is at level %(level)s.",
                        ticket=ticket.display_name,
                        level=ticket.support_level,
                    )
                )

    def _get_escalation_team(self):
        """Team of the next level: the team's own setting, else a level 3 team."""
        self.ensure_one()
        return self.team_id.support_escalation_team_id or self.env[
            "helpdesk.ticket.team"
        ].search(
            [
                ("support_level", "=", "3"),
                ("company_id", "in", [self.company_id.id, False]),
            ],
            limit=1,
        )

    def _compute_sla_fits(self):
        res = super()._compute_sla_fits()
        for ticket in self.filtered(lambda t: not t.sla_fits):
            slas = ticket._get_sla()
            lines = ticket.ticket_sla_ids
            done = lines.filtered(lambda r: r.status != "ongoing")
            ongoing = lines - done
            ticket.sla_fits = not (ongoing.sla_id - slas) and all(
                sla in lines.sla_id or sla.target in done.mapped("target")
                for sla in slas
            )
        return res

    def _refresh_sla_targets(self):
        """Swap the ongoing targets for those that apply now (priority, team...).

        Reached and breached targets stay: history is never rewritten.
        """
        for ticket in self.filtered(lambda t: t.team_id.use_sla):
            ticket.refresh_sla()

    # Mail ------------------------------------------------------------------

    def _message_post_after_hook(self, message, msg_values):
        res = super()._message_post_after_hook(message, msg_values)
        if self._is_first_response(msg_values):
            self._set_first_response(message.date or fields.Datetime.now())
        return res

    def _get_first_response_message_types(self):
        return ["comment"]

    def _is_first_response(self, msg_values):
        """A public reply (comment, not a note) of an internal user."""
        if len(self) != 1 or self.first_response_date:
            return False
        if msg_values.get("message_type") not in (
            self._get_first_response_message_types()
        ):
            return False
        comment = self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_comment")
        if msg_values.get("subtype_id") != comment:
            return False
        author = self.env["res.partner"].browse(msg_values.get("author_id"))
        if not author or author == self.env.ref("base.partner_root"):
            return False
        return any(not user.share for user in author.sudo().user_ids)

    def _set_first_response(self, date):
        self.ensure_one()
        # Posting needs read access only: the SLA bookkeeping follows anyway.
        ticket = internal(self)
        ticket.first_response_date = date
        ticket.ticket_sla_ids.filtered(
            lambda r: r.target == "first_response"
        )._reach_sla_target()
