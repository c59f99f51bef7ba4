# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression

from ...lib.guard import get_flag, internal, with_flag

# Private context flag (lib.guard.with_flag): the refresh of a ticket's SLA
# targets that keeps the reached and breached ones.
SLA_REFRESH_KEY = "helpdesk_support_pack_sla_refresh"


class HelpdeskTicket(models.Model):
    """The SLA side of a ticket: status of its targets, policies that apply,
    refresh, and the first response that reaches its first response target."""

    _inherit = "helpdesk.ticket"

    # ------------------------------------------------------------------
    # SLA and support levels
    # ------------------------------------------------------------------
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
        """Every status with ``=``, ``!=``, ``in``, ``not in`` (a custom filter,
        a group-by), by the rules of :meth:`_compute_sla_status`: breached
        first, then at risk, ongoing, reached; no target at all is False."""
        if operator not in ("=", "!=", "in", "not in"):
            raise UserError(
                self.env._("The SLA status cannot be searched with %s.", operator)
            )
        values = value if isinstance(value, list | tuple | set) else [value]
        domains = self._get_sla_status_domains()
        unknown = [v for v in values if v not in domains]
        if unknown:
            raise UserError(
                self.env._("Unknown SLA status: %s.", ", ".join(map(str, unknown)))
            )
        domain = expression.OR([domains[v] for v in values]) if values else []
        if operator in ("!=", "not in"):
            return ["!", *expression.normalize_domain(domain)] if domain else []
        return domain or expression.FALSE_DOMAIN

    def _get_sla_status_domains(self):
        """{status: domain on tickets}, as computed."""
        now = fields.Datetime.now()
        breached = [
            (
                "ticket_sla_ids",
                "any",
                [
                    "|",
                    ("state", "=", "expired"),
                    "&",
                    ("state", "=", "in_progress"),
                    ("deadline", "<", now),
                ],
            )
        ]
        warned = [
            (
                "ticket_sla_ids",
                "any",
                [("state", "=", "in_progress"), ("warning_deadline", "<=", now)],
            )
        ]
        open_ = [("ticket_sla_ids", "any", [("state", "!=", "accomplished")])]

        def negate(domain):
            return ["!", *expression.normalize_domain(domain)]

        return {
            "breached": breached,
            "at_risk": expression.AND([warned, negate(breached)]),
            "ongoing": expression.AND([open_, negate(warned), negate(breached)]),
            "reached": expression.AND(
                [[("ticket_sla_ids", "!=", False)], negate(open_)]
            ),
            False: [("ticket_sla_ids", "=", False)],
        }

    def _get_sla_ticket_domain(self):
        domain = super()._get_sla_ticket_domain()
        return domain + [
            "|",
            ("priority", "=", False),
            ("priority", "=", self.priority),
        ]

    def _get_sla(self):
        """The policies of the ticket: a team's own policy always wins.

        A policy without team applies to the ticket only when none of the
        team's own policies that apply to it has the same target (the ticket's
        priority is already matched by both): the default grid fills the gaps
        of a team's grid, it never adds a second deadline next to it.

        During a refresh (``refresh_sla``) the policies of the reached and
        breached targets stay, and no new one replaces a closed target.
        """
        slas = super()._get_sla()
        own_targets = set(slas.filtered("team_ids").mapped("target"))
        slas = slas.filtered(lambda sla: sla.team_ids or sla.target not in own_targets)
        if get_flag(self.env, SLA_REFRESH_KEY):
            done = self.ticket_sla_ids.filtered(lambda r: r.status != "ongoing")
            done_targets = set(done.mapped("target"))
            slas = slas.filtered(lambda sla: sla.target not in done_targets)
            slas |= done.sla_id
        return slas

    def refresh_sla(self):
        """The "Set SLA" button of helpdesk_mgmt_sla, keeping the history:
        helpdesk_mgmt_sla swaps the lines for the policies of ``_get_sla``,
        which keeps those of the reached and breached targets meanwhile."""
        self.ensure_one()
        self.check_access("write")
        # Ticket write access is checked: agents may not create or unlink SLA
        # lines themselves.
        refresh = internal(with_flag(self, SLA_REFRESH_KEY))
        return super(HelpdeskTicket, refresh).refresh_sla()

    def set_sla(self):
        """helpdesk_mgmt_sla's planning of new tickets, the lines of every
        ticket created in one batch: it creates them one by one (an INSERT per
        policy and ticket; a ticket here has two targets). Same lines, same
        policies (``_get_sla``). They carry the mark of the SLA flows (a plain
        create is refused), with the rights of the caller (deleting existing
        lines stays the manager's)."""
        flow = internal(self, sudo=False)
        flow.ticket_sla_ids.unlink()
        flow.env["helpdesk.ticket.sla"].create(
            [
                {"ticket_id": ticket.id, "sla_id": sla.id}
                for ticket in flow
                if ticket.team_id.use_sla
                for sla in ticket._get_sla()
            ]
        )

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
        """Swap the ongoing targets for those that apply now (priority, team...),
        after a write the user was allowed to make (an escalation may take the
        ticket out of the agent's reach: not checked again).

        Reached and breached targets stay: history is never rewritten. A new
        target counts from the ticket's creation (helpdesk_mgmt_sla's start,
        ``_get_sla_start``), never from the change: a new team or priority
        gives no more time than the customer was promised.
        """
        for ticket in self.filtered(lambda t: t.team_id.use_sla):
            internal(ticket).refresh_sla()

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
        ticket = internal(self)
        ticket.first_response_date = date
        ticket.ticket_sla_ids.filtered(
            lambda r: r.target == "first_response"
        )._reach_sla_target()
