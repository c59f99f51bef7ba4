from . import account_analytic_line
from . import account_analytic_line_posting
from . import account_analytic_line_customer_rules
from . import account_analytic_line_preview
