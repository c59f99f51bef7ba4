# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The support pack's ticket: its fields, its one ``create`` and ``write``
(each rule a named method, called in the order below) and the coverage of
the time logged on it (``_support_get_coverage``, read top to bottom).

The other files of this folder add one concern each, standing alone: the
estimate and the quotation (helpdesk_ticket_estimate.py), what the customer
does and reads on the portal (helpdesk_ticket_portal.py), closing by service
mode and the intervention report's sending (helpdesk_ticket_closing.py), the
customer's balance (helpdesk_ticket_balance.py). The configuration under
maintenance (affected items, severity, request type) is here: the coverage
reads the request type. The SLA's part of the ticket is in ../sla/."""

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_compare

from ...lib.guard import get_flag, is_internal, with_flag
from ...lib.units import COVERAGES

SUPPORT_LEVELS = [
    ("1", "Level 1 - customer's administrators"),
    ("2", "Level 2 - functional support"),
    ("3", "Level 3 - development"),
]


def ticket_priorities(records):
    """The priorities of helpdesk.ticket (helpdesk_mgmt), translated: the
    selection of the fields that hold a ticket's priority on other models."""
    field = records.env["helpdesk.ticket"]._fields["priority"]
    return field._description_selection(records.env)


SUPPORT_SEVERITIES = [
    ("critical", "Critical"),
    ("major", "Major"),
    ("minor", "Minor"),
    ("temporary", "Temporary"),
]
SUPPORT_MAINTENANCE_TYPES = [
    ("preventive", "Preventive"),
    ("corrective", "Corrective"),
    ("evolutive", "Evolutive"),
]
SUPPORT_REQUEST_TYPES = [
    ("incident", "Error report"),
    ("feature", "Feature request"),
]

