# One size of scripts/bench-matching: the engine's line next to HiGHS's optimum and the
# reference method. Arguments: three JSON objects (or null).
import json, sys

engine = json.loads(sys.argv[1])
highs = json.loads(sys.argv[2])
reference = json.loads(sys.argv[3])
people, demands = int(engine["people"]), int(engine["demands"])
filled, urgent, bound = int(engine["filled"]), int(engine["urgent_filled"]), int(engine["bound"])
print(f"{people:>5} people {demands:>6} demands {int(engine['places']):>6} places")
print(f"  engine     {engine['total_ms'] / 1000:6.2f} s end to end, {engine['solve_ms'] / 1000:6.2f} s solving;"
      f" filled {filled} ({urgent} of {int(engine['urgent_needed'])} urgent), bound {bound}"
      f" ({(bound - filled) / max(1, bound) * 100:.2f}% above), spread {engine['spread']:.3f}")
if highs:
    best = highs["filled"]
    if highs["status"] == "optimal":
        print(f"  optimum    {best} ({highs['urgent']} urgent), HiGHS {highs['seconds']} s:"
              f" engine {(best - filled) / best * 100:.2f}% below, urgent {urgent - highs['urgent']:+d};"
              f" bound {(bound - best) / best * 100:.2f}% above")
    else:
        if highs["bound"] is None:
            its_bound = "no bound yet"
        else:
            its_bound = f"its bound {highs['bound']}" + (" (weaker than the engine's)" if highs["bound"] >= bound else "")
        start = ", the engine's start: its own search ended below it" if highs.get("best_is_start") else ""
        print(f"  HiGHS      not proven in {highs['seconds']} s ({highs['status']}): best found {best} ({highs['urgent']} urgent{start}),"
              f" {its_bound}")
    if bound < best:
        print(f"  !! the engine's bound {bound} is below a solution HiGHS found ({best})")
if reference:
    print(f"  reference  {reference['seconds']:6.2f} s (rolling day-by-day min-cost flow + local search, OR-Tools):"
          f" filled {reference['filled']} ({reference['urgent']} urgent); engine {filled - reference['filled']:+d}")
