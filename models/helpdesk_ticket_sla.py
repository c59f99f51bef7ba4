# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import float_compare, format_datetime

from odoo.addons.resource.models.utils import make_aware

from ..lib.guard import internal, is_internal, with_flag
from ..lib.sla import (
    allowed_hours,
    elapsed_hours_24_7,
    plan_hours_24_7,
    plan_on_intervals,
    warning_hours,
)

# Private flag: the working intervals read while planning SLA targets, shared
# by helpdesk_mgmt_sla's planning and this addon's (resource.calendar).
SLA_INTERVALS_MEMO = "helpdesk_support_pack_sla_intervals"
WARNING_PERCENT_PARAM = "helpdesk_support_pack.sla_warning_percent"
DEFAULT_WARNING_PERCENT = 80


class HelpdeskTicketSla(models.Model):
    _name = "helpdesk.ticket.sla"
    _inherit = ["helpdesk.ticket.sla", "support.protected.mixin"]

    target = fields.Selection(related="sla_id.target", store=True)
    status = fields.Selection(
        [("ongoing", "Ongoing"), ("reached", "Reached"), ("breached", "Breached")],
        compute="_compute_status",
        store=True,
        index=True,
        help="A breached target stays breached, even when reached afterwards.",
    )
    reached_date = fields.Datetime(readonly=True, copy=False)
    warning_deadline = fields.Datetime(
        string="Warning at",
        compute="_compute_deadline",
        store=True,
        help="When the share of the allowed time set in the settings (80 % by "
        "default) is used up: the assignee gets a warning activity.",
    )
    warning_date = fields.Datetime(
        string="Warned on", readonly=True, copy=False, index="btree_not_null"
    )
    escalation_date = fields.Datetime(
        string="Escalated on", readonly=True, copy=False, index="btree_not_null"
    )

    @api.depends("state")
    def _compute_status(self):
        statuses = {"accomplished": "reached", "expired": "breached"}
        for record in self:
            record.status = statuses.get(record.state, "ongoing")

    @api.depends("sla_id")
    def _compute_sla_data(self):
        res = super()._compute_sla_data()
        for record in self:
            record.hours = record._get_sla_allowed_hours()
            if record.sla_id.target != "first_response":
                continue
            # helpdesk_mgmt_sla compares stages: a first response has no stage.
            record.expected_stage_id = False
            if record.ticket_id.first_response_date:
                record.state = "accomplished"
            elif record.ticket_id.stage_id in record.sla_id.ignore_stage_ids:
                record.state = "on_hold"
            else:
                record.state = "in_progress"
        return res

    @api.depends("hours", "consumed_time", "ticket_id", "last_state_date", "state")
    def _compute_deadline(self):
        """helpdesk_mgmt_sla plans the deadline on the team's calendar; the
        targets counted on another clock (24/7, or the company's calendar for a
        team without one) are re-planned here, and the warning point of every
        running target is planned alongside, in one read of the calendar for
        all the targets that start together.

        helpdesk_mgmt_sla plans each target on its own: while both plan, the
        calendar answers a request for the same working intervals once (the
        targets of a ticket start together), see ``resource.calendar``.
        """
        records = with_flag(self, SLA_INTERVALS_MEMO, {})
        hosted = records.filtered(lambda record: record._is_sla_planned_by_host())
        res = super(HelpdeskTicketSla, hosted)._compute_deadline()
        percent = self._get_warning_percent()
        todo = defaultdict(list)
        for record in records:
            if record.state in ["accomplished", "expired"] and record.deadline:
                # A reached or breached target keeps its deadline.
                continue
            start = record._get_sla_start()
            if not start:
                record.deadline = record.warning_deadline = False
                continue
            todo[record._get_sla_calendar(), start].append(record)
        for (calendar, start), records in todo.items():
            offsets = []
            for record in records:
                offsets += [
                    record.hours - record.consumed_time,
                    warning_hours(record.hours, percent) - record.consumed_time,
                ]
            points = self._plan_sla_offsets(calendar, start, offsets)
            for record, deadline, warning in zip(
                records, points[::2], points[1::2], strict=True
            ):
                if record not in hosted:
                    record.deadline = deadline
                record.warning_deadline = warning
        return res

    @api.model
    def _support_protected_fields(self):
        """A target's result is planned and judged by the SLA flows only:
        helpdesk_mgmt_sla's (``set_sla``, ``refresh_sla``, ``_stage_recompute``,
        run as the agent who acts on the ticket, hence its create and write
        access on the lines) and this addon's (first response, alerts)."""
        return super()._support_protected_fields() + [
            "ticket_id",
            "sla_id",
            "state",
            "status",
            "target",
            "hours",
            "expected_stage_id",
            "deadline",
            "warning_deadline",
            "consumed_time",
            "last_state_date",
            "reached_date",
            "warning_date",
            "escalation_date",
            "warning_activity_id",
            "escalation_activity_id",
        ]

    @api.model
    def _support_protected_message(self, labels):
        return self.env._(
            "%(fields)s of an SLA target cannot be set directly: the SLA flows "
            "write them (ticket creation, stage changes, first response, alerts).",
            fields=labels,
        )

    @api.model_create_multi
    def create(self, vals_list):
        if not is_internal(self.env):
            raise AccessError(
                self.env._(
                    "SLA targets cannot be created directly: a ticket gets them "
                    "from the SLA policies that apply to it (at its creation, "
                    "with Set SLA, or when its priority changes)."
                )
            )
        records = super().create(vals_list)
        # helpdesk_mgmt_sla computes the starting state from the ticket's stage
        # but depends on the policy only: compute it now, before a later write
        # in the same transaction changes the stage.
        records.mapped("state")
        return records

    def write(self, vals):
        self._support_check_protected(vals)
        return super().write(vals)

    def _stage_recompute(self):
        """helpdesk_mgmt_sla's state machine (called on stage changes), then
        this addon's rules on the same transitions.

        helpdesk_mgmt_sla counts time on the team's calendar and judges by the
        stage and the deadline; here time is counted on the policy's clock, a
        target reached after its allowed time is breached (also when it was
        paused meanwhile), a first response is reached by a reply instead of a
        stage, and a breached target never comes back.

        Both write the target's protected fields: they do it with the mark of
        the SLA flows, and the rights of the user who acts on the ticket.
        """
        self.ensure_one()
        flow = internal(self, sudo=False)
        if self.state == "expired":
            return super(HelpdeskTicketSla, flow)._stage_recompute()
        now = fields.Datetime.now()
        state, consumed = self.state, self.consumed_time
        if state == "in_progress" and self.last_state_date:
            consumed += self._get_sla_work_hours(self.last_state_date, now)
        res = None
        if state != "in_progress" or (
            self.last_state_date and self.ticket_id.team_id.resource_calendar_id
        ):
            # (helpdesk_mgmt_sla cannot count a running target without a team
            # calendar)
            res = super(HelpdeskTicketSla, flow)._stage_recompute()
        values = {"consumed_time": consumed, "last_state_date": now}
        over = float_compare(consumed, self.hours, precision_digits=4) > 0
        if self._is_sla_target_reached():
            values["state"] = "accomplished"
            if state != "accomplished":
                values["state"] = "expired" if over else "accomplished"
                values["reached_date"] = now
        elif over and state == "in_progress":
            values["state"] = "expired"
        else:
            # Still running, or reopened.
            paused = self.ticket_id.stage_id in self.sla_id.ignore_stage_ids
            values["state"] = "on_hold" if paused else "in_progress"
            values["reached_date"] = False
        flow.write(values)
        return res

    # Clock -----------------------------------------------------------------

    def _is_sla_planned_by_host(self):
        """Whether helpdesk_mgmt_sla plans this target as this addon does: on
        the team's calendar, from a known start."""
        self.ensure_one()
        team_calendar = self.ticket_id.team_id.resource_calendar_id
        return bool(
            team_calendar
            and self._get_sla_calendar() == team_calendar
            and self._get_sla_start()
        )

    def _get_sla_start(self):
        """When the time of the target started counting (last resumed)."""
        self.ensure_one()
        return self.last_state_date or self.ticket_id.create_date

    def _get_sla_calendar(self):
        """Working calendar of the target; empty when counted 24/7."""
        self.ensure_one()
        if not self.sla_id.use_calendar:
            return self.env["resource.calendar"]
        ticket = self.ticket_id
        return (
            ticket.team_id.resource_calendar_id
            or ticket.company_id.resource_calendar_id
            or self.env.company.resource_calendar_id
        )

    def _get_sla_allowed_hours(self):
        self.ensure_one()
        calendar = self._get_sla_calendar()
        if not calendar:
            return allowed_hours(self.sla_id.days, self.sla_id.hours)
        return allowed_hours(
            self.sla_id.days, self.sla_id.hours, calendar.hours_per_day
        )

    @api.model
    def _plan_sla_offsets(self, calendar, start, offsets):
        """Datetimes ``offsets`` hours of ``calendar`` (empty: 24/7) after
        ``start``; public holidays (global leaves) push them."""
        if not calendar:
            return [plan_hours_24_7(start, offset) for offset in offsets]
        if any(offset < 0 for offset in offsets):
            # Planned backwards (time already overrun): rare, one by one.
            return [
                calendar.plan_hours(offset, start, compute_leaves=True)
                for offset in offsets
            ]
        aware_start, revert = make_aware(start)
        # plan_hours' windows (14 days, 1400 days at most): the intervals it
        # read for the same start are reused (SLA_INTERVALS_MEMO).
        intervals, total, window = [], 0.0, timedelta(days=14)
        for n in range(100):
            window_start = aware_start + window * n
            for begin, end, _meta in calendar._work_intervals_batch(
                window_start, window_start + window
            )[False]:
                intervals.append((begin, end))
                total += (end - begin).total_seconds() / 3600.0
            if total >= max(offsets):
                break
        return [
            point and revert(point) for point in plan_on_intervals(intervals, offsets)
        ]

    def _get_sla_work_hours(self, start, end):
        """Hours of the target's clock between ``start`` and ``end``."""
        self.ensure_one()
        calendar = self._get_sla_calendar()
        if not calendar:
            return elapsed_hours_24_7(start, end)
        return calendar.get_work_hours_count(start, end, compute_leaves=True)

    def _is_sla_target_reached(self):
        self.ensure_one()
        if self.target == "first_response":
            return bool(self.ticket_id.first_response_date)
        return self.ticket_id.stage_id.sequence >= self.expected_stage_id.sequence

    @api.model
    def _get_warning_percent(self):
        value = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param(WARNING_PERCENT_PARAM, DEFAULT_WARNING_PERCENT)
        )
        try:
            return int(value)
        except (TypeError, ValueError):
            return DEFAULT_WARNING_PERCENT

    @api.model
    def _recompute_warning_deadlines(self):
        """Re-plan the warning of the open targets (the setting changed)."""
        records = self.sudo().search([("state", "in", ["in_progress", "on_hold"])])
        self.env.add_to_compute(self._fields["warning_deadline"], records)
        records._recompute_recordset(["warning_deadline"])

    def _reach_sla_target(self):
        """Re-evaluate ongoing targets whose event just happened."""
        for record in self.filtered(lambda r: r.state in ("in_progress", "on_hold")):
            record._stage_recompute()

    # Warning and escalation ------------------------------------------------

    @api.model
    def _get_warning_domain(self, now):
        return [
            ("state", "=", "in_progress"),
            ("warning_date", "=", False),
            ("escalation_date", "=", False),
            ("warning_deadline", "<=", now),
            ("deadline", ">", now),
            ("ticket_id.active", "=", True),
        ]

    @api.model
    def _get_breach_domain(self, now):
        # (a target already late when the addon was installed is recorded as
        # breached, not escalated: hooks.fill_ticket_sla_lines)
        return [
            ("state", "=", "in_progress"),
            ("status", "=", "ongoing"),
            ("escalation_date", "=", False),
            ("deadline", "<=", now),
            ("ticket_id.active", "=", True),
        ]

    def _get_escalation_message(self):
        self.ensure_one()
        return self.env._(
            "SLA breached: %(target)s was due %(deadline)s.",
            target=self.sla_id.name,
            deadline=self._format_sla_deadline(self._get_escalation_user()),
        )

    def _format_sla_deadline(self, user):
        calendar_tz = self._get_sla_calendar().tz
        tz = user.tz or calendar_tz or "UTC"
        return format_datetime(self.env, self.deadline, tz=tz, dt_format="short")
