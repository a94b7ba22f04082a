"""Schedule exports validate against the published frab/c3voc schemas when they are available."""

import json
from datetime import date
from pathlib import Path

import jsonschema
import pytest
from lxml import etree

from tests.agenda.conftest import at, event_day

SCHEMAS = Path(__file__).resolve().parents[2].parent / "shared" / "schemas"
needs_schemas = pytest.mark.skipif(not SCHEMAS.is_dir(), reason="the published schemas are not beside the repository")


@pytest.fixture
def rich_event(app, make_event, add_session, add_speaker, db):
    from app.agenda import services
    from app.events.services import get_by_slug

    slug = make_event(title="3rd CLUSTERIX Cluster Masterclass", slug="clusterix")
    with app.app_context():
        track = services.save_track(get_by_slug(slug), None, "Plenary", "#0b5394")
        db.session.commit()
        track_id = track.id
    day, day2 = event_day(app, slug), event_day(app, slug, 1)
    speaker = add_speaker(slug, "Åsa Öberg")
    other = add_speaker(slug, "Jürgen Groß")
    add_session(slug, "Welcome & introductions", at(day, 9, 30), at(day, 10, 15), room="Hall A", track_id=track_id,
                speaker_ids=[speaker, other], description="Who is <in> the room?")
    add_session(slug, "Coffee break", at(day, 11), at(day, 11, 20), room="Foyer", kind="break")
    add_session(slug, "Workshop: impact", at(day, 13, 30), at(day, 15), room="Room B", kind="workshop", capacity=15)
    add_session(slug, "Consultation", at(day2, 10, 20), at(day2, 10, 40), room="Meeting room 1", kind="consultation")
    add_session(slug, "Cancelled talk", at(day2, 12), at(day2, 13), room="Hall A", cancelled=True)
    add_session(slug, "Roomless networking", at(day2, 15), at(day2, 16), kind="networking")
    return slug


@needs_schemas
def test_schedule_xml_validates_against_the_xsd(client, rich_event):
    response = client.get(f"/events/{rich_event}/schedule.xml")
    assert response.status_code == 200 and response.mimetype == "application/xml"
    schema = etree.XMLSchema(etree.parse(str(SCHEMAS / "schedule.xml.xsd")))
    document = etree.fromstring(response.data)
    assert schema.validate(document), schema.error_log
    assert [day.get("index") for day in document.findall("day")] == ["1", "2"]
    titles = document.xpath("//event/title/text()")
    assert "Welcome & introductions" in titles and "Cancelled talk" not in titles
    assert document.xpath("//event[title='Welcome & introductions']/start/text()") == ["09:30"]
    assert document.xpath("//event[title='Welcome & introductions']/duration/text()") == ["00:45"]
    assert document.xpath("//event[title='Welcome & introductions']/persons/person/text()") == ["Åsa Öberg", "Jürgen Groß"]
    # The conference's start and end are dates (the apps read only dates there).
    start, end = document.findtext("conference/start"), document.findtext("conference/end")
    assert date.fromisoformat(start) == event_day(client.application, rich_event) and len(start) == 10 and len(end) == 10
    # Every track an event names is declared, the trackless ones in "General".
    declared = set(document.xpath("/schedule/conference/track/@name"))
    assert set(document.xpath("//event/track/text()")) <= declared and {"Plenary", "General"} <= declared


