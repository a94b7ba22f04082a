"""Capacity holds under simultaneous registrations, and the test is known to bite."""

import threading

import pytest

from app.core.database import set_write_intent
from app.events.models import Event
from app.extensions import db
from app.registration import services

ATTEMPTS = 50
SEATS = 10


def fire(app, slug: str, attempts: int, *, lock: bool, barrier: threading.Barrier | None = None):
    """Start ``attempts`` threads that each register one person at the same moment."""
    start = threading.Barrier(attempts)
    errors = []

    def attempt(number: int):
        with app.app_context():
            if not lock:
                set_write_intent(False)  # SQLite: a plain deferred BEGIN, i.e. no lock at all
            try:
                event = db.session.execute(db.select(Event).filter_by(slug=slug)).scalar_one()
                db.session.commit()  # end the read, so no thread holds a lock while waiting to start
                start.wait(timeout=30)
                services.register(
                    event,
                    services.Registrant(first_name="Person", last_name=str(number), email=f"p{number}@example.org"),
                    services.Consents(privacy=True), lock=lock,
                )
                db.session.commit()
            except Exception as error:  # noqa: BLE001 - every failure is a lost registration
                db.session.rollback()
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


def test_fifty_simultaneous_registrations_never_oversell_a_ten_seat_event(app, make_event, registrations_of):
    make_event(capacity=str(SEATS))
    errors = fire(app, "gyori-mesterkurzus", ATTEMPTS, lock=True)
    assert errors == []
    rows = registrations_of("gyori-mesterkurzus")
    assert len(rows) == ATTEMPTS
    assert sum(1 for row in rows if row["status"] == "confirmed") == SEATS
    positions = sorted(row["position"] for row in rows if row["status"] == "waitlisted")
    assert positions == list(range(1, ATTEMPTS - SEATS + 1))


def test_without_the_lock_the_race_happens(app, make_event, registrations_of, monkeypatch):
    """The control: every thread counts the seats before any has written. Without the lock
    PostgreSQL oversells and SQLite loses registrations to lock errors."""
    make_event(capacity=str(SEATS))
    everyone_counted = threading.Barrier(ATTEMPTS)
    real_count = services.confirmed_count

    def count_then_wait(event):
        taken = real_count(event)
        try:
            everyone_counted.wait(timeout=10)
        except threading.BrokenBarrierError:
            pass
        return taken

    monkeypatch.setattr(services, "confirmed_count", count_then_wait)
    errors = fire(app, "gyori-mesterkurzus", ATTEMPTS, lock=False)
    rows = registrations_of("gyori-mesterkurzus")
    confirmed = sum(1 for row in rows if row["status"] == "confirmed")
    oversold = confirmed > SEATS
    lost = len(rows) < ATTEMPTS
    assert oversold or lost, f"no race: {confirmed} confirmed, {len(rows)} saved, {len(errors)} errors"


@pytest.mark.parametrize("seats", [1])
def test_cancellation_under_load_promotes_exactly_one(app, make_event, registrations_of, seats):
    make_event(capacity=str(seats))
    fire(app, "gyori-mesterkurzus", 6, lock=True)
    with app.app_context():
        from app.registration.models import Registration

        confirmed = db.session.execute(db.select(Registration).filter_by(status="confirmed")).scalar_one()
        services.cancel(confirmed)
        db.session.commit()
    rows = registrations_of("gyori-mesterkurzus")
    assert [row["status"] for row in rows].count("confirmed") == 1
    assert sorted(row["position"] for row in rows if row["status"] == "waitlisted") == [1, 2, 3, 4]
