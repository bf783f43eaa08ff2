# The exact optimum of a matching instance with the HiGHS MIP solver (PyPI: highspy),
# to see how far the engine and its bound are from it. The engine's goal is
# lexicographic (urgent places first, then all places), so this solves it in two
# phases: the most urgent places, then the most places keeping that many urgent ones.
# Prints one JSON line: {"urgent", "filled", "status", "bound" (null before HiGHS has
# one), "pairs", "seconds", "best_is_start" (the start, checked against every row, was
# better than what HiGHS ended with: its presolve can lose places of a start)}.
# Usage: python3 scripts/lib/matching_optimum.py INSTANCE.json [SECONDS [START.json [SOLUTION.json]]]
# START.json: a known solution (the engine's result, or a list of {demand, person}) to
# start from; SOLUTION.json: where to write the solution found.
import json, os, sys, time
from collections import defaultdict
from matching_time import REST, credentials_hold, merged, t, week
import highspy

started = time.time()
inst = json.load(open(sys.argv[1]))
limit = float(sys.argv[2]) if len(sys.argv) > 2 else 120.0




people = inst["people"]
demands = inst["demands"]
confirmed = inst.get("confirmed", [])
forbidden = {(a["person"], a["demand"]) for a in inst.get("forbidden", [])}
pid = {p["id"]: i for i, p in enumerate(people)}
did = {d["id"]: i for i, d in enumerate(demands)}
span = [(t(d["start"]), t(d["end"])) for d in demands]
open_places = [d["needed"] for d in demands]
fixed_busy = defaultdict(list)
fixed_hours = defaultdict(float)
for a in confirmed:
    pi, di = pid.get(a["person"]), did.get(a["demand"])
    if pi is None or di is None:
        continue
    open_places[di] = max(0, open_places[di] - 1)
    fixed_busy[pi].append(span[di])
    fixed_hours[(pi, week(span[di][0]))] += (span[di][1] - span[di][0]) / 3600
for pi, p in enumerate(people):
    fixed_busy[pi] += [(t(c["start"]), t(c["end"])) for c in p.get("commitments", [])]


pairs = []
for pi, p in enumerate(people):
    avail = merged((t(a["start"]), t(a["end"])) for a in p["availability"])
    quals, areas = set(p["qualifications"]), set(p["allowed_areas"])
    for di, d in enumerate(demands):
        if open_places[di] <= 0 or d["qualification"] not in quals or d["area"] not in areas:
            continue
        if p["home_organisation"] == d["organisation"] or (p["id"], d["id"]) in forbidden or not credentials_hold(p, d):
            continue
        s, e = span[di]
        if not any(a <= s and e <= b for a, b in avail):
            continue
        if any(s - fe < REST and fs - e < REST for fs, fe in fixed_busy[pi]):
            continue
        pairs.append((pi, di))


def build(weights, relaxed=False):
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("mip_rel_gap", 0.0)
    cols = [h.addVariable(lb=0.0, ub=1.0, obj=weights(di)) if relaxed else h.addBinary(obj=weights(di)) for pi, di in pairs]
    h.changeObjectiveSense(highspy.ObjSense.kMaximize)
    byd, byp = defaultdict(list), defaultdict(list)
    for k, (pi, di) in enumerate(pairs):
        byd[di].append(k)
        byp[pi].append(k)
    for di, ks in byd.items():
        if len(ks) > open_places[di]:
            h.addConstr(sum(cols[k] for k in ks) <= open_places[di])
    for pi, ks in byp.items():
        # Two shifts conflict when they overlap or are less than the rest apart: widened
        # by half the rest on each side they overlap. That is an interval graph, so one
        # constraint per maximal clique (the shifts around each widened end) says it all.
        ks.sort(key=lambda k: span[pairs[k][1]][0])
        cliques = set()
        for a in ks:
            point = span[pairs[a][1]][1] + REST / 2
            members = tuple(sorted(k for k in ks if span[pairs[k][1]][0] - REST / 2 < point <= span[pairs[k][1]][1] + REST / 2))
            if len(members) > 1:
                cliques.add(members)
        for members in cliques:
            if not any(set(members) < set(other) for other in cliques if len(other) > len(members)):
                h.addConstr(sum(cols[k] for k in members) <= 1)
        weeks = defaultdict(list)
        for k in ks:
            weeks[week(span[pairs[k][1]][0])].append(k)
        for w, lst in weeks.items():
            cap = people[pi]["weekly_cap_hours"] - fixed_hours[(pi, w)]
            hours = [(span[pairs[k][1]][1] - span[pairs[k][1]][0]) / 3600 for k in lst]
            if sum(hours) > cap:
                h.addConstr(sum(hr * cols[k] for hr, k in zip(hours, lst)) <= cap)
    return h, cols


