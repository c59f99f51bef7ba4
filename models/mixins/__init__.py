from . import support_protected_mixin
from . import support_append_only_mixin
