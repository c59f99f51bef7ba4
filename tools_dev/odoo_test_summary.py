#!/usr/bin/env python3
"""Judge the Odoo 18.0 test runs of `make test` from their log; print a summary.

Usage: python3 tools_dev/odoo_test_summary.py --rc RC [--rc RC ...]
           --module NAME [--host-module NAME ...] LOGFILE

LOGFILE holds, one after the other, the logs of every Odoo run of `make test`
on one database: the install run (``-i NAME``) with the module's tests and the
host addons' post_install tests, then one ``--test-file`` run per host test
file holding at_install tests (run in the registry where the module is
loaded).  Each ``--rc`` is the exit code of one of those runs.  Without
``--host-module`` the summary is the one of a run of the module alone.

The run FAILS (exit 1) when any of these holds:
  * an Odoo exit code (RC) is not 0;
  * a log record at level ERROR or CRITICAL appears;
  * Odoo's final test report line of the install run is missing, or says 0
    tests ran;
  * no test of the module ran (no ``Starting`` line from its tests and no
    ``odoo.tests.stats`` line for it);
  * no test of a host module ran, or one of its tests failed.

The very last line printed is always
``odoo: N passed, M failed; host addons: K passed, L failed``: N and M count
the tests of the module, K and L those of the host modules together. Per
module, the tests run are its ``Starting`` lines; the failed ones are its
distinct ``FAIL:`` / ``ERROR:`` lines (a class set-up error counts as one);
passed = run - the failed ones among them.

Log lines of Odoo 18.0 this relies on (format ``%(asctime)s %(pid)s
%(levelname)s %(dbname)s %(name)s: %(message)s``):

  odoo/service/server.py (Server.run, after --stop-after-init), INFO when the
  suite succeeded, WARNING when it ran no test, ERROR when something failed;
  it counts every test of the run (the module's and the hosts' post_install
  ones) and a ``--test-file`` run prints none:
    ... odoo.tests.result: 0 failed, 0 error(s) of 42 tests when loading
        database 'hsp_test_123'
  odoo/tests/result.py (OdooTestResult.log_stats), INFO, one per module; its
  count also includes the setUpClass/tearDownClass entries of each class:
    ... odoo.tests.stats: helpdesk_support_pack: 50 tests 3.21s 1234 queries
  odoo/tests/result.py (OdooTestResult.startTest), INFO, one per test:
    ... odoo.addons.helpdesk_support_pack.tests.test_x: Starting TestX.test_y ...
  odoo/tests/result.py (OdooTestResult.logError), ERROR, one per failed test
  or subtest, on the test's logger; a class set-up error is logged by
  ``unittest.suite`` with the class's dotted path in parentheses:
    ... odoo.addons.helpdesk_mgmt.tests.test_x: FAIL: TestX.test_y
    ... odoo.addons.helpdesk_mgmt.tests.test_x: ERROR: Subtest TestX.test_y (i=1)
    ... unittest.suite: ERROR: setUpClass (odoo.addons.helpdesk_mgmt.tests.
        test_x.TestX)
  odoo/modules/loading.py, ERROR, when at_install tests of a module failed:
    ... odoo.modules.loading: Module helpdesk_support_pack: 1 failures,
        0 errors of 42 tests
"""

import argparse
import collections
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
TEST_LOGGER = re.compile(r"^odoo\.addons\.(?P<module>\w+)\.tests(?:\.|$)")
TEST_FAILURE = re.compile(r"^(?P<flavour>FAIL|ERROR): (?P<desc>.+?)\s*$")
DOTTED_MODULE = re.compile(r"\(odoo\.addons\.(?P<module>\w+)\.tests\.")
SUBTEST = re.compile(r"^Subtest (?P<test>\S+)")
MAX_SHOWN = 25


def _failed_test(desc):
    """The test a FAIL/ERROR description is about: subtests of one test are one
    failed test; a class-level error stays as it is."""
    m = SUBTEST.match(desc)
    return m["test"] if m else desc


def parse(lines, module, host_modules=()):
    modules = [module, *host_modules]
    res = {
        "report": None,  # (failed, errors, run) from odoo.tests.result
        "module_stats": 0,  # from odoo.tests.stats (includes class set-ups)
        "module_fail": [],  # (failed, errors, run) from odoo.modules.loading
        "bad_records": [],  # ERROR / CRITICAL records
        "started": collections.Counter(),  # module -> "Starting ..." lines
        "failed": collections.defaultdict(set),  # module -> failed tests
        "failures": [],  # (module, line) of each FAIL/ERROR test line
    }
    for raw in lines:
        line = ANSI.sub("", raw.rstrip("\n"))
        m = RECORD.match(line)
        if not m:
            continue  # continuation line (traceback, multi-line message)
        level, logger, msg = m["level"], m["logger"], m["msg"]
        if level in ("ERROR", "CRITICAL"):
            res["bad_records"].append(line)
        test_logger = TEST_LOGGER.match(logger)
        failure = TEST_FAILURE.match(msg) if level == "ERROR" else None
        if failure:
            owner = test_logger["module"] if test_logger else None
            dotted = DOTTED_MODULE.search(failure["desc"])
            if owner is None and dotted:
                owner = dotted["module"]
            if owner in modules:
                res["failed"][owner].add(_failed_test(failure["desc"]))
                res["failures"].append((owner, line))
        if logger == "odoo.tests.result":
            r = REPORT.search(msg)
            if r:
                res["report"] = (int(r["failed"]), int(r["errors"]), int(r["run"]))
        elif logger == "odoo.tests.stats":
            s = STATS.match(msg)
            if s and s["module"] == module:
                res["module_stats"] += int(s["count"])
        elif test_logger and msg.startswith("Starting "):
            res["started"][test_logger["module"]] += 1
        elif logger == "odoo.modules.loading":
            f = MODULE_FAIL.match(msg)
            if f and f["module"] == module:
                res["module_fail"].append(
                    (int(f["failed"]), int(f["errors"]), int(f["run"]))
                )
    return res


