"""Registration burst: 500 people press "Register" at once for a 30-seat event.

    .venv/bin/python -m bench.registration_burst [--sqlite] [--attempts 500] [--seats 30]

Seeds an event, serves the app with gunicorn (2 workers × 8 threads) on loopback, and
fires the attempts from 64 client threads, each a real browser-like visit: GET the form
(for its CSRF token and cookie), then POST it. Reports accepted registrations per second
and checks that no seat was oversold. Prints a JSON line at the end.
"""

import argparse
import json
import re
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import requests

from bench.common import DEFAULT_PG, ROOT, bench_environment, gunicorn, reset_database

CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def seed(database_url: str, seats: int) -> str:
    import os

    os.environ.update(bench_environment(database_url))
    from app import create_app
    from app.auth import services as accounts
    from app.events import services as events
    from app.extensions import db

    app = create_app()
    with app.app_context():
        owner = accounts.create_user("bench@example.com", "benchmark-password")
        start = (datetime.now(UTC) + timedelta(days=30)).replace(tzinfo=None, microsecond=0)
        event = events.save_event(None, events.EventChanges({
            "title": "Burst Masterclass", "slug": "burst", "timezone": "Europe/Budapest", "language": "en",
            "starts_at": start, "ends_at": start + timedelta(hours=8), "capacity": seats,
            "contact_email": "bench@example.com", "requires_approval": False,
        }), creator=owner)
        events.set_status(event, "published")
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return "burst"


def count_states(database_url: str) -> dict:
    import os

    os.environ.update(bench_environment(database_url))
    from app import create_app
    from app.extensions import db
    from app.registration.models import Registration

    app = create_app()
    with app.app_context():
        rows = db.session.execute(db.select(Registration.status, db.func.count()).group_by(Registration.status)).all()
        positions = db.session.execute(
            db.select(Registration.waitlist_position).where(Registration.status == "waitlisted")
        ).scalars().all()
        db.engine.dispose()
    return {"states": dict(rows), "positions_ok": sorted(positions) == list(range(1, len(positions) + 1))}


def attempt(base: str, slug: str, number: int, start: threading.Event) -> tuple[int, float]:
    session = requests.Session()
    form = session.get(f"{base}/events/{slug}/register", timeout=60).text
    token = CSRF.search(form).group(1)
    start.wait()
    began = time.perf_counter()
    response = session.post(f"{base}/events/{slug}/register", timeout=120, allow_redirects=False, data={
        "csrf_token": token, "first_name": "Participant", "last_name": f"Nr {number}",
        "email": f"participant{number}@example.org", "organisation": "Benchmark Cluster", "country": "HU",
        "privacy_consent": "y",
    })
    return response.status_code, time.perf_counter() - began


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sqlite", action="store_true", help="Use a SQLite file instead of PostgreSQL.")
    parser.add_argument("--attempts", type=int, default=500)
    parser.add_argument("--seats", type=int, default=30)
    parser.add_argument("--clients", type=int, default=64)
    args = parser.parse_args(argv)
    database_url = f"sqlite:///{ROOT / 'instance' / 'bench.db'}" if args.sqlite else DEFAULT_PG
    (ROOT / "instance").mkdir(exist_ok=True)
    reset_database(database_url)
    slug = seed(database_url, args.seats)
    with gunicorn(database_url) as base:
        start = threading.Event()
        with ThreadPoolExecutor(max_workers=args.clients) as pool:
            futures = [pool.submit(attempt, base, slug, n, start) for n in range(args.attempts)]
            time.sleep(0.5)  # let the form GETs finish first: we measure the POST burst
            began = time.perf_counter()
            start.set()
            results = [future.result() for future in futures]
            elapsed = time.perf_counter() - began
    accepted = sum(1 for status, _ in results if status == 302)
    latencies = sorted(seconds for _, seconds in results)
    counts = count_states(database_url)
    confirmed = counts["states"].get("confirmed", 0)
    result = {
        "database": "sqlite" if args.sqlite else "postgresql",
        "attempts": args.attempts,
        "seats": args.seats,
        "accepted": accepted,
        "seconds": round(elapsed, 3),
        "accepted_per_second": round(accepted / elapsed, 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 1),
        "p99_ms": round(latencies[int(len(latencies) * 0.99) - 1] * 1000, 1),
        "confirmed": confirmed,
        "waitlisted": counts["states"].get("waitlisted", 0),
        "oversold": max(confirmed - args.seats, 0),
        "waitlist_positions_contiguous": counts["positions_ok"],
    }
    print(f"{accepted}/{args.attempts} accepted in {elapsed:.2f} s = {result['accepted_per_second']} registrations/s "
          f"(p50 {result['p50_ms']} ms, p99 {result['p99_ms']} ms); confirmed {confirmed} of {args.seats} seats, "
          f"oversold {result['oversold']}, waiting list {result['waitlisted']}")
    print(json.dumps(result))
    if result["oversold"] or accepted != args.attempts:
        sys.exit(1)
    return result


if __name__ == "__main__":
    main()
