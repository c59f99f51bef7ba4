from . import support_pack_statement_report
