from . import portal_support
from . import portal_ticket
from . import portal_configuration
from . import portal_new_ticket
from . import portal_customer_rules
from . import portal_knowledge
