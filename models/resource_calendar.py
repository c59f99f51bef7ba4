# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models

from ..lib.guard import get_flag
from .helpdesk_ticket_sla import SLA_INTERVALS_MEMO


class ResourceCalendar(models.Model):
    _inherit = "resource.calendar"

    def _work_intervals_batch(
        self,
        start_dt,
        end_dt,
        resources=None,
        domain=None,
        tz=None,
        compute_leaves=True,
    ):
        """While SLA deadlines are planned (private flag set by
        ``helpdesk.ticket.sla._compute_deadline``), the same request is read
        once: helpdesk_mgmt_sla plans each target of a ticket on its own, from
        the same start, and this addon plans the warnings from there too. Same
        arguments, same answer: nothing else changes."""

        def read():
            return super(ResourceCalendar, self)._work_intervals_batch(
                start_dt,
                end_dt,
                resources=resources,
                domain=domain,
                tz=tz,
                compute_leaves=compute_leaves,
            )

        memo = get_flag(self.env, SLA_INTERVALS_MEMO)
        if memo is None:
            return read()
        key = (
            tuple(self.ids),
            start_dt,
            end_dt,
            # None and an empty recordset mean the same: the calendar alone
            tuple(resources.ids) if resources else (),
            repr(domain),
            str(tz) if tz is not None else None,
            compute_leaves,
        )
        if key not in memo:
            memo[key] = read()
        return memo[key]
