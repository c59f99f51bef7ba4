# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The weekly release of level 3 fixes (Claroline's release train).

A release gathers the fixes planned on it (``helpdesk.ticket.
support_release_id``, written only by the planning and replanning flows) and
delivers them at once (``action_deliver``): a delivery on each affected
configuration item, the resolution and the vendor's proof when empty, each
ticket to its next stage by its service mode, one message per customer.
The date arithmetic is in lib/release.py; the company gives the calendar."""

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools.misc import format_datetime

from ...lib.guard import internal

RELEASE_DATE_FORMAT = "EEE d MMM, HH:mm"
# Delivering a release closes tickets of every team: agents who see all the
# tickets (helpdesk_mgmt's "User: all tickets") and managers deliver.
DELIVER_GROUP = "helpdesk_mgmt.group_helpdesk_user"


class SupportRelease(models.Model):
    _name = "support.release"
    _inherit = ["support.protected.mixin"]
    _description = "Release of Level 3 Fixes"
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(required=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    date = fields.Datetime(
        required=True,
        index=True,
        help="Moment of the release, shown in the time zone of the company's "
        "release calendar.",
    )
    state = fields.Selection(
        [("planned", "Planned"), ("delivered", "Delivered")],
        required=True,
        default="planned",
        readonly=True,
        copy=False,
    )
    delivered_date = fields.Datetime(string="Delivered On", readonly=True, copy=False)
    ticket_ids = fields.One2many(
        "helpdesk.ticket",
        "support_release_id",
        string="Fixes",
        readonly=True,
        help="The level 3 tickets whose fix ships with this release.",
    )
    ticket_count = fields.Integer(string="Fixes Count", compute="_compute_ticket_count")
    date_text = fields.Char(
        string="Release Moment",
        compute="_compute_date_text",
        help="Date and time in the time zone of the release calendar.",
    )

    _sql_constraints = [
        (
            "company_date_unique",
            "UNIQUE(company_id, date)",
            "A company has one release at a given moment.",
        )
    ]

    @api.depends("ticket_ids")
    def _compute_ticket_count(self):
        for release in self:
            release.ticket_count = len(release.ticket_ids)

    @api.depends("date", "company_id")
    @api.depends_context("lang")
    def _compute_date_text(self):
        for release in self:
            release.date_text = release._support_format_date() or False

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model
    def _support_protected_fields(self):
        """The state and delivery date: written by the delivery only."""
        return super()._support_protected_fields() + ["state", "delivered_date"]

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._support_check_protected(
                {
                    name: value
                    for name, value in vals.items()
                    if value and not (name == "state" and value == "planned")
                }
            )
        return super().create(vals_list)

    def write(self, vals):
        self._support_check_protected(vals)
        if {"date", "company_id"} & set(vals):
            self._support_check_planned()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_delivered(self):
        self._support_check_planned()

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_deliver(self):
        """Deliver the release's fixes (see the module docstring)."""
        self.ensure_one()
        if not self.env.user.has_group(DELIVER_GROUP):
            raise AccessError(
                self.env._(
                    "Only the helpdesk users who see all the tickets, and the "
                    "helpdesk managers, deliver a release."
                )
            )
        self.check_access("read")
        self._support_check_planned()
        tickets = self.ticket_ids
        tickets.check_access("write")
        moment = self._support_format_date()
        note = self.env._("Fixed in the release of %s.", moment)
        tickets._support_deliver_fix(self.name, note)
        internal(self).write(
            {"state": "delivered", "delivered_date": fields.Datetime.now()}
        )
        tickets._support_notify_fixed(
            lambda env: env._(
                "The fixes below were delivered in the release of %s:",
                self.with_env(env)._support_format_date(),
            )
        )
        return True

    def action_view_tickets(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "helpdesk_mgmt.helpdesk_ticket_action"
        )
        action["domain"] = [("support_release_id", "=", self.id)]
        action["context"] = {"create": False}
        return action

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _support_check_planned(self):
        delivered = self.filtered(lambda release: release.state == "delivered")
        if delivered:
            raise UserError(
                self.env._(
                    "%s was already delivered: a delivered release is never "
                    "changed, delivered again nor given new fixes.",
                    delivered[0].display_name,
                )
            )

    def _support_format_date(self, lang=None):
        """'Wed 16 Dec, 20:00' in the reader's language (or ``lang``) and the
        time zone of the company's release calendar."""
        self.ensure_one()
        if not self.date:
            return ""
        return format_datetime(
            self.env,
            self.date,
            tz=self.company_id._support_release_tz(),
            dt_format=RELEASE_DATE_FORMAT,
            lang_code=lang,
        )

    @api.model
    def _support_get_next(self, company, ready):
        """The planned release that ships a fix of ``company`` ready at
        ``ready`` (naive UTC), created when missing."""
        releases = self.sudo().with_context(active_test=False)
        taken = releases.search(
            [
                ("company_id", "=", company.id),
                ("state", "=", "delivered"),
                ("date", ">=", ready),
            ]
        ).mapped("date")
        moment = company._support_next_release_date(ready, taken=taken)
        if not moment:
            raise UserError(
                self.env._(
                    "No release of %s in the next two years: every release "
                    "date is a time off of its release calendar.",
                    company.name,
                )
            )
        release = releases.search(
            [("company_id", "=", company.id), ("date", "=", moment)], limit=1
        )
        if not release:
            local = fields.Datetime.context_timestamp(
                releases.with_context(tz=company._support_release_tz()), moment
            )
            release = internal(self).create(
                {
                    "name": self.env._("Release %s", local.date().isoformat()),
                    "company_id": company.id,
                    "date": moment,
                }
            )
        return release.with_env(self.env)

    def _support_replan(self):
        """The releases a new time off skips: their fixes move to the next
        release, each customer is told on the ticket, the emptied release is
        removed."""
        now = fields.Datetime.now()
        for release in self.sudo().filtered(lambda r: r.state == "planned"):
            tickets = release.ticket_ids
            if tickets:
                target = self._support_get_next(
                    release.company_id, max(release.date, now)
                ).sudo()
                internal(tickets).write({"support_release_id": target.id})
                tickets._support_notify_replanned(release, target)
            release.unlink()
