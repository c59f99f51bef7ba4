# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A public holiday or a freeze (a global time off of a release calendar)
entered after fixes were planned: the releases it covers are skipped and
their fixes move to the next release (``support.release._support_replan``).
The SLA's cache of working intervals is cleared by the same records' mixin
(models/sla/resource_calendar.py)."""

from odoo import api, models


class ResourceCalendarLeaves(models.Model):
    _inherit = "resource.calendar.leaves"

    @api.model_create_multi
    def create(self, vals_list):
        leaves = super().create(vals_list)
        leaves._support_replan_releases()
        return leaves

    def write(self, vals):
        res = super().write(vals)
        if {"date_from", "date_to", "calendar_id", "resource_id", "company_id"} & set(
            vals
        ):
            self._support_replan_releases()
        return res

    def _support_replan_releases(self):
        """Replan the planned releases these global leaves now cover."""
        leaves = self.sudo().filtered(lambda leave: not leave.resource_id)
        if not leaves:
            return
        releases = (
            self.env["support.release"]
            .sudo()
            .search(
                [
                    ("state", "=", "planned"),
                    ("date", ">=", min(leaves.mapped("date_from"))),
                    ("date", "<=", max(leaves.mapped("date_to"))),
                ]
            )
        )
        skipped = releases.filtered(
            lambda release: any(
                leave._support_skips_release(release) for leave in leaves
            )
        )
        skipped._support_replan()

    def _support_skips_release(self, release):
        self.ensure_one()
        company = release.company_id
        calendar = company._support_release_calendar()
        applies = (
            self.calendar_id == calendar
            if self.calendar_id
            else (not self.company_id or self.company_id == company)
        )
        return bool(
            calendar and applies and self.date_from <= release.date <= self.date_to
        )
