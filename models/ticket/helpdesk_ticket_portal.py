# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What the customer does and reads on the portal (called on the ticket the
controller checked access to): reopen, confirm the fix, answer the estimate,
close; the ticket page's values; the urgency levels the new-ticket form
offers (their SLA targets and cost)."""

from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import float_compare, is_html_empty, plaintext2html
from odoo.tools.misc import babel_locale_parse, format_datetime, get_lang

from ...lib import rounding
from ...lib.formatting import format_number
from ...lib.guard import internal
from ...lib.units import QUANTITY_DIGITS

INTERVENTION_REPORT = "report.helpdesk_support_pack.report_helpdesk_ticket_intervention"


def rounding_compare(value1, value2):
    return float_compare(value1, value2, precision_digits=QUANTITY_DIGITS)


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    # ------------------------------------------------------------------
    # Journeys: every portal ticket lands in a team (called by create)
    # ------------------------------------------------------------------
    @api.model
    def _support_set_portal_team(self, vals):
        """A ticket a customer creates (portal user, through the form or any
        call) lands in a team: the one picked, else the company's default
        portal team (with a single team, that team). A level 3 team is never
        the customer's to pick."""
        if not self.env.user.share:
            return
        company = self.env["res.company"].browse(vals.get("company_id"))
        company = company.exists() or self.env.company
        team = self.env["helpdesk.ticket.team"].sudo().browse(vals.get("team_id"))
        if team and team.support_level == "3":
            raise UserError(
                self.env._(
                    "This team does not take requests from customers: send the "
                    "ticket without a team, or to another team."
                )
            )
        if not team:
            vals["team_id"] = company._support_get_portal_team_or_raise().id

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
        ticket may not approve, confirm or reopen for it; and only an
        authorized contact when the customer restricts support to them."""
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
        partner._support_check_authorized()

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
        with its logged and rounded time and the credits it consumed, the
        resolution of a closed ticket, the customer's rules (service mode,
        closing, components and proofs)."""
        self.ensure_one()
        report = self.env[INTERVENTION_REPORT]
        lines = self.timesheet_ids.sorted(lambda line: (line.date, line.id))
        interventions, consumed = report._get_intervention_rows(lines)
        slas = report._get_sla_rows(self)
        for row, sla in zip(slas, self.sudo().ticket_sla_ids, strict=True):
            row["deadline_text"] = self._support_format_deadline(sla.deadline)
            row["target"] = sla.target
        return {
            "slas": slas,
            "priority_label": dict(
                self._fields["priority"]._description_selection(self.env)
            ).get(self.priority, ""),
            "created_text": self._support_get_created_text(),
            **self._support_get_estimate_balance(),
            "interventions": interventions,
            **report._get_totals(lines, consumed),
            "resolved": self._support_is_resolved(),
            # What was wrong and what was done, once the ticket is closed.
            "resolution": self.sudo().support_resolution
            if self.stage_id.closed and not is_html_empty(self.support_resolution)
            else "",
            "reopen_in_place": self._support_can_reopen_in_place(),
            "reopen_deadline": self._support_get_reopen_deadline(),
            "rules": self._get_support_customer_rules_values(),
        }

    def _support_get_consumed_text(self):
        """What the ticket consumed, with its unit: '3 credits', '1:30 h';
        both units when its time was drawn from packs of both."""
        self.ensure_one()
        ticket = self.sudo()
        unit = ticket.support_unit
        if unit in ("hour", "credit"):
            return self.env["support.pack"]._format_quantity(
                ticket.support_quantity, unit
            )
        return self.env._(
            "%(quantity)s (hours and credits)",
            quantity=format_number(self.env, ticket.support_quantity),
        )

    @api.model
    def _support_format_deadline(self, value):
        """A deadline in the reader's timezone and language: 'Jan 19, 2026,
        2:00 PM', '19 janv. 2026, 14:00'."""
        if not value:
            return ""
        locale = babel_locale_parse(get_lang(self.env).code)
        pattern = (
            str(locale.datetime_formats["medium"])
            .replace("{1}", locale.date_formats["medium"].pattern)
            .replace("{0}", locale.time_formats["short"].pattern)
        )
        # The reader's timezone, as QWeb's datetimes read it (the portal's
        # context), else the user's.
        tz = self.env.context.get("tz") or self.env.user.tz or "UTC"
        return format_datetime(self.env, value, tz=tz, dt_format=pattern)

    def _support_get_created_text(self):
        """The confirmation the customer reads right after sending the ticket."""
        self.ensure_one()
        first = self.sudo().ticket_sla_ids.filtered(
            lambda s: s.target == "first_response" and s.deadline
        )[:1]
        if first:
            return self.env._(
                "Ticket received, first answer due by %(deadline)s.",
                deadline=self._support_format_deadline(first.deadline),
            )
        return self.env._("Ticket received: our team will answer you soon.")

    def _support_get_estimate_balance(self):
        """Before approving a sent estimate, what will be left on the
        customer's packs, or the overdraft it makes and how that is settled."""
        self.ensure_one()
        if self.support_estimate_state != "sent" or not self.commercial_partner_id:
            return {"estimate_balance": "", "estimate_overdraft": False}
        quantity, unit = self._support_get_estimate_quantity()
        company = self.company_id.sudo() or self.env.company
        pack_model = self.env["support.pack"]
        today = fields.Date.context_today(self)
        packs = pack_model.sudo().search(
            [
                ("partner_id", "=", self.commercial_partner_id.id),
                ("company_id", "=", company.id),
                ("state", "=", "active"),
                ("unit", "=", unit),
                ("date_start", "<=", today),
                ("date_end", ">=", today),
            ]
        )
        available = max(sum(packs.mapped("quantity_remaining")), 0.0)
        left = available - quantity
        _ = self.env._
        if rounding_compare(left, 0.0) >= 0:
            text = _(
                "Approving it uses %(cost)s: %(left)s will be left on your "
                "packs (%(available)s now).",
                cost=pack_model._format_quantity(quantity, unit),
                left=pack_model._format_quantity(left, unit),
                available=pack_model._format_quantity(available, unit),
            )
            return {"estimate_balance": text, "estimate_overdraft": False}
        if company.support_overdraft_policy == "invoice":
            settled = _("it will be invoiced to you separately.")
        else:
            settled = _("it will be deducted from your next pack when it starts.")
        text = _(
            "Approving it uses %(cost)s while your packs have %(available)s "
            "left: %(over)s will go into overdraft, and %(settled)s",
            cost=pack_model._format_quantity(quantity, unit),
            available=pack_model._format_quantity(available, unit),
            over=pack_model._format_quantity(-left, unit),
            settled=settled,
        )
        return {"estimate_balance": text, "estimate_overdraft": True}

    def _support_get_attachment_links(self, attachments):
        """[{name, url}] to download ``attachments`` of the ticket (read by the
        caller, who checked the access to the ticket)."""
        links = []
        for attachment in attachments.sudo():
            if not attachment.access_token:
                attachment.generate_access_token()
            links.append(
                {
                    "name": attachment.name,
                    "url": f"/web/content/{attachment.id}?download=true"
                    f"&access_token={attachment.access_token}",
                }
            )
        return links

    def _get_support_customer_rules_values(self, links=True):
        """What the portal and the report tell of the customer's rules
        (``links``: download links of the components and proofs, which gives
        them an access token: not for the report, a read-only route)."""
        self.ensure_one()
        ticket = self.sudo()
        mode = ticket.support_service_mode_id
        closing_labels = {
            "awaiting_installation": self.env._(
                "Awaiting your installation: download the fixed component, "
                "install it, then confirm the fix."
            ),
            "awaiting_acceptance": self.env._(
                "Awaiting your acceptance: check the fix and confirm it."
            ),
            "accepted": self.env._("Fix accepted."),
            "proven": self.env._("Fix verified by our team."),
        }
        status = ticket.support_closing_status
        return {
            "billed_reason": ticket.support_billed_reason,
            "estimate_cost": ticket.support_estimate_cost,
            "service_mode": mode.name if mode else "",
            "closing_status": status,
            "closing_text": closing_labels.get(status, ""),
            "acceptance_deadline": status == "awaiting_acceptance"
            and ticket._support_get_acceptance_deadline(),
            "components": ticket._support_get_attachment_links(
                ticket.support_component_attachment_ids
            )
            if links and mode.install_by == "customer"
            else [],
            "proof_note": plaintext2html(ticket.support_proof_note)
            if mode.verify_by == "vendor" and ticket.support_proof_note
            else "",
            "proofs": ticket._support_get_attachment_links(
                ticket.support_proof_attachment_ids
            )
            if links and mode.verify_by == "vendor"
            else [],
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
        """The customer approves or refuses the sent estimate; an approval
        records the approved amount."""
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
        if approve:
            self._support_record_estimate_amount(partner)
        return True

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
    def _support_get_portal_priority_levels(
        self, partner, teams=None, default_team=None
    ):
        """The levels the portal form offers, each with its description, the
        SLA targets the ticket will get and its cost: those of the team the
        customer picks among ``teams`` (never a level 3 team), or of
        ``default_team`` (the company's default portal team) when none is
        picked or picking is off."""
        company = self.env.company
        labels = dict(self._fields["priority"]._description_selection(self.env))
        descriptions = self._support_get_priority_descriptions()
        unit = self._support_get_customer_unit(partner, company)
        team_model = self.env["helpdesk.ticket.team"]
        teams = (teams or team_model).filtered(lambda t: t.sudo().support_level != "3")
        default_team = default_team or team_model
        levels = []
        for priority in labels:
            # (team id shown for, texts): "" is the default team's line, shown
            # while no team is picked (static/src/js/portal_new_ticket.js).
            per_team = [
                (team.id, team, self._support_get_sla_texts(team, priority, company))
                for team in teams
            ]
            if default_team or not teams:
                default_texts = self._support_get_sla_texts(
                    default_team, priority, company
                )
                per_team.insert(0, ("", default_team, default_texts))
            sla_teams = []
            if len({tuple(texts) for __, __, texts in per_team}) <= 1:
                slas = per_team[0][2]
            else:
                slas = []
                sla_teams = [
                    {"team_id": team_id, "team": team.name, "texts": texts}
                    for team_id, team, texts in per_team
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
