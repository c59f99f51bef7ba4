from . import support_queue_mixin
from . import support_posting_queue
from . import support_report_queue
