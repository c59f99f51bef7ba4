# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

import pytz
from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import format_date

from ...lib.guard import internal

# Targets handled per transaction by the SLA alert job: the cron framework
# commits after each batch (``ir.cron._notify_progress``) and runs the job
# again at once while some are left.
CRON_BATCH = 200
WARNING_TYPE = "helpdesk_support_pack.mail_activity_type_sla_warning"
ESCALATION_TYPE = "helpdesk_support_pack.mail_activity_type_sla_escalation"


class HelpdeskTicketSla(models.Model):
    """Warning before and escalation at breach, in batches; the alerts are
    automated activities (``activity_schedule``), done when the target is
    reached or the ticket closed."""

    _inherit = "helpdesk.ticket.sla"

    warning_activity_id = fields.Many2one(
        "mail.activity",
        readonly=True,
        copy=False,
        ondelete="set null",
    )
    escalation_activity_id = fields.Many2one(
        "mail.activity",
        readonly=True,
        copy=False,
        ondelete="set null",
    )

    # Job ---------------------------------------------------------------------

    @api.model
    def _cron_sla_alerts(self):
        """Escalate the breached targets, then warn the targets at risk; each
        at most once per target, at most CRON_BATCH targets per transaction."""
        now = fields.Datetime.now()
        breach_domain = self._get_breach_domain(now)
        breached = self.search(breach_domain, order="deadline, id", limit=CRON_BATCH)
        breached._escalate_breached(now)
        warning_domain = self._get_warning_domain(now)
        warned = self.browse()
        if len(breached) < CRON_BATCH:
            warned = self.search(
                warning_domain,
                order="warning_deadline, id",
                limit=CRON_BATCH - len(breached),
            )
            warned._warn_at_risk(now)
        done = len(breached) + len(warned)
        left = 0
        if done >= CRON_BATCH:
            left = self.search_count(breach_domain) + self.search_count(warning_domain)
        self.env["ir.cron"]._notify_progress(done=done, remaining=left)

    def _warn_at_risk(self, now):
        if not self:
            return
        self._schedule_sla_activities(WARNING_TYPE, "_get_warning_user")
        internal(self, sudo=False).write({"warning_date": now})

    def _escalate_breached(self, now):
        if not self:
            return
        internal(self, sudo=False).write({"state": "expired", "escalation_date": now})
        self._schedule_sla_activities(ESCALATION_TYPE, "_get_escalation_user")
        bodies = defaultdict(list)
        for record in self:
            bodies[record.ticket_id.id].append(record._get_escalation_message())
        self.ticket_id._message_log_batch(
            bodies={
                ticket_id: Markup("<br/>").join(messages)
                for ticket_id, messages in bodies.items()
            }
        )

    # Activities ----------------------------------------------------------------

    def _schedule_sla_activities(self, type_xmlid, user_method):
        """One automated activity per target (``activity_schedule``), due on the
        day of the target's deadline in the assignee's timezone, with a summary
        in the assignee's language. Targets of the same assignee, policy and
        due day share one ``activity_schedule`` call: a run costs the same
        queries for 10 or 200 targets. Like Odoo's own scheduled jobs, without
        the "assigned to you" email per activity (the activity is the alert)."""
        field = (
            "warning_activity_id"
            if type_xmlid == WARNING_TYPE
            else "escalation_activity_id"
        )
        groups = defaultdict(lambda: self.browse())
        for record in self:
            user = getattr(record, user_method)()
            if user:
                day = record._get_sla_local_deadline(user).date()
                groups[user, record.sla_id, day] |= record
        for (user, sla, day), records in groups.items():
            env = self.with_context(lang=user.lang or self.env.lang).env
            summary = env._(
                "%(target)s due %(date)s",
                target=sla.name,
                date=format_date(env, day),
            )
            activities = (
                records.ticket_id.sudo()
                .with_context(mail_activity_quick_update=True)
                .activity_schedule(
                    type_xmlid, date_deadline=day, summary=summary, user_id=user.id
                )
            )
            by_ticket = {activity.res_id: activity for activity in activities}
            for record in internal(records, sudo=False):
                record[field] = by_ticket.get(record.ticket_id.id)

    def _get_sla_local_deadline(self, user):
        """The deadline in the assignee's timezone (else the policy's)."""
        tz = user.tz or self._get_sla_calendar().tz or "UTC"
        return pytz.utc.localize(self.deadline).astimezone(pytz.timezone(tz))

    def _close_sla_activities(self, feedback):
        """Mark the alerts of these targets done (reached, or ticket closed)."""
        activities = (self.warning_activity_id | self.escalation_activity_id).filtered(
            "active"
        )
        if activities:
            activities.sudo().action_feedback(feedback=feedback)

    def _close_sla_activities_on_progress(self):
        """After a stage change: the alerts of a reached target, or of a
        closed ticket, are done."""
        if self.reached_date:
            self._close_sla_activities(self.env._("SLA target reached."))
        elif self.ticket_id.stage_id.closed:
            self._close_sla_activities(self.env._("Ticket closed."))

    def _get_escalation_user(self):
        self.ensure_one()
        return self.ticket_id.team_id.user_id or self.ticket_id.user_id

    def _get_warning_user(self):
        self.ensure_one()
        return self.ticket_id.user_id or self.ticket_id.team_id.user_id
