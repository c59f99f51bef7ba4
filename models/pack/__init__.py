# Packs and their ledger: the pack product, its sale and invoice, the pack,
# its moves, and their jobs by concern.
from . import support_unit_dimension
from . import product_template
from . import support_pack
from . import support_pack_locking
from . import support_pack_renewal
from . import support_pack_move
from . import support_pack_overdraft
from . import support_pack_forecast
from . import support_pack_top_up
from . import sale_order
from . import sale_order_line
from . import account_move
