"""Session sign-up from the private link: confirmed participants only, no overselling, no overlaps."""

import threading
from datetime import UTC, datetime, timedelta

import pytest

from tests.agenda.conftest import at, event_day


def test_confirmed_participant_takes_and_gives_back_a_seat(app, client, make_event, add_session, add_registration):
    slug = make_event()
    session_id = add_session(slug, "Expert consultation with Åsa Öberg", capacity=2, kind="consultation")
    _, token = add_registration(slug)
    page = client.get(f"/r/{token}/sessions")
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "private, no-store"
    assert "2 seats left" in page.get_data(as_text=True)
    response = client.post(f"/r/{token}/sessions/{session_id}", data={"action": "signup"}, follow_redirects=True)
    text = response.get_data(as_text=True)
    assert "You have a seat" in text and "Give back my seat" in text
    assert "1 seat left" in client.get(f"/events/{slug}/agenda").get_data(as_text=True)
    response = client.post(f"/r/{token}/sessions/{session_id}", data={"action": "cancel"}, follow_redirects=True)
    assert "You gave back your seat" in response.get_data(as_text=True)
    assert "2 seats left" in client.get(f"/events/{slug}/agenda").get_data(as_text=True)


def test_full_session_refuses_with_a_message(app, client, make_event, add_session, add_registration):
    slug = make_event()
    session_id = add_session(slug, "Tiny workshop", capacity=1, kind="workshop")
    _, first = add_registration(slug)
    _, second = add_registration(slug)
    client.post(f"/r/{first}/sessions/{session_id}", data={"action": "signup"})
    response = client.post(f"/r/{second}/sessions/{session_id}", data={"action": "signup"}, follow_redirects=True)
    assert "Sorry, this session is full." in response.get_data(as_text=True)
    assert "Full" in client.get(f"/events/{slug}/agenda").get_data(as_text=True)


def test_overlapping_choices_are_refused(app, client, make_event, add_session, add_registration):
    slug = make_event()
    day = event_day(app, slug)
    first = add_session(slug, "Workshop A", at(day, 13, 30), at(day, 15), capacity=15, kind="workshop", room="Room B")
    second = add_session(slug, "Workshop B", at(day, 14), at(day, 15, 30), capacity=15, kind="workshop", room="Room C")
    _, token = add_registration(slug)
    client.post(f"/r/{token}/sessions/{first}", data={"action": "signup"})
    response = client.post(f"/r/{token}/sessions/{second}", data={"action": "signup"}, follow_redirects=True)
    text = response.get_data(as_text=True)
    assert "overlaps" in text and "Workshop A" in text
    assert "Overlaps" in client.get(f"/r/{token}/sessions").get_data(as_text=True)


@pytest.mark.parametrize("status", ["pending", "waitlisted", "cancelled"])
def test_only_confirmed_participants_may_sign_up(app, client, make_event, add_session, add_registration, status):
    slug = make_event()
    session_id = add_session(slug, "Workshop", capacity=5, kind="workshop")
    _, token = add_registration(slug, status=status)
    response = client.post(f"/r/{token}/sessions/{session_id}", data={"action": "signup"}, follow_redirects=True)
    assert "Only confirmed participants can sign up" in response.get_data(as_text=True)


def test_sessions_without_capacity_or_cancelled_take_no_sign_ups(app, client, make_event, add_session, add_registration):
    slug = make_event()
    open_talk = add_session(slug, "Keynote")
    cancelled = add_session(slug, "Cancelled workshop", capacity=5, cancelled=True)
    _, token = add_registration(slug)
    assert "does not take sign-ups" in client.post(f"/r/{token}/sessions/{open_talk}", follow_redirects=True).get_data(as_text=True)
    assert "is cancelled" in client.post(f"/r/{token}/sessions/{cancelled}", follow_redirects=True).get_data(as_text=True)


