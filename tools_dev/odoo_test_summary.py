#!/usr/bin/env python3
"""Judge the Odoo 18.0 test runs of `make test` from their log; print a summary.

Usage: python3 tools_dev/odoo_test_summary.py --rc RC [--rc RC ...]
           --module NAME [--host-module NAME ...] LOGFILE

LOGFILE holds every Odoo run of `make test` on one database (the install run,
then one ``--test-file`` run per host test file); each ``--rc`` is the exit
code of one run.  It FAILS (exit 1) when an exit code is not 0, a record is
logged at ERROR or CRITICAL, Odoo's final report of the install run
(``odoo.tests.result: ... of N tests when loading database``) is missing or says
0 tests, no test of the module or of a host ran, or a host's test failed.  The
last line is always ``odoo: N passed, M failed; host addons: K passed, L
failed``: run = a module's ``Starting`` lines (logger
``odoo.addons.<module>.tests.*``), failed = its distinct ``FAIL:`` / ``ERROR:``
lines (subtests of one test are one; a class set-up error is one).
"""

import argparse
import collections
import re
import sys

RECORD = re.compile(
    r"^\S+ \S+ \d+ (?P<level>[A-Z]+) \S+ (?P<logger>[^\s:]+): (?P<msg>.*)"
)
# a test module test_host_<module>.py of the addon runs the suite of <module>
OWNER = re.compile(r"odoo\.addons\.(?:\w+\.tests\.test_host_(\w+)\b|(\w+)\.tests\b)")
REPORT = re.compile(r"\d+ failed, \d+ error\(s\) of (\d+) tests when loading database")
FAILURE = re.compile(r"^(?:FAIL|ERROR): (?:Subtest )?(setUpClass \(\S+\)|\S+)")


def parse(lines):
    """(ERROR/CRITICAL lines, tests run in the install run's report or None,
    {module: tests started}, {module: failed tests})"""
    bad, total = [], None
    started, failed = collections.Counter(), collections.defaultdict(set)
    for raw in lines:
        line = re.sub(r"\x1b\[[0-9;]*m", "", raw.rstrip("\n"))
        record = RECORD.match(line)
        if not record:
            continue  # a traceback's or a multi-line message's
        level, logger, msg = record.group("level", "logger", "msg")
        owner = OWNER.match(logger) or (FAILURE.match(msg) and OWNER.search(msg))
        if level in ("ERROR", "CRITICAL"):
            bad.append(line)
            if owner and FAILURE.match(msg):
                failed[owner[1] or owner[2]].add(FAILURE.match(msg)[1])
        elif owner and msg.startswith("Starting "):
            started[owner[1] or owner[2]] += 1
        elif logger == "odoo.tests.result" and REPORT.search(msg):
            total = int(REPORT.search(msg)[1])
    return bad, total, started, failed


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("logfile")
    ap.add_argument("--rc", type=int, action="append", required=True)
    ap.add_argument("--module", required=True)
    ap.add_argument("--host-module", action="append", default=[])
    args = ap.parse_args(argv)
    try:
        with open(args.logfile, encoding="utf-8", errors="replace") as handle:
            bad, total, started, failed = parse(handle)
    except OSError as error:
        print(f"cannot read Odoo log {args.logfile}: {error}")
        print("odoo: 0 passed, 0 failed; host addons: 0 passed, 0 failed")
        return 1

    def counts(module):  # (passed, failed); a class set-up error never started
        ran = sum(1 for test in failed[module] if not test.startswith("setUpClass"))
        return max(started[module] - ran, 0), len(failed[module])

    problems = [f"an odoo run exited with code {rc}" for rc in args.rc if rc]
    if bad:
        problems.append(f"{len(bad)} log record(s) at level ERROR/CRITICAL:")
        problems += [f"  {line}" for line in bad[:25]]
    if not total:
        problems.append("Odoo's final test report is missing or says 0 tests")
    hosts = [host for host in args.host_module if host != args.module]
    for module in [args.module, *hosts]:
        print(
            f"--- {module}: {started[module]} test(s) started, "
            f"{len(failed[module])} failed"
        )
        if not started[module]:
            problems.append(f"no test of '{module}' ran")
        elif module in hosts and failed[module]:
            problems.append(f"{len(failed[module])} test(s) of host '{module}' failed")
    print(
        "--- TEST RUN "
        + ("FAILED:\n  * " + "\n  * ".join(problems) if problems else "OK")
    )
    passed, failures = counts(args.module)
    host = [sum(counts(h)[i] for h in hosts) for i in (0, 1)]
    print(
        f"odoo: {passed} passed, {failures} failed; "
        f"host addons: {host[0]} passed, {host[1]} failed"
    )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
