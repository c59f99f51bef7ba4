# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Closing a ticket by the customer's service mode: who installs the fix,
who verifies it, what closing requires, the automatic acceptance."""

from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ...lib.guard import internal


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
            internal(ticket).write({"support_fix_confirmed_date": now})
            ticket.message_post(
                body=Markup("<p>%s</p>")
                % self.env._(
                    "Fix accepted automatically: no answer from the customer "
                    "within the %(days)s days of the reopening grace period.",
                    days=ticket.company_id.support_reopen_grace_days,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return accepted
