"""Caching headers: public HTML is private (it carries the visitor's CSRF token), feeds are
public and answer a conditional GET with 304, organiser pages are never stored."""

from bench.seed import ORGANISER, PASSWORD, Size, seed_event


def test_public_pages_private_feeds_public_manage_not_stored(app):
    seed_event(app, Size.small(), slug="small")
    client = app.test_client()
    for path in ("/", "/events/small/", "/events/small/agenda", "/events/small/speakers/"):
        response = client.get(path)
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "private, no-cache", path
        assert "Cookie" in response.headers["Vary"]

    feed = client.get("/events/small/calendar.ics")
    assert "public" in feed.headers["Cache-Control"] and feed.headers["ETag"]
    again = client.get("/events/small/calendar.ics", headers={"If-None-Match": feed.headers["ETag"]})
    assert again.status_code == 304
    assert client.get("/events/small/calendar.ics").data == feed.data  # served from the feed cache: same bytes

    assert client.post("/login", data={"email": ORGANISER, "password": PASSWORD}).status_code == 302
    manage = client.get("/manage/events/small/registrations")
    assert manage.status_code == 200
    assert manage.headers["Cache-Control"] == "private, no-store"


def test_feed_cache_follows_changes(app):
    """A change to the agenda moves last_modified, so the cached feed is not served again."""
    from app.agenda import services as agenda
    from app.events.services import get_by_slug
    from app.extensions import db

    seed_event(app, Size.small(), slug="small")
    client = app.test_client()
    before = client.get("/events/small/schedule.xml").data
    with app.test_request_context():
        event = get_by_slug("small")
        session = agenda.sessions_for(event)[0]
        agenda.save_session(event, session, agenda.SessionChanges(
            title="A brand new title", description=session.description, kind=session.kind,
            starts_at=event.local(session.starts_at).replace(tzinfo=None), ends_at=event.local(session.ends_at).replace(tzinfo=None),
            room=session.room, track_id=session.track_id,
            capacity=session.capacity, speaker_ids=[link.speaker_id for link in session.speaker_links]))
        db.session.commit()
    after = client.get("/events/small/schedule.xml").data
    assert b"A brand new title" in after and after != before
