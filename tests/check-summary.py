#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The last lines of `make check`, on standard output: one "skip:" line per
test that skipped (with its reason), one "FAIL:" line per test that failed,
crashed or timed out, then one summary line. Reads the TAP report
Criterion wrote with --tap=FILE (its --json does not escape the quotes of
assertion messages); the runner's exit status is passed through.

Usage: check-summary.py REPORT.tap EXIT_STATUS
"""
import re
import sys

RESULT = re.compile(r"^(not )?ok - (\S+)\s*(.*)$")
# What Criterion writes for a test that the --filter left out.
NOT_SELECTED = "test was skipped"


def main():
    path, status = sys.argv[1], int(sys.argv[2])
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            lines = f.read().splitlines()
    except OSError as e:
        print("make check: FAILED: no test report (%s); the test runner exited %d"
              % (e, status))
        return status or 1

    passed = failed = crashed = skipped = not_selected = 0
    for i, line in enumerate(lines):
        m = RESULT.match(line)
        if not m:
            continue
        bad, name, rest = m.group(1), m.group(2), m.group(3).strip()
        if not bad:
            skip = re.match(r"^#\s*SKIP\s*(.*)$", rest)
            if not skip:
                passed += 1
            elif skip.group(1).strip() == NOT_SELECTED:
                not_selected += 1
            else:
                skipped += 1
                print("skip: %s: %s" % (name, skip.group(1).strip() or "no reason given"))
            continue
        # The first failed assertion: "- FILE:LINE: |+" and its message.
        where = ""
        for j in range(i + 1, min(i + 8, len(lines))):
            if RESULT.match(lines[j]) or lines[j].startswith("#"):
                break
            fm = re.match(r"^\s*- (\S+:\d+):", lines[j])
            if fm:
                msg = lines[j + 1].strip() if j + 1 < len(lines) else ""
                where = " %s %s" % (fm.group(1), msg)
                break
        if "timed out" in rest or "signal" in rest or "crash" in rest:
            crashed += 1
        else:
            failed += 1
        print("FAIL: %s: %s%s" % (name, rest or "failed", where))

    run = passed + failed + crashed + skipped
    verdict = ("passed" if status == 0 and failed + crashed == 0
               else "FAILED (exit %d)" % (status or 1))
    extra = ", %d not selected" % not_selected if not_selected else ""
    print("make check: %s: %d tests, %d passed, %d failed, %d crashed or timed out, "
          "%d skipped%s" % (verdict, run, passed, failed, crashed, skipped, extra))
    return status if status else (1 if failed + crashed else 0)


if __name__ == "__main__":
    sys.exit(main())
