"""Feeds as independent calendar software reads them: full time zones, stable UIDs, plain text.

Both parsers (icalendar and vobject) run in one process and keep what they learnt about a
TZID between documents, as calendar programs do: a summer feed, then a winter feed.
"""

from datetime import UTC, datetime, timedelta

import icalendar
import vobject

from tests.agenda.conftest import at
from tests.conftest import local_input


def next_date(month: int, day: int):
    today = datetime.now(UTC).date()
    year = today.year + (1 if (month, day) <= (today.month, today.day) else 0)
    return datetime(year, month, day)


def utc_starts(data: bytes) -> dict[str, tuple[datetime, datetime]]:
    """SUMMARY -> (DTSTART in UTC by icalendar, DTSTART in UTC by vobject)."""
    first = {str(event["SUMMARY"]): event.start.astimezone(UTC) for event in icalendar.Calendar.from_ical(data).walk("VEVENT")}
    second = {item.summary.value: item.dtstart.value.astimezone(UTC) for item in vobject.readOne(data.decode()).vevent_list}
    return {summary: (first[summary], second[summary]) for summary in first}


def test_a_summer_feed_then_a_winter_feed_give_the_right_utc_times_in_both_libraries(client, make_event, add_session):
    summer_day, winter_day = next_date(7, 14), next_date(1, 20)
    summer = make_event(title="Summer school", slug="summer-school", starts_at=local_input(summer_day.replace(hour=9)),
                        ends_at=local_input(summer_day.replace(hour=18)))
    winter = make_event(title="Winter school", slug="winter-school", starts_at=local_input(winter_day.replace(hour=9)),
                        ends_at=local_input(winter_day.replace(hour=18)))
    add_session(summer, "Summer talk", at(summer_day, 10), at(summer_day, 11))
    add_session(winter, "Winter talk", at(winter_day, 10), at(winter_day, 11))

    summer_feed = client.get(f"/events/{summer}/calendar.ics").data
    winter_feed = client.get(f"/events/{winter}/calendar.ics").data
    for feed in (summer_feed, winter_feed):
        zone = icalendar.Calendar.from_ical(feed).walk("VTIMEZONE")[0]
        assert zone["TZID"] == "Europe/Budapest"
        assert b"only works" not in feed  # never cut down to the event's days
        rules = {sub.name: sub["RRULE"].to_ical().decode() for sub in zone.subcomponents}
        assert rules == {"DAYLIGHT": "FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3", "STANDARD": "FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10"}

    # Budapest is UTC+2 in July and UTC+1 in January: 10:00 local is 08:00 and 09:00 UTC.
    summer_times = utc_starts(summer_feed)
    winter_times = utc_starts(winter_feed)
    assert summer_times["Summer talk"] == (summer_day.replace(hour=8, tzinfo=UTC),) * 2
    assert summer_times["Summer school"] == (summer_day.replace(hour=7, tzinfo=UTC),) * 2
    assert winter_times["Winter talk"] == (winter_day.replace(hour=9, tzinfo=UTC),) * 2
    assert winter_times["Winter school"] == (winter_day.replace(hour=8, tzinfo=UTC),) * 2
    # And the summer feed read again after the winter one (the zone cached from the winter feed).
    assert utc_starts(summer_feed)["Summer talk"] == (summer_day.replace(hour=8, tzinfo=UTC),) * 2


def test_uids_do_not_depend_on_the_serving_host(app, client, make_event, add_session, add_registration):
    slug = make_event()
    add_session(slug, "Opening")
    _, token = add_registration(slug)

    def uids(url):
        return sorted(str(event["UID"]) for event in icalendar.Calendar.from_ical(client.get(url).data).walk("VEVENT"))

    before = uids(f"/events/{slug}/calendar.ics"), uids(f"/r/{token}/calendar.ics")
    app.config["BASE_URL"] = "https://events.example.org"
    after = uids(f"/events/{slug}/calendar.ics"), uids(f"/r/{token}/calendar.ics")
    assert before == after
    assert all(uid.endswith("@masterclass.invalid") and "localhost" not in uid for uid in before[0])
    # The page moved with the site: URL follows BASE_URL, the identity does not.
    feed = icalendar.Calendar.from_ical(client.get(f"/events/{slug}/calendar.ics").data)
    assert str(feed.walk("VEVENT")[0]["URL"]).startswith("https://events.example.org/events/")


def test_a_second_event_has_uids_of_its_own(client, make_event):
    first, second = make_event(title="First"), make_event(title="Second")
    uid = {slug: str(icalendar.Calendar.from_ical(client.get(f"/events/{slug}/calendar.ics").data).walk("VEVENT")[0]["UID"])
           for slug in (first, second)}
    assert uid[first] != uid[second]


def test_description_is_plain_text_refresh_interval_typed_and_personal_feed_named_apart(
        client, make_event, add_session, add_registration):
    slug = make_event(description="Two days of **dialogue** and a [map](https://maps.example.org/gyor).")
    add_session(slug, "Opening", description="Bring *your* questions:\n\n- funding\n- partners")
    _, token = add_registration(slug)
    data = client.get(f"/events/{slug}/calendar.ics").data
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT1H" in data
    calendar = icalendar.Calendar.from_ical(data)
    events = {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}
    event_text = str(events["Győri Mesterkurzus"]["DESCRIPTION"])
    assert "Two days of dialogue and a map (https://maps.example.org/gyor)." in event_text and "**" not in event_text
    assert str(events["Győri Mesterkurzus"]["URL"]).endswith(f"/events/{slug}/")
    session_text = str(events["Opening"]["DESCRIPTION"])
    assert "Bring your questions:" in session_text and "- funding\n- partners" in session_text and "*" not in session_text

    personal = icalendar.Calendar.from_ical(client.get(f"/r/{token}/calendar.ics").data)
    assert str(calendar["X-WR-CALNAME"]) == "Győri Mesterkurzus"
    assert str(personal["X-WR-CALNAME"]) == "Győri Mesterkurzus: my programme"
    assert str(personal["NAME"]) != str(calendar["NAME"])


def test_event_sequence_is_a_small_counter_raised_by_an_edit(client, make_event, login, event_form):
    slug = make_event()

    def sequence():
        feed = icalendar.Calendar.from_ical(client.get(f"/events/{slug}/calendar.ics").data)
        return int(feed.walk("VEVENT")[0]["SEQUENCE"])

    assert sequence() == 0
    login()
    moved = datetime.now(UTC).replace(hour=10, minute=0, second=0, microsecond=0, tzinfo=None) + timedelta(days=31)
    response = client.post(f"/manage/events/{slug}/edit", data=event_form(
        slug=slug, starts_at=local_input(moved), ends_at=local_input(moved + timedelta(hours=8))))
    assert response.status_code == 302
    assert sequence() == 1
