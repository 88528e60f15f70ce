#!/usr/bin/env python3
"""Reference figures of transmission chains in a line list, with the standard
library only, to cross-check `precinct::read_line_list` and `chains` (and the
numbers asserted in core/tests/line_lists.rs) independently of the Rust code.

    python3 scripts/chains_reference.py ../shared/data/ds4c/PatientInfo.csv \
        --id patient_id --infected-by infected_by --onset symptom_onset_date \
        --confirmed confirmed_date
    python3 scripts/chains_reference.py ../shared/data/mers_korea_2015/linelist.csv \
        --id id --onset dt_onset --confirmed dt_report --infected-by '' \
        --contacts ../shared/data/mers_korea_2015/contacts.csv
"""
import argparse
import csv
import re
from collections import defaultdict, deque
from datetime import date


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("cases")
    ap.add_argument("--id", default="case_id")
    ap.add_argument("--infected-by", default="infected_by")
    ap.add_argument("--onset", default="onset")
    ap.add_argument("--confirmed", default="confirmed")
    ap.add_argument("--contacts")
    ap.add_argument("--from", dest="frm", default="from")
    ap.add_argument("--to", default="to")
    a = ap.parse_args()

    order, onset, infectors = [], {}, defaultdict(list)
    missing_confirmed = 0
    with open(a.cases, newline="", encoding="utf-8-sig") as f:
        for row in csv.DictReader(f):
            cid = row[a.id].strip()
            if not cid:
                continue
            if cid not in onset:
                order.append(cid)
                o = row.get(a.onset, "").strip() if a.onset else ""
                onset[cid] = date.fromisoformat(o) if o else None
            if a.confirmed and not row.get(a.confirmed, "").strip():
                missing_confirmed += 1
            if a.infected_by:
                for by in re.split("[;,]", row.get(a.infected_by, "")):
                    by = by.strip()
                    if by and by not in infectors[cid]:
                        infectors[cid].append(by)
    if a.contacts:
        with open(a.contacts, newline="", encoding="utf-8-sig") as f:
            for row in csv.DictReader(f):
                frm, to = row[a.frm].strip(), row[a.to].strip()
                if frm and to in onset and frm not in infectors[to]:
                    infectors[to].append(frm)

    listed = set(order)
    edges = set()
    self_infections = 0
    for c in order:
        if c in infectors[c]:
            self_infections += 1
        edges |= {(b, c) for b in infectors[c] if b != c}
    placeholders = sorted({b for b, _ in edges} - listed)
    nodes = order + placeholders
    out, inn = defaultdict(list), defaultdict(list)
    for b, c in edges:
        out[b].append(c)
        inn[c].append(b)

    # Clusters: connected components, counting listed cases only.
    comp, clusters = {}, []
    for s in nodes:
        if s in comp:
            continue
        comp[s] = len(clusters)
        members, todo = [s], [s]
        while todo:
            v = todo.pop()
            for w in out[v] + inn[v]:
                if w not in comp:
                    comp[w] = comp[s]
                    members.append(w)
                    todo.append(w)
        clusters.append(members)
    sizes = sorted((sum(m in listed for m in c) for c in clusters), reverse=True)

    # Generations: breadth-first from placeholders (0) and listed roots (1).
    gen = {p: 0 for p in placeholders}
    gen.update({c: 1 for c in order if not inn[c]})
    queue = deque(placeholders + [c for c in order if not inn[c]])
    while queue:
        v = queue.popleft()
        for w in out[v]:
            if w not in gen:
                gen[w] = gen[v] + 1
                queue.append(w)
    per_gen = defaultdict(int)
    for c in order:
        if c in gen:
            per_gen[gen[c]] += 1

    # Loops: strongly connected groups of two or more (Kosaraju).
    seen, finish = set(), []
    for s in nodes:
        if s in seen:
            continue
        seen.add(s)
        stack = [(s, iter(out[s]))]
        while stack:
            v, it = stack[-1]
            w = next(it, None)
            if w is None:
                stack.pop()
                finish.append(v)
            elif w not in seen:
                seen.add(w)
                stack.append((w, iter(out[w])))
    scc = {}
    for s in reversed(finish):
        if s in scc:
            continue
        scc[s] = s
        todo = [s]
        while todo:
            v = todo.pop()
            for w in inn[v]:
                if w not in scc:
                    scc[w] = s
                    todo.append(w)
    loop_sizes = defaultdict(int)
    for v in nodes:
        loop_sizes[scc[v]] += 1
    loops = sum(1 for n in loop_sizes.values() if n > 1)

    # Longest chain over links not inside a loop, counted in listed cases.
    dag_in = {v: [b for b in inn[v] if scc[b] != scc[v]] for v in nodes}
    length = {}
    waiting = {v: len(dag_in[v]) for v in nodes}
    ready = [v for v in nodes if waiting[v] == 0]
    while ready:
        v = ready.pop()
        length[v] = (v in listed) + max((length[b] for b in dag_in[v]), default=0)
        for w in out[v]:
            if scc[w] != scc[v]:
                waiting[w] -= 1
                if waiting[w] == 0:
                    ready.append(w)
    longest = max(length.values(), default=0)

    from_cases = sum(1 for b, _ in edges if b in listed)
    si = [(onset[c] - onset[b]).days for b, c in edges
          if b in listed and onset[b] and onset[c]]
    print(f"cases {len(order)}")
    print(f"links {len(edges)}")
    print(f"cases with several infectors {sum(len([b for b in infectors[c] if b != c]) > 1 for c in order)}")
    print(f"placeholders {len(placeholders)} {placeholders}")
    print(f"placeholder infectees {sum(1 for b, _ in edges if b not in listed)}")
    print(f"clusters {len(clusters)} largest {sizes[0] if sizes else 0} "
          f"linked {sum(1 for s in sizes if s > 1)}")
    print(f"cases per generation {[per_gen[g] for g in range(1, max(per_gen, default=0) + 1)]}")
    print(f"longest chain (cases) {longest}")
    print(f"mean secondary cases {from_cases / len(order):.6f} (links from listed cases {from_cases})")
    print(f"serial intervals {len(si)} mean {sum(si) / len(si) if si else float('nan'):.6f}")
    print(f"missing confirmation {missing_confirmed} self-infections {self_infections} loops {loops}")


if __name__ == "__main__":
    main()
