# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Closing a ticket by the customer's service mode: who installs the fix,
who verifies it, what closing requires, the automatic acceptance; the
resolution (what was wrong and what was done), required on closing by the
teams that ask it; and the intervention report emailed to the customer (its
values are built by the report model,
report/helpdesk_ticket_intervention_report.py)."""

from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import is_html_empty

from ...lib.guard import internal, with_flag

# Private context flag (lib.guard.with_flag): the timesheet line ids the
# intervention report lists (all the lines of the ticket without it).
REPORT_LINES_KEY = "support_report_timesheet_ids"


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    # Service modes --------------------------------------------------------
    support_service_mode_id = fields.Many2one(
        "support.service.mode",
        string="Service Mode",
        tracking=True,
        index="btree_not_null",
        help="Taken from the customer when the ticket is created: who installs "
        "the fix and who verifies it. Closing follows it.",
    )

    support_install_by = fields.Selection(related="support_service_mode_id.install_by")

    support_verify_by = fields.Selection(related="support_service_mode_id.verify_by")

    support_component_attachment_ids = fields.Many2many(
        "ir.attachment",
        "helpdesk_ticket_support_component_rel",
        "ticket_id",
        "attachment_id",
        string="Fixed Components",
        help="When the customer installs: the fixed component the customer "
        "downloads from the portal. Required to close the ticket.",
    )

    support_proof_note = fields.Text(
        string="Proof of the Fix",
        help="When the vendor verifies: how the fix was checked. A proof (this "
        "note or an attachment) is required to close the ticket; it is printed "
        "on the intervention report and shown on the portal.",
    )

    support_proof_attachment_ids = fields.Many2many(
        "ir.attachment",
        "helpdesk_ticket_support_proof_rel",
        "ticket_id",
        "attachment_id",
        string="Proof Attachments",
    )

    support_resolution = fields.Html(
        string="Resolution",
        copy=False,
        help="What was wrong and what was done. Shown to the customer on the "
        "portal once the ticket is closed, in the intervention report and in "
        "the closing email; required to close the tickets of the teams that "
        "ask it.",
    )

    support_closing_status = fields.Selection(
        [
            ("awaiting_installation", "Awaiting the customer's installation"),
            ("awaiting_acceptance", "Awaiting the customer's acceptance"),
            ("accepted", "Accepted by the customer"),
            ("proven", "Verified by the vendor"),
        ],
        string="Closing Status",
        compute="_compute_support_closing_status",
    )

    @api.depends(
        "stage_id.closed",
        "support_service_mode_id",
        "support_fix_confirmed_date",
        "support_proof_note",
        "support_proof_attachment_ids",
    )
    def _compute_support_closing_status(self):
        for ticket in self:
            mode = ticket.support_service_mode_id
            status = False
            if mode and ticket.stage_id.closed:
                if ticket.support_fix_confirmed_date:
                    status = "accepted" if mode.verify_by == "customer" else "proven"
                elif mode.install_by == "customer":
                    status = "awaiting_installation"
                elif mode.verify_by == "customer":
                    status = "awaiting_acceptance"
                else:
                    status = "proven"
            ticket.support_closing_status = status

    @api.constrains("support_component_attachment_ids", "support_proof_attachment_ids")
    def _check_support_attachments(self):
        for ticket in self:
            attachments = (
                ticket.support_component_attachment_ids
                | ticket.support_proof_attachment_ids
            ).sudo()
            if any(
                att.res_model != "helpdesk.ticket" or att.res_id != ticket.id
                for att in attachments
            ):
                raise ValidationError(
                    self.env._(
                        "The components and proofs of ticket %s must be attached "
                        "to the ticket itself.",
                        ticket.display_name,
                    )
                )

    def _support_check_closing(self):
        """What the ticket's service mode requires to close it."""
        for ticket in self:
            mode = ticket.support_service_mode_id
            if not mode:
                continue
            if mode.install_by == "customer" and not (
                ticket.support_component_attachment_ids
            ):
                raise UserError(
                    self.env._(
                        "%(customer)s installs the fixes itself (%(mode)s): attach "
                        "the fixed component to ticket %(ticket)s (Fixed "
                        "components) before closing it.",
                        customer=ticket.commercial_partner_id.display_name,
                        mode=mode.name,
                        ticket=ticket.display_name,
                    )
                )
            if mode.verify_by == "vendor" and not (
                (ticket.support_proof_note or "").strip()
                or ticket.support_proof_attachment_ids
            ):
                raise UserError(
                    self.env._(
                        "The vendor verifies the fixes of %(customer)s "
                        "(%(mode)s): give the proof of the fix of ticket "
                        "%(ticket)s (a note or an attachment) before closing it.",
                        customer=ticket.commercial_partner_id.display_name,
                        mode=mode.name,
                        ticket=ticket.display_name,
                    )
                )

    def _support_is_resolution_missing(self):
        """Whether closing this ticket needs a resolution it does not have yet:
        its team asks for one, and the text is empty (HTML without text
        counts as empty)."""
        self.ensure_one()
        ticket = self.sudo()
        return bool(ticket.team_id.support_resolution_required) and is_html_empty(
            ticket.support_resolution
        )

    def _support_check_resolution(self):
        """Closing a ticket of a team that asks for a resolution without one
        is refused, whoever closes it (back office, RPC, portal)."""
        for ticket in self:
            if ticket._support_is_resolution_missing():
                raise UserError(
                    self.env._(
                        "Ticket %(ticket)s cannot be closed without a "
                        "resolution: the team %(team)s asks for one. Write "
                        "what was wrong and what was done (Resolution tab), "
                        "then close it.",
                        ticket=ticket.display_name,
                        team=ticket.sudo().team_id.display_name,
                    )
                )

    def _support_get_acceptance_deadline(self):
        """When a fix the customer verifies is accepted without an answer."""
        self.ensure_one()
        return self._support_get_reopen_deadline()

    @api.model
    def _cron_support_auto_accept(self):
        """Fixes the customer verifies and did not answer within the reopening
        grace period: accepted, and the chatter says so."""
        now = fields.Datetime.now()
        candidates = self.search(
            [
                ("stage_id.closed", "=", True),
                ("support_fix_confirmed_date", "=", False),
                ("support_service_mode_id.verify_by", "=", "customer"),
                ("closed_date", "!=", False),
                ("closed_date", "<=", now),
            ]
        )
        accepted = candidates.filtered(
            lambda t: t.closed_date
            + timedelta(days=t.company_id.support_reopen_grace_days)
            <= now
        )
        for ticket in accepted:
            days = ticket.company_id.support_reopen_grace_days
            vals = {"support_fix_confirmed_date": now}
            if is_html_empty(ticket.support_resolution):
                # What happened, for the customer and the report.
                vals["support_resolution"] = Markup("<p>%s</p>") % self.env._(
                    "Closed automatically: the customer did not answer within "
                    "%(days)s days after the fix was delivered.",
                    days=days,
                )
            internal(ticket).write(vals)
            ticket.message_post(
                body=Markup("<p>%s</p>")
                % self.env._(
                    "Fix accepted automatically: no answer from the customer "
                    "within the %(days)s days of the reopening grace period.",
                    days=days,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return accepted

    # Intervention report ------------------------------------------------
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
        count = len(self._get_support_report_unreported_lines())
        self._support_send_intervention_report()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "title": self.env._("Intervention report sent"),
                "message": self.env._(
                    "The report of %(count)s intervention(s) was queued for "
                    "sending to %(customer)s <%(email)s>; it is in the chatter.",
                    count=count,
                    customer=self.partner_id.name or "",
                    email=self.partner_id.email,
                ),
                "sticky": False,
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }
