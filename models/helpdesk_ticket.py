# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

SUPPORT_LEVELS = [
    ("1", "Level 1 - customer's administrators"),
    ("2", "Level 2 - functional support"),
    ("3", "Level 3 - development"),
]


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    support_level = fields.Selection(
        SUPPORT_LEVELS,
        required=True,
        default="2",
        tracking=True,
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

    @api.depends(
        "ticket_sla_ids.state",
        "ticket_sla_ids.deadline",
        "ticket_sla_ids.warning_deadline",
    )
    def _compute_sla_status(self):
        now = fields.Datetime.now()
        for ticket in self:
            lines = ticket.ticket_sla_ids
            running = lines.filtered(lambda r: r.state == "in_progress")
            if not lines:
                ticket.sla_status = False
            elif lines.filtered("expired"):
                ticket.sla_status = "breached"
            elif running.filtered(
                lambda r: r.warning_deadline and r.warning_deadline <= now
            ):
                ticket.sla_status = "at_risk"
            elif lines.filtered(lambda r: r.state != "accomplished"):
                ticket.sla_status = "ongoing"
            else:
                ticket.sla_status = "reached"

    def _search_sla_status(self, operator, value):
        if operator != "=" or value not in ("breached", "at_risk"):
            raise UserError(
                self.env._("Only breached or at-risk tickets are searched.")
            )
        if value == "breached":
            return [("ticket_sla_ids.expired", "=", True)]
        now = fields.Datetime.now()
        return [
            (
                "ticket_sla_ids",
                "any",
                [
                    ("state", "=", "in_progress"),
                    ("warning_deadline", "<=", now),
                    ("deadline", ">", now),
                ],
            )
        ]

    def _get_sla_ticket_domain(self):
        domain = super()._get_sla_ticket_domain()
        return domain + [
            "|",
            ("priority", "=", False),
            ("priority", "=", self.priority),
        ]

    def write(self, vals):
        if vals.get("support_level") == "3" and not self.env.context.get(
            "support_escalation"
        ):
            raise UserError(
                self.env._(
                    "Level 3 is reached only through the Escalate action, "
                    "which asks for a reason."
                )
            )
        result = super().write(vals)
        if "priority" in vals:
            self._refresh_sla_targets()
        return result

    def refresh_sla(self):
        """The "Set SLA" button of helpdesk_mgmt_sla, keeping the history."""
        self.ensure_one()
        self.check_access("write")
        self._refresh_sla_targets()

    def action_view_sla_targets(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("SLA targets"),
            "res_model": "helpdesk.ticket.sla",
            "view_mode": "list,form",
            "domain": [("ticket_id", "=", self.id)],
            "context": {"create": False},
        }

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

    def _compute_sla_fits(self):
        res = super()._compute_sla_fits()
        for ticket in self.filtered(lambda t: not t.sla_fits):
            slas = ticket._get_sla()
            lines = ticket.ticket_sla_ids
            done = lines.filtered(lambda r: r.status != "ongoing")
            ongoing = lines - done
            ticket.sla_fits = not (ongoing.sla_id - slas) and all(
                sla in lines.sla_id or sla.target in done.mapped("target")
                for sla in slas
            )
        return res

    def _refresh_sla_targets(self):
        """Swap the ongoing targets for those that apply now (priority, team...).

        Reached and breached targets stay: history is never rewritten.
        """
        for ticket in self.filtered(lambda t: t.team_id.use_sla):
            slas = ticket._get_sla()
            lines = ticket.ticket_sla_ids
            done = lines.filtered(lambda r: r.status != "ongoing")
            # Ticket write access was checked by write(): agents may not
            # unlink SLA lines themselves.
            (lines - done).filtered(
                lambda r, slas=slas: r.sla_id not in slas
            ).sudo().unlink()
            done_targets = set(done.mapped("target"))
            self.env["helpdesk.ticket.sla"].create(
                [
                    {"ticket_id": ticket.id, "sla_id": sla.id}
                    for sla in slas - ticket.ticket_sla_ids.sla_id
                    if sla.target not in done_targets
                ]
            )

    # Mail ------------------------------------------------------------------

    def _message_post_after_hook(self, message, msg_values):
        res = super()._message_post_after_hook(message, msg_values)
        if self._is_first_response(msg_values):
            self._set_first_response(message.date or fields.Datetime.now())
        return res

    def _get_first_response_message_types(self):
        return ["comment"]

    def _is_first_response(self, msg_values):
        """A public reply (comment, not a note) of an internal user."""
        if len(self) != 1 or self.first_response_date:
            return False
        if msg_values.get("message_type") not in (
            self._get_first_response_message_types()
        ):
            return False
        comment = self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_comment")
        if msg_values.get("subtype_id") != comment:
            return False
        author = self.env["res.partner"].browse(msg_values.get("author_id"))
        if not author or author == self.env.ref("base.partner_root"):
            return False
        return any(not user.share for user in author.sudo().user_ids)

    def _set_first_response(self, date):
        self.ensure_one()
        # Posting needs read access only: the SLA bookkeeping follows anyway.
        ticket = self.sudo()
        ticket.first_response_date = date
        ticket.ticket_sla_ids.filtered(
            lambda r: r.target == "first_response"
        )._reach_sla_target()
