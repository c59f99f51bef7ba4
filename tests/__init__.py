from . import test_support_reports
from . import test_support_pack_sale
from . import test_support_pack_ledger
from . import test_support_pack_expiry
from . import test_support_pack_access
from . import test_support_tools
from . import test_support_consumption