# Private flag (lib.guard.with_flag): a ticket created by the mail gateway,
# which runs as the sender's user; it is created and flagged, not refused.
MAIL_GATEWAY_KEY = "helpdesk_support_pack_mail_gateway"


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

    # Stored with the ticket: the posting of a timesheet line reads them with
    # the ticket's row, instead of fetching the category (a query per line).
    support_estimate_required = fields.Boolean(
        related="category_id.support_estimate_required", store=True, precompute=True
    )
    # The coverage when the ticket was opened: its category's, or the scope
    # of the customer's subscription (models/subscription/).
    support_coverage = fields.Selection(
        COVERAGES,
        string="Coverage",
        compute="_compute_support_coverage",
        store=True,
        precompute=True,
    )

    support_over_cap = fields.Boolean(compute="_compute_support_over_cap")

    # Not stored: a stored sum would make every posting write the ticket's row
    # (a deferred one too, in a transaction of its own), and agents logging
    # time on one ticket at once would conflict on it even more than
    # helpdesk_mgmt_timesheet's own hours make them.
    support_quantity = fields.Float(
        string="Support Consumed",
        compute="_compute_support_quantity",
        digits=(16, 2),
        help="Hours or credits consumed on the customer's packs by the time "
        "logged on this ticket (overdraft included).",
    )

    support_rounded_hours = fields.Float(
        string="Rounded Time",
        compute="_compute_support_quantity",
        digits=(16, 2),
    )
    support_quantity_text = fields.Char(
        string="Support Consumed (with Unit)",
        compute="_compute_support_quantity_text",
        help="Hours or credits consumed on the customer's packs by the time "
        "logged on this ticket, with their unit (overdraft included).",
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

    # Urgent always billed -------------------------------------------------
    support_billed_reason = fields.Char(
        string="Billing Note",
        compute="_compute_support_billed_reason",
        help="Why time on this ticket is counted although its category is "
        "included in the support contract.",
    )

    # SLA and support levels
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

    # Authorized contacts
    # Authorized contacts --------------------------------------------------
    support_unauthorized_contact = fields.Boolean(
        string="Not an Authorized Contact",
        compute="_compute_support_unauthorized_contact",
        store=True,
        help="The customer restricts support to its authorized contacts and "
        "this ticket came from another contact (by email): check with an "
        "authorized contact before working on it.",
    )

    # Configuration under maintenance (IPM): the affected items of the
    # customer's configuration, the error severity (and the priority it sets),
    # the maintenance type and whether the customer reports an error or asks
    # for a new feature.
    configuration_item_ids = fields.Many2many(
        "support.configuration.item",
        "helpdesk_ticket_configuration_item_rel",
        "ticket_id",
        "item_id",
        string="Affected Items",
        domain="[('partner_id', '=', commercial_partner_id)]",
        help="Items of the customer's configuration the request is about.",
    )

    support_severity = fields.Selection(
        SUPPORT_SEVERITIES,
        string="Severity",
        tracking=True,
        help="Qualification of the error. It sets the default priority (Helpdesk "
        "settings, or the team's own mapping).",
    )

    support_maintenance_type = fields.Selection(
        SUPPORT_MAINTENANCE_TYPES, string="Maintenance Type", tracking=True
    )

    support_request_type = fields.Selection(
        SUPPORT_REQUEST_TYPES,
        string="Request Type",
        required=True,
        default="incident",
        tracking=True,
        help="A feature request needs an estimate approved by the customer "
        "before time is logged on it.",
    )

    support_delivery_ids = fields.One2many(
        "support.delivery", "ticket_id", string="Deliveries", readonly=True
    )

    support_delivery_count = fields.Integer(compute="_compute_support_delivery_count")

    @api.depends("support_estimate_hours", "company_id.support_cap_hours")
    def _compute_support_over_cap(self):
        for ticket in self:
            ticket.support_over_cap = ticket._support_is_over_cap()

    @api.depends(
        "timesheet_ids.support_quantity", "timesheet_ids.support_rounded_hours"
    )
    def _compute_support_quantity(self):
        # The lines hold what their live moves post, so this equals the ledger
        # moves of the ticket: one query for the batch, over all the ticket's
        # lines whoever reads it (as the stored sum was).
        totals = {}
        ticket_ids = self._origin.ids
        if ticket_ids:
            totals = {
                ticket.id: (quantity or 0.0, rounded or 0.0)
                for ticket, quantity, rounded in self.env["account.analytic.line"]
                .sudo()
                ._read_group(
                    [("ticket_id", "in", ticket_ids)],
                    ["ticket_id"],
                    ["support_quantity:sum", "support_rounded_hours:sum"],
                )
            }
        for ticket in self:
            ticket.support_quantity, ticket.support_rounded_hours = totals.get(
                ticket._origin.id, (0.0, 0.0)
            )

    @api.depends("timesheet_ids.support_quantity", "timesheet_ids.support_unit")
    def _compute_support_quantity_text(self):
        """The consumed quantity with its unit, each unit its own figure: one
        query for the batch (read only where the text is shown)."""
        per_unit = {}
        ticket_ids = self._origin.ids
        if ticket_ids:
            for ticket, unit, quantity in (
                self.env["account.analytic.line"]
                .sudo()
                ._read_group(
                    [("ticket_id", "in", ticket_ids), ("support_unit", "!=", False)],
                    ["ticket_id", "support_unit"],
                    ["support_quantity:sum"],
                )
            ):
                per_unit.setdefault(ticket.id, []).append((unit, quantity or 0.0))
        pack_model = self.env["support.pack"]
        for ticket in self:
            ticket.support_quantity_text = (
                ", ".join(
                    pack_model._format_quantity(quantity, unit)
                    for unit, quantity in sorted(per_unit.get(ticket._origin.id, []))
                )
                or False
            )

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

    @api.depends(
        "category_id.support_coverage",
        "partner_id.commercial_partner_id.support_subscriber",
        "company_id",
    )
    def _compute_support_coverage(self):
        for ticket in self:
            ticket.support_coverage = (
                ticket._support_get_subscription_coverage()
                or ticket.category_id.support_coverage
            )

    @api.depends("priority", "support_coverage", "company_id")
    @api.depends_context("lang")
    def _compute_support_billed_reason(self):
        labels = dict(self._fields["priority"]._description_selection(self.env))
        for ticket in self:
            ticket.support_billed_reason = (
                self.env._(
                    "%(priority)s priority: billed even for a bug",
                    priority=labels.get(ticket.priority, ticket.priority),
                )
                if ticket._support_is_billed_although_included()
                else False
            )

    @api.depends("partner_id")
    def _compute_support_unauthorized_contact(self):
        for ticket in self:
            ticket.support_unauthorized_contact = bool(
                ticket.partner_id and not ticket.partner_id._support_is_authorized()
            )

    # ------------------------------------------------------------------
    # CRUD: one create, one write, each rule a named method
    # ------------------------------------------------------------------
    @api.model
    def _support_protected_fields(self):
        """Written by the flows that own them: estimate sending and approval
        (portal, phone button) with its approved amount, the first reply, the
        customer's confirmation and reopening, the consumption of the
        ticket's timesheets, the release train's planning and hotfix."""
        return super()._support_protected_fields() + [
            "support_estimate_state",
            "support_estimate_quantity",
            "support_estimate_unit",
            "first_response_date",
            "support_fix_confirmed_date",
            "support_fix_confirmed_partner_id",
            "support_parent_ticket_id",
            "support_quantity",
            "support_rounded_hours",
            # the release train (models/release/): planning, replanning, hotfix
            "support_release_id",
            "support_hotfix",
        ]

    @api.model_create_multi
    def create(self, vals_list):
        self._support_check_portal_author()
        for vals in vals_list:
            self._support_set_subscription_team(vals)
            self._support_set_portal_team(vals)  # helpdesk_ticket_portal.py
            self._support_set_default_service_mode(vals)
            self._support_set_severity_priority(vals)
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
        batches = self._support_split_by_severity_priority(vals)
        if len(batches) > 1:
            # one write per default priority of the new severity
            for tickets, batch_vals in batches:
                tickets.write(batch_vals)
            return True
        vals = batches[0][1]
        closing = self._support_get_closing(vals)
        self._support_reset_raised_estimate(vals)
        customers = (
            {ticket.id: ticket.commercial_partner_id for ticket in self}
            if "partner_id" in vals
            else {}
        )
        res = super().write(vals)
        if closing:
            # The team's resolution, whoever closes (portal, RPC, back office).
            closing._support_check_resolution()
        if closing and not self.env.user.share:
            # The vendor closes: the service mode's requirements. A customer
            # closing their own ticket from the portal (helpdesk_mgmt's
            # button) needs neither a component nor a proof.
            closing._support_check_closing()
        if customers:
            self._support_repost_new_customer(customers)
        if "priority" in vals or "team_id" in vals:
            # A new priority or team (an escalation) plans its own targets
            # from the ticket's creation: the customer's clock keeps running.
            self._refresh_sla_targets()
        to_report = closing.filtered(
            lambda t: t.company_id.support_report_send == "close"
        )
        if to_report:
            self.env["support.report.queue"]._enqueue(to_report)
        return res

    @api.model
    def message_new(self, msg, custom_values=None):
        # An email of a contact who is not authorized is still a ticket: the
        # team sees it flagged (support_unauthorized_contact).
        gateway = with_flag(self, MAIL_GATEWAY_KEY)
        return super(HelpdeskTicket, gateway).message_new(
            msg, custom_values=custom_values
        )

    # ------------------------------------------------------------------
    # The rules create and write call
    # ------------------------------------------------------------------
    @api.model
    def _support_check_portal_author(self):
        """The portal form (and any portal user's call): only the authorized
        contacts submit. By email the ticket is created, flagged for the team
        (support_unauthorized_contact)."""
        user_partner = self.env.user.partner_id
        if (
            self.env.user.share
            and not get_flag(self.env, MAIL_GATEWAY_KEY)
            and not user_partner._support_is_authorized()
        ):
            raise UserError(user_partner._support_get_not_authorized_message())

    @api.model
    def _support_set_subscription_team(self, vals):
        """A ticket opened without a team while the customer's support
        subscription runs goes to the subscription's team (its SLA)."""
        if vals.get("team_id"):
            return
        partner = self.env["res.partner"].browse(vals.get("partner_id"))
        if not partner and self.env.user.share:
            partner = self.env.user.partner_id
        customer = partner.sudo().commercial_partner_id
        if not customer.support_subscriber:
            return
        company = self.env["res.company"].browse(vals.get("company_id"))
        line = self.env["contract.line"]._support_get_running_subscription(
            customer,
            company.exists() or self.env.company,
            fields.Date.context_today(self),
        )
        team = line.product_id.support_team_id
        if team:
            vals["team_id"] = team.id

    def _support_set_default_service_mode(self, vals):
        """The customer's service mode, unless ``vals`` gives one."""
        partner = self.env["res.partner"].browse(vals.get("partner_id")).exists()
        if partner and "support_service_mode_id" not in vals:
            mode = partner.sudo().commercial_partner_id.support_service_mode_id
            vals["support_service_mode_id"] = mode.id

    @api.model
    def _support_set_severity_priority(self, vals):
        """The default priority of the severity, unless ``vals`` gives one."""
        if vals.get("support_severity") and "priority" not in vals:
            priority = self._support_severity_priority(
                vals["support_severity"],
                self.env["helpdesk.ticket.team"].browse(vals.get("team_id")),
                self.env["res.company"].browse(vals.get("company_id")),
            )
            if priority:
                vals["priority"] = priority

    def _support_split_by_severity_priority(self, vals):
        """[(tickets, vals)]: a new severity without a priority gives each
        ticket the default priority of the severity (the team's or the
        company's mapping), one batch per resulting priority."""
        if not vals.get("support_severity") or "priority" in vals:
            return [(self, vals)]
        by_priority = {}
        for ticket in self:
            priority = ticket._support_severity_priority(vals["support_severity"])
            by_priority[priority] = by_priority.get(priority, self.browse()) | ticket
        return [
            (tickets, dict(vals, priority=priority) if priority else vals)
            for priority, tickets in by_priority.items()
        ] or [(self, vals)]

    def _support_check_level(self, vals):
        """Level 3 only through the Escalate action (the addon's mark) and
        only onto a level 3 team: the one ``vals`` sets, else the ticket's."""
        if vals.get("support_level") != "3":
            return
        if not is_internal(self.env):
            raise UserError(
                self.env._(
                    "Level 3 is reached only through the Escalate action, "
                    "which asks for a reason."
                )
            )
        if "team_id" in vals or not self:
            team = self.env["helpdesk.ticket.team"].browse(vals.get("team_id"))
            self._check_escalation_team(team)
        else:
            for ticket in self:
                ticket._check_escalation_team(ticket.team_id)

    def _support_get_closing(self, vals):
        """The tickets ``vals`` moves from an open stage to a closed one."""
        stage = self.env["helpdesk.ticket.stage"].browse(vals.get("stage_id") or [])
        if stage and stage.closed:
            return self.filtered(lambda t: not t.stage_id.closed)
        return self.browse()

    def _support_reset_raised_estimate(self, vals):
        """A higher estimate than the one sent or approved needs a new approval."""
        if "support_estimate_hours" not in vals:
            return
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

    # ------------------------------------------------------------------
    # Coverage of the time logged on the ticket
    # ------------------------------------------------------------------
    def _support_get_coverage(self):
        """(coverage, estimate required) of the time logged on the ticket.

        Coverage: "included" (the contract covers it, nothing is consumed),
        "counted" (consumed from the packs) or "not_covered" (no time may be
        logged: a quotation). In order:
        1. the coverage stored when the ticket was opened decides: the scope
           of the customer's running subscription, else the category's (see
           ``_support_get_subscription_coverage``); no category and no
           subscription's word: counted, no estimate;
        2. an included category is counted all the same at a priority the
           company bills even for a bug (urgent always billed);
        3. a feature request needs an approved estimate, like a category that
           requires one.
        """
        self.ensure_one()
        coverage = self.support_coverage or "counted"
        estimate_required = bool(self.category_id) and self.support_estimate_required
        if coverage == "included" and self._support_is_billed_although_included():
            coverage = "counted"
        if self.support_request_type == "feature":
            estimate_required = True
        return coverage, estimate_required

    def _support_get_subscription_coverage(self):
        """The coverage the customer's subscription gives this ticket when it
        is opened, or None (no word: the category decides):
        - while a subscription runs, its scope: included, counted or not
          covered (an unlimited allowance includes what it counts);
        - opened after the customer's subscriptions have all ended: not
          covered (quoted), unless the customer still holds valid packs."""
        self.ensure_one()
        # not the ticket's commercial partner: a related field, not computed
        # yet when the coverage is (before the ticket is inserted)
        customer = self.partner_id.sudo().commercial_partner_id
        if not customer.support_subscriber:
            return None
        company = self.company_id or self.env.company
        # a ticket being created: now (the new record's create_date is the
        # transaction's start)
        opened = fields.Date.context_today(self, self.create_date if self.id else None)
        contract_line = self.env["contract.line"]
        line = contract_line._support_get_running_subscription(
            customer, company, opened
        )
        if line:
            return line.product_id.product_tmpl_id._support_subscription_coverage(
                self.category_id
            )
        if not contract_line._support_has_ended_subscription(customer, company, opened):
            return None
        valid_packs = (
            self.env["support.pack"]
            .sudo()
            .search_count(
                [
                    ("partner_id", "=", customer.id),
                    ("company_id", "=", company.id),
                    ("state", "=", "active"),
                    ("date_end", ">=", opened),
                ],
                limit=1,
            )
        )
        return None if valid_packs else "not_covered"

    def _support_is_billed_although_included(self):
        self.ensure_one()
        return bool(
            self.support_coverage == "included"
            and self.company_id.sudo()._support_is_priority_always_billed(self.priority)
        )

    # ------------------------------------------------------------------
    # Support levels: escalation from level 2 to level 3
    # ------------------------------------------------------------------
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

    def _check_escalation_team(self, team):
        """Level 3 is reached only on a level 3 team of the tickets' company
        (or a team shared by all companies), whoever sends the team."""
        other_company = self.filtered(
            lambda ticket: team.company_id and team.company_id != ticket.company_id
        )
        if not team or team.support_level != "3" or other_company:
            raise UserError(
                self.env._(
                    "Only a level 3 team of the ticket's company takes an "
                    "escalated ticket: %s is not one.",
                    team.display_name or self.env._("no team"),
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

    # ------------------------------------------------------------------
    # Configuration under maintenance
    # ------------------------------------------------------------------
    @api.depends("support_delivery_ids")
    def _compute_support_delivery_count(self):
        for ticket in self:
            ticket.support_delivery_count = len(ticket.support_delivery_ids)

    @api.constrains("configuration_item_ids", "partner_id")
    def _check_configuration_item_ids(self):
        for ticket in self.sudo():
            foreign = ticket.configuration_item_ids.filtered(
                lambda item, t=ticket: item.partner_id != t.commercial_partner_id
            )
            if foreign:
                raise ValidationError(
                    self.env._(
                        "Ticket %(ticket)s can only reference items of its "
                        "customer's configuration; %(items)s belong to another "
                        "customer.",
                        ticket=ticket.display_name,
                        items=", ".join(foreign.mapped("display_name")),
                    )
                )

    @api.onchange("support_severity")
    def _onchange_support_severity(self):
        priority = self._support_severity_priority()
        if priority:
            self.priority = priority

    def _support_severity_priority(self, severity=None, team=None, company=None):
        """Default priority of ``severity``: the team's mapping, else the
        company's (False when there is no severity)."""
        severity = severity or (self and self.support_severity)
        if not severity:
            return False
        team = team if team is not None else self.team_id
        company = company or (self and self.company_id) or self.env.company
        return team.sudo()._support_get_severity_priority(
            severity
        ) or company.sudo()._support_get_severity_priority(severity)

    def action_support_record_delivery(self):
        self.ensure_one()
        items = self.configuration_item_ids
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Record a delivery"),
            "res_model": "support.delivery",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_ticket_id": self.id,
                "default_item_id": items.id if len(items) == 1 else False,
            },
        }

    def action_view_support_deliveries(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "helpdesk_support_pack.support_delivery_action"
        )
        action["domain"] = [("ticket_id", "=", self.id)]
        action["context"] = {"default_ticket_id": self.id}
        return action
