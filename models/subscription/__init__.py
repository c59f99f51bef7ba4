from . import product_template_subscription
from . import contract_line
from . import account_move_line
