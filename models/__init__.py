# The addon's models by domain, each folder standing alone (docs/DEVELOP.md):
# mixins first (the models below inherit them), then packs and their ledger,
# the customer's rules, the configuration, the ticket, the consumption of the
# packs by timesheets, the deferred work, the SLA, the subscriptions, the
# release train of level 3 fixes.
from . import mixins
from . import pack
from . import customer
from . import configuration
from . import ticket
from . import consumption
from . import queue
from . import sla
from . import subscription
from . import release
