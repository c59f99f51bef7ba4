# The SLA: policies, the targets of a ticket and their planning, alerts, report.
from . import resource_calendar
from . import helpdesk_sla
from . import helpdesk_ticket_sla
from . import helpdesk_ticket_sla_alerts
from . import helpdesk_ticket
from . import helpdesk_sla_report
