#!/usr/bin/env python3
"""An exhausted pool answers 503 fast instead of hanging.

Usage: exhaust.py URL SECONDS CLIENTS WAIT [COOKIE]
CLIENTS threads request URL (with COOKIE, when given, and Cache-Control: no-cache,
so that no kept page answers in the database's place) for SECONDS against an
instance whose pool has one connection and waits WAIT seconds for it. Prints the answers by status and the
latencies; exits 1 when an answer is neither 200 nor 503, when one took longer than
WAIT + 1.5 s (or none came), or when no 503 came (the pool was never exhausted, so
nothing was shown).
"""
import sys
import threading
import time
import urllib.error
import urllib.request

url, seconds, clients, wait = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
headers = {"Cache-Control": "no-cache"}
if len(sys.argv) > 5 and sys.argv[5]:
    headers["Cookie"] = sys.argv[5]
records = []
lock = threading.Lock()
deadline = time.monotonic() + seconds


def run():
    while time.monotonic() < deadline:
        started = time.monotonic()
        try:
            with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=30) as response:
                response.read()
                status = response.status
        except urllib.error.HTTPError as error:
            status = error.code
        except Exception:
            status = 0
        with lock:
            records.append((status, time.monotonic() - started))


threads = [threading.Thread(target=run) for _ in range(clients)]
for t in threads:
    t.start()
for t in threads:
    t.join()

statuses = {}
for status, _ in records:
    statuses[status] = statuses.get(status, 0) + 1
latencies = sorted(d for _, d in records)
refused = sorted(d for s, d in records if s == 503)
p99 = latencies[int(len(latencies) * 0.99) - 1] if latencies else 0
print(f"exhausted pool (1 connection, {wait:g} s wait, {clients} clients, {seconds:g} s): answers {dict(sorted(statuses.items()))}; "
      f"p99 {p99:.2f} s, slowest {latencies[-1] if latencies else 0:.2f} s; slowest 503 {refused[-1] if refused else 0:.2f} s")
broken = [s for s in statuses if s not in (200, 503)]
if broken or not latencies or latencies[-1] > wait + 1.5 or not refused:
    print("  BROKEN: " + ("answers other than 200 and 503" if broken else "no 503: the pool was not exhausted" if not refused else "an answer took too long"))
    sys.exit(1)
