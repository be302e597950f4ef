#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The last lines of `make check`, on standard output: one "skip:" line per
test that skipped (with its reason), one "FAIL:" line per test that failed,
crashed or timed out, then one summary line. Reads the report Criterion
wrote with --json=FILE; the runner's exit status is passed through.

Usage: check-summary.py REPORT.json EXIT_STATUS
"""
import json
import re
import sys

# What Criterion writes for a test that the --filter left out.
NOT_SELECTED = ["The test was skipped."]


def repaired(text):
    """Criterion 2.4 writes each assertion message into the report as it
    is, quotes and backslashes unescaped ("expected: "notes": ["): each line
    of a "messages" array is one string, escaped again here."""
    out, inside = [], False
    for line in text.splitlines():
        if inside:
            m = re.match(r'^(\s*)"(.*)"(,?)\s*$', line)
            if m:
                line = m.group(1) + json.dumps(m.group(2)) + m.group(3)
            elif line.strip().startswith("]"):
                inside = False
        elif re.match(r'^\s*"messages": \[\s*$', line):
            inside = True
        out.append(line)
    return "\n".join(out)


def main():
    path, status = sys.argv[1], int(sys.argv[2])
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            text = f.read()
        try:
            report = json.loads(text)
        except ValueError:
            report = json.loads(repaired(text))
    except (OSError, ValueError) as e:
        print("make check: FAILED: no test report (%s); the test runner exited %d"
              % (e, status))
        return status or 1

    counts = {"PASSED": 0, "FAILED": 0, "ERRORED": 0, "SKIPPED": 0}
    not_selected = 0
    for suite in report.get("test_suites", []):
        for t in suite.get("tests", []):
            name = "%s::%s" % (suite.get("name"), t.get("name"))
            st = t.get("status", "ERRORED")
            msgs = t.get("messages", [])
            if st == "SKIPPED" and msgs == NOT_SELECTED:
                not_selected += 1
                continue
            counts[st] = counts.get(st, 0) + 1
            why = "; ".join(m.strip() for m in msgs if m.strip())
            if st == "SKIPPED":
                print("skip: %s: %s" % (name, why or "no reason given"))
            elif st != "PASSED":
                print("FAIL: %s: %s" % (name, why or st.lower()))

    run = sum(counts.values())
    bad = counts["FAILED"] + counts["ERRORED"]
    verdict = "passed" if status == 0 and bad == 0 else "FAILED (exit %d)" % (status or 1)
    extra = ", %d not selected" % not_selected if not_selected else ""
    print("make check: %s: %d tests, %d passed, %d failed, %d crashed or timed out, "
          "%d skipped%s"
          % (verdict, run, counts["PASSED"], counts["FAILED"], counts["ERRORED"],
             counts["SKIPPED"], extra))
    return status if status else (1 if bad else 0)


if __name__ == "__main__":
    sys.exit(main())
