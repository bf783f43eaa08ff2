#!/usr/bin/env python3
"""The fault scenarios of scripts/check-faults, against a running service.

Reads its set-up from the environment (scripts/check-faults sets it): BASE (the
service's URL), TOKEN (an API token), SERVICE_PID, PG_DATA, PG_CTL (pg_ctl with the
prefix that runs it as the cluster's owner), PSQL (psql with the socket and user),
DB (the service's database). Prints one line per promise with what was measured and
exits 1 when a promise is broken.
"""
import json
import os
import shlex
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

BASE = os.environ["BASE"]
TOKEN = os.environ["TOKEN"]
SERVICE_PID = int(os.environ["SERVICE_PID"])
PG_DATA = os.environ["PG_DATA"]
PG_CTL = shlex.split(os.environ["PG_CTL"])
PSQL = shlex.split(os.environ["PSQL"])
DB = os.environ["DB"]

results = []


def promise(name, kept, measured):
    results.append((name, kept, measured))
    print(f"{'ok    ' if kept else 'BROKEN'} {name}: {measured}", flush=True)


def request(method, path, body=None, token=None, timeout=10):
    """(status, seconds, parsed body or None); status 0 when no answer came."""
    headers = {"Accept": "application/json"}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    if token:
        headers["Authorization"] = "Bearer " + token
    started = time.monotonic()
    try:
        with urllib.request.urlopen(urllib.request.Request(BASE + path, data=data, method=method, headers=headers), timeout=timeout) as r:
            raw = r.read()
            status = r.status
    except urllib.error.HTTPError as e:
        raw = e.read()
        status = e.code
    except Exception:
        return 0, time.monotonic() - started, None
    elapsed = time.monotonic() - started
    try:
        return status, elapsed, json.loads(raw)
    except Exception:
        return status, elapsed, None


def psql(sql):
    # Through standard input: a list of thousands of ids is too long for an argument.
    out = subprocess.run(PSQL + ["-d", DB, "-tA", "-f", "-"], input=sql, check=True, capture_output=True, text=True)
    return out.stdout.strip()


def postmaster_pid():
    with open(os.path.join(PG_DATA, "postmaster.pid")) as f:
        return int(f.readline())


def cluster_pids():
    """The postmaster and its children."""
    pm = postmaster_pid()
    children = subprocess.run(["pgrep", "-P", str(pm)], capture_output=True, text=True).stdout.split()
    return [pm] + [int(c) for c in children]


def start_postgres():
    subprocess.run(PG_CTL + ["-D", PG_DATA, "-l", os.path.join(os.path.dirname(PG_DATA), "postgres.log"), "-w", "-t", "120", "start"],
                   check=True, stdout=subprocess.DEVNULL, cwd="/")


class Load:
    """Threads that repeat one request until stopped, recording (start, end, status, body)."""

    def __init__(self, threads, make_request):
        self.records = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self.run, args=(make_request, i), daemon=True) for i in range(threads)]

    def run(self, make_request, index):
        n = 0
        while not self.stopping.is_set():
            n += 1
            started = time.monotonic()
            status, elapsed, body = make_request(index, n)
            with self.lock:
                self.records.append((started, started + elapsed, status, body))
            if status != 200 and status != 201:
                time.sleep(0.05)

    def __enter__(self):
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *args):
        self.stopping.set()
        for t in self.threads:
            t.join(timeout=30)


def new_posting(index, n):
    body = {"kind": "vacancy", "title": f"Foutproef {index}-{n}-{time.monotonic_ns()}", "municipality": "amsterdam",
            "description": "Aangemaakt door scripts/check-faults.", "status": "draft"}
    return request("POST", "/api/v1/postings", body, token=TOKEN, timeout=15)


def sigkill_under_write_load():
    print("\n# PostgreSQL killed with SIGKILL under write load", flush=True)
    with Load(4, new_posting) as load:
        time.sleep(3)
        killed_at = time.monotonic()
        pids = cluster_pids()
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        time.sleep(4)
        restart_at = time.monotonic()
        start_postgres()
        up_at = time.monotonic()
        time.sleep(6)
    records = load.records
    acknowledged = [body["id"] for (_, _, status, body) in records if status == 201 and body and "id" in body]
    during = [(end - start, status) for (start, end, status, _) in records if killed_at + 0.5 <= start < restart_at]
    slow = [d for d, _ in during if d > 1.0]
    statuses = sorted({s for _, s in during})
    first_success_after = min((end for (start, end, status, _) in records if status == 201 and start >= up_at), default=None)
    # Every posting the client saw acknowledged is in the database after the restart.
    ids = "{" + ",".join(acknowledged) + "}"
    present = int(psql(f"SELECT count(*) FROM posting WHERE id = ANY('{ids}'::uuid[])"))
    promise("every acknowledged write survives", present == len(acknowledged),
            f"{present} of {len(acknowledged)} acknowledged postings in the database ({len(records)} requests, {len(pids)} processes killed)")
    promise("while down, the service answers 503 within a second", len(during) > 0 and statuses == [503] and not slow,
            f"{len(during)} answers while down, statuses {statuses}, slowest {max((d for d, _ in during), default=0):.3f} s")
    recovered = first_success_after is not None and first_success_after - up_at < 10
    promise("it recovers by itself after the restart", recovered,
            f"first acknowledged write {first_success_after - up_at:.2f} s after PostgreSQL was up" if first_success_after else "no write succeeded after the restart")


