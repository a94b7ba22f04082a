"""iCalendar feeds: parsed by icalendar and by vobject, kept in sync, cheap to poll."""

from datetime import datetime
from zoneinfo import ZoneInfo

import icalendar
import vobject

from tests.agenda.conftest import at, event_day


def parse_both(data: bytes):
    calendar = icalendar.Calendar.from_ical(data)
    other = vobject.readOne(data.decode("utf-8"))
    return calendar, other


def short(uid) -> str:
    """``session-12-<event key>@masterclass.invalid`` as ``session-12``: the part the tests know."""
    kind, number, _rest = str(uid).split("-", 2)
    return f"{kind}-{number}"


def vevents(calendar):
    return {short(component["UID"]): component for component in calendar.walk("VEVENT")}


def test_event_feed_has_the_event_and_every_session_in_local_time(app, client, make_event, add_session, add_speaker):
    slug = make_event()
    day = event_day(app, slug)
    speaker = add_speaker(slug, "Chiara Esposito")
    session_id = add_session(slug, "Panel: internationalisation", at(day, 11, 20), at(day, 12, 30), room="Hall A",
                             kind="panel", speaker_ids=[speaker])
    cancelled_id = add_session(slug, "Dropped talk", at(day, 15), at(day, 16), cancelled=True)
    response = client.get(f"/events/{slug}/calendar.ics")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    calendar, other = parse_both(response.data)
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Budapest"]
    events = vevents(calendar)
    assert len(events) == 3
    session = events[f"session-{session_id}"]
    assert session["DTSTART"].params["TZID"] == "Europe/Budapest"
    assert session.start == datetime(day.year, day.month, day.day, 11, 20, tzinfo=ZoneInfo("Europe/Budapest"))
    assert session["SEQUENCE"] == 0
    assert "Hall A" in session["LOCATION"] and "Városháza" in session["LOCATION"]
    assert "Chiara Esposito" in session["DESCRIPTION"]
    assert session["URL"].endswith(f"/events/{slug}/agenda#session-{session_id}")
    for name in ("DTSTAMP", "LAST-MODIFIED"):
        assert name in session
    assert str(events[f"session-{cancelled_id}"]["STATUS"]) == "CANCELLED"
    # The second, independent parser reads the same times.
    by_uid = {short(item.uid.value): item for item in other.vevent_list}
    other_session = by_uid[f"session-{session_id}"]
    assert other_session.dtstart.value.utcoffset() == session.start.utcoffset()
    assert other_session.dtstart.value.hour == 11
    assert by_uid[f"session-{cancelled_id}"].status.value == "CANCELLED"


def test_changing_a_session_bumps_sequence_and_the_refetched_feed_shows_it(app, client, organiser, add_session):
    day = event_day(app, organiser)
    session_id = add_session(organiser, "Closing round", at(day, 15, 30), at(day, 16, 30), room="Hall A")
    first = client.get(f"/events/{organiser}/sessions/{session_id}.ics")
    etag = first.headers["ETag"]
    assert client.get(f"/events/{organiser}/sessions/{session_id}.ics", headers={"If-None-Match": etag}).status_code == 304
    client.post(f"/manage/events/{organiser}/agenda/{session_id}/edit", data={
        "title": "Closing round", "kind": "talk", "room": "Hall A", "track_id": "", "capacity": "", "description": "",
        "starts_at": at(day, 16).strftime("%Y-%m-%dT%H:%M"), "ends_at": at(day, 17).strftime("%Y-%m-%dT%H:%M"),
    })
    again = client.get(f"/events/{organiser}/sessions/{session_id}.ics", headers={"If-None-Match": etag})
    assert again.status_code == 200
    event = vevents(icalendar.Calendar.from_ical(again.data))[f"session-{session_id}"]
    assert event["SEQUENCE"] == 1
    assert event.start.hour == 16
    feed = vevents(icalendar.Calendar.from_ical(client.get(f"/events/{organiser}/calendar.ics").data))
    assert feed[f"session-{session_id}"]["SEQUENCE"] == 1


