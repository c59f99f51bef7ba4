# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import plaintext2html

from ..lib.guard import internal


class HelpdeskTicketEscalate(models.TransientModel):
    _name = "helpdesk.ticket.escalate"
    _description = "Escalate a Helpdesk Ticket to Level 3"

    ticket_id = fields.Many2one("helpdesk.ticket", required=True, readonly=True)
    support_level = fields.Selection(related="ticket_id.support_level")
    team_id = fields.Many2one(
        "helpdesk.ticket.team",
        string="Level 3 Team",
        compute="_compute_team_id",
        store=True,
        readonly=False,
        domain="[('support_level', '=', '3')]",
    )
    reason = fields.Text(
        help="Why the functional team cannot solve it: logged in the chatter."
    )

    @api.depends("ticket_id")
    def _compute_team_id(self):
        for wizard in self:
            wizard.team_id = wizard.ticket_id._get_escalation_team()

    @api.constrains("team_id", "ticket_id")
    def _check_team_id(self):
        for wizard in self.filtered("team_id"):
            wizard.ticket_id._check_escalation_team(wizard.team_id)

    def action_escalate(self):
        self.ensure_one()
        ticket = self.ticket_id
        ticket._check_escalation()
        reason = (self.reason or "").strip()
        if not reason:
            raise ValidationError(self.env._("An escalation needs a reason."))
        if not self.team_id:
            raise UserError(
                self.env._(
                    "No level 3 team: set the escalation team of %s or create a "
                    "level 3 team.",
                    ticket.team_id.display_name or self.env._("the ticket's team"),
                )
            )
        # Checked again before anything is logged: the team may have changed
        # level since the wizard was opened.
        ticket._check_escalation_team(self.team_id)
        # Logged first: the agent may lose access once the ticket changes team.
        ticket.message_post(
            body=Markup("<p>%s</p>%s")
            % (
                self.env._(
                    "Escalated to level 3 (%s). Reason:", self.team_id.display_name
                ),
                plaintext2html(reason),
            ),
            subtype_xmlid="mail.mt_note",
        )
        # The agent's own rights on the ticket apply (no sudo); the mark lets
        # the wizard, and only it, set level 3.
        internal(ticket, sudo=False).write(self._prepare_ticket_values())
        return {"type": "ir.actions.act_window_close"}

    def _prepare_ticket_values(self):
        self.ensure_one()
        values = {"support_level": "3", "team_id": self.team_id.id}
        if self.ticket_id.user_id not in self.team_id.user_ids:
            values["user_id"] = False
        return values
