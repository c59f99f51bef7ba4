from . import support_pack_adjust
from . import support_pack_statement
from . import helpdesk_ticket_escalate
