from . import product_template
from . import support_pack
from . import support_pack_move
from . import sale_order
from . import sale_order_line
from . import account_move
from . import res_partner
