# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The ticket on the release train: plan a level 3 fix on the next release,
or deliver an urgent one at once as a hotfix; the sentence the agent and the
customer read; the delivery shared by releases and hotfixes."""

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import is_html_empty
from odoo.tools.misc import format_datetime

from ...lib.guard import internal
from .support_release import RELEASE_DATE_FORMAT


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    support_release_id = fields.Many2one(
        "support.release",
        string="Release",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
        tracking=True,
        help="Weekly release that ships the fix (Plan on the next release).",
    )
    support_hotfix = fields.Boolean(
        string="Hotfix",
        readonly=True,
        copy=False,
        tracking=True,
        help="The fix of this urgent ticket was delivered at once, outside the "
        "weekly release.",
    )
    support_release_text = fields.Char(
        string="Release Train",
        compute="_compute_support_release_text",
        help="When the fix ships: the release's date and time in the time "
        "zone of the release calendar.",
    )

    @api.depends(
        "support_hotfix", "support_release_id.date", "support_release_id.state"
    )
    @api.depends_context("lang")
    def _compute_support_release_text(self):
        for ticket in self:
            release = ticket.sudo().support_release_id
            text = False
            if ticket.support_hotfix:
                text = self.env._("Fix delivered as a hotfix, outside the release.")
            elif release.state == "delivered":
                text = self.env._(
                    "Fix delivered in the release of %s",
                    release._support_format_date(),
                )
            elif release:
                text = self.env._(
                    "Fix planned for the release of %s",
                    release._support_format_date(),
                )
            ticket.support_release_text = text

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_support_plan_release(self):
        """Plan the fix on the next release of the ticket's company (the one a
        fix ready now makes)."""
        self.ensure_one()
        self._support_plan_release(fields.Datetime.now())
        return True

    def _support_plan_release(self, ready):
        """Plan the fix, ready at ``ready`` (naive UTC), on its release."""
        self.ensure_one()
        self.check_access("write")
        self._support_check_release_plannable()
        release = self.env["support.release"]._support_get_next(
            self.company_id or self.env.company, ready
        )
        if release != self.support_release_id:
            internal(self).write({"support_release_id": release.id})
            self.message_post(
                body=Markup("<p>%s</p>") % self.support_release_text,
                subtype_xmlid="mail.mt_note",
            )
        return release

    def action_support_hotfix(self):
        """Deliver the fix of an urgent ticket now, outside the release."""
        self.ensure_one()
        self.check_access("write")
        self._support_check_hotfix()
        company = self.company_id or self.env.company
        version = self.env._("Hotfix %s", self.number or self.id)
        note = self.env._(
            "Delivered as a hotfix on %s, outside the release.",
            format_datetime(
                self.env,
                fields.Datetime.now(),
                tz=company._support_release_tz(),
                dt_format=RELEASE_DATE_FORMAT,
            ),
        )
        internal(self).write({"support_hotfix": True, "support_release_id": False})
        self._support_deliver_fix(version, note)
        self._support_notify_fixed(
            lambda env: env._("This fix was delivered at once as a hotfix:")
        )
        return True

    # ------------------------------------------------------------------
    # Rules
    # ------------------------------------------------------------------
    def _support_check_release_plannable(self):
        for ticket in self:
            if ticket.support_level != "3":
                raise UserError(
                    self.env._(
                        "Only level 3 (development) fixes ship on the release "
                        "train: ticket %(ticket)s is at level %(level)s.",
                        ticket=ticket.display_name,
                        level=ticket.support_level,
                    )
                )
            ticket._support_check_not_delivered()

    def _support_check_hotfix(self):
        for ticket in self:
            if ticket.priority != "3":
                raise UserError(
                    self.env._(
                        "Only an urgent (very high priority) ticket gets a "
                        "hotfix: plan the fix of %s on the next release.",
                        ticket.display_name,
                    )
                )
            ticket._support_check_not_delivered()

    def _support_check_not_delivered(self):
        self.ensure_one()
        release = self.sudo().support_release_id
        if self.support_hotfix or release.state == "delivered":
            raise UserError(
                self.env._(
                    "The fix of ticket %(ticket)s was already delivered "
                    "(%(delivery)s).",
                    ticket=self.display_name,
                    delivery=release.name or self.env._("hotfix"),
                )
            )
        if self.stage_id.closed:
            raise UserError(
                self.env._(
                    "Ticket %s is closed: its fix is not planned nor delivered.",
                    self.display_name,
                )
            )

    # ------------------------------------------------------------------
    # Delivery: shared by the releases and the hotfixes
    # ------------------------------------------------------------------
    def _get_support_release_stage(self):
        """The closed stage a delivered fix goes to: the first closed stage of
        the ticket's team (or of every team)."""
        self.ensure_one()
        return self.env["helpdesk.ticket.stage"].search(
            [
                ("closed", "=", True),
                "|",
                ("team_ids", "=", False),
                ("team_ids", "in", self.team_id.ids),
            ],
            order="sequence, id",
            limit=1,
        )

    def _support_deliver_fix(self, version, note):
        """Deliver the tickets' fixes as ``version``: a delivery on each
        affected configuration item, ``note`` as the resolution when the
        ticket has none and as the vendor's proof (the release is the proof),
        then the next stage by the service mode:

        - the customer installs: the ticket stays open, awaiting the fixed
          component the agent attaches before closing (the release ships no
          file the customer could download);
        - otherwise (the vendor installs, or no service mode): closed; the
          closing status says who verifies (awaiting the customer's
          acceptance, or verified by the vendor).
        """
        today = fields.Date.context_today(self)
        self.env["support.delivery"].create(
            [
                {
                    "item_id": item.id,
                    "version": version,
                    "date": today,
                    "ticket_id": ticket.id,
                    "note": note,
                }
                for ticket in self
                for item in ticket.configuration_item_ids
            ]
        )
        for ticket in self:
            mode = ticket.support_service_mode_id
            vals = {}
            if is_html_empty(ticket.support_resolution):
                vals["support_resolution"] = Markup("<p>%s</p>") % note
            if mode.verify_by == "vendor" and not (
                (ticket.support_proof_note or "").strip()
                or ticket.support_proof_attachment_ids
            ):
                vals["support_proof_note"] = note
            if not ticket.stage_id.closed and mode.install_by != "customer":
                stage = ticket._get_support_release_stage()
                if stage:
                    vals["stage_id"] = stage.id
            if vals:
                ticket.write(vals)

    def _support_notify_fixed(self, intro):
        """One message per customer (commercial partner) listing its tickets
        fixed, posted on its first ticket to the tickets' contacts (an email).
        ``intro(env)`` gives the first sentence in the language of ``env``
        (the contact's)."""
        by_customer = {}
        for ticket in self.sorted("id"):
            customer = ticket.commercial_partner_id
            by_customer[customer] = by_customer.get(customer, self.browse()) | ticket
        for tickets in by_customer.values():
            first = tickets[0]
            lang = first.partner_id.lang or self.env.lang
            localized = tickets.with_context(lang=lang)
            items = Markup("").join(
                Markup("<li>%s - %s%s</li>")
                % (
                    ticket.number or "",
                    ticket.name,
                    Markup(" <em>(%s)</em>")
                    % localized.env._("install the fixed component")
                    if ticket.support_install_by == "customer"
                    else "",
                )
                for ticket in localized
            )
            first.message_post(
                body=Markup("<p>%s</p><ul>%s</ul>") % (intro(localized.env), items),
                partner_ids=tickets.partner_id.ids,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )

    def _support_notify_replanned(self, old, new):
        """Each ticket's customer is told its fix moved to ``new`` (``old``
        was skipped: a public holiday or a freeze)."""
        for ticket in self:
            lang = ticket.partner_id.lang or self.env.lang
            body = ticket.with_context(lang=lang).env._(
                "The release of %(old)s does not take place: the fix of ticket "
                "%(ticket)s is now planned for the release of %(new)s.",
                old=old._support_format_date(lang=lang),
                ticket=ticket.number or ticket.name,
                new=new._support_format_date(lang=lang),
            )
            ticket.message_post(
                body=Markup("<p>%s</p>") % body,
                partner_ids=ticket.partner_id.ids,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
