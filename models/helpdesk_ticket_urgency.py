# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The customer's rules on a ticket: the declared urgency (the levels the
portal form offers, their SLA targets and cost) and the urgent priorities
billed even when the category is included."""

from odoo import api, fields, models

from ..lib import rounding


class HelpdeskTicketUrgency(models.Model):
    _inherit = "helpdesk.ticket"

    # Urgent always billed -------------------------------------------------
    support_billed_reason = fields.Char(
        string="Billing Note",
        compute="_compute_support_billed_reason",
        help="Why time on this ticket is counted although its category is "
        "included in the support contract.",
    )

    @api.depends("priority", "category_id.support_coverage", "company_id")
    @api.depends_context("lang")
    def _compute_support_billed_reason(self):
        labels = dict(self._fields["priority"]._description_selection(self.env))
        for ticket in self:
            ticket.support_billed_reason = (
                self.env._(
                    "%(priority)s priority: billed even for a bug",
                    priority=labels.get(ticket.priority, ticket.priority),
                )
                if ticket._support_is_billed_although_included()
                else False
            )

    # ------------------------------------------------------------------
    # Urgent always billed
    # ------------------------------------------------------------------
    def _support_is_billed_although_included(self):
        self.ensure_one()
        return bool(
            self.category_id
            and self.category_id.support_coverage == "included"
            and self.company_id.sudo()._support_is_priority_always_billed(self.priority)
        )

    def _support_get_coverage(self):
        coverage, estimate_required = super()._support_get_coverage()
        if coverage == "included" and self._support_is_billed_although_included():
            coverage = "counted"
        return (coverage, estimate_required)

    # ------------------------------------------------------------------
    # Declared urgency (portal form)
    # ------------------------------------------------------------------
    @api.model
    def _support_get_priority_descriptions(self):
        """What each level means (the e-ABC grid)."""
        _ = self.env._
        return {
            "0": _("Questions, advice, good practice, cosmetic issues."),
            "1": _("Non-critical fixes: a feature misbehaves, a workaround exists."),
            "2": _(
                "Severe degradation: an important feature is impaired, no workaround."
            ),
            "3": _("Service down: the application cannot be used."),
        }

    @api.model
    def _support_format_sla_duration(self, sla):
        _ = self.env._
        parts = []
        if sla.days:
            parts.append(
                _("%s day", sla.days) if sla.days == 1 else _("%s days", sla.days)
            )
        if sla.hours or not parts:
            parts.append(_("%s h", sla.hours))
        text = " ".join(parts)
        if sla.use_calendar:
            return _("%s (working hours)", text)
        return _("%s (24/7)", text)

    @api.model
    def _support_get_sla_texts(self, team, priority, company):
        """The SLA targets a new ticket of ``priority`` in ``team`` gets, from
        the policies in force (a team's own policy wins, as on the ticket)."""
        target_labels = dict(
            self.env["helpdesk.sla"]._fields["target"]._description_selection(self.env)
        )
        if not team or not team.sudo().use_sla:
            # helpdesk_mgmt_sla plans targets for the tickets of a team that
            # uses SLA only.
            return []
        domain = [
            ("priority", "in", [False, priority]),
            ("category_ids", "=", False),
            ("tag_ids", "=", False),
            ("company_id", "in", [False, company.id]),
        ]
        domain += ["|", ("team_ids", "=", False), ("team_ids", "in", team.ids)]
        # The policies are the vendor's configuration: read for the form only.
        slas = self.env["helpdesk.sla"].sudo().search(domain, order="id")
        own = slas.filtered("team_ids")
        own_targets = set(own.mapped("target"))
        slas = slas.filtered(lambda s: s.team_ids or s.target not in own_targets)
        texts = []
        for target in ("first_response", "resolution"):
            for sla in slas.filtered(lambda s, t=target: s.target == t)[:1]:
                texts.append(
                    self.env._(
                        "%(target)s: %(duration)s",
                        target=target_labels.get(target, target),
                        duration=self._support_format_sla_duration(sla),
                    )
                )
        return texts

    @api.model
    def _support_get_customer_unit(self, partner, company=None):
        """Unit of the pack the customer's time draws from: the valid pack
        expiring first, else the latest pack, else credits (as the posting)."""
        commercial = partner.sudo().commercial_partner_id
        if not commercial:
            return "credit"
        company = company or self.env.company
        pack_model = self.env["support.pack"].sudo()
        today = fields.Date.context_today(self)
        pack = pack_model.search(
            [
                ("partner_id", "=", commercial.id),
                ("company_id", "=", company.id),
                ("state", "=", "active"),
                ("date_start", "<=", today),
                ("date_end", ">=", today),
            ],
            order="date_end, id",
            limit=1,
        ) or self._support_get_latest_pack(commercial, company)
        return pack.unit or "credit"

    @api.model
    def _support_get_latest_pack(self, commercial, company):
        """The customer's latest pack that is not cancelled (sudo: the packs
        are read for their unit only)."""
        return (
            self.env["support.pack"]
            .sudo()
            .search(
                [
                    ("partner_id", "=", commercial.id),
                    ("company_id", "=", company.id),
                    ("state", "!=", "cancelled"),
                ],
                order="date_end desc, id desc",
                limit=1,
            )
        )

    @api.model
    def _support_get_period_cost_text(self, priority, unit, company):
        """'2 credits per started quarter-hour' for ``priority``."""
        company = company.sudo()
        minutes = company.support_rounding_minutes or 15
        quantity = rounding.consumed_quantity(
            minutes / 60.0, unit, company._support_get_multiplier(priority), minutes
        )
        cost = self.env["support.pack"]._format_quantity(quantity, unit)
        if minutes == 15:
            return self.env._("%s per started quarter-hour", cost)
        return self.env._(
            "%(cost)s per started period of %(minutes)s minutes",
            cost=cost,
            minutes=minutes,
        )

    @api.model
    def _support_get_portal_priority_levels(self, partner, teams=None):
        """The levels the portal form offers, each with its description, its
        SLA targets for the customer's team(s) and its cost."""
        company = self.env.company
        labels = dict(self._fields["priority"]._description_selection(self.env))
        descriptions = self._support_get_priority_descriptions()
        unit = self._support_get_customer_unit(partner, company)
        teams = teams or self.env["helpdesk.ticket.team"]
        levels = []
        for priority in labels:
            if teams:
                per_team = [
                    (team, self._support_get_sla_texts(team, priority, company))
                    for team in teams
                ]
            else:
                per_team = [
                    (teams, self._support_get_sla_texts(teams, priority, company))
                ]
            sla_teams = []
            if len({tuple(texts) for __, texts in per_team}) <= 1:
                slas = per_team[0][1] if per_team else []
            else:
                # Teams with different targets: the form shows those of the
                # team picked (static/src/js/portal_new_ticket.js).
                slas = []
                sla_teams = [
                    {"team_id": team.id, "team": team.name, "texts": texts}
                    for team, texts in per_team
                    if texts
                ]
            billed = company.sudo()._support_is_priority_always_billed(priority)
            levels.append(
                {
                    "value": priority,
                    "label": labels.get(priority, priority),
                    "description": descriptions.get(priority, ""),
                    "slas": slas,
                    "sla_teams": sla_teams,
                    "cost": self._support_get_period_cost_text(priority, unit, company),
                    "billed_note": self.env._("billed even for a bug")
                    if billed
                    else "",
                }
            )
        return levels
