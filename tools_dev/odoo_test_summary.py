#!/usr/bin/env python3
"""Judge an Odoo 18.0 test run from its log and print a one-line summary.

Usage: python3 tools_dev/odoo_test_summary.py --rc RC --module NAME LOGFILE

The run FAILS (exit 1) when any of these holds:
  * Odoo's exit code (RC) is not 0;
  * a log record at level ERROR or CRITICAL appears;
  * Odoo's final test report line is missing, or says 0 tests ran;
  * no test of the module ran (no ``Starting`` line from its tests and no
    ``odoo.tests.stats`` line for it).

The very last line printed is always ``odoo: N passed, M failed`` where
M = failures + errors and N = tests run - M.

Log lines of Odoo 18.0 this relies on (format ``%(asctime)s %(pid)s
%(levelname)s %(dbname)s %(name)s: %(message)s``):

  odoo/service/server.py (Server.run, after --stop-after-init), INFO when the
  suite succeeded, WARNING when it ran no test, ERROR when something failed:
    ... odoo.tests.result: 0 failed, 0 error(s) of 42 tests when loading
        database 'hsp_test_123'
  odoo/tests/result.py (OdooTestResult.log_stats), INFO, one per module; its
  count also includes the setUpClass/tearDownClass entries of each class:
    ... odoo.tests.stats: helpdesk_support_pack: 50 tests 3.21s 1234 queries
  odoo/tests/result.py (OdooTestResult.startTest), INFO, one per test:
    ... odoo.addons.helpdesk_support_pack.tests.test_x: Starting TestX.test_y ...
  odoo/modules/loading.py, ERROR, when at_install tests of a module failed:
    ... odoo.modules.loading: Module helpdesk_support_pack: 1 failures,
        0 errors of 42 tests
"""

import argparse
import re
import sys

ANSI = re.compile(r"\x1b\[[0-9;]*m")
RECORD = re.compile(
    r"^(?P<ts>\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},\d{3}) (?P<pid>\d+) "
    r"(?P<level>[A-Z]+) (?P<db>\S+) (?P<logger>[^\s:]+): (?P<msg>.*)$"
)
REPORT = re.compile(
    r"(?P<failed>\d+) failed, (?P<errors>\d+) error\(s\) of (?P<run>\d+) tests "
    r"when loading database"
)
STATS = re.compile(r"^(?P<module>[\w.]+): (?P<count>\d+) tests\b")
MODULE_FAIL = re.compile(
    r"^Module (?P<module>\S+): (?P<failed>\d+) failures, (?P<errors>\d+) errors "
    r"of (?P<run>\d+) tests"
)
MAX_SHOWN = 25


def parse(lines, module):
    test_logger = f"odoo.addons.{module}.tests."
    res = {
        "report": None,  # (failed, errors, run) from odoo.tests.result
        "module_stats": 0,  # from odoo.tests.stats (includes class set-ups)
        "module_started": 0,  # "Starting ..." lines of the module's tests
        "module_fail": [],  # (failed, errors, run) from odoo.modules.loading
        "bad_records": [],  # ERROR / CRITICAL records
    }
    for raw in lines:
        line = ANSI.sub("", raw.rstrip("\n"))
        m = RECORD.match(line)
        if not m:
            continue  # continuation line (traceback, multi-line message)
        level, logger, msg = m["level"], m["logger"], m["msg"]
        if level in ("ERROR", "CRITICAL"):
            res["bad_records"].append(line)
        if logger == "odoo.tests.result":
            r = REPORT.search(msg)
            if r:
                res["report"] = (int(r["failed"]), int(r["errors"]), int(r["run"]))
        elif logger == "odoo.tests.stats":
            s = STATS.match(msg)
            if s and s["module"] == module:
                res["module_stats"] += int(s["count"])
        elif logger.startswith(test_logger) and msg.startswith("Starting "):
            res["module_started"] += 1
        elif logger == "odoo.modules.loading":
            f = MODULE_FAIL.match(msg)
            if f and f["module"] == module:
                res["module_fail"].append(
                    (int(f["failed"]), int(f["errors"]), int(f["run"]))
                )
    return res


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("logfile")
    ap.add_argument("--rc", type=int, required=True, help="exit code of odoo")
    ap.add_argument("--module", required=True, help="technical name of the addon")
    args = ap.parse_args(argv)

    try:
        with open(args.logfile, encoding="utf-8", errors="replace") as fh:
            res = parse(fh, args.module)
    except OSError as exc:
        print(f"cannot read Odoo log {args.logfile}: {exc}")
        print("odoo: 0 passed, 0 failed")
        return 1

    problems = []
    if args.rc != 0:
        problems.append(f"odoo exited with code {args.rc}")
    if res["bad_records"]:
        problems.append(
            f"{len(res['bad_records'])} log record(s) at level ERROR/CRITICAL"
        )
    if res["report"] is None:
        problems.append(
            "Odoo's final test report ('... tests when loading database') is "
            "missing: the test suite did not run to its end"
        )
        failed = errors = 0
        run = res["module_started"]
        for f, e, r in res["module_fail"]:
            failed, errors = failed + f, errors + e
            run = max(run, r)
    else:
        failed, errors, run = res["report"]
        if run == 0:
            problems.append("Odoo ran 0 tests")
    if res["module_started"] == 0 and res["module_stats"] == 0:
        problems.append(
            f"no test of module '{args.module}' ran (no 'Starting' line from "
            f"odoo.addons.{args.module}.tests.* and no 'odoo.tests.stats: "
            f"{args.module}: N tests' line): are its tests missing or not "
            "imported in tests/__init__.py?"
        )

    bad = failed + errors
    passed = max(run - bad, 0)

    print(f"--- Odoo test log: {args.logfile}")
    if res["bad_records"]:
        print("--- ERROR/CRITICAL log records:")
        for line in res["bad_records"][:MAX_SHOWN]:
            print(f"  {line}")
        if len(res["bad_records"]) > MAX_SHOWN:
            print(f"  ... and {len(res['bad_records']) - MAX_SHOWN} more")
    print(
        f"--- {args.module}: {res['module_started']} test(s) started; "
        f"Odoo's report: {run} run, {failed} failed, {errors} error(s)"
    )
    if problems:
        print("--- TEST RUN FAILED:")
        for p in problems:
            print(f"  * {p}")
    else:
        print("--- TEST RUN OK")
    print(f"odoo: {passed} passed, {bad} failed")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