@needs_schemas
def test_flat_schedule_json_validates_against_the_json_schema(client, rich_event):
    response = client.get(f"/events/{rich_event}/schedule.flat.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    schema = json.loads((SCHEMAS / "schedule.schema.json").read_text())
    document = response.get_json()
    jsonschema.Draft6Validator(schema, format_checker=jsonschema.FormatChecker()).validate(document)
    events = {event["title"]: event for event in document["schedule"]["events"]}
    assert events["Coffee break"]["type"] == "BREAK"
    assert "Cancelled talk" not in events  # left out, as in the XML and the classic JSON
    declared = {track["slug"] for track in document["schedule"]["conference"]["tracks"]}
    assert {event["track"]["slug"] for event in events.values() if "track" in event} <= declared
    assert [p["name"] for p in events["Welcome & introductions"]["participants"]] == ["Åsa Öberg", "Jürgen Groß"]
    assert events["Welcome & introductions"]["start"].endswith(("+01:00", "+02:00"))
    assert document["schedule"]["conference"]["time_zone_name"] == "Europe/Budapest"


def test_schedule_guids_are_stable_and_exports_are_conditional(client, rich_event):
    first = client.get(f"/events/{rich_event}/schedule.json")
    second = client.get(f"/events/{rich_event}/schedule.json")
    assert first.data == second.data
    assert client.get(f"/events/{rich_event}/schedule.xml").headers["ETag"]
    assert client.get(f"/events/{rich_event}/schedule.json", headers={"If-None-Match": first.headers["ETag"]}).status_code == 304


@needs_schemas
def test_exports_of_an_empty_agenda_still_validate(client, make_event):
    slug = make_event(slug="ab")
    schema = etree.XMLSchema(etree.parse(str(SCHEMAS / "schedule.xml.xsd")))
    assert schema.validate(etree.fromstring(client.get(f"/events/{slug}/schedule.xml").data)), schema.error_log
    json_schema = json.loads((SCHEMAS / "schedule.schema.json").read_text())
    jsonschema.Draft6Validator(json_schema).validate(client.get(f"/events/{slug}/schedule.flat.json").get_json())
    classic_schema = json.loads((SCHEMAS / "schedule.classic.schema.json").read_text())
    jsonschema.Draft6Validator(classic_schema).validate(client.get(f"/events/{slug}/schedule.json").get_json())


@needs_schemas
def test_classic_json_validates_and_reads_as_the_clients_read_it(client, rich_event):
    response = client.get(f"/events/{rich_event}/schedule.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    document = response.get_json()
    schema = json.loads((SCHEMAS / "schedule.classic.schema.json").read_text())
    jsonschema.Draft6Validator(schema, format_checker=jsonschema.FormatChecker()).validate(document)

    # As Giggity / EventFahrplan do: schedule → conference → days → rooms → events.
    conference = document["schedule"]["conference"]
    found = {}
    for day in conference["days"]:
        for room, events in day["rooms"].items():
            for event in events:
                found[event["title"]] = (day["date"], room, event["start"], event["duration"],
                                         [person.get("public_name") or person["name"] for person in event["persons"]],
                                         event["track"])
    first, second = event_day(client.application, rich_event), event_day(client.application, rich_event, 1)
    assert found == {
        "Welcome & introductions": (first.isoformat(), "Hall A", "09:30", "00:45", ["Åsa Öberg", "Jürgen Groß"], "Plenary"),
        "Coffee break": (first.isoformat(), "Foyer", "11:00", "00:20", [], "General"),
        "Workshop: impact": (first.isoformat(), "Room B", "13:30", "01:30", [], "General"),
        "Consultation": (second.isoformat(), "Meeting room 1", "10:20", "00:20", [], "General"),
        "Roomless networking": (second.isoformat(), "", "15:00", "01:00", [], "General"),
    }  # the cancelled talk is left out, as in the XML and the flat JSON
    assert {track["name"] for track in conference["tracks"]} == {"Plenary", "General"}
    assert conference["start"] == first.isoformat() and conference["daysCount"] == 2
    welcome = next(event for day in conference["days"] for event in day["rooms"].get("Hall A", []))
    assert welcome["date"].startswith(f"{first.isoformat()}T09:30:00+0")

    # One acronym in the XML and both JSON layouts.
    xml = etree.fromstring(client.get(f"/events/{rich_event}/schedule.xml").data)
    flat = client.get(f"/events/{rich_event}/schedule.flat.json").get_json()
    assert xml.findtext("conference/acronym") == conference["acronym"] == flat["schedule"]["conference"]["acronym"]


def test_guids_do_not_depend_on_the_serving_host(app, client, rich_event):
    before = client.get(f"/events/{rich_event}/schedule.json").get_json()
    app.config["BASE_URL"] = "https://events.example.org"
    after = client.get(f"/events/{rich_event}/schedule.json").get_json()

    def guids(document):
        return sorted(event["guid"] for day in document["schedule"]["conference"]["days"]
                      for events in day["rooms"].values() for event in events)

    assert guids(before) == guids(after)
    assert after["schedule"]["base_url"] == "https://events.example.org/"


def test_public_feeds_allow_any_origin_but_private_and_organiser_urls_do_not(client, rich_event, login,
                                                                             add_registration, add_session):
    session_id = add_session(rich_event, "One more")
    _, token = add_registration(rich_event)
    for url in ("calendar.ics", "schedule.xml", "schedule.json", "schedule.flat.json", f"sessions/{session_id}.ics"):
        response = client.get(f"/events/{rich_event}/{url}")
        assert response.status_code == 200 and response.headers.get("Access-Control-Allow-Origin") == "*", url
        cached = client.get(f"/events/{rich_event}/{url}", headers={"If-None-Match": response.headers["ETag"]})
        assert cached.status_code == 304 and cached.headers.get("Access-Control-Allow-Origin") == "*", url
    private = client.get(f"/r/{token}/calendar.ics")
    assert private.status_code == 200 and "Access-Control-Allow-Origin" not in private.headers
    login()
    for url in (f"/manage/events/{rich_event}/", f"/manage/events/{rich_event}/registrations.csv"):
        response = client.get(url)
        assert response.status_code == 200 and "Access-Control-Allow-Origin" not in response.headers, url