def terminated_connections():
    print("\n# The service's connections terminated by pg_terminate_backend", flush=True)
    # Warm the pool, then terminate every backend of the service's database while one
    # client keeps reading.
    with Load(1, lambda i, n: request("GET", "/api/v1/postings?page=1")) as load:
        time.sleep(2)
        terminated_at = time.monotonic()
        count = psql(f"SELECT count(pg_terminate_backend(pid, 5000)) FROM pg_stat_activity WHERE datname = '{DB}' AND pid <> pg_backend_pid()")
        time.sleep(3)
    after = [status for (start, _, status, _) in load.records if start >= terminated_at - 0.2]
    failures = [s for s in after if s != 200]
    recovered = len(after) > 0 and after[-1] == 200
    promise("terminated connections cost at most one failed request", len(failures) <= 1 and recovered,
            f"{count} backends terminated; {len(failures)} failed of {len(after)} requests after it; last answer {after[-1] if after else None}")


def paused_postgres():
    print("\n# PostgreSQL paused with SIGSTOP", flush=True)
    pids = cluster_pids()
    for pid in pids:
        os.kill(pid, signal.SIGSTOP)
    try:
        time.sleep(0.5)
        statics = [request("GET", "/static/css/doorstroom.css", timeout=5) for _ in range(5)]
        health = [request("GET", "/healthz", timeout=10) for _ in range(2)]
    finally:
        resumed_at = time.monotonic()
        for pid in pids:
            try:
                os.kill(pid, signal.SIGCONT)
            except ProcessLookupError:
                pass
    promise("static pages are served while PostgreSQL is paused", all(s == 200 and d < 1 for s, d, _ in statics),
            f"statuses {[s for s, _, _ in statics]}, slowest {max(d for _, d, _ in statics):.3f} s")
    promise("/healthz says 503 while PostgreSQL is paused", all(s == 503 and d < 3 for s, d, _ in health),
            f"statuses {[s for s, _, _ in health]}, slowest {max(d for _, d, _ in health):.3f} s")
    ok_at = None
    while time.monotonic() - resumed_at < 15:
        if request("GET", "/healthz", timeout=5)[0] == 200 and request("GET", "/api/v1/postings", timeout=5)[0] == 200:
            ok_at = time.monotonic()
            break
        time.sleep(0.1)
    promise("it recovers after SIGCONT", ok_at is not None,
            f"healthy and serving {ok_at - resumed_at:.2f} s after SIGCONT" if ok_at else "not healthy 15 s after SIGCONT")


def sigterm_in_flight():
    print("\n# SIGTERM while requests are in flight", flush=True)
    # Pausing PostgreSQL holds the requests in flight; SIGTERM arrives while they wait.
    pids = cluster_pids()
    answers = []
    lock = threading.Lock()

    def one(i):
        result = request("GET", f"/api/v1/postings?page={1 + i % 3}", timeout=30)
        with lock:
            answers.append(result[0])

    for pid in pids:
        os.kill(pid, signal.SIGSTOP)
    threads = [threading.Thread(target=one, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    time.sleep(1)
    os.kill(SERVICE_PID, signal.SIGTERM)
    time.sleep(1)
    for pid in pids:
        try:
            os.kill(pid, signal.SIGCONT)
        except ProcessLookupError:
            pass
    for t in threads:
        t.join(timeout=40)
    exit_code = None
    waited = time.monotonic()
    while time.monotonic() - waited < 30:
        try:
            pid, status = os.waitpid(SERVICE_PID, os.WNOHANG)
        except ChildProcessError:
            # Not our child: scripts/check-faults reports the code it collects.
            break
        if pid:
            exit_code = os.waitstatus_to_exitcode(status)
            break
        time.sleep(0.1)
    promise("requests in flight at SIGTERM finish", answers.count(200) == len(threads),
            f"{answers.count(200)} of {len(threads)} answered 200 ({sorted(answers)})")
    return exit_code


def main():
    sigkill_under_write_load()
    terminated_connections()
    paused_postgres()
    sigterm_in_flight()
    broken = [name for name, kept, _ in results if not kept]
    with open(os.environ.get("REPORT", "/dev/null"), "w") as f:
        json.dump([{"promise": n, "kept": k, "measured": m} for n, k, m in results], f, indent=1, ensure_ascii=False)
    sys.exit(1 if broken else 0)


if __name__ == "__main__":
    main()
