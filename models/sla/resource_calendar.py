# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The SLA planner caches the working intervals of a calendar
(``helpdesk.ticket.sla._get_sla_work_intervals``): what they are read from
clears the cache when it changes (calendars, their attendances, leaves)."""

from odoo import api, models


class SupportSlaIntervalsSource(models.AbstractModel):
    _name = "support.sla.intervals.source"
    _description = "Source of the SLA planner's working intervals"

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        records._clear_sla_work_intervals()
        return records

    def write(self, vals):
        before = self._is_sla_work_intervals_source()
        res = super().write(vals)
        if before or self._is_sla_work_intervals_source():
            self._clear_sla_work_intervals(force=True)
        return res

    def unlink(self):
        source = self._is_sla_work_intervals_source()
        res = super().unlink()
        if source:
            self._clear_sla_work_intervals(force=True)
        return res

    def _is_sla_work_intervals_source(self):
        """The planner reads the calendar's own intervals (no resource): a
        resource's attendance or leave (e.g. an employee's time off) is not
        read and leaves the cache alone."""
        if "resource_id" not in self._fields:
            return bool(self)
        return any(not record.resource_id for record in self)

    def _clear_sla_work_intervals(self, force=False):
        if force or self._is_sla_work_intervals_source():
            self.env.registry.clear_cache()


class ResourceCalendar(models.Model):
    _name = "resource.calendar"
    _inherit = ["resource.calendar", "support.sla.intervals.source"]


class ResourceCalendarAttendance(models.Model):
    _name = "resource.calendar.attendance"
    _inherit = ["resource.calendar.attendance", "support.sla.intervals.source"]


class ResourceCalendarLeaves(models.Model):
    _name = "resource.calendar.leaves"
    _inherit = ["resource.calendar.leaves", "support.sla.intervals.source"]
