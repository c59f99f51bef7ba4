# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from markupsafe import Markup

from odoo import fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import plaintext2html

from ..lib.formatting import format_number
from ..lib.guard import internal
from .helpdesk_ticket_report import INTERVENTION_REPORT


class HelpdeskTicketPortal(models.Model):
    """What the customer does from the portal (called on the ticket the
    controller checked access to): reopen, confirm the fix, answer the estimate."""

    _inherit = "helpdesk.ticket"

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

    def _support_check_portal_close(self):
        """Whether the current user may close the ticket from the portal
        (helpdesk_mgmt's ``/ticket/close`` moves it with ``sudo()``): an
        internal user closes it the back-office way, so only with write access
        on it (an employee without helpdesk rights reads, but does not move,
        the tickets it follows); anyone else only as a contact of the ticket's
        customer, the check of reopen and confirm. Raises AccessError."""
        self.ensure_one()
        user = self.env.user
        if user._is_internal():
            self.check_access("write")
            return
        self.check_access("read")
        self.sudo()._support_check_customer(user.partner_id)

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