def counts(res, module):
    """(run, passed, failed) of one module's tests from the log."""
    run = res["started"][module]
    failed_tests = res["failed"][module]
    # A class set-up error fails tests that never started.
    failed_started = sum(1 for t in failed_tests if not t.startswith("setUpClass"))
    return run, max(run - failed_started, 0), len(failed_tests)


def _run_problems(args, res):
    """What is wrong with the runs as a whole (exit codes, errors, reports)."""
    problems = []
    bad_rcs = [rc for rc in args.rc if rc != 0]
    if bad_rcs:
        problems.append(
            f"{len(bad_rcs)} odoo run(s) exited with code(s) "
            f"{', '.join(map(str, bad_rcs))}"
        )
    if res["bad_records"]:
        problems.append(
            f"{len(res['bad_records'])} log record(s) at level ERROR/CRITICAL"
        )
    if res["report"] is None:
        problems.append(
            "Odoo's final test report ('... tests when loading database') is "
            "missing: the test suite did not run to its end"
        )
    elif res["report"][2] == 0:
        problems.append("Odoo ran 0 tests")
    if res["started"][args.module] == 0 and res["module_stats"] == 0:
        problems.append(
            f"no test of module '{args.module}' ran (no 'Starting' line from "
            f"odoo.addons.{args.module}.tests.* and no 'odoo.tests.stats: "
            f"{args.module}: N tests' line): are its tests missing or not "
            "imported in tests/__init__.py?"
        )
    return problems


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("logfile")
    ap.add_argument(
        "--rc",
        type=int,
        action="append",
        required=True,
        help="exit code of an odoo run (once per run)",
    )
    ap.add_argument("--module", required=True, help="technical name of the addon")
    ap.add_argument(
        "--host-module",
        action="append",
        default=[],
        help="a host addon whose own suite ran on the same database (repeat)",
    )
    args = ap.parse_args(argv)
    hosts = [h for h in args.host_module if h != args.module]

    try:
        with open(args.logfile, encoding="utf-8", errors="replace") as fh:
            res = parse(fh, args.module, hosts)
    except OSError as exc:
        print(f"cannot read Odoo log {args.logfile}: {exc}")
        print("odoo: 0 passed, 0 failed; host addons: 0 passed, 0 failed")
        return 1

    problems = _run_problems(args, res)

    run, passed, failed = counts(res, args.module)
    # Odoo's own count of the module's at_install failures, when it says more.
    # (The install run's final report also counts the hosts' post_install
    # tests: it is no count of the module's.)
    odoo_failed = sum(f + e for f, e, __ in res["module_fail"])
    if odoo_failed > failed:
        failed = odoo_failed
        passed = max(min(passed, run - failed), 0)
    host_passed = host_failed = 0
    host_lines = []
    for host in hosts:
        h_run, h_passed, h_failed = counts(res, host)
        host_passed += h_passed
        host_failed += h_failed
        host_lines.append(
            f"--- host {host}: {h_run} test(s) started, {h_failed} failed"
        )
        if h_run == 0 and h_failed == 0:
            problems.append(f"no test of host module '{host}' ran")
        elif h_failed:
            problems.append(f"{h_failed} test(s) of host module '{host}' failed")

    print(f"--- Odoo test log: {args.logfile}")
    if res["bad_records"]:
        print("--- ERROR/CRITICAL log records:")
        for line in res["bad_records"][:MAX_SHOWN]:
            print(f"  {line}")
        if len(res["bad_records"]) > MAX_SHOWN:
            print(f"  ... and {len(res['bad_records']) - MAX_SHOWN} more")
    report = res["report"]
    print(
        f"--- {args.module}: {res['started'][args.module]} test(s) started, "
        f"{failed} failed; Odoo's report of the install run: "
        + (
            f"{report[2]} run, {report[0]} failed, {report[1]} error(s)"
            if report
            else "missing"
        )
    )
    for line in host_lines:
        print(line)
    if problems:
        print("--- TEST RUN FAILED:")
        for p in problems:
            print(f"  * {p}")
    else:
        print("--- TEST RUN OK")
    print(
        f"odoo: {passed} passed, {failed} failed; "
        f"host addons: {host_passed} passed, {host_failed} failed"
    )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
