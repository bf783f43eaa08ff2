# A reference method for the matching benchmark: a rolling day-by-day min-cost flow
# (OR-Tools, PyPI: ortools) followed by a local search, the way a planner's tool
# without an exact solver would do it. Day by day, each person takes at most one of
# that day's shifts that still fits their rest, cap and availability; urgent places
# weigh more, less loaded people are preferred. Then every open place is tried once
# more: directly, or by moving the one shift that blocks someone to a free person.
# Prints one JSON line: {"urgent", "filled", "seconds"}.
# Usage: python3 scripts/lib/matching_reference.py INSTANCE.json
import json, sys, time
from collections import defaultdict
from matching_time import REST, credentials_hold, local, merged, t, week
from ortools.graph.python import min_cost_flow

started = time.time()
inst = json.load(open(sys.argv[1]))





people, demands = inst["people"], inst["demands"]
pid = {p["id"]: i for i, p in enumerate(people)}
did = {d["id"]: i for i, d in enumerate(demands)}
span = [(t(d["start"]), t(d["end"])) for d in demands]
hours = [(e - s) / 3600 for s, e in span]
weeks = [week(s) for s, _ in span]
urgent = [d.get("priority") == "urgent" for d in demands]
open_places = [d["needed"] for d in demands]
busy = defaultdict(list)  # person -> [(start, end)]
load = defaultdict(float)  # (person, week) -> hours
total = defaultdict(float)
for a in inst.get("confirmed", []):
    pi, di = pid.get(a["person"]), did.get(a["demand"])
    if pi is None or di is None:
        continue
    open_places[di] = max(0, open_places[di] - 1)
    busy[pi].append(span[di])
    load[(pi, weeks[di])] += hours[di]
for pi, p in enumerate(people):
    busy[pi] += [(t(c["start"]), t(c["end"])) for c in p.get("commitments", [])]
forbidden = {(a["person"], a["demand"]) for a in inst.get("forbidden", [])}


candidates = defaultdict(list)  # demand -> people statically eligible
for pi, p in enumerate(people):
    avail = merged((t(a["start"]), t(a["end"])) for a in p["availability"])
    quals, areas = set(p["qualifications"]), set(p["allowed_areas"])
    for di, d in enumerate(demands):
        if d["qualification"] in quals and d["area"] in areas and p["home_organisation"] != d["organisation"] \
                and (p["id"], d["id"]) not in forbidden and credentials_hold(p, d) and any(a <= span[di][0] and span[di][1] <= b for a, b in avail):
            candidates[di].append(pi)

assigned = defaultdict(list)  # demand -> people


def fits(pi, di, ignore=None):
    s, e = span[di]
    if pi in assigned[di]:
        return False
    if load[(pi, weeks[di])] - (hours[ignore] if ignore is not None and weeks[ignore] == weeks[di] else 0) + hours[di] > people[pi]["weekly_cap_hours"] + 1e-9:
        return False
    for other in busy[pi]:
        if ignore is not None and other == span[ignore]:
            continue
        if s - other[1] < REST and other[0] - e < REST:
            return False
    return True


shifts_of = defaultdict(set)  # person -> demands


def take(pi, di):
    shifts_of[pi].add(di)
    assigned[di].append(pi)
    busy[pi].append(span[di])
    load[(pi, weeks[di])] += hours[di]
    total[pi] += hours[di]


def drop(pi, di):
    shifts_of[pi].discard(di)
    assigned[di].remove(pi)
    busy[pi].remove(span[di])
    load[(pi, weeks[di])] -= hours[di]
    total[pi] -= hours[di]


by_day = defaultdict(list)
for di in range(len(demands)):
    if open_places[di] > 0:
        by_day[local(span[di][0]).date()].append(di)
for day in sorted(by_day):
    flow = min_cost_flow.SimpleMinCostFlow()
    todays = by_day[day]
    people_today = sorted({pi for di in todays for pi in candidates[di]})
    node = {pi: 2 + k for k, pi in enumerate(people_today)}
    base = 2 + len(people_today)
    arcs = []
    for k, di in enumerate(todays):
        for pi in candidates[di]:
            if fits(pi, di):
                cost = -(100000 if urgent[di] else 1000) + int(total[pi])
                arcs.append((flow.add_arc_with_capacity_and_unit_cost(node[pi], base + k, 1, cost), pi, di))
        flow.add_arc_with_capacity_and_unit_cost(base + k, 1, open_places[di], 0)
    for pi in people_today:
        flow.add_arc_with_capacity_and_unit_cost(0, node[pi], 1, 0)
    flow.add_arc_with_capacity_and_unit_cost(0, 1, len(people_today), 0)
    flow.set_node_supply(0, len(people_today))
    flow.set_node_supply(1, -len(people_today))
    if flow.solve() != flow.OPTIMAL:
        continue
    for arc, pi, di in arcs:
        if flow.flow(arc) > 0 and fits(pi, di):
            take(pi, di)

# Local search: every open place, urgent first, directly or by moving a blocking shift.
order = sorted(range(len(demands)), key=lambda di: (not urgent[di], span[di][0]))
for _ in range(2):
    changed = False
    for di in order:
        while len(assigned[di]) < open_places[di]:
            done = False
            for pi in candidates[di]:
                if fits(pi, di):
                    take(pi, di)
                    done = True
                    break
            if not done:
                for pi in candidates[di]:
                    if pi in assigned[di]:
                        continue
                    s, e = span[di]
                    mine = [ei for ei in sorted(shifts_of[pi]) if ((s - span[ei][1] < REST and span[ei][0] - e < REST) or weeks[ei] == weeks[di])]
                    for ei in mine:
                        if urgent[ei] and not urgent[di]:
                            continue
                        if not fits(pi, di, ignore=ei):
                            continue
                        movers = [qi for qi in candidates[ei] if qi != pi and fits(qi, ei)]
                        if movers:
                            drop(pi, ei)
                            take(pi, di)
                            take(movers[0], ei)
                            done = True
                            break
                    if done:
                        break
            if not done:
                break
            changed = True
    if not changed:
        break

filled = sum(len(v) for v in assigned.values())
print(json.dumps({"urgent": sum(len(v) for di, v in assigned.items() if urgent[di]), "filled": filled,
                  "seconds": round(time.time() - started, 1)}))
