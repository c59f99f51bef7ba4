# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from math import ceil

from pytz import utc

from odoo import api, fields, models, tools
from odoo.exceptions import AccessError
from odoo.tools import float_compare, format_datetime

from odoo.addons.resource.models.utils import make_aware

from ...lib.guard import internal, is_internal
from ...lib.sla import (
    DEFAULT_WARNING_PERCENT,
    WARNING_PERCENT_PARAM,
    allowed_hours,
    elapsed_hours_24_7,
    plan_hours_24_7,
    plan_on_intervals,
    warning_hours,
)

# How far ``resource.calendar.plan_hours`` looks ahead (100 windows of 14 days).
PLANNING_HORIZON = timedelta(days=1400)


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
        """Each deadline is planned once, by one of two planners.

        helpdesk_mgmt_sla plans the targets it knows: a resolution counted in
        working hours on the team's calendar (``_is_sla_planned_by_host``).
        It plans on the team's calendar only and offers no hook for another
        clock, so this addon plans the other targets outright (24/7, the
        company's calendar, first response), and the warning point of every
        target (``_plan_sla_targets``).
        """
        hosted = self.filtered(lambda record: record._is_sla_planned_by_host())
        res = super(HelpdeskTicketSla, hosted)._compute_deadline()
        self._plan_sla_targets(hosted)
        return res

    def _plan_sla_targets(self, hosted):
        """This addon's planner: the warning point of every target, and the
        deadline of the targets not in ``hosted`` (whose deadline
        helpdesk_mgmt_sla has just planned). Targets counted on the same
        calendar from the same start (those of a ticket) are planned together,
        on one read of the calendar's working intervals."""
        percent = self._get_warning_percent()
        hosted_ids = set(hosted.ids)
        todo = defaultdict(list)
        for record in self:
            if record.state in ["accomplished", "expired"] and record.deadline:
                # A reached or breached target keeps its deadline.
                continue
            start = record._get_sla_start()
            if not start:
                record.deadline = record.warning_deadline = False
                continue
            offsets = [warning_hours(record.hours, percent) - record.consumed_time]
            if record.id not in hosted_ids:
                offsets.append(record.hours - record.consumed_time)
            todo[record._get_sla_calendar(), start].append((record, offsets))
        for (calendar, start), targets in todo.items():
            points = iter(
                self._plan_sla_offsets(
                    calendar, start, [o for _record, offs in targets for o in offs]
                )
            )
            for record, offsets in targets:
                record.warning_deadline = next(points)
                if len(offsets) > 1:
                    record.deadline = next(points)

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
                    "with Update SLA targets, or when its team or priority changes)."
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
        this addon's rules on the same transitions (``_settle_sla_target``),
        then the alerts of a reached target or a closed ticket are done.

        Both write the target's protected fields: they do it with the mark of
        the SLA flows, and the rights of the user who acts on the ticket.
        """
        self.ensure_one()
        flow = internal(self, sudo=False)
        state, consumed, since = self.state, self.consumed_time, self.last_state_date
        res = None
        if state != "in_progress" or self.ticket_id.team_id.resource_calendar_id:
            # helpdesk_mgmt_sla's limit: it counts a running target on the
            # team's calendar and fails on a team without one (which this
            # addon supports: 24/7 or the company's calendar). Only that
            # target skips it; _settle_sla_target counts it.
            res = super(HelpdeskTicketSla, flow)._stage_recompute()
        if state != "expired":
            flow._settle_sla_target(state, consumed, since)
        self._close_sla_activities_on_progress()
        return res

    def _settle_sla_target(self, state, consumed, since):
        """This addon's rules, from the target as it was before the stage
        change (``state``, ``consumed`` hours, running ``since``).

        helpdesk_mgmt_sla counts time on the team's calendar and judges by the
        stage and the deadline; here time is counted on the policy's clock, a
        target reached after its allowed time is breached (also when it was
        paused meanwhile), a first response is reached by a reply instead of a
        stage, and a breached target never comes back.
        """
        self.ensure_one()
        now = fields.Datetime.now()
        if state == "in_progress" and since:
            consumed += self._get_sla_work_hours(since, now)
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
        self.write(values)

    # Clock -----------------------------------------------------------------

    def _is_sla_planned_by_host(self):
        """Whether helpdesk_mgmt_sla plans this target's deadline: a resolution
        (a target stage, as it knows them) counted in working hours on the
        team's calendar (the only clock it knows), from a known start."""
        self.ensure_one()
        return bool(
            self.sla_id.target == "resolution"
            and self.sla_id.use_calendar
            and self.ticket_id.team_id.resource_calendar_id
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
        ``start``, as ``resource.calendar.plan_hours`` plans them (public
        holidays, i.e. global leaves, push them), on one read of the working
        intervals for all of them."""
        if not calendar:
            return [plan_hours_24_7(start, offset) for offset in offsets]
        if any(offset < 0 for offset in offsets):
            # Planned backwards (time already overrun): rare, one by one.
            return [
                calendar.plan_hours(offset, start, compute_leaves=True)
                for offset in offsets
            ]
        aware_start, revert = make_aware(start)
        # Whole UTC days of about the working days needed (5 a week), read
        # again further on while the offsets are not reached, up to
        # plan_hours' reach. Whole days: the tickets of a day share a read.
        days = ceil(max(offsets) / (calendar.hours_per_day or 8.0) * 7 / 5) + 3
        day = aware_start.astimezone(utc).date().toordinal()
        end = aware_start + PLANNING_HORIZON
        company_ids = None if self.env.su else tuple(sorted(self.env.companies.ids))
        intervals, total = [], 0.0
        while datetime.combine(date.fromordinal(day), time.min, utc) < end:
            for begin, stop in self._get_sla_work_intervals(
                calendar.id, calendar.tz, company_ids, day, days
            ):
                if stop <= aware_start:
                    continue
                begin = max(begin, aware_start)
                intervals.append((begin, stop))
                total += (stop - begin).total_seconds() / 3600.0
            if total >= max(offsets):
                break
            day += days
        return [
            point and revert(point) for point in plan_on_intervals(intervals, offsets)
        ]

    @api.model
    @tools.ormcache("calendar_id", "tz", "company_ids", "day", "days")
    def _get_sla_work_intervals(self, calendar_id, tz, company_ids, day, days):
        """Working intervals ``(start, stop)`` of the calendar (public
        holidays, i.e. global leaves, taken out) over ``days`` whole UTC days
        from the day number ``day``, as a tuple of aware datetimes.

        Cached (registry's default cache): ticket creation plans on the same
        days again and again. ``tz`` and the allowed companies (``None`` as
        superuser; leaves have a company rule) are part of the key; the cache
        is cleared when a calendar, its attendances or a leave change
        (``models/sla/resource_calendar.py``).
        """
        calendar = self.env["resource.calendar"].browse(calendar_id)
        window_start = datetime.combine(date.fromordinal(day), time.min, utc)
        window_end = window_start + timedelta(days=days)
        return tuple(
            (begin, stop)
            for begin, stop, _meta in calendar._work_intervals_batch(
                window_start, window_end
            )[False]
        )

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