def urgent(di):
    return demands[di].get("priority") == "urgent"


start = None
if len(sys.argv) > 3 and sys.argv[3] != "-":
    known = json.load(open(sys.argv[3]))
    known = known["assignments"] if isinstance(known, dict) else known
    chosen = {(pid[a["person"]], did[a["demand"]]) for a in known if a["person"] in pid and a["demand"] in did}
    start = [1.0 if pair in chosen else 0.0 for pair in pairs]


def satisfies(h, x):
    """Whether x meets every row and column bound of h's model (within 1e-6)."""
    lp = h.getLp()
    # Each attribute read copies the whole array out of HiGHS: read each once.
    a = lp.a_matrix_
    starts, index, value = a.start_, a.index_, a.value_
    row_lower, row_upper, col_lower, col_upper = lp.row_lower_, lp.row_upper_, lp.col_lower_, lp.col_upper_
    activity = [0.0] * lp.num_row_
    if a.format_ == highspy.MatrixFormat.kRowwise:
        for r in range(lp.num_row_):
            activity[r] = sum(value[k] * x[index[k]] for k in range(starts[r], starts[r + 1]))
    else:
        for j in range(lp.num_col_):
            for k in range(starts[j], starts[j + 1]):
                activity[index[k]] += value[k] * x[j]
    rows = all(row_lower[r] - 1e-6 <= activity[r] <= row_upper[r] + 1e-6 for r in range(lp.num_row_))
    return rows and all(col_lower[j] - 1e-6 <= x[j] <= col_upper[j] + 1e-6 for j in range(lp.num_col_))


def give_start(h):
    if start is not None:
        solution = highspy.HighsSolution()
        solution.col_value = start
        solution.value_valid = True
        h.setSolution(solution)


if os.environ.get("LP_URGENT"):
    # Only the LP relaxation (a bound, for sizes the MIP does not finish): the most
    # places, fractional, with at least LP_URGENT urgent ones.
    h, cols = build(lambda di: 1.0, relaxed=True)
    h.addConstr(sum(cols[k] for k, (pi, di) in enumerate(pairs) if urgent(di)) >= int(os.environ["LP_URGENT"]))
    h.setOptionValue("time_limit", limit)
    h.run()
    status = h.modelStatusToString(h.getModelStatus())
    print(json.dumps({"lp_bound": int(h.getInfo().objective_function_value + 1e-6) if status == "Optimal" else None,
                      "status": status, "pairs": len(pairs), "seconds": round(time.time() - started, 1)}))
    sys.exit(0)

# Phase 1: the most urgent places.
h, cols = build(lambda di: 1.0 if urgent(di) else 0.0)
give_start(h)
h.setOptionValue("time_limit", limit / 2)
h.run()
status1 = h.modelStatusToString(h.getModelStatus())
most_urgent = round(h.getInfo().objective_function_value)
# Phase 2: the most places with at least that many urgent ones.
h, cols = build(lambda di: 1.0)
h.addConstr(sum(cols[k] for k, (pi, di) in enumerate(pairs) if urgent(di)) >= most_urgent)
if start is not None and sum(v for v, (pi, di) in zip(start, pairs) if urgent(di)) >= most_urgent:
    give_start(h)
h.setOptionValue("time_limit", max(1.0, limit - (time.time() - started)))
h.run()
status2 = h.modelStatusToString(h.getModelStatus())
values = h.getSolution().col_value
filled = sum(1 for v in values if v > 0.5)
# HiGHS maps a start into its presolved model and may lose places on the way (at 1,000
# people the engine's 6,845 became 6,843 there, and its own search then reached 6,844):
# the best found is the start when the start meets every row and HiGHS ended below it.
kept_start = False
if start is not None and status2 != "Optimal" and sum(start) > filled and satisfies(h, start):
    values, filled, kept_start = start, round(sum(start)), True
urgent_filled = sum(1 for k, (pi, di) in enumerate(pairs) if values[k] > 0.5 and urgent(di))
if len(sys.argv) > 4:
    json.dump([{"demand": demands[di]["id"], "person": people[pi]["id"]} for k, (pi, di) in enumerate(pairs) if values[k] > 0.5],
              open(sys.argv[4], "w"))
optimal = status1 == "Optimal" and status2 == "Optimal"
print(json.dumps({
    "urgent": urgent_filled, "filled": filled, "status": "optimal" if optimal else f"{status1}/{status2}",
    # No dual bound yet (a very short time limit) is null.
    "bound": int(h.getInfo().mip_dual_bound + 1e-6) if abs(h.getInfo().mip_dual_bound) < float("inf") else None,
    "pairs": len(pairs), "seconds": round(time.time() - started, 1), "best_is_start": kept_start,
}))
