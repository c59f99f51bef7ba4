# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The customer's own rules on a ticket: declared urgency, urgent always
billed, authorized contacts, estimates in the customer's unit, service modes."""

from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import plaintext2html

from ..lib import rounding
from ..lib.guard import get_flag, internal, with_flag
from .support_pack import UNITS

# Private flag (lib.guard.with_flag): a ticket created by the mail gateway,
# which runs as the sender's user; it is created and flagged, not refused.
MAIL_GATEWAY_KEY = "helpdesk_support_pack_mail_gateway"


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    # Urgent always billed -------------------------------------------------
    support_billed_reason = fields.Char(
        string="Billing Note",
        compute="_compute_support_billed_reason",
        help="Why time on this ticket is counted although its category is "
        "included in the support contract.",
    )
    # Authorized contacts --------------------------------------------------
    support_unauthorized_contact = fields.Boolean(
        string="Not an Authorized Contact",
        compute="_compute_support_unauthorized_contact",
        store=True,
        help="The customer restricts support to its authorized contacts and "
        "this ticket came from another contact (by email): check with an "
        "authorized contact before working on it.",
    )
    # Estimates in the customer's unit -------------------------------------
    support_estimate_quantity = fields.Float(
        string="Approved Amount",
        readonly=True,
        copy=False,
        digits=(16, 2),
        tracking=True,
        help="What the approved estimate costs in the unit of the customer's "
        "pack, priority multiplier included. Consumption beyond it needs a new "
        "approval.",
    )
    support_estimate_unit = fields.Selection(
        UNITS,
        string="Approved Amount Unit",
        readonly=True,
        copy=False,
    )
    support_estimate_cost = fields.Char(
        string="Estimate Cost",
        compute="_compute_support_estimate_cost",
        help="The estimate in the unit of the pack it will draw from, priority "
        "multiplier included.",
    )
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

    @api.depends("partner_id")
    def _compute_support_unauthorized_contact(self):
        for ticket in self:
            ticket.support_unauthorized_contact = bool(
                ticket.partner_id and not ticket.partner_id._support_is_authorized()
            )

    @api.depends(
        "support_estimate_hours",
        "support_estimate_state",
        "support_estimate_quantity",
        "priority",
        "partner_id",
    )
    @api.depends_context("lang")
    def _compute_support_estimate_cost(self):
        pack_model = self.env["support.pack"]
        for ticket in self:
            if ticket.support_estimate_state == "approved" and (
                ticket.support_estimate_unit
            ):
                quantity = ticket.support_estimate_quantity
                unit = ticket.support_estimate_unit
            elif ticket.support_estimate_hours > 0 and ticket.commercial_partner_id:
                quantity, unit = ticket._support_get_estimate_quantity()
            else:
                ticket.support_estimate_cost = False
                continue
            ticket.support_estimate_cost = pack_model._format_quantity(quantity, unit)

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

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model
    def _support_protected_fields(self):
        """The approved amount is written by the approval only."""
        return super()._support_protected_fields() + [
            "support_estimate_quantity",
            "support_estimate_unit",
        ]

    @api.model_create_multi
    def create(self, vals_list):
        partner_model = self.env["res.partner"]
        user_partner = self.env.user.partner_id
        if (
            self.env.user.share
            and not get_flag(self.env, MAIL_GATEWAY_KEY)
            and not user_partner._support_is_authorized()
        ):
            # The portal form (and any portal user's call): only the authorized
            # contacts submit. By email the ticket is created, flagged for the
            # team (support_unauthorized_contact).
            raise UserError(user_partner._support_get_not_authorized_message())
        for vals in vals_list:
            partner = partner_model.browse(vals.get("partner_id")).exists()
            if partner and "support_service_mode_id" not in vals:
                mode = partner.sudo().commercial_partner_id.support_service_mode_id
                vals["support_service_mode_id"] = mode.id
        return super().create(vals_list)

    @api.model
    def message_new(self, msg, custom_values=None):
        # An email of a contact who is not authorized is still a ticket: the
        # team sees it flagged (support_unauthorized_contact).
        return super(HelpdeskTicket, with_flag(self, MAIL_GATEWAY_KEY)).message_new(
            msg, custom_values=custom_values
        )

    def write(self, vals):
        stage = self.env["helpdesk.ticket.stage"].browse(vals.get("stage_id") or [])
        closing = (
            self.filtered(lambda t: not t.stage_id.closed)
            if stage and stage.closed
            else self.browse()
        )
        res = super().write(vals)
        if closing and not self.env.user.share:
            # The vendor closes: the mode's requirements. A customer closing
            # their own ticket from the portal (helpdesk_mgmt's button) needs
            # neither a component nor a proof.
            closing._support_check_closing()
        return res

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
        ) or pack_model.search(
            [
                ("partner_id", "=", commercial.id),
                ("company_id", "=", company.id),
                ("state", "!=", "cancelled"),
            ],
            order="date_end desc, id desc",
            limit=1,
        )
        return pack.unit or "credit"

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
        for priority in ("0", "1", "2", "3"):
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

    # ------------------------------------------------------------------
    # Authorized contacts
    # ------------------------------------------------------------------
    def _support_check_customer(self, partner):
        res = super()._support_check_customer(partner)
        partner._support_check_authorized()
        return res

    # ------------------------------------------------------------------
    # Estimates in the customer's unit
    # ------------------------------------------------------------------
    def _support_get_estimate_quantity(self):
        """(quantity, unit) the estimate costs on the customer's pack: rounded
        to the started period, times the priority multiplier."""
        self.ensure_one()
        company = self.company_id.sudo() or self.env.company
        unit = self._support_get_customer_unit(self.commercial_partner_id, company)
        minutes = company.support_rounding_minutes or 15
        rounded = rounding.round_up_hours(self.support_estimate_hours, minutes)
        quantity = rounding.consumed_quantity(
            rounded, unit, company._support_get_multiplier(self.priority), minutes
        )
        return quantity, unit

    def _support_record_estimate_amount(self, partner=None):
        """Record the approved amount on the ticket and in the chatter."""
        for ticket in self:
            quantity, unit = ticket._support_get_estimate_quantity()
            internal(ticket).write(
                {"support_estimate_quantity": quantity, "support_estimate_unit": unit}
            )
            body = Markup("<p>%s</p>") % self.env._(
                "Approved amount: %(amount)s (estimate %(hours)s h, priority "
                "multiplier included).",
                amount=self.env["support.pack"]._format_quantity(quantity, unit),
                hours=format(ticket.support_estimate_hours, "g"),
            )
            ticket.message_post(
                body=body,
                author_id=partner.id if partner else None,
                subtype_xmlid="mail.mt_note",
            )

    def _support_portal_answer_estimate(self, approve, partner):
        res = super()._support_portal_answer_estimate(approve, partner)
        if approve:
            self._support_record_estimate_amount(partner)
        return res

    def action_support_approve_estimate_phone(self):
        res = super().action_support_approve_estimate_phone()
        self._support_record_estimate_amount()
        return res

    # ------------------------------------------------------------------
    # Service modes
    # ------------------------------------------------------------------
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

    # ------------------------------------------------------------------
    # Portal and report
    # ------------------------------------------------------------------
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

    def _get_support_portal_values(self):
        values = super()._get_support_portal_values()
        values["rules"] = self._get_support_customer_rules_values()
        return values

    def _get_support_report_values(self):
        values = super()._get_support_report_values()
        rules = self._get_support_customer_rules_values(links=False)
        rules["proof_names"] = self.sudo().support_proof_attachment_ids.mapped("name")
        values["rules"] = rules
        return values
