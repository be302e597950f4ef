#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# The real consumers of sysctr-check's JUnit and Prometheus outputs, for
# tests/test-formats.c, which asserts on the JSON this prints:
#   junit FILE           what python3-junitparser reads of a JUnit file
#   scrape DIR           starts prometheus-node-exporter on 127.0.0.1 with its
#                        textfile collector on DIR (nothing else), as user
#                        $SCRAPE_USER if set, scrapes it once and stops it,
#                        always
#   yaml FILE            the documents of a YAML file (python3-yaml)
# Exit 77 with "missing: PACKAGE" on stderr when a consumer is missing.
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

MISSING = 77


def missing(pkg):
    print(f"missing: {pkg}", file=sys.stderr)
    sys.exit(MISSING)


def junit(path):
    try:
        import junitparser
    except ImportError:
        missing("python3-junitparser")
    xml = junitparser.JUnitXml.fromfile(path)
    doc = {
        "tests": xml.tests,
        "failures": xml.failures,
        "errors": xml.errors,
        "skipped": xml.skipped,
        "timestamp": xml._elem.get("timestamp"),
        "suites": [],
    }
    for suite in xml:
        s = {
            "name": suite.name,
            "hostname": suite.hostname,
            "timestamp": suite.timestamp,
            "tests": suite.tests,
            "failures": suite.failures,
            "errors": suite.errors,
            "skipped": suite.skipped,
            "properties": {p.name: p.value for p in suite.properties()},
            "cases": [],
        }
        for case in suite:
            r = case.result
            c = {
                "classname": case.classname,
                "name": case.name,
                "result": r[0]._tag if r else "passed",
                "results": len(r),
                "system_out": case.system_out,
            }
            if r:
                c["type"] = r[0].type
                c["message"] = r[0].message
                c["text"] = r[0].text
            s["cases"].append(c)
        doc["suites"].append(s)
    # What the counts are when junitparser counts the cases itself.
    xml.update_statistics()
    doc["counted"] = {
        "tests": xml.tests,
        "failures": xml.failures,
        "errors": xml.errors,
        "skipped": xml.skipped,
        "suites": [
            {"tests": s.tests, "failures": s.failures, "errors": s.errors, "skipped": s.skipped}
            for s in xml
        ],
    }
    return doc


def parse_exposition(text):
    """{(name, ((label, value), ...) sorted): float} of the samples: the
    text format as prometheus.io documents it (label values escape \\, \"
    and \\n), which is also how node_exporter serves it, labels sorted."""
    samples = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        i = 0
        while i < len(line) and line[i] not in "{ ":
            i += 1
        name, labels = line[:i], []
        if i < len(line) and line[i] == "{":
            i += 1
            while line[i] != "}":
                eq = line.index("=", i)
                key = line[i:eq].strip(",")
                assert line[eq + 1] == '"', line
                j, val = eq + 2, []
                while line[j] != '"':
                    if line[j] == "\\":
                        val.append({"n": "\n", "\\": "\\", '"': '"'}[line[j + 1]])
                        j += 2
                    else:
                        val.append(line[j])
                        j += 1
                labels.append((key, "".join(val)))
                i = j + 1
                if line[i] == ",":
                    i += 1
            i += 1
        key = (name, tuple(sorted(labels)))
        assert key not in samples, f"duplicate series: {line}"
        samples[key] = float(line[i:].split()[0])
    return samples


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def die_with_parent():
    # The exporter dies with this script, whatever kills it (a test
    # timeout's SIGKILL included): PR_SET_PDEATHSIG.
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(1, signal.SIGKILL, 0, 0, 0)


def scrape(directory):
    exporter = os.environ.get("NODE_EXPORTER", "/usr/bin/prometheus-node-exporter")
    if not os.access(exporter, os.X_OK):
        missing("prometheus-node-exporter")
    last_err = ""
    for attempt in range(3):
        port = free_port()
        argv = [
            exporter,
            f"--web.listen-address=127.0.0.1:{port}",
            "--web.disable-exporter-metrics",
            "--collector.disable-defaults",
            "--collector.textfile",
            f"--collector.textfile.directory={directory}",
        ]
        # As the collector's user (root only): it must be able to read.
        user = os.environ.get("SCRAPE_USER") or None
        p = subprocess.Popen(
            argv,
            user=user,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            preexec_fn=die_with_parent,
        )
        result = None
        try:
            body = None
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline and p.poll() is None:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as r:
                        body = r.read().decode("utf-8")
                        status = r.status
                    break
                except OSError:
                    time.sleep(0.1)
            if body is not None:
                lines = body.splitlines()
                served = parse_exposition(body)
                written = {}
                for f in sorted(os.listdir(directory)):
                    if f.endswith(".prom"):
                        with open(os.path.join(directory, f), encoding="utf-8") as fh:
                            written.update(parse_exposition(fh.read()))
                ours = {k: v for k, v in served.items() if k[0].startswith("sysctr_check_")}
                result = {
                    "pid": p.pid,
                    "port": port,
                    "status": status,
                    "served": len(ours),
                    "written": len(written),
                    "missing": [repr(k) for k in written if k not in served][:20],
                    "different": [repr(k) for k in written if k in served and served[k] != written[k]][:20],
                    "extra": [repr(k) for k in ours if k not in written][:20],
                    "scrape_error": served.get(("node_textfile_scrape_error", ()), None),
                    "targets": sorted({v for k in ours for n, v in k[1] if n == "target"}),
                    "node": [l for l in lines if l.startswith("node_")],
                    "help": [l for l in lines if l.startswith("# HELP sysctr_check_")],
                }
        finally:
            if p.poll() is None:
                p.terminate()
                try:
                    p.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait()
            last_err = p.stderr.read().decode("utf-8", "replace")[-4000:]
            p.stderr.close()
        if result is not None:
            # What it logged: an error there (a series collected twice, a
            # file it could not parse) is a test failure.
            result["log_errors"] = [l for l in last_err.splitlines() if "level=error" in l]
            result["exited"] = p.returncode
            return result
    print(f"node_exporter did not serve: {last_err}", file=sys.stderr)
    sys.exit(1)


def yaml_docs(path):
    try:
        import yaml
    except ImportError:
        missing("python3-yaml")
    with open(path, encoding="utf-8") as f:
        return list(yaml.safe_load_all(f))


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__ or "usage: formats-check.py junit|scrape|yaml ARG")
    verb, arg = sys.argv[1], sys.argv[2]
    if verb == "junit":
        doc = junit(arg)
    elif verb == "scrape":
        doc = scrape(arg)
    elif verb == "yaml":
        doc = yaml_docs(arg)
    else:
        sys.exit(f"unknown verb {verb}")
    json.dump(doc, sys.stdout)
    print()


if __name__ == "__main__":
    main()
