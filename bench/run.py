"""The benchmark suite: a large event served by gunicorn, driven by wrk, against a bare-Flask ceiling.

    make bench                       # PostgreSQL (postgresql://postgres@127.0.0.1:5432/masterclass_bench_run)
    .venv/bin/python -m bench.run [--sqlite] [--duration 8] [--connections 16]

Seeds 5,000 registrations, 2 days, 60 sessions, 80 speakers and a survey with 2,000 responses
(bench/seed.py), serves bench/hello.py and then the app with the same gunicorn settings
(gunicorn.conf.py: 2 workers x 8 threads, gthread) on loopback, and measures:

* public pages and feeds with wrk (16 connections): req/s, p50/p99 and the ratio to the ceiling;
* check-in scans by 16 staff sessions at once (wrk, one connection and one login each, CSRF header);
* the organiser's pages one request at a time: survey results, registrations.csv, badges.pdf;
* the registration burst: 500 simultaneous attempts at a 30-seat event (bench/registration_burst.py);
* the peak RSS of each gunicorn worker, sampled every 0.2 s over the whole run.

Prints a table and writes bench/results.json. wrk runs on the same 2 cores as the server, for the
ceiling and the pages alike, so the ratios are fair while the absolute numbers are modest.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import psutil
import requests
import sqlalchemy as sa

from bench import registration_burst
from bench.common import ROOT, bench_environment, gunicorn, reset_database

DEFAULT_DATABASE = "postgresql://postgres@127.0.0.1:5432/masterclass_bench_run"
RESULTS = ROOT / "bench" / "results.json"
CSRF_INPUT = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')

TARGETS = {
    "public_ratio": 0.40,  # each public page at least 40% of the bare-Flask req/s
    "registrations_per_second": 100,
    "scan_p99_ms": 20,
    "badges_1000_s": 3.0,
    "results_ms": 200,
    "csv_5000_s": 1.0,
    "worker_rss_mb": 150,
}

REPORT_LUA = r"""
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests": %.0f, "duration_us": %.0f, "bytes": %.0f, "status_errors": %.0f, "socket_errors": %.0f, ' ..
    '"p50_us": %.0f, "p90_us": %.0f, "p99_us": %.0f, "max_us": %.0f}\n',
    summary.requests, summary.duration, summary.bytes, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
