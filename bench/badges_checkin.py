"""Benchmark: 1,000 badges to PDF, and the scan endpoint with 5,000 registrations and 16 scanners.

    .venv/bin/python -m bench.badges_checkin [--database postgresql://postgres@127.0.0.1:5432/mc_badges_bench]

In-process (Flask test clients in 16 threads against a real PostgreSQL); the times are
server-side: request handling including the database round trips, without HTTP parsing.
Not a timed test: numbers go to the README's performance section.
"""

import argparse
import statistics
import threading
import time
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from config import TestingConfig, normalise_database_url

PASSWORD = "benchmark-password"


def seed(app, count: int) -> tuple[str, list[str]]:
    from app.auth import services as accounts
    from app.core.tokens import hash_token, new_badge_secret, new_nonce, new_token
    from app.events import services as events
    from app.extensions import db
    from app.registration.models import Registration

    with app.app_context():
        user = accounts.create_user("organiser@example.com", PASSWORD, name="Bench Organiser")
        now = datetime.now(UTC)
        event = events.save_event(None, events.EventChanges({
            "title": "Benchmark Masterclass", "slug": "bench", "timezone": "Europe/Budapest",
            "starts_at": (now - timedelta(hours=2)).replace(tzinfo=None), "ends_at": (now + timedelta(days=1)).replace(tzinfo=None),
        }), creator=user)
        events.set_status(event, "published")
        secrets = [new_badge_secret() for _ in range(count)]
        db.session.execute(sa.insert(Registration), [{
            "event_id": event.id, "status": "confirmed", "first_name": f"Győző{i}", "last_name": f"Őze{i:05d}",
            "email": f"p{i}@example.org", "organisation": "Pannon Autóipari Klaszter", "country": "HU",
            "manage_token_hash": hash_token(new_token()), "manage_token_nonce": new_nonce(), "badge_secret": secret, "language": "hu",
            "created_at": now, "updated_at": now,
        } for i, secret in enumerate(secrets)])
        db.session.commit()
        return event.slug, secrets


def bench_pdf(app, slug: str, count: int) -> float:
    from app.badges import pdf, services
    from app.events.services import get_by_slug

    with app.test_request_context():
        event = get_by_slug(slug)
        badges = services.event_badges(event)[:count]
        start = time.perf_counter()
        data = pdf.sheets_pdf(event, badges)
        elapsed = time.perf_counter() - start
        print(f"{len(badges)} badges -> {len(data) / 1e6:.1f} MB PDF in {elapsed:.2f} s")
        return elapsed


def bench_scans(app, slug: str, secrets: list[str], scanners: int, per_scanner: int) -> list[float]:
    timings: list[float] = []
    lock = threading.Lock()
    barrier = threading.Barrier(scanners)

    def scanner(index: int) -> None:
        client = app.test_client()
        response = client.post("/login", data={"email": "organiser@example.com", "password": PASSWORD})
        assert response.status_code == 302
        mine = secrets[index * per_scanner:(index + 1) * per_scanner]
        barrier.wait()
        local = []
        for n, secret in enumerate(mine):
            code = secret if n % 3 else mine[0]  # every third scan is a repeat: the amber path
            start = time.perf_counter()
            response = client.post(f"/manage/events/{slug}/checkin/scan", json={"code": code})
            local.append(time.perf_counter() - start)
            assert response.status_code == 200
        with lock:
            timings.extend(local)

    threads = [threading.Thread(target=scanner, args=(i,)) for i in range(scanners)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", default="postgresql://postgres@127.0.0.1:5432/mc_badges_bench")
    parser.add_argument("--registrations", type=int, default=5000)
    parser.add_argument("--badges", type=int, default=1000)
    parser.add_argument("--scanners", type=int, default=16)
    parser.add_argument("--scans", type=int, default=60, help="scans per scanner")
    args = parser.parse_args()

    from app import create_app
    from tests.conftest import build_schema, ensure_postgres_database

    uri = normalise_database_url(args.database)
    ensure_postgres_database(uri)
    build_schema(uri)
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=uri, SQLALCHEMY_ENGINE_OPTIONS={"pool_size": args.scanners + 2})
    slug, secrets = seed(app, args.registrations)
    bench_pdf(app, slug, args.badges)
    timings = sorted(bench_scans(app, slug, secrets, args.scanners, args.scans))
    p50 = statistics.median(timings) * 1000
    p99 = timings[int(len(timings) * 0.99) - 1] * 1000
    print(f"{len(timings)} scans by {args.scanners} scanners over {args.registrations} registrations: "
          f"p50 {p50:.1f} ms, p99 {p99:.1f} ms, max {timings[-1] * 1000:.1f} ms")


if __name__ == "__main__":
    main()
