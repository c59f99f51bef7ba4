from . import support_pack_adjust
