#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# `make lint`: no circle among the library's objects. An object depends
# on another when it uses a symbol the other defines (nm). A circle means
# two files that cannot be understood, tested or replaced one at a time
# (the probe -> check -> report -> probe circle this replaced).
import glob, os, subprocess, sys


def main(builddir):
    objs = sorted(glob.glob(os.path.join(builddir, "lib", "*.o")))
    if not objs:
        sys.exit(f"lint-circles: no objects under {builddir}/lib (build first)")
    defs, uses = {}, {}
    for o in objs:
        name = os.path.basename(o)[:-2]
        uses[name] = set()
        out = subprocess.run(["nm", o], capture_output=True, text=True, check=True).stdout
        for line in out.splitlines():
            f = line.split()
            if len(f) == 2 and f[0] == "U":
                uses[name].add(f[1])
            elif len(f) == 3 and f[1] in "TDBR":
                defs[f[2]] = name
    graph = {n: sorted({defs[s] for s in u if s in defs and defs[s] != n}) for n, u in uses.items()}

    # Tarjan's strongly connected components, iteratively.
    index, low, stack, on, comps, counter = {}, {}, [], set(), [], [0]
    for root in graph:
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            v, i = work.pop()
            if i == 0:
                index[v] = low[v] = counter[0]
                counter[0] += 1
                stack.append(v)
                on.add(v)
            for j in range(i, len(graph[v])):
                w = graph[v][j]
                if w not in index:
                    work.append((v, j + 1))
                    work.append((w, 0))
                    break
                if w in on:
                    low[v] = min(low[v], index[w])
            else:
                if low[v] == index[v]:
                    comp = []
                    while True:
                        w = stack.pop()
                        on.discard(w)
                        comp.append(w)
                        if w == v:
                            break
                    if len(comp) > 1:
                        comps.append(sorted(comp))
                for u, _ in work[-1:]:
                    low[u] = min(low[u], low[v])
    for c in comps:
        print("lint: circle among lib objects: " + " <-> ".join(c))
    sys.exit(1 if comps else 0)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "build")
