# Times in the matching format (docs/matching-format.md), shared by the benchmark's
# Python references: ISO 8601 to seconds, the Amsterdam week, merged ranges.
import datetime as dt
import functools
from zoneinfo import ZoneInfo

AMS = ZoneInfo("Europe/Amsterdam")
REST = 11 * 3600


@functools.lru_cache(maxsize=None)
def t(s):
    return dt.datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp()


def local(ts):
    return dt.datetime.fromtimestamp(ts, AMS)


def week(ts):
    """The Monday (as a day number) of the Amsterdam week `ts` falls in."""
    d = local(ts)
    return (d - dt.timedelta(days=d.weekday())).date().toordinal()


def merged(ranges):
    """Sorted, with overlapping and touching ranges joined."""
    out = []
    for s, e in sorted(ranges):
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return out


def credentials_hold(p, d):
    """The credentials a shift asks for on its day (docs/matching-format.md): a VOG issued
    at or after `vog_issued_since` (and not after the start), the registration in
    `register` holding at the start, an induction at `induction_location` by the start."""
    s = t(d["start"])
    if "vog_issued_since" in d:
        issued = p.get("vog_issued")
        if issued is None or not (t(d["vog_issued_since"]) <= t(issued) <= s):
            return False
    if "register" in d:
        if not any(r["register"] == d["register"] and t(r["from"]) <= s and ("until" not in r or s < t(r["until"]))
                   for r in p.get("registrations", [])):
            return False
    if "induction_location" in d:
        if not any(i["location"] == d["induction_location"] and t(i["since"]) <= s for i in p.get("inductions", [])):
            return False
    return True
