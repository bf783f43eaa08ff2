# Times in the matching format (docs/matching-format.md), shared by the benchmark's
# Python references: ISO 8601 to seconds, the Amsterdam week, merged ranges.
import datetime as dt
from zoneinfo import ZoneInfo

AMS = ZoneInfo("Europe/Amsterdam")
REST = 11 * 3600


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
