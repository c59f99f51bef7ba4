# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

from ...lib.guard import is_internal
from ...lib.units import UNITS

MAX_LINE_HOURS = 24.0


class AccountAnalyticLine(models.Model):
    _name = "account.analytic.line"
    _inherit = ["account.analytic.line", "support.protected.mixin"]

    support_rounded_hours = fields.Float(
        string="Rounded Time",
        readonly=True,
        copy=False,
        digits=(16, 2),
        help="Time logged on the ticket rounded up to the started period "
        "(a quarter-hour by default), as posted on the support packs.",
    )
    support_multiplier = fields.Float(
        string="Multiplier",
        readonly=True,
        copy=False,
        digits=(16, 2),
        help="Multiplier of the ticket priority in force when the line was posted.",
    )
    support_coverage = fields.Selection(
        [
            ("included", "Included"),
            ("counted", "Counted"),
            ("not_covered", "Not covered"),
        ],
        readonly=True,
        copy=False,
        help="Coverage of the ticket category when the line was posted.",
    )
    support_unit = fields.Selection(
        UNITS,
        readonly=True,
        copy=False,
    )
    support_quantity = fields.Float(
        string="Consumed",
        readonly=True,
        copy=False,
        aggregator=False,  # hours and credits: see support_unit
        digits=(16, 2),
        help="Hours or credits consumed by this line on the customer's packs "
        "(overdraft included).",
    )
    support_move_ids = fields.One2many(
        "support.pack.move",
        "timesheet_id",
        string="Support Moves",
        readonly=True,
        copy=False,
    )

    support_legacy = fields.Boolean(
        string="Logged Before Support Packs",
        readonly=True,
        copy=False,
        help="Logged before helpdesk_support_pack was installed: never posted on "
        "the support packs, and edited freely. Lines logged since the install "
        "are posted.",
    )
    support_reported_date = fields.Datetime(
        string="Reported On",
        readonly=True,
        copy=False,
        help="When the intervention report listing this line was emailed to the "
        "customer: a reported line is not sent again.",
    )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model
    def _support_protected_fields(self):
        """The posting figures: written by the posting only, so that the
        intervention report and the portal always tell what the ledger holds."""
        return super()._support_protected_fields() + [
            "support_rounded_hours",
            "support_multiplier",
            "support_coverage",
            "support_unit",
            "support_quantity",
            "support_move_ids",
            "support_legacy",
            "support_reported_date",
        ]

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._support_check_protected(vals)
        lines = super().create(vals_list)
        # On the created lines, defaults included, before anything is posted:
        # the exception rolls the creation back.
        lines._support_check_ticket()
        queued = lines._support_post_or_queue()
        (lines - queued)._support_send_intervention_reports()
        return lines

    def write(self, vals):
        self._support_check_protected(vals)
        if is_internal(self.env):
            return super().write(vals)
        reposting = bool(set(vals) & set(self._support_posting_fields()))
        lines, before = self.browse(), {}
        if reposting:
            # The time on the tickets the lines are on now changes as well.
            self._support_check_ticket_access()
            lines = self.filtered(lambda line: not line.support_legacy)
            before = {line.id: line._support_posting_key() for line in lines}
        res = super().write(vals)
        if set(vals) & set(self._support_ticket_fields()):
            self._support_check_ticket()
        if not reposting:
            return res
        changed = lines.filtered(
            lambda line: (line.ticket_id or line.support_move_ids)
            and before[line.id] != line._support_posting_key()
        )
        changed._support_post_or_queue(repost=True)
        return res

    def unlink(self):
        self.check_access("unlink")
        self._support_check_ticket_access()
        self._support_reverse(self.env._("Timesheet line deleted"), nowait=True)
        return super().unlink()

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    @api.model
    def _support_ticket_fields(self):
        """Fields that put a line on a ticket, or in a company."""
        return ["ticket_id", "company_id", "project_id", "task_id"]

    def _support_check_ticket(self):
        """Time is logged on a ticket the user may read, in the ticket's
        company: access first, so that the company check never names a
        ticket the user may not read."""
        self._support_check_ticket_access()
        self._support_check_ticket_company()

    def _support_get_charged(self):
        """Lines whose time is charged to a customer: logged since the install
        on a ticket that has a customer. Read on the line itself (the ticket's
        customer is stored on it), never on the ticket: the other lines keep
        the host's rules."""
        return self.filtered(
            lambda line: not line.support_legacy and line.ticket_partner_id
        )

    def _support_check_ticket_access(self):
        """Logging, changing or deleting time charged to a ticket's customer
        requires reading that ticket as the user, in the companies of the
        request (the ticket's record rules, multi-company rule included). The
        addon's own flows (superuser, a queued posting checked when it was
        logged) are not checked again."""
        if self.env.su or is_internal(self.env):
            return
        tickets = self._support_get_charged().ticket_id
        forbidden = tickets - tickets._filtered_access("read")
        if forbidden:
            raise AccessError(
                self.env._(
                    "You cannot log or change time on a ticket you are not "
                    "allowed to read (ticket ids: %(ids)s).",
                    ids=", ".join(str(ticket_id) for ticket_id in forbidden.ids),
                )
            )

    def _support_check_ticket_company(self):
        """Time on a ticket is logged in the ticket's company: the posting
        draws on the customer's packs of the line's company."""
        for line in self._support_get_charged():
            ticket = line.ticket_id
            if line.company_id != ticket.company_id:
                raise ValidationError(
                    self.env._(
                        "Time on ticket %(ticket)s is logged in the ticket's "
                        "company, %(company)s, not in %(line_company)s: switch "
                        "to that company or choose one of its projects.",
                        ticket=ticket.display_name,
                        company=ticket.company_id.display_name,
                        line_company=line.company_id.display_name,
                    )
                )

    def _support_get_postable(self):
        """Lines the posting handles: logged since the install on a ticket that
        has a customer (time on a ticket without customer draws on no pack; it
        is posted once the ticket gets one). The posting reads their ticket
        as the user: :meth:`_support_check_ticket_access` ran first."""
        return self._support_get_charged()

    @api.model
    def _support_posting_fields(self):
        """Fields whose change re-posts the line."""
        return ["unit_amount", "ticket_id", "date", "product_uom_id"]

    def _support_posting_key(self):
        self.ensure_one()
        return (self.ticket_id.id, self.date, self.unit_amount, self.product_uom_id.id)

    def _support_get_hours(self):
        """Logged time in hours, whatever the unit of measure of the line."""
        self.ensure_one()
        hour_id = self.env["ir.model.data"]._xmlid_to_res_id("uom.product_uom_hour")
        uom = self.product_uom_id
        if uom and uom.id != hour_id:
            hour_uom = uom.browse(hour_id)
            if uom.category_id == hour_uom.category_id:
                return uom._compute_quantity(self.unit_amount, hour_uom, round=False)
        return self.unit_amount

    def _support_check_line(self, postings):
        """Refuse bad input and time the packs must not count, before posting.
        ``postings``: those of the lines (:meth:`_support_prepare_postings`)."""
        for line in self:
            ticket = line.ticket_id
            hours = postings[line]["logged_hours"]
            if hours < 0:
                raise ValidationError(
                    self.env._(
                        "The time logged on ticket %(ticket)s cannot be negative.",
                        ticket=ticket.display_name,
                    )
                )
            if hours > MAX_LINE_HOURS:
                raise ValidationError(
                    self.env._(
                        "A timesheet line cannot exceed %(max)s hours (ticket "
                        "%(ticket)s): split the work over several lines.",
                        max=int(MAX_LINE_HOURS),
                        ticket=ticket.display_name,
                    )
                )
            ticket._support_check_time_allowed()
        self._support_check_approved_amount(postings)