"""

# One wrk thread per scanner, each with its own staff login (cookie + CSRF token). Scanner i scans
# codes offset+i, offset+i+16, ... (green: first check-in of the day); every fifth scan repeats the
# previous badge (amber: already checked in), as a double scan at the door does. ``think`` ms pass
# between one answer and the next scan: 0 saturates the server, 250 is a brisk door.
SCAN_LUA = r"""
local next_id = 0
setup = function(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
end
init = function(args)
  local sessions = {}
  for line in io.lines(args[1]) do sessions[#sessions + 1] = line end
  codes = {}
  for line in io.lines(args[2]) do codes[#codes + 1] = line end
  nthreads = tonumber(args[3])
  path = args[4]
  local cookie, token = sessions[(id % #sessions) + 1]:match("^([^\t]+)\t(.+)$")
  headers = {["Cookie"] = cookie, ["X-CSRFToken"] = token, ["Content-Type"] = "application/json",
             ["Accept"] = "application/json"}
  think = tonumber(args[5])
  index = id + tonumber(args[6])
  previous = nil
  n = 0
end
delay = function()
  return think
end
request = function()
  n = n + 1
  local code
  if previous ~= nil and n % 5 == 0 then
    code = previous
  else
    code = codes[(index % #codes) + 1]
    index = index + nthreads
    previous = code
  end
  return wrk.format("POST", path, headers, '{"code": "' .. code .. '"}')
end
"""


# --- Load generation ------------------------------------------------------------------------------


def wrk_binary() -> str:
    found = shutil.which("wrk")
    if not found:
        sys.exit("wrk is missing: `make bench` installs it (apt-get install wrk).")
    return found


def run_wrk(url: str, *, duration: float, connections: int, threads: int = 2, headers: dict | None = None,
            script: str = "", script_args: list[str] | None = None) -> dict:
    """wrk against one URL; its Lua done() hook prints the numbers as JSON."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        lua.write(script + REPORT_LUA)
    command = [wrk_binary(), f"-t{threads}", f"-c{connections}", f"-d{max(1, round(duration))}s", "--timeout", "10s", "-s", lua.name]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    command.append(url)
    if script_args:
        command += ["--", *script_args]
    try:
        output = subprocess.run(command, capture_output=True, text=True, check=True, timeout=duration + 60).stdout
    finally:
        os.unlink(lua.name)
    line = next(line for line in output.splitlines() if line.startswith("WRKJSON "))
    raw = json.loads(line[len("WRKJSON "):])
    seconds = raw["duration_us"] / 1e6
    return {
        "requests": int(raw["requests"]),
        "rps": round(raw["requests"] / seconds, 1),
        "p50_ms": round(raw["p50_us"] / 1000, 2),
        "p90_ms": round(raw["p90_us"] / 1000, 2),
        "p99_ms": round(raw["p99_us"] / 1000, 2),
        "max_ms": round(raw["max_us"] / 1000, 2),
        "errors": int(raw["status_errors"] + raw["socket_errors"]),
    }


def timed(session: requests.Session, url: str, repeats: int, expect: int = 200) -> dict:
    """One request at a time: the latency an organiser waits for a heavy page or file."""
    latencies, size = [], 0
    for _ in range(repeats):
        began = time.perf_counter()
        response = session.get(url, timeout=120)
        latencies.append(time.perf_counter() - began)
        if response.status_code != expect:
            raise RuntimeError(f"{url}: {response.status_code}")
        size = len(response.content)
    latencies.sort()
    return {"repeats": repeats, "p50_ms": round(statistics.median(latencies) * 1000, 1),
            "max_ms": round(latencies[-1] * 1000, 1), "min_ms": round(latencies[0] * 1000, 1), "bytes": size}


# --- Sessions and memory -------------------------------------------------------------------------


def login(base: str, email: str, password: str, user_agent: str = "bench") -> requests.Session:
    session = requests.Session()
    # Flask-Login's session identifier (which the scan limit counts by) hashes address and browser:
    # each scanner is its own phone, so its own User-Agent.
    session.headers["User-Agent"] = user_agent
    form = session.get(f"{base}/login", timeout=30).text
    response = session.post(f"{base}/login", timeout=30, allow_redirects=False, data={
        "csrf_token": CSRF_INPUT.search(form).group(1), "email": email, "password": password})
    if response.status_code != 302:
        raise RuntimeError(f"login as {email} failed: {response.status_code}")
    return session


def scanner_login(base: str, slug: str, email: str, password: str, user_agent: str = "scanner") -> tuple[str, str]:
    """A staff session as the scanner page has it: the cookie and the page's CSRF token."""
    session = login(base, email, password, user_agent)
    page = session.get(f"{base}/manage/events/{slug}/checkin", timeout=30).text
    token = CSRF_META.search(page).group(1)
    cookie = "; ".join(f"{name}={value}" for name, value in session.cookies.items())
    return cookie, token


class RssSampler(threading.Thread):
    """Peak resident memory of each worker of a gunicorn master, sampled until stopped."""

    def __init__(self, master_pid: int, interval: float = 0.2):
        super().__init__(daemon=True)
        self.master = psutil.Process(master_pid)
        self.interval = interval
        self.peaks: dict[int, int] = {}
        self.phase_peak = 0
        self.phases: dict[str, float] = {}
        self.halt = threading.Event()

    def mark(self, phase: str) -> None:
        """The highest worker RSS seen since the previous mark: which scenario grows the workers."""
        time.sleep(self.interval * 2)
        self.phases[phase] = round(self.phase_peak / 2**20, 1)
        self.phase_peak = 0

    def run(self) -> None:
        while not self.halt.is_set():
            try:
                for child in self.master.children(recursive=True):
                    try:
                        rss = child.memory_info().rss
                    except psutil.Error:
                        continue
                    self.peaks[child.pid] = max(self.peaks.get(child.pid, 0), rss)
                    self.phase_peak = max(self.phase_peak, rss)
            except psutil.Error:
                return
            self.halt.wait(self.interval)

    def stop(self) -> dict:
        self.halt.set()
        self.join(timeout=5)
        peaks = sorted(self.peaks.values(), reverse=True)
        return {"workers_seen": len(peaks), "peak_mb": round(peaks[0] / 2**20, 1) if peaks else None,
                "per_worker_mb": [round(value / 2**20, 1) for value in peaks], "phase_peak_mb": self.phases}


# --- Scenarios -----------------------------------------------------------------------------------


def seed(database_url: str) -> dict:
    os.environ.update(bench_environment(database_url))
    from app import create_app
    from bench.seed import Size, seed_badge_event, seed_event

    began = time.perf_counter()
    app = create_app()
    big = seed_event(app, Size(), slug="bench")
    seed_badge_event(app, 1000, slug="bench-badges")
    with app.app_context():
        from app.extensions import db

        db.engine.dispose()
    registration_burst.seed(database_url, 30)
    from config import normalise_database_url

    engine = sa.create_engine(normalise_database_url(database_url))
    with engine.connect() as connection:  # fresh planner statistics, as autovacuum would soon give
        connection.execute(sa.text("ANALYZE"))
        connection.commit()
    engine.dispose()
    return {"slug": big["slug"], "secrets": big["secrets"], "seconds": round(time.perf_counter() - began, 1)}


def burst(base: str, attempts: int = 500, clients: int = 64) -> dict:
    start = threading.Event()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        futures = [pool.submit(registration_burst.attempt, base, "burst", n, start) for n in range(attempts)]
        time.sleep(1.0)  # the form GETs first: the POST burst is what is measured
        began = time.perf_counter()
        start.set()
        results = [future.result() for future in futures]
        elapsed = time.perf_counter() - began
    accepted = sum(1 for status, _ in results if status == 302)
    latencies = sorted(seconds for _, seconds in results)
    return {"attempts": attempts, "accepted": accepted, "seconds": round(elapsed, 2),
            "accepted_per_second": round(accepted / elapsed, 1),
            "p50_ms": round(statistics.median(latencies) * 1000, 1),
            "p99_ms": round(latencies[int(len(latencies) * 0.99) - 1] * 1000, 1)}


def burst_states(database_url: str, slug: str = "burst") -> dict:
    from config import normalise_database_url

    engine = sa.create_engine(normalise_database_url(database_url))
    with engine.connect() as connection:
        rows = connection.execute(sa.text(
            "SELECT r.status, count(*) FROM registrations r JOIN events e ON e.id = r.event_id "
            "WHERE e.slug = :slug GROUP BY r.status"), {"slug": slug}).all()
        capacity = connection.execute(sa.text("SELECT capacity FROM events WHERE slug = :slug"), {"slug": slug}).scalar_one()
        positions = connection.execute(sa.text(
            "SELECT r.waitlist_position FROM registrations r JOIN events e ON e.id = r.event_id "
            "WHERE e.slug = :slug AND r.status = 'waitlisted' ORDER BY 1"), {"slug": slug}).scalars().all()
    engine.dispose()
    states = dict(rows)
    confirmed = states.get("confirmed", 0)
    return {"seats": capacity, "confirmed": confirmed, "waitlisted": states.get("waitlisted", 0),
            "oversold": max(confirmed - capacity, 0), "waitlist_contiguous": positions == list(range(1, len(positions) + 1))}


def scanner_logins(base: str, slug: str, scanners: int) -> list[tuple[str, str]]:
    """Every scanner logs in as the staff member, four at a time, as staff arriving at the door."""
    from bench.seed import PASSWORD, STAFF

    with ThreadPoolExecutor(max_workers=4) as pool:
        return list(pool.map(lambda n: scanner_login(base, slug, STAFF, PASSWORD, f"scanner-{n}"), range(scanners)))


def scans(base: str, slug: str, secrets: list[str], logins: list[tuple[str, str]], *, duration: float, think_ms: int = 0,
          offset: int = 0) -> dict:
    scanners = len(logins)
    with tempfile.TemporaryDirectory() as folder:
        sessions_file, codes_file = Path(folder) / "sessions.tsv", Path(folder) / "codes.txt"
        sessions_file.write_text("".join(f"{cookie}\t{token}\n" for cookie, token in logins))
        codes_file.write_text("".join(f"{secret}\n" for secret in secrets))
        # One check that the door answers before the load: a real scan, a JSON answer.
        cookie, token = logins[0]
        probe = requests.post(f"{base}/manage/events/{slug}/checkin/scan", json={"code": secrets[-1]}, timeout=30,
                              headers={"Cookie": cookie, "X-CSRFToken": token})
        if probe.status_code != 200 or "state" not in probe.json():
            raise RuntimeError(f"scan endpoint answered {probe.status_code}: {probe.text[:200]}")
        result = run_wrk(f"{base}/manage/events/{slug}/checkin/scan", duration=duration, connections=scanners,
                         threads=scanners, script=SCAN_LUA,
                         script_args=[str(sessions_file), str(codes_file), str(scanners), f"/manage/events/{slug}/checkin/scan",
                                      str(think_ms), str(offset)])
    result["scanners"] = scanners
    result["think_ms"] = think_ms
    return result


def checkins_recorded(database_url: str, slug: str) -> int:
    from config import normalise_database_url

    engine = sa.create_engine(normalise_database_url(database_url))
    with engine.connect() as connection:
        count = connection.execute(sa.text(
            "SELECT count(*) FROM checkins c JOIN events e ON e.id = c.event_id WHERE e.slug = :slug"), {"slug": slug}).scalar_one()
    engine.dispose()
    return count


def cpu_costs(database_url: str, slug: str, secret: str) -> dict:
    """CPU milliseconds per request, in-process (Flask test client, one thread): what a page costs
    whatever else the machine is doing, unlike req/s. Two cores serve at most ~2000/ms requests a second."""
    from app import create_app
    from bench.hello import app as hello
    from bench.seed import ORGANISER, PASSWORD, STAFF

    os.environ.update(bench_environment(database_url, FLASK_WTF_CSRF_ENABLED="false"))
    app = create_app()

    def measure(client, method: str, path: str, repeats: int, **kwargs) -> float:
        client.open(path, method=method, **kwargs)
        began = time.process_time()
        for _ in range(repeats):
            response = client.open(path, method=method, **kwargs)
            assert response.status_code in (200, 302, 304), (path, response.status_code)
        return round((time.process_time() - began) / repeats * 1000, 2)

    costs = {"bare Flask hello": measure(hello.test_client(), "GET", "/", 500)}
    public = app.test_client()
    etag = public.get(f"/events/{slug}/calendar.ics").headers["ETag"]
    for name, path, repeats, headers in (
        ("/healthz", "/healthz", 200, {}), ("event page", f"/events/{slug}/", 100, {}), ("agenda", f"/events/{slug}/agenda", 20, {}),
        ("speaker list", f"/events/{slug}/speakers/", 30, {}), ("calendar.ics", f"/events/{slug}/calendar.ics", 100, {}),
        ("calendar.ics, conditional (304)", f"/events/{slug}/calendar.ics", 100, {"If-None-Match": etag}),
        ("schedule.xml", f"/events/{slug}/schedule.xml", 100, {}),
    ):
        costs[name] = measure(public, "GET", path, repeats, headers=headers)
    staff = app.test_client()
    staff.post("/login", data={"email": STAFF, "password": PASSWORD})
    costs["scan (repeat badge)"] = measure(staff, "POST", f"/manage/events/{slug}/checkin/scan", 50, json={"code": secret})
    organiser = app.test_client()
    organiser.post("/login", data={"email": ORGANISER, "password": PASSWORD})
    costs["survey results"] = measure(organiser, "GET", f"/manage/events/{slug}/survey/results", 5)
    costs["registrations.csv"] = measure(organiser, "GET", f"/manage/events/{slug}/registrations.csv", 2)
    costs["badges.pdf (1,000)"] = measure(organiser, "GET", "/manage/events/bench-badges/badges.pdf", 1)
    visitor = app.test_client()
    began = time.process_time()
    for n in range(30):
        visitor.post("/events/burst/register", data={
            "first_name": "Cost", "last_name": f"Nr {n}", "email": f"cost{n}@example.org", "organisation": "Benchmark",
            "country": "HU", "privacy_consent": "y"})
    costs["registration POST (waiting list)"] = round((time.process_time() - began) / 30 * 1000, 2)
    with app.app_context():
        from app.extensions import db

        db.engine.dispose()
    return costs


# --- Report --------------------------------------------------------------------------------------


def verdicts(results: dict) -> dict:
    pages = results["pages"]
    worst_ratio = min(page["ratio"] for name, page in pages.items() if not name.startswith("/healthz"))
    burst_result = results["registration_burst"]
    return {
        "public_pages_ratio": {"target": f">= {TARGETS['public_ratio']:.0%} of bare Flask", "worst": worst_ratio,
                               "met": worst_ratio >= TARGETS["public_ratio"]},
        "registration": {"target": ">= 100 accepted/s, none oversold", "value": burst_result["accepted_per_second"],
                         "oversold": burst_result["oversold"],
                         "met": burst_result["accepted_per_second"] >= TARGETS["registrations_per_second"]
                         and burst_result["oversold"] == 0},
        "scans": {"target": f"p99 < 20 ms ({results['scans']['think_ms']} ms pauses)", "value": results["scans"]["p99_ms"],
                  "met": results["scans"]["p99_ms"] < TARGETS["scan_p99_ms"]},
        "badges": {"target": "1,000 badges < 3 s", "value": results["badges_pdf_1000"]["p50_ms"] / 1000,
                   "met": results["badges_pdf_1000"]["p50_ms"] / 1000 < TARGETS["badges_1000_s"]},
        "survey_results": {"target": "< 200 ms at 2,000 responses", "value": results["survey_results"]["p50_ms"],
                           "met": results["survey_results"]["p50_ms"] < TARGETS["results_ms"]},
        "csv": {"target": "5,000 rows < 1 s", "value": results["registrations_csv"]["p50_ms"] / 1000,
                "met": results["registrations_csv"]["p50_ms"] / 1000 < TARGETS["csv_5000_s"]},
        "worker_rss": {"target": "< 150 MB", "value": results["worker_rss"]["peak_mb"],
                       "without_logins": results["worker_rss"]["peak_without_logins_mb"],
                       "met": (results["worker_rss"]["peak_mb"] or 0) < TARGETS["worker_rss_mb"]},
    }


def print_table(results: dict) -> None:
    ceiling = results["ceiling"]
    print()
    print(f"Masterclass benchmark, {results['date']} on {results['machine']['cpus']} cores, {results['database']}; "
          f"gunicorn {results['server']}; wrk {results['load']}")
    print(f"{'scenario':34} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'ratio':>7} {'errors':>7}")
    print(f"{'bare Flask hello (ceiling)':34} {ceiling['rps']:>9.1f} {ceiling['p50_ms']:>8.2f} {ceiling['p99_ms']:>8.2f} "
          f"{1:>7.0%} {ceiling['errors']:>7}")
    for name, page in results["pages"].items():
        print(f"{name:34} {page['rps']:>9.1f} {page['p50_ms']:>8.2f} {page['p99_ms']:>8.2f} {page['ratio']:>7.0%} {page['errors']:>7}")
    for label, key in (("scans, 16 scanners, no pause", "scans_saturated"), ("scans, 16 scanners, paced", "scans")):
        sc = results[key]
        print(f"{label:34} {sc['rps']:>9.1f} {sc['p50_ms']:>8.2f} {sc['p99_ms']:>8.2f} {'':>7} {sc['errors']:>7}")
    print()
    for label, key in (("survey results, 2,000 responses", "survey_results"), ("registrations.csv, 5,000 rows", "registrations_csv"),
                       ("badges.pdf, 1,000 badges", "badges_pdf_1000")):
        item = results[key]
        print(f"{label:34} p50 {item['p50_ms']:>8.1f} ms   max {item['max_ms']:>8.1f} ms   ({item['bytes'] / 1e6:.2f} MB)")
    b = results["registration_burst"]
    print(f"{'registration burst':34} {b['accepted']}/{b['attempts']} accepted in {b['seconds']} s = {b['accepted_per_second']}/s "
          f"(p50 {b['p50_ms']} ms, p99 {b['p99_ms']} ms); {b['confirmed']} confirmed of {b['seats']} seats, oversold {b['oversold']}, "
          f"waiting list {b['waitlisted']}")
    print()
    print("CPU per request, in-process (ms; less sensitive to a busy machine than req/s):")
    hello_ms = results["cpu_ms_per_request"]["bare Flask hello"]
    for name, ms in results["cpu_ms_per_request"].items():
        print(f"  {name:34} {ms:>9.2f} ms   {hello_ms / ms:>6.1%} of hello")
    rss = results["worker_rss"]
    print(f"{'worker peak RSS':34} {rss['peak_mb']} MB (workers: {rss['per_worker_mb']})")
    print(f"{'  peak in each phase':34} " + ", ".join(f"{phase} {mb}" for phase, mb in rss["phase_peak_mb"].items()))
    print(f"{'  peak outside the logins':34} {rss['peak_without_logins_mb']} MB (each login hashes with scrypt: 32 MiB while it runs)")
    print()
    for name, verdict in results["targets"].items():
        shown = {key: value for key, value in verdict.items() if key not in ("target", "met")}
        print(f"  {'MET   ' if verdict['met'] else 'MISSED'} {name:22} {verdict['target']:34} {shown}")


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sqlite", action="store_true", help="A SQLite file instead of PostgreSQL.")
    parser.add_argument("--database", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE),
                        help="PostgreSQL URL (its database is dropped and created again).")
    parser.add_argument("--duration", type=float, default=8.0, help="Seconds of load per page.")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--scanners", type=int, default=16)
    parser.add_argument("--think", type=int, default=250, help="ms between a scanner's answer and its next scan.")
    parser.add_argument("--output", default=str(RESULTS))
    args = parser.parse_args(argv)
    wrk_binary()
    load_at_start = [round(value, 2) for value in os.getloadavg()]
    database_url = f"sqlite:///{ROOT / 'instance' / 'bench_run.db'}" if args.sqlite else args.database
    (ROOT / "instance").mkdir(exist_ok=True)

    print("seeding ...", flush=True)
    reset_database(database_url)
    seeded = seed(database_url)
    print(f"seeded in {seeded['seconds']} s", flush=True)

    print("bare Flask ceiling ...", flush=True)
    with gunicorn(database_url, app="bench.hello:app") as hello:
        run_wrk(hello + "/", duration=2, connections=args.connections)  # warm-up
        ceiling = run_wrk(hello + "/", duration=args.duration, connections=args.connections)

    slug = seeded["slug"]
    pages: dict[str, dict] = {}
    with gunicorn(database_url) as base:
        sampler = RssSampler(base.pid)
        sampler.start()
        sampler.mark("start")
        feed = requests.get(f"{base}/events/{slug}/calendar.ics", timeout=30)
        public = {
            "/healthz (app floor: 1 query, JSON)": ("/healthz", {}),
            "event page": (f"/events/{slug}/", {}),
            "agenda": (f"/events/{slug}/agenda", {}),
            "speaker list": (f"/events/{slug}/speakers/", {}),
            "calendar.ics": (f"/events/{slug}/calendar.ics", {}),
            "calendar.ics, conditional (304)": (f"/events/{slug}/calendar.ics", {"If-None-Match": feed.headers["ETag"]}),
            "schedule.xml": (f"/events/{slug}/schedule.xml", {}),
        }
        for name, (path, headers) in public.items():
            check = requests.get(base + path, headers=headers, timeout=30)
            if check.status_code != (304 if headers else 200):
                raise RuntimeError(f"{path}: {check.status_code}")
            print(f"{name} ...", flush=True)
            run_wrk(base + path, duration=1, connections=args.connections, headers=headers)  # warm both workers
            result = run_wrk(base + path, duration=args.duration, connections=args.connections, headers=headers)
            result["ratio"] = round(result["rps"] / ceiling["rps"], 3)
            result["bytes"] = len(check.content)
            pages[name] = result
            sampler.mark(name)

        print("check-in scans ...", flush=True)
        logins = scanner_logins(base, slug, args.scanners)
        sampler.mark("16 staff logins")
        scan_result = scans(base, slug, seeded["secrets"], logins, duration=args.duration)
        paced_result = scans(base, slug, seeded["secrets"], logins, duration=args.duration,
                             think_ms=args.think, offset=len(seeded["secrets"]) // 2)
        sampler.mark("scans")

        from bench.seed import ORGANISER, PASSWORD

        organiser = login(base, ORGANISER, PASSWORD)
        sampler.mark("organiser login")
        print("survey results, CSV, badges ...", flush=True)
        organiser.get(f"{base}/manage/events/{slug}/survey/results", timeout=60)
        survey_results = timed(organiser, f"{base}/manage/events/{slug}/survey/results", 15)
        sampler.mark("survey results")
        csv_result = timed(organiser, f"{base}/manage/events/{slug}/registrations.csv", 8)
        sampler.mark("registrations.csv")
        badges_result = timed(organiser, f"{base}/manage/events/bench-badges/badges.pdf", 4)
        sampler.mark("badges.pdf")

        print("registration burst ...", flush=True)
        burst_result = burst(base)
        sampler.mark("registration burst")
        rss = sampler.stop()
    rss["peak_without_logins_mb"] = max(mb for phase, mb in rss["phase_peak_mb"].items() if "login" not in phase)
    burst_result.update(burst_states(database_url))
    scan_result["checkins_recorded"] = checkins_recorded(database_url, slug)
    print("CPU per request, in-process ...", flush=True)
    costs = cpu_costs(database_url, slug, seeded["secrets"][0])

    results = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(terse=True),
                    "load_average_at_start": load_at_start},
        "database": "sqlite" if args.sqlite else "postgresql",
        "server": "2 workers x 8 threads (gthread), gunicorn.conf.py",
        "load": f"{args.connections} connections, {args.duration:.0f} s per page, 2 threads",
        "seed_seconds": seeded["seconds"],
        "data": {"registrations": 5000, "days": 2, "sessions": 60, "speakers": 80, "survey_responses": 2000},
        "ceiling": ceiling,
        "pages": pages,
        "scans": paced_result,
        "scans_saturated": scan_result,
        "survey_results": survey_results,
        "registrations_csv": csv_result,
        "badges_pdf_1000": badges_result,
        "registration_burst": burst_result,
        "worker_rss": rss,
        "cpu_ms_per_request": costs,
    }
    results["targets"] = verdicts(results)
    print_table(results)
    Path(args.output).write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(f"\nwritten to {args.output}")
    if burst_result["oversold"]:
        sys.exit("oversold!")
    return results


if __name__ == "__main__":
    main()
