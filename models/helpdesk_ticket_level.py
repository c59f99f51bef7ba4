# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models
from odoo.exceptions import UserError


class HelpdeskTicketLevel(models.Model):
    """Support levels: escalation from level 2 to level 3 (development)."""

    _inherit = "helpdesk.ticket"

    # ------------------------------------------------------------------
    # Support levels
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