def test_conditional_get_answers_304_by_etag_and_by_last_modified(app, client, make_event, add_session):
    slug = make_event()
    add_session(slug, "Talk")
    response = client.get(f"/events/{slug}/calendar.ics")
    assert response.headers["ETag"] and response.headers["Last-Modified"]
    assert client.get(f"/events/{slug}/calendar.ics", headers={"If-None-Match": response.headers["ETag"]}).status_code == 304
    assert client.get(f"/events/{slug}/calendar.ics",
                      headers={"If-Modified-Since": response.headers["Last-Modified"]}).status_code == 304
    # The same bytes twice: DTSTAMP does not change on every download.
    assert client.get(f"/events/{slug}/calendar.ics").data == response.data


def test_deleting_a_session_changes_the_feed_and_its_last_modified(app, client, organiser, add_session):
    keep = add_session(organiser, "Stays")
    gone = add_session(organiser, "Goes")
    before = client.get(f"/events/{organiser}/calendar.ics")
    client.post(f"/manage/events/{organiser}/agenda/{gone}/delete")
    after = client.get(f"/events/{organiser}/calendar.ics", headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200
    uids = set(vevents(icalendar.Calendar.from_ical(after.data)))
    assert f"session-{keep}" in uids and f"session-{gone}" not in uids


def test_participant_feed_has_the_event_and_only_their_sessions(app, client, make_event, add_session, add_registration):
    slug = make_event()
    chosen = add_session(slug, "Chosen workshop", capacity=5, kind="workshop")
    day = event_day(app, slug)
    other = add_session(slug, "Other workshop", at(day, 14), at(day, 15), capacity=5, kind="workshop")
    _, token = add_registration(slug)
    client.post(f"/r/{token}/sessions/{chosen}", data={"action": "signup"})
    response = client.get(f"/r/{token}/calendar.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    assert "private" in response.headers["Cache-Control"]
    calendar, other_parser = parse_both(response.data)
    uids = set(vevents(calendar))
    assert f"session-{chosen}" in uids and f"session-{other}" not in uids
    assert len(other_parser.vevent_list) == 2
    assert client.get(f"/r/{token}/calendar.ics", headers={"If-None-Match": response.headers["ETag"]}).status_code == 304
    # Giving the seat back changes the feed even for a client that sends its ETag.
    client.post(f"/r/{token}/sessions/{chosen}", data={"action": "cancel"})
    after = client.get(f"/r/{token}/calendar.ics", headers={"If-None-Match": response.headers["ETag"]})
    assert after.status_code == 200
    assert f"session-{chosen}" not in set(vevents(icalendar.Calendar.from_ical(after.data)))


def test_event_calendar_function_for_the_confirmation_email(app, make_event, add_session):
    from app.calendar.ics import event_calendar
    from app.events.services import get_by_slug

    slug = make_event()
    add_session(slug, "Welcome")
    with app.app_context():  # no request: the mail worker calls it this way
        data = event_calendar(get_by_slug(slug))
    calendar, _ = parse_both(data)
    assert len(list(calendar.walk("VEVENT"))) == 2
    assert b"VTIMEZONE" in data


def test_session_feed_404_for_other_events_sessions(client, make_event, add_session):
    first = make_event(title="First event")
    second = make_event(title="Second event")
    session_id = add_session(first, "Only in the first")
    assert client.get(f"/events/{second}/sessions/{session_id}.ics").status_code == 404


def test_participant_feed_marks_the_event_tentative_until_confirmed(app, client, make_event, add_registration):
    slug = make_event()
    _, pending = add_registration(slug, status="pending")
    _, cancelled = add_registration(slug, status="cancelled")
    event_uid = next(iter(vevents(icalendar.Calendar.from_ical(client.get(f"/events/{slug}/calendar.ics").data))))
    pending_event = vevents(icalendar.Calendar.from_ical(client.get(f"/r/{pending}/calendar.ics").data))[event_uid]
    cancelled_event = vevents(icalendar.Calendar.from_ical(client.get(f"/r/{cancelled}/calendar.ics").data))[event_uid]
    assert str(pending_event["STATUS"]) == "TENTATIVE"
    assert str(cancelled_event["STATUS"]) == "CANCELLED"
