from . import helpdesk_ticket
from . import helpdesk_ticket_estimate
from . import helpdesk_ticket_closing
from . import helpdesk_ticket_portal
from . import helpdesk_ticket_balance
from . import helpdesk_ticket_knowledge
