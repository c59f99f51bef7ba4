from . import support_pack_statement_report
from . import helpdesk_ticket_intervention_report