def running_event(make_event):
    """An event that started two hours ago (in UTC, so local times are UTC), and now as a local time."""
    now = datetime.now(UTC)
    slug = make_event(starts_at=(now - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
                      ends_at=(now + timedelta(hours=6)).strftime("%Y-%m-%dT%H:%M"), timezone="UTC", registration_closes_at="")
    return slug, now.replace(tzinfo=None, second=0, microsecond=0)


def test_a_started_session_is_never_offered_and_a_seat_in_it_is_refused(app, client, make_event, add_session, add_registration):
    """One rule (``AgendaSession.open_for_sign_up``) for the list and for the sign-up: no "Take a seat" that is then refused."""
    slug, now = running_event(make_event)
    started = add_session(slug, "Started workshop", now - timedelta(minutes=10), now + timedelta(minutes=50), capacity=5, kind="workshop")
    add_session(slug, "Later workshop", now + timedelta(hours=2), now + timedelta(hours=3), capacity=5, kind="workshop")
    _, token = add_registration(slug)
    page = client.get(f"/r/{token}/sessions").get_data(as_text=True)
    assert "Later workshop" in page and page.count("Take a seat") == 1
    assert "Started workshop" not in page
    response = client.post(f"/r/{token}/sessions/{started}", data={"action": "signup"}, follow_redirects=True)
    assert "This session has already started." in response.get_data(as_text=True)


def test_a_started_session_stays_listed_for_whoever_holds_a_seat_in_it(app, client, make_event, add_session, add_registration):
    from app.agenda import signups
    from app.agenda.models import AgendaSession
    from app.extensions import db
    from app.registration.models import Registration

    slug, now = running_event(make_event)
    held = add_session(slug, "Workshop in progress", now - timedelta(minutes=10), now + timedelta(minutes=50), capacity=5, kind="workshop")
    registration_id, token = add_registration(slug)
    with app.app_context():
        registration = db.session.get(Registration, registration_id)
        signups.sign_up(registration, db.session.get(AgendaSession, held), now=datetime.now(UTC) - timedelta(hours=1))
        db.session.commit()
        [choice] = signups.signup_choices(registration)
        assert choice.chosen and not choice.offered
    page = client.get(f"/r/{token}/sessions").get_data(as_text=True)
    assert "Workshop in progress" in page and "You have a seat." in page and "Take a seat" not in page


def test_unknown_token_is_404(client, make_event):
    make_event()
    assert client.get("/r/not-a-real-token/sessions").status_code == 404
    assert client.post("/r/not-a-real-token/sessions/1").status_code == 404
    assert client.get("/r/not-a-real-token/calendar.ics").status_code == 404


def test_partial_for_the_participant_page_lists_chosen_sessions(app, client, make_event, add_session, add_registration):
    from flask import render_template

    from app.registration.services import get_by_token

    slug = make_event()
    session_id = add_session(slug, "Workshop: measuring impact", capacity=5, kind="workshop", room="Room B")
    _, token = add_registration(slug)
    client.post(f"/r/{token}/sessions/{session_id}", data={"action": "signup"})
    with app.test_request_context():
        html = render_template("agenda/_my_sessions.html", registration=get_by_token(token), token=token)
    assert "Workshop: measuring impact" in html and "Room B" in html
    assert f"/r/{token}/sessions" in html and f"/r/{token}/calendar.ics" in html


def test_twenty_five_participants_racing_for_five_seats_get_exactly_five(app, make_event, add_session, add_registration):
    from app.agenda import signups
    from app.agenda.models import AgendaSession, SessionSignup
    from app.extensions import db
    from app.registration.models import Registration

    slug = make_event()
    session_id = add_session(slug, "Expert consultation", capacity=5, kind="consultation")
    registration_ids = [add_registration(slug)[0] for _ in range(25)]
    barrier = threading.Barrier(len(registration_ids))
    outcomes, errors = [], []

    def attempt(registration_id):
        with app.app_context():
            try:
                barrier.wait()
                registration = db.session.get(Registration, registration_id)
                session = db.session.get(AgendaSession, session_id)
                signups.sign_up(registration, session)
                db.session.commit()
                outcomes.append("seat")
            except signups.SessionFull:
                db.session.rollback()
                outcomes.append("full")
            except Exception as error:  # noqa: BLE001 - reported below
                db.session.rollback()
                errors.append(repr(error))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=attempt, args=(rid,)) for rid in registration_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert outcomes.count("seat") == 5
    assert outcomes.count("full") == 20
    with app.app_context():
        count = db.session.execute(db.select(db.func.count(SessionSignup.id)).filter_by(session_id=session_id)).scalar_one()
    assert count == 5


def test_sign_up_many_keeps_what_fits_and_reports_the_rest(app, make_event, add_session, add_registration):
    from app.agenda import signups
    from app.agenda.models import SessionSignup
    from app.extensions import db
    from app.registration.models import Registration

    slug = make_event()
    day = event_day(app, slug)
    first = add_session(slug, "Workshop A", at(day, 13, 30), at(day, 15), capacity=15, kind="workshop")
    clashing = add_session(slug, "Workshop B", at(day, 14), at(day, 15, 30), capacity=15, kind="workshop")
    later = add_session(slug, "Consultation", at(day, 16), at(day, 16, 20), capacity=1, kind="consultation")
    registration_id, _ = add_registration(slug)
    with app.app_context():
        refused = signups.sign_up_many(db.session.get(Registration, registration_id), [later, clashing, first])
        db.session.commit()
        assert [str(error.message) for error in refused] == [
            '"Workshop B": This session overlaps "Workshop A", which you have already chosen. Cancel that one first.']
        chosen = set(db.session.execute(db.select(SessionSignup.session_id).filter_by(registration_id=registration_id)).scalars())
    assert chosen == {first, later}
