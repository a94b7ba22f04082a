"""The public agenda and speaker pages: content, privacy, filters, now/next, and a constant number of queries."""

from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from tests.agenda.conftest import at, event_day


@contextmanager
def count_queries(app):
    from app.extensions import db

    statements = []

    def before_cursor_execute(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", before_cursor_execute)
    try:
        yield statements
    finally:
        sa.event.remove(engine, "before_cursor_execute", before_cursor_execute)


def test_agenda_groups_by_day_in_the_event_zone_with_rooms_tracks_kinds_speakers(app, client, make_event, add_session, add_speaker):
    slug = make_event(timezone="America/New_York")
    day, day2 = event_day(app, slug), event_day(app, slug, 1)
    speaker = add_speaker(slug, "Iñaki Muñoz")
    add_session(slug, "Opening", at(day, 9, 30), at(day, 10, 15), room="Hall A", speaker_ids=[speaker])
    add_session(slug, "Second day talk", at(day2, 9), at(day2, 10), kind="panel", room="Hall B")
    page = client.get(f"/events/{slug}/agenda").get_data(as_text=True)
    assert "America/New_York" in page
    assert "9:30" in page  # the local time typed, not UTC
    assert page.count('class="agenda-day"') == 2
    assert "Iñaki Muñoz" in page and "Hall B" in page and "Panel" in page
    assert "webcal://localhost/events/" in page
    assert 'src="/static/js/agenda.js"' in page and "<script>" not in page


def test_draft_event_pages_are_404_for_the_public(client, make_event, add_session, add_speaker):
    slug = make_event(publish=False)
    speaker = add_speaker(slug)
    session = add_session(slug)
    for url in (f"/events/{slug}/agenda", f"/events/{slug}/speakers/", f"/events/{slug}/speakers/{speaker}",
                f"/events/{slug}/calendar.ics", f"/events/{slug}/sessions/{session}.ics",
                f"/events/{slug}/schedule.xml", f"/events/{slug}/schedule.json"):
        assert client.get(url).status_code == 404, url


def test_filter_by_track_or_kind_works_without_javascript(app, client, make_event, add_session, db):
    from app.agenda import services
    from app.events.services import get_by_slug

    slug = make_event()
    with app.app_context():
        track = services.save_track(get_by_slug(slug), None, "Workshops", "#6a329f")
        db.session.commit()
        track_id = track.id
    add_session(slug, "Hands-on", kind="workshop", track_id=track_id)
    add_session(slug, "Keynote", kind="talk")
    page = client.get(f"/events/{slug}/agenda?track={track_id}").get_data(as_text=True)
    keynote = page.split('<h3 class="session-title">Keynote')[0].rsplit("<li", 1)[1]
    hands_on = page.split('<h3 class="session-title">Hands-on')[0].rsplit("<li", 1)[1]
    assert " hidden>" in keynote and " hidden>" not in hands_on
    page = client.get(f"/events/{slug}/agenda?kind=talk").get_data(as_text=True)
    keynote = page.split('<h3 class="session-title">Keynote')[0].rsplit("<li", 1)[1]
    assert " hidden>" not in keynote
    assert '<option value="talk" selected>' in page
    assert client.get(f"/events/{slug}/agenda?kind=nonsense&track=abc").status_code == 200


def test_now_and_next_are_highlighted_while_the_event_runs(app, client, make_event, add_session):
    now = datetime.now(UTC)
    start = now - timedelta(hours=2)
    slug = make_event(starts_at=start.strftime("%Y-%m-%dT%H:%M"), ends_at=(now + timedelta(hours=6)).strftime("%Y-%m-%dT%H:%M"),
                      timezone="UTC", registration_closes_at="")
    local = now.replace(tzinfo=None, second=0, microsecond=0)
    add_session(slug, "Running talk", local - timedelta(minutes=10), local + timedelta(minutes=20))
    add_session(slug, "Following talk", local + timedelta(minutes=30), local + timedelta(minutes=60))
    add_session(slug, "Much later", local + timedelta(minutes=90), local + timedelta(minutes=120))
    page = client.get(f"/events/{slug}/agenda").get_data(as_text=True)
    running = page.split('<h3 class="session-title">Running talk')[0].rsplit("<li", 1)[1]
    following = page.split('<h3 class="session-title">Following talk')[0].rsplit("<li", 1)[1]
    later = page.split('<h3 class="session-title">Much later')[0].rsplit("<li", 1)[1]
    assert "is-now" in running and "Now" in running
    assert "is-next" in following
    assert "is-now" not in later and "is-next" not in later


def test_nothing_is_highlighted_before_the_event(client, make_event, add_session):
    slug = make_event()
    add_session(slug, "First talk")
    assert "is-next" not in client.get(f"/events/{slug}/agenda").get_data(as_text=True)


def test_speaker_pages_show_profile_and_sessions_never_the_private_email(app, client, make_event, add_speaker, add_session):
    slug = make_event()
    speaker = add_speaker(slug, "Lieve Vermeulen", honorific="Dr", organisation="Flanders Cluster Office", country="BE",
                          bio="Twenty years of **advice**.", email="lieve.private@example.com",
                          links=["https://social.example/@lieve"], website="https://example.be")
    add_session(slug, "Measuring impact", speaker_ids=[speaker])
    listing = client.get(f"/events/{slug}/speakers/").get_data(as_text=True)
    profile = client.get(f"/events/{slug}/speakers/{speaker}").get_data(as_text=True)
    assert "Dr Lieve Vermeulen" in listing and "Belgium" in listing
    assert "<strong>advice</strong>" in profile and "Measuring impact" in profile and "https://example.be" in profile
    for url in (f"/events/{slug}/speakers/", f"/events/{slug}/speakers/{speaker}", f"/events/{slug}/agenda",
                f"/events/{slug}/calendar.ics", f"/events/{slug}/schedule.xml", f"/events/{slug}/schedule.json"):
        assert "lieve.private" not in client.get(url).get_data(as_text=True), url
    assert client.get(f"/events/{slug}/speakers/999").status_code == 404


def test_bio_markdown_is_sanitised(app, client, make_event, add_speaker):
    slug = make_event()
    speaker = add_speaker(slug, "Evil", bio="<script>alert(1)</script>[x](javascript:alert(1))")
    page = client.get(f"/events/{slug}/speakers/{speaker}").get_data(as_text=True)
    assert "<script>alert" not in page and "javascript:" not in page


def build_agenda(app, slug, sessions):
    """``sessions`` sessions over two days, with tracks, speakers with photos and sign-ups."""
    from app.agenda import services
    from app.agenda.models import AgendaSession, SessionSpeaker, Speaker, Track
    from app.events.services import get_by_slug
    from app.extensions import db

    with app.app_context():
        event = get_by_slug(slug)
        tracks = [Track(event_id=event.id, name=f"Track {n}", colour="#123456") for n in range(3)]
        db.session.add_all(tracks)
        speakers = [Speaker(event_id=event.id, name=f"Speaker {n}", photo=b"jpeg" if n % 2 else None, country="HU")
                    for n in range(max(sessions // 2, 1))]
        db.session.add_all(speakers)
        db.session.flush()
        first = event.starts_at
        for n in range(sessions):
            start = first + timedelta(days=n % 2, minutes=5 * (n // 2))
            session = AgendaSession(event_id=event.id, title=f"Session {n}", kind="workshop", room=f"Room {n % 4}",
                                    track_id=tracks[n % 3].id, starts_at=start, ends_at=start + timedelta(minutes=30),
                                    capacity=10 if n % 3 == 0 else None, sequence=0)
            session.speaker_links = [SessionSpeaker(speaker_id=speakers[n % len(speakers)].id, position=0),
                                     SessionSpeaker(speaker_id=speakers[(n + 1) % len(speakers)].id, position=1)]
            db.session.add(session)
        db.session.commit()
        assert len(services.sessions_for(event)) == sessions


@pytest.mark.parametrize("path", ["/events/{slug}/agenda", "/events/{slug}/speakers/", "/events/{slug}/speakers/{speaker}",
                                  "/events/{slug}/calendar.ics", "/events/{slug}/schedule.xml", "/events/{slug}/schedule.json"])
def test_query_count_does_not_grow_with_the_agenda(app, client, make_event, path):
    from app.agenda.models import Speaker
    from app.extensions import db

    counts = {}
    for size, title in ((10, "Small event"), (200, "Big event")):
        slug = make_event(title=title)
        build_agenda(app, slug, size)
        with app.app_context():
            speaker = db.session.execute(db.select(Speaker.id).order_by(Speaker.id.desc())).scalars().first()
        url = path.format(slug=slug, speaker=speaker)
        client.get(url)  # warm-up: first-request work is not what this measures
        with count_queries(app) as statements:
            response = client.get(url)
        assert response.status_code == 200
        counts[size] = len(statements)
    print(path, counts)
    assert counts[10] == counts[200], counts
    assert counts[200] <= 10, counts
