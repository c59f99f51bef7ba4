#!/usr/bin/env python3
"""Judge the Odoo 18.0 test runs of `make test` from their log; print a summary.

Usage: python3 tools_dev/odoo_test_summary.py --rc RC [--rc RC ...]
           --module NAME [--host-module NAME ...] LOGFILE

LOGFILE holds the logs of every Odoo run of `make test` on one database: the
install run (the module's tests, the hosts' post_install ones), then one
``--test-file`` run per host test file holding at_install tests; each ``--rc``
is the exit code of one run.  It FAILS (exit 1) when an exit code is not 0, a
record is logged at ERROR or CRITICAL, Odoo's final report of the install run
is missing or says 0 tests, no test of the module ran, or no test of a host
ran or one failed.  The last line is always
``odoo: N passed, M failed; host addons: K passed, L failed`` (the module's
tests; the hosts' together): run = a module's ``Starting`` lines, failed = its
distinct ``FAIL:`` / ``ERROR:`` lines (a class set-up error is one).

Odoo 18.0's log lines it reads (``%(asctime)s %(pid)s %(levelname)s
%(dbname)s %(name)s: %(message)s``):
  odoo.tests.result: 0 failed, 0 error(s) of 42 tests when loading database 'x'
      (server.py, after --stop-after-init; none in a --test-file run)
  odoo.tests.stats: helpdesk_support_pack: 50 tests 3.21s 1234 queries
      (result.py, per module, class set-ups included)
  odoo.addons.<module>.tests.test_x: Starting TestX.test_y ...   (per test)
  odoo.addons.<module>.tests.test_x: FAIL: TestX.test_y   (or ERROR:, Subtest)
  unittest.suite: ERROR: setUpClass (odoo.addons.<module>.tests.test_x.TestX)
  odoo.modules.loading: Module <module>: 1 failures, 0 errors of 42 tests
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
    ap.add_argument("--rc", type=int, action="append", required=True)
    ap.add_argument("--module", required=True)
    ap.add_argument("--host-module", action="append", default=[])
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
