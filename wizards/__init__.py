from . import support_pack_adjust
from . import helpdesk_ticket_escalate
