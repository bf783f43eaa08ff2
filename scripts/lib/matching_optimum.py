# The exact optimum of a matching instance with the HiGHS MIP solver (PyPI: highspy),
# to see how far the engine and its upper bound are from it. Objective: places filled,
# urgent ones breaking ties (the engine is lexicographic, urgent first).
# Usage: python3 scripts/lib/matching_optimum.py INSTANCE.json [SECONDS]
import json, sys, datetime as dt
from zoneinfo import ZoneInfo
import highspy
inst = json.load(open(sys.argv[1]))
AMS = ZoneInfo("Europe/Amsterdam")
def t(s): return dt.datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp()
def week(ts):
    d = dt.datetime.fromtimestamp(ts, AMS)
    monday = (d - dt.timedelta(days=d.weekday())).date()
    return monday.toordinal()
people = inst["people"]; demands = inst["demands"]
h = highspy.Highs(); h.setOptionValue("output_flag", False); h.setOptionValue("time_limit", float(sys.argv[2]) if len(sys.argv) > 2 else 120.0)
var = {}
for di, d in enumerate(demands):
    s, e = t(d["start"]), t(d["end"])
    for pi, p in enumerate(people):
        if d["qualification"] not in p["qualifications"] or d["area"] not in p["allowed_areas"] or p["home_organisation"] == d["organisation"]: continue
        if not any(t(a["start"]) <= s and e <= t(a["end"]) for a in p["availability"]): continue
        var[(pi, di)] = None
keys = list(var)
for k in keys:
    var[k] = h.addBinary(obj=1.0 + (1e-6 if demands[k[1]].get("priority") == "urgent" else 0))
h.changeObjectiveSense(highspy.ObjSense.kMaximize)
from collections import defaultdict
byd = defaultdict(list); byp = defaultdict(list)
for (pi, di), v in var.items(): byd[di].append(v); byp[pi].append(di)
for di, vs in byd.items(): h.addConstr(sum(vs) <= demands[di]["needed"])
REST = 11 * 3600
for pi, ds in byp.items():
    ds.sort(key=lambda di: t(demands[di]["start"]))
    for i, a in enumerate(ds):
        sa, ea = t(demands[a]["start"]), t(demands[a]["end"])
        for b in ds[i+1:]:
            sb, eb = t(demands[b]["start"]), t(demands[b]["end"])
            if sb - ea >= REST: break
            if sa - eb < REST and sb - ea < REST: h.addConstr(var[(pi, a)] + var[(pi, b)] <= 1)
    weeks = defaultdict(list)
    for di in ds: weeks[week(t(demands[di]["start"]))].append(di)
    cap = people[pi]["weekly_cap_hours"]
    for w, lst in weeks.items():
        hrs = [(t(demands[di]["end"]) - t(demands[di]["start"])) / 3600 for di in lst]
        if sum(hrs) > cap: h.addConstr(sum(hr * var[(pi, di)] for hr, di in zip(hrs, lst)) <= cap)
h.run()
info = h.getInfo()
status = h.modelStatusToString(h.getModelStatus())
values = h.getSolution().col_value
filled = sum(1 for v in values if v > 0.5)
urgent = sum(1 for k in keys if values[var[k].index] > 0.5 and demands[k[1]].get("priority") == "urgent")
print(f"optimum: {filled} places, {urgent} urgent ({status}; {len(var)} person-shift pairs; solver bound {int(info.mip_dual_bound + 1e-6)})")
