#!/usr/bin/python3
"""Generate the one-knob-one-axis configuration tables of the e2e matrix.

    pairwise.py [--check]      (re)write configs-axes.tsv and configs-pairwise.tsv

configs-axes.tsv: a baseline that boots on every image (Docker's caps +
CAP_SYS_ADMIN, cgroup2 read-write, a private cgroupns, tmpfs /run: the
configuration dadm-v2rw-p of configs.tsv) and every other value of every
knob, one knob at a time.  A variation that configs.tsv already has (same
knobs, defaults filled in) is not repeated: the comment at the top of the
table names the configs.tsv id that stands for it.

configs-pairwise.tsv: every pair of values of any two knobs (the image
included as a knob: each row runs on the one image in its "images" column)
in at least one row, by a deterministic greedy all-pairs construction
(candidates are scored in a fixed order, ties go to the first).  The pairs
the constraints below exclude are listed in the table's header.

--check: exit 1 if the tables on disk differ from what would be written
(make check-e2e does not regenerate them; this keeps them honest).
"""
import itertools
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

# Knob -> values, the default first.  gen-bundle.sh says what each means.
KNOBS = [
    ("cg", ["v2-rw", "none", "v1-ro", "v1-rw", "v2-ro", "host-ro", "host-rw", "host-rro"]),
    ("cgns", ["private", "host"]),
    ("caps", ["dockeradm", "runc", "docker", "all"]),
    ("run", ["tmpfs", "none"]),
    ("lock", ["tmpfs", "none"]),
    ("env", ["docker", "none"]),
    ("nnp", ["false", "true"]),
    ("proc", ["proc", "none"]),
    ("sys", ["ro", "rw", "none"]),
    ("dev", ["tmpfs", "none"]),
    ("devpts", ["mount", "none"]),
    ("shm", ["tmpfs", "none"]),
    ("mqueue", ["mount", "none"]),
    ("tmp", ["none", "tmpfs"]),
    ("term", ["true", "false"]),
    ("rootro", ["false", "true"]),
    ("userns", ["none", "identity"]),
    ("seccomp", ["none", "docker"]),
]
NAMES = [k for k, _ in KNOBS]
BASE = {k: v[0] for k, v in KNOBS}
IMAGES = ["bookworm", "trixie", "sid"]

# The pairwise block leaves out values whose cases are covered one at a
# time and are slow (host tree: one at a time, host-wide lock) or unsafe
# in combination; see the constraints.
PAIRWISE_DOMAIN = dict(KNOBS)
PAIRWISE_DOMAIN["cg"] = ["v2-rw", "none", "v1-ro", "v1-rw", "v2-ro", "host-rw"]
# runc cannot start a container without /proc (refused.tsv proc-none).
PAIRWISE_DOMAIN["proc"] = ["proc"]


def allowed(row):
    """Constraints: combinations not built (True = allowed).  `row` may be
    partial (a dict of some knobs)."""
    g = row.get
    # runc refuses these (refused.tsv, checked by check-configs.sh):
    # no /proc: "error closing exec fds: open /proc/self/fd: no such file
    # or directory" (runc needs /proc itself);
    if g("proc") == "none":
        return False
    # no /dev mount in a user namespace: runc bind-mounts the device nodes
    # over the image's /dev entries, "open .../rootfs/dev/tty: no such
    # device or address";
    if g("dev") == "none" and g("userns") == "identity":
        return False
    # cgroup2 with the host's cgroupns from a user namespace: "mount
    # cgroup2:/sys/fs/cgroup ...: operation not permitted".
    if g("userns") == "identity" and g("cgns") == "host" and g("cg", "").startswith("v2-"):
        return False
    # a console (process.terminal) without /dev or /dev/pts: "open
    # /dev/console: operation not permitted" / no ptmx for the console.
    if g("term") == "true" and (g("dev") == "none" or g("devpts") == "none"):
        return False
    # /dev not mounted + CAP_SYS_MODULE: systemd mounts the HOST's devtmpfs
    # and systemd-tmpfiles-setup-dev (ConditionCapability=CAP_SYS_MODULE)
    # would chmod/chown host device nodes (static-nodes-permissions.conf).
    if g("dev") == "none" and g("caps") == "all":
        return False
    # The host's cgroup tree in a user namespace: not built (host safety
    # unknown; the cgroup escape of TRUTH.md with a different owner).
    if g("cg", "").startswith("host-") and g("userns") == "identity":
        return False
    return True


def fill(knobs):
    return {**BASE, **knobs}


def read_table(path):
    """Rows of a configs table as (id, knobs dict with defaults filled)."""
    rows = []
    with open(path) as f:
        head = None
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            cols = line.split("\t")
            if cols[0] == "id":
                head = cols
                continue
            kn = {h: v for h, v in zip(head[1:], cols[1:]) if h not in ("note", "images")}
            if "lock" not in kn:
                kn["lock"] = kn.get("run", "tmpfs")
            rows.append((cols[0], fill(kn)))
    return rows


