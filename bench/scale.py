"""Scale test: two gunicorn instances on two ports, one PostgreSQL, one Redis.

    make bench-scale        (.venv/bin/python -m bench.scale [--redis redis://127.0.0.1:6379])

What a load balancer in front of N app machines relies on, shown with N = 2:

1. capacity: 500 simultaneous registrations at a 30-seat event, alternating between the two
   instances: 30 confirmed, none oversold, the waiting list numbered 1..470 without a gap;
2. rate limits: the scan limit set low (30 per minute per staff session) and 45 scans of one
   session alternating between the instances: exactly 30 pass and 15 get 429, because the
   counters live in Redis (with ``memory://`` each instance would let 30 through: 45 in all);
3. idempotent check-in: one badge scanned 16 times at once through both instances: one
   check-in row, every answer green or amber; and 16 scanners checking in 800 badges over
   both instances: 800 rows, none twice.

Exits non-zero when any of these fails. Prints a JSON summary (also in bench/scale.json).
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack

import requests
import sqlalchemy as sa

from bench import registration_burst
from bench.common import ROOT, gunicorn, reset_database
from bench.run import burst_states, scanner_login

DEFAULT_DATABASE = "postgresql://postgres@127.0.0.1:5432/masterclass_bench_scale"
SCAN_LIMIT = 30


def seed(database_url: str) -> dict:
    import os

    from bench.common import bench_environment

    os.environ.update(bench_environment(database_url))
    from app import create_app
    from app.extensions import db
    from bench.seed import Size, seed_event

    app = create_app()
    seeded = seed_event(app, Size(registrations=1000, sessions=10, speakers=10, responses=10), slug="bench")
    with app.app_context():
        db.engine.dispose()
    registration_burst.seed(database_url, 30)
    return seeded


def checkin_rows(database_url: str, secrets: list[str]) -> dict:
    from config import normalise_database_url

    engine = sa.create_engine(normalise_database_url(database_url))
    with engine.connect() as connection:
        rows = connection.execute(sa.text(
            "SELECT r.badge_secret, count(c.id) FROM registrations r LEFT JOIN checkins c ON c.registration_id = r.id "
            "WHERE r.badge_secret = ANY(:secrets) GROUP BY r.badge_secret"), {"secrets": secrets}).all()
    engine.dispose()
    return dict(rows)


def scan(base: str, slug: str, login: tuple[str, str, str], code: str) -> requests.Response:
    cookie, token, user_agent = login
    return requests.post(f"{base}/manage/events/{slug}/checkin/scan", json={"code": code}, timeout=60, headers={
        "Cookie": cookie, "X-CSRFToken": token, "Accept": "application/json", "User-Agent": user_agent})


def phone(base: str, slug: str, name: str) -> tuple[str, str, str]:
    """A scanner phone: its own browser (User-Agent), so its own staff session and rate-limit counter."""
    return (*scanner_login(base, slug, "staff@bench.example", "benchmark-password", name), name)


def registration_across(bases: list[str], attempts: int = 500, clients: int = 64) -> dict:
    start = threading.Event()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        futures = [pool.submit(registration_burst.attempt, bases[n % len(bases)], "burst", n, start) for n in range(attempts)]
        time.sleep(1.0)
        began = time.perf_counter()
        start.set()
        results = [future.result() for future in futures]
        elapsed = time.perf_counter() - began
    accepted = sum(1 for status, _ in results if status == 302)
    return {"attempts": attempts, "accepted": accepted, "seconds": round(elapsed, 2),
            "accepted_per_second": round(accepted / elapsed, 1)}


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=DEFAULT_DATABASE)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379")
    parser.add_argument("--workers", type=int, default=1, help="gunicorn workers per instance")
    args = parser.parse_args(argv)
    (ROOT / "instance").mkdir(exist_ok=True)
    reset_database(args.database)
    seeded = seed(args.database)
    slug, secrets = seeded["slug"], seeded["secrets"]
    shared = {
        "FLASK_RATELIMIT_ENABLED": "true",
        "FLASK_RATELIMIT_STORAGE_URI": args.redis,
        "FLASK_RATELIMIT_KEY_PREFIX": f"masterclass-bench-scale-{uuid.uuid4().hex[:8]}",  # this run's counters only
        "FLASK_CHECKIN_RATE_LIMIT": f"{SCAN_LIMIT} per minute",
        "FLASK_REGISTRATION_RATE_LIMIT": "100000 per hour",  # the burst comes from one address: 127.0.0.1
        "FLASK_LOGIN_RATE_LIMIT": "1000 per minute",
    }
    report: dict = {"instances": 2, "workers_per_instance": args.workers, "redis": args.redis}
    failures = []
    with ExitStack() as stack:
        bases = [stack.enter_context(gunicorn(args.database, workers=args.workers, **shared)) for _ in range(2)]
        report["ports"] = [base.rsplit(":", 1)[1] for base in bases]
        for base in bases:
            health = requests.get(f"{base}/healthz", timeout=10).json()
            if health.get("redis") != "ok":
                failures.append(f"{base}/healthz: {health}")
        report["healthz"] = health

        # 1. Capacity across processes.
        report["registration_burst"] = registration_across(bases)
        report["registration_burst"].update(burst_states(args.database))
        burst = report["registration_burst"]
        if burst["oversold"] or burst["confirmed"] != burst["seats"] or not burst["waitlist_contiguous"]:
            failures.append(f"capacity: {burst}")

        # 2. One staff session's scan limit, counted in Redis across both instances.
        limited = phone(bases[0], slug, "limited-phone")
        statuses = [scan(bases[n % 2], slug, limited, secrets[n]).status_code for n in range(SCAN_LIMIT + 15)]
        passed, refused = statuses.count(200), statuses.count(429)
        report["rate_limit"] = {"limit": f"{SCAN_LIMIT} per minute per staff session", "sent": len(statuses),
                                "passed": passed, "refused_429": refused,
                                "refused_on": sorted({bases[n % 2].rsplit(':', 1)[1] for n, s in enumerate(statuses) if s == 429})}
        if passed != SCAN_LIMIT or refused != 15:
            failures.append(f"rate limit not shared: {report['rate_limit']}")

        # 3a. One badge, 16 scanners at once, both instances: one check-in.
        logins = [phone(bases[n % 2], slug, f"phone-{n}") for n in range(16)]
        badge = secrets[-1]
        barrier = threading.Barrier(16)

        def same_badge(n: int) -> dict:
            barrier.wait()
            return scan(bases[n % 2], slug, logins[n], badge).json()

        with ThreadPoolExecutor(max_workers=16) as pool:
            answers = list(pool.map(same_badge, range(16)))
        states = sorted(answer["state"] for answer in answers)
        rows = checkin_rows(args.database, [badge])[badge]
        report["same_badge"] = {"scans": 16, "states": {state: states.count(state) for state in set(states)}, "checkins": rows}
        if rows != 1 or states.count("welcome") != 1:
            failures.append(f"idempotent check-in: {report['same_badge']}")

        # 3b. 16 scanners, 13 badges each, each badge on both instances: 27 scans a session, under the limit.
        wanted = secrets[100:100 + 16 * 13]

        def scanner(n: int) -> list[int]:
            mine = wanted[n::16]
            out = []
            for code in mine:
                out.append(scan(bases[0], slug, logins[n], code).status_code)
                out.append(scan(bases[1], slug, logins[n], code).status_code)
            return out

        began = time.perf_counter()
        with ThreadPoolExecutor(max_workers=16) as pool:
            codes = [status for statuses in pool.map(scanner, range(16)) for status in statuses]
        elapsed = time.perf_counter() - began
        counted = checkin_rows(args.database, wanted)
        report["concurrent_scans"] = {"scanners": 16, "badges": len(wanted), "scans": len(codes),
                                      "ok": codes.count(200), "seconds": round(elapsed, 2),
                                      "checkins": sum(counted.values()),
                                      "badges_checked_in_twice": sum(1 for c in counted.values() if c > 1)}
        if codes.count(200) != len(codes) or sum(counted.values()) != len(wanted) or report["concurrent_scans"]["badges_checked_in_twice"]:
            failures.append(f"concurrent scans: {report['concurrent_scans']}")

    report["failures"] = failures
    print(json.dumps(report, indent=2))
    (ROOT / "bench" / "scale.json").write_text(json.dumps(report, indent=2) + "\n")
    print("OK: capacity, rate limits and check-in hold across two instances" if not failures else "FAILED: " + "; ".join(failures))
    if failures:
        sys.exit(1)
    return report


if __name__ == "__main__":
    main()
