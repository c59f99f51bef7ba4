from . import support_release
from . import helpdesk_ticket_release
from . import resource_calendar_leaves
