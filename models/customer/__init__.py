from . import res_partner
from . import support_service_mode
from . import support_configuration_item
from . import support_delivery
from . import sale_order_portal
