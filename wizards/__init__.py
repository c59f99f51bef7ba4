from . import support_pack_adjust
from . import support_pack_statement