def one_at_a_time(existing):
    """[(id, knobs, note)] plus {axis label: existing id} for the reused."""
    by_knobs = {tuple(k[n] for n in NAMES): i for i, k in existing}
    out, reused = [], {}
    cases = [("ax-base", {}, "baseline: boots on every image")]
    for k, vals in KNOBS:
        for v in vals[1:]:
            cases.append((f"ax-{k}-{v}", {k: v}, f"baseline with {k}={v} only"))
    for cid, delta, note in cases:
        kn = fill(delta)
        if not allowed(kn) and "term" not in delta:
            # runc needs /dev and /dev/pts for a console: these knobs move
            # with term=false (the one knob runc makes move along).
            kn["term"] = "false"
            note += " (and term=false: runc needs /dev/pts for a console)"
        if not allowed(kn):
            continue
        if delta.get("run") == "none":
            # /run and /run/lock are two knobs: run=none alone keeps the lock tmpfs.
            kn["lock"] = "tmpfs"
        key = tuple(kn[n] for n in NAMES)
        if key in by_knobs:
            reused[cid] = by_knobs[key]
            continue
        out.append((cid, kn, note))
    return out, reused


def all_pairs():
    """Greedy all-pairs over the knobs and the image; deterministic."""
    factors = [("image", IMAGES)] + [(k, PAIRWISE_DOMAIN[k]) for k in NAMES]
    nf = len(factors)

    def ok(assign):
        return allowed({factors[i][0]: v for i, v in assign.items()})

    uncovered = set()
    for i, j in itertools.combinations(range(nf), 2):
        for a in factors[i][1]:
            for b in factors[j][1]:
                if ok({i: a, j: b}):
                    uncovered.add((i, a, j, b))
    excluded = []
    for i, j in itertools.combinations(range(nf), 2):
        for a in factors[i][1]:
            for b in factors[j][1]:
                if not ok({i: a, j: b}):
                    excluded.append(f"{factors[i][0]}={a} x {factors[j][0]}={b}")
    rows = []
    while uncovered:
        # Seed with the first uncovered pair, then fill each factor with the
        # value that covers the most uncovered pairs with what is chosen.
        i0, a0, j0, b0 = min(uncovered, key=lambda p: (p[0], p[2], factors[p[0]][1].index(p[1]), factors[p[2]][1].index(p[3])))
        assign = {i0: a0, j0: b0}
        for f in range(nf):
            if f in assign:
                continue
            best, best_score = None, -1
            for v in factors[f][1]:
                trial = {**assign, f: v}
                if not ok(trial):
                    continue
                score = sum(1 for g, w in assign.items()
                            if (min(f, g), trial[min(f, g)], max(f, g), trial[max(f, g)]) in uncovered)
                if score > best_score:
                    best, best_score = v, score
            if best is None:
                sys.exit(f"pairwise.py: no allowed value for {factors[f][0]} with {assign}")
            assign[f] = best
        newly = {(i, assign[i], j, assign[j]) for i, j in itertools.combinations(range(nf), 2)} & uncovered
        uncovered -= newly
        rows.append({factors[f][0]: assign[f] for f in range(nf)})
    return rows, excluded


def render():
    existing = read_table(os.path.join(HERE, "configs.tsv"))
    axes, reused = one_at_a_time(existing)
    head = "\t".join(["id"] + NAMES + ["note"])
    a = ["# One knob at a time (generated by pairwise.py: edit that, not this file).",
         "# Baseline ax-base; each other row changes one knob.  Knobs: gen-bundle.sh.",
         "# Variations that configs.tsv already has are not repeated; they are:"]
    a += [f"#   {cid} = {eid}" for cid, eid in reused.items()]
    left = [f"ax-{k}-{v}" for k, vals in KNOBS for v in vals[1:] if not allowed(fill({k: v}))]
    a.append("# Left out by pairwise.py's constraints: " + (", ".join(left) or "none"))
    a.append(head)
    for cid, kn, note in axes:
        a.append("\t".join([cid] + [kn[n] for n in NAMES] + [note]))
    rows, excluded = all_pairs()
    p = ["# All-pairs block (generated by pairwise.py: edit that, not this file).",
         f"# {len(rows)} rows: every pair of values of two knobs, the image included,",
         "# is in at least one row.  Each row runs on its one image.",
         "# cg here: " + " ".join(PAIRWISE_DOMAIN["cg"]) + " (host-ro, host-rro: one at a time only);",
         "# proc is always proc (runc refuses none: refused.tsv proc-none).",
         "# Pairs excluded by the constraints (never built): " + "; ".join(excluded),
         "\t".join(["id"] + NAMES + ["images", "note"])]
    for n, r in enumerate(rows, 1):
        p.append("\t".join([f"pw-{n:02d}"] + [r[k] for k in NAMES] + [r["image"], "all-pairs"]))
    return "\n".join(a) + "\n", "\n".join(p) + "\n"


def main(argv):
    axes, pw = render()
    targets = {"configs-axes.tsv": axes, "configs-pairwise.tsv": pw}
    if argv[1:] == ["--check"]:
        bad = [f for f, t in targets.items()
               if not os.path.exists(os.path.join(HERE, f)) or open(os.path.join(HERE, f)).read() != t]
        for f in bad:
            print(f"{f}: differs from pairwise.py's output", file=sys.stderr)
        return 1 if bad else 0
    for f, t in targets.items():
        with open(os.path.join(HERE, f), "w") as out:
            out.write(t)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
