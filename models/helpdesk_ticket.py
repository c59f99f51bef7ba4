# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare

from ..lib.guard import is_internal

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
