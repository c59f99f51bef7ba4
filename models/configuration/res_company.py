# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ...lib import release as release_lib
from ..ticket.helpdesk_ticket import ticket_priorities

PRIORITY_MULTIPLIER_FIELDS = {
    "0": "support_multiplier_low",
    "1": "support_multiplier_medium",
    "2": "support_multiplier_high",
    "3": "support_multiplier_very_high",
}


SEVERITY_PRIORITY_FIELDS = {
    "critical": "support_priority_critical",
    "major": "support_priority_major",
    "minor": "support_priority_minor",
    "temporary": "support_priority_temporary",
}

RELEASE_WEEKDAYS = [
    ("0", "Monday"),
    ("1", "Tuesday"),
    ("2", "Wednesday"),
    ("3", "Thursday"),
    ("4", "Friday"),
    ("5", "Saturday"),
    ("6", "Sunday"),
]

# Priorities billed even when the ticket's category is included (a confirmed
# bug): a provider may bill urgent work whatever its cause.
PRIORITY_BILLED_FIELDS = {
    "0": "support_billed_low",
    "1": "support_billed_medium",
    "2": "support_billed_high",
    "3": "support_billed_very_high",
}


class ResCompany(models.Model):
    _inherit = "res.company"

    support_rounding_minutes = fields.Integer(
        string="Support Rounding Unit (minutes)",
        default=15,
        help="Time logged on a ticket is rounded up, per timesheet line, to the "
        "started period of this many minutes; a credit is one such period.",
    )
    support_minimum_minutes = fields.Integer(
        string="Support Minimum (minutes)",
        default=15,
        help="A timesheet line with any time logged counts at least this long.",
    )
    support_multiplier_low = fields.Float(
        string="Multiplier Low Priority", default=1.0, digits=(16, 2)
    )
    support_multiplier_medium = fields.Float(
        string="Multiplier Medium Priority", default=1.0, digits=(16, 2)
    )
    support_multiplier_high = fields.Float(
        string="Multiplier High Priority", default=1.0, digits=(16, 2)
    )
    support_multiplier_very_high = fields.Float(
        string="Multiplier Very High Priority", default=2.0, digits=(16, 2)
    )
    support_cap_hours = fields.Float(
        string="Support Cap (hours)",
        default=4.0,
        help="A request estimated above this many hours is out of the packs: "
        "logging time on it is refused and it is turned into a quotation.",
    )
    support_reopen_grace_days = fields.Integer(
        string="Reopening Grace Period (days)",
        default=30,
        help="A customer may reopen a closed ticket from the portal during this "
        "many days after its closing; later, reopening creates a new ticket "
        "linked to the closed one.",
    )
    support_quotation_product_id = fields.Many2one(
        "product.product",
        string="Quotation Service",
        domain=[("type", "=", "service"), ("support_pack_ok", "=", False)],
        help="Service (deployment, consulting) put on the quotation created from "
        "a ticket that is out of the packs.",
    )
    support_report_send = fields.Selection(
        [
            ("close", "On ticket closing"),
            ("intervention", "After each intervention"),
            ("manual", "Manually"),
        ],
        string="Send Intervention Reports",
        required=True,
        default="close",
        help="When the intervention report is emailed to the customer. An "
        "intervention is reported once: later emails list only the new ones.",
    )
    support_low_balance_type = fields.Selection(
        [("percent", "Percentage of the granted quantity"), ("absolute", "Quantity")],
        string="Low Balance Threshold Type",
        required=True,
        default="percent",
    )
    support_low_balance_percent = fields.Float(
        string="Low Balance Threshold (%)",
        default=20.0,
        digits=(16, 2),
        help="The customer and the salesperson are warned once when the balance "
        "of a pack falls to this share of its granted quantity.",
    )
    support_low_balance_credits = fields.Float(
        string="Low Balance Threshold (credits)",
        default=4.0,
        digits=(16, 2),
        help="Balance of a credit pack that triggers the low balance warning.",
    )
    support_low_balance_hours = fields.Float(
        string="Low Balance Threshold (hours)",
        default=2.0,
        digits=(16, 2),
        help="Balance of an hour pack that triggers the low balance warning.",
    )
    support_expiry_reminder_days = fields.Integer(
        string="Expiry Reminder (days)",
        default=30,
        help="The customer and the salesperson are reminded this many days "
        "before a pack expires (0: no reminder).",
    )
    # Configuration under maintenance: default priority per error severity
    support_priority_critical = fields.Selection(
        ticket_priorities, string="Priority of Critical Errors", default="3"
    )
    support_priority_major = fields.Selection(
        ticket_priorities, string="Priority of Major Errors", default="2"
    )
    support_priority_minor = fields.Selection(
        ticket_priorities, string="Priority of Minor Errors", default="1"
    )
    support_priority_temporary = fields.Selection(
        ticket_priorities, string="Priority of Temporary Errors", default="0"
    )
    # Customers' rules: priorities billed even on an included category
    support_billed_low = fields.Boolean(
        string="Low Priority Always Billed",
        help="Time on a low priority ticket is counted even when its category "
        "is included in the support contract.",
    )
    support_billed_medium = fields.Boolean(
        string="Medium Priority Always Billed",
        help="Time on a medium priority ticket is counted even when its "
        "category is included in the support contract.",
    )
    support_billed_high = fields.Boolean(
        string="High Priority Always Billed",
        help="Time on a high priority ticket is counted even when its category "
        "is included in the support contract.",
    )
    support_billed_very_high = fields.Boolean(
        string="Very High Priority Always Billed",
        default=True,
        help="Time on an urgent (very high priority) ticket is counted, with its "
        "multiplier, even when its category is included in the support "
        "contract (a confirmed bug).",
    )
    # Overdraft: deducted from the next pack or invoiced
    support_overdraft_policy = fields.Selection(
        [
            ("deduct", "Deduct from the next pack"),
            ("invoice", "Invoice with an overage product"),
        ],
        string="Overdraft",
        required=True,
        default="deduct",
        help="Time logged with no pack left is an overdraft on the customer. "
        "Deduct: the customer's next pack settles it when it is activated. "
        "Invoice: a quotation with the overage product bills it; confirming "
        "the quotation settles it.",
    )
    support_overage_product_id = fields.Many2one(
        "product.product",
        string="Overage Product",
        domain=[("type", "=", "service"), ("support_pack_ok", "=", False)],
        help="Service put on the quotation that bills an overdraft, its price "
        "being per hour or per credit (Overage Priced Per).",
    )
    support_overage_unit = fields.Selection(
        [("hour", "Hour"), ("credit", "Credit")],
        string="Overage Priced Per",
        required=True,
        default="credit",
        help="Unit of the overage product's price: the quotation's quantity is "
        "the open overdraft in this unit.",
    )

    # Journeys: every portal ticket lands in a team; "Buy more support"
    support_portal_team_id = fields.Many2one(
        "helpdesk.ticket.team",
        string="Default Portal Team",
        domain="[('support_level', '!=', '3'), ('company_id', 'in', [False, id])]",
        help="Team of the tickets customers send from the portal without "
        "picking one. Required once the company has more than one team; with a "
        "single team, that team. A level 3 team is never offered to customers.",
    )
    support_default_pack_product_id = fields.Many2one(
        "product.product",
        string="Default Pack Product",
        domain=[("support_pack_ok", "=", True)],
        help='Pack put on the quotation of "Buy more support" (portal) for a '
        "customer who has never bought a pack.",
    )

    # Release train: level 3 fixes ship on a weekly release
    support_release_weekday = fields.Selection(
        RELEASE_WEEKDAYS,
        string="Release Day",
        default=str(release_lib.DEFAULT_WEEKDAY),
        help="Day of the weekly release of level 3 fixes, in the time zone of "
        "the release calendar. A fix ready by noon on that day makes that "
        "day's release; later, the next one.",
    )
    support_release_hour = fields.Float(
        string="Release Time",
        default=release_lib.DEFAULT_HOUR,
        help="Time of the weekly release, in the time zone of the release "
        "calendar (20:00 by default).",
    )
    support_release_calendar_id = fields.Many2one(
        "resource.calendar",
        string="Release Calendar",
        domain="[('company_id', 'in', [False, id])]",
        help="Gives the release's time zone and its skipped dates: a global "
        "time off of this calendar (public holiday, freeze) covering a "
        "release moves its fixes to the next release. Empty: the company's "
        "working hours.",
    )

    @api.constrains(
        "support_rounding_minutes",
        "support_minimum_minutes",
        "support_multiplier_low",
        "support_multiplier_medium",
        "support_multiplier_high",
        "support_multiplier_very_high",
        "support_cap_hours",
        "support_low_balance_percent",
        "support_low_balance_credits",
        "support_low_balance_hours",
        "support_expiry_reminder_days",
        "support_reopen_grace_days",
    )
    def _check_support_settings(self):
        for company in self:
            if company.support_reopen_grace_days < 0:
                raise ValidationError(
                    self.env._("The reopening grace period cannot be negative.")
                )
            if company.support_rounding_minutes <= 0:
                raise ValidationError(
                    self.env._("The support rounding unit must be positive.")
                )
            if company.support_minimum_minutes < 0 or company.support_cap_hours < 0:
                raise ValidationError(
                    self.env._("The support minimum and cap cannot be negative.")
                )
            if (
                min(
                    company.support_multiplier_low,
                    company.support_multiplier_medium,
                    company.support_multiplier_high,
                    company.support_multiplier_very_high,
                )
                < 0
            ):
                raise ValidationError(
                    self.env._("A priority multiplier cannot be negative.")
                )
            if (
                min(
                    company.support_low_balance_percent,
                    company.support_low_balance_credits,
                    company.support_low_balance_hours,
                    company.support_expiry_reminder_days,
                )
                < 0
                or company.support_low_balance_percent > 100
            ):
                raise ValidationError(
                    self.env._(
                        "The low balance thresholds and the expiry reminder "
                        "cannot be negative, nor a percentage above 100."
                    )
                )

    @api.constrains("support_release_hour")
    def _check_support_release_hour(self):
        for company in self:
            if not 0.0 <= company.support_release_hour < 24.0:
                raise ValidationError(
                    self.env._("The release time must be between 00:00 and 23:59.")
                )

    @api.model
    def _support_priority_multiplier_fields(self):
        return PRIORITY_MULTIPLIER_FIELDS

    def _support_get_multiplier(self, priority):
        self.ensure_one()
        fname = self._support_priority_multiplier_fields().get(priority or "1")
        return self[fname] if fname else 1.0

    def _support_get_low_balance_threshold(self, unit, granted):
        """Balance at or below which a pack of ``unit`` granted ``granted`` is low."""
        self.ensure_one()
        if self.support_low_balance_type == "percent":
            return granted * self.support_low_balance_percent / 100.0
        if unit == "hour":
            return self.support_low_balance_hours
        return self.support_low_balance_credits

    # Configuration under maintenance: default priority per error severity
    def _support_get_severity_priority(self, severity):
        """Default ticket priority of ``severity`` ('0'-'3'), or False."""
        self.ensure_one()
        fname = SEVERITY_PRIORITY_FIELDS.get(severity)
        return self[fname] if fname else False

    # Customers' rules: priorities billed even on an included category
    @api.model
    def _support_priority_billed_fields(self):
        return PRIORITY_BILLED_FIELDS

    def _support_is_priority_always_billed(self, priority):
        """Whether work on a ticket of ``priority`` is counted even when its
        category is included."""
        self.ensure_one()
        fname = self._support_priority_billed_fields().get(priority or "1")
        return bool(fname and self[fname])

    # Overdraft: deducted from the next pack or invoiced
    @api.constrains("support_overage_product_id")
    def _check_support_overage_product(self):
        for company in self:
            product = company.support_overage_product_id
            if product and (product.type != "service" or product.support_pack_ok):
                raise ValidationError(
                    self.env._(
                        "The overage product must be a service that is not a "
                        "support pack."
                    )
                )

    # Journeys: every portal ticket lands in a team
    def _support_get_customer_teams(self):
        """The active teams customers may reach: every team of the company
        (or shared) but the level 3 teams."""
        self.ensure_one()
        return (
            self.env["helpdesk.ticket.team"]
            .sudo()
            .search(
                [
                    ("support_level", "!=", "3"),
                    ("company_id", "in", [False, self.id]),
                ]
            )
        )

    def _support_get_portal_team(self):
        """The team of a portal ticket sent without a team: the default portal
        team, else the company's only team; empty when neither exists."""
        self.ensure_one()
        company = self.sudo()
        if company.support_portal_team_id:
            return company.support_portal_team_id
        teams = company._support_get_customer_teams()
        return teams if len(teams) == 1 else teams.browse()

    def _support_get_portal_team_or_raise(self):
        team = self._support_get_portal_team()
        if not team:
            raise UserError(
                self.env._(
                    "Your request cannot be filed: %(company)s has no default "
                    "portal team. Please contact us by email or phone.",
                    company=self.sudo().name,
                )
            )
        return team

    @api.constrains("support_portal_team_id")
    def _check_support_portal_team(self):
        for company in self:
            team = company.support_portal_team_id
            if team and (
                team.support_level == "3"
                or (team.company_id and team.company_id != company)
            ):
                raise ValidationError(
                    self.env._(
                        "The default portal team must be a team of the company "
                        "that is not a level 3 team: customers never reach "
                        "level 3 directly."
                    )
                )

    @api.constrains("support_default_pack_product_id")
    def _check_support_default_pack_product(self):
        for company in self:
            product = company.support_default_pack_product_id
            if product and not product.support_pack_ok:
                raise ValidationError(
                    self.env._("The default pack product must be a support pack.")
                )

    # Release train: the calendar, its skipped dates, the next release
    def _support_release_calendar(self):
        """The calendar of the releases: the setting, else the company's
        working hours (may be empty: UTC, nothing skipped)."""
        self.ensure_one()
        company = self.sudo()
        return company.support_release_calendar_id or company.resource_calendar_id

    def _support_release_tz(self):
        self.ensure_one()
        return self._support_release_calendar().tz or "UTC"

    def _support_release_skipped(self, start, end):
        """(date_from, date_to) of the global leaves of the release calendar
        between ``start`` and ``end`` (naive UTC): the skipped releases."""
        self.ensure_one()
        calendar = self._support_release_calendar()
        if not calendar:
            return []
        leaves = (
            self.env["resource.calendar.leaves"]
            .sudo()
            .search(
                [
                    ("resource_id", "=", False),
                    ("date_to", ">=", start),
                    ("date_from", "<=", end),
                    "|",
                    ("calendar_id", "=", calendar.id),
                    "&",
                    ("calendar_id", "=", False),
                    ("company_id", "in", [False, self.id]),
                ]
            )
        )
        return [(leave.date_from, leave.date_to) for leave in leaves]

    def _support_is_release_skipped(self, moment):
        """Whether a global leave of the release calendar covers ``moment``."""
        self.ensure_one()
        return release_lib.is_skipped(
            moment, self._support_release_skipped(moment, moment)
        )

    def _support_next_release_date(self, ready, taken=()):
        """The release (naive UTC) that ships a fix ready at ``ready``; None
        when every release of the next two years is skipped."""
        self.ensure_one()
        company = self.sudo()
        horizon = ready + timedelta(weeks=release_lib.MAX_WEEKS + 1)
        return release_lib.next_release(
            ready,
            weekday=int(company.support_release_weekday or release_lib.DEFAULT_WEEKDAY),
            hour=company.support_release_hour,
            tz=company._support_release_tz(),
            skipped=company._support_release_skipped(ready, horizon),
            taken=taken,
        )
