"""Schedule exports validate against the published frab/c3voc schemas when they are available."""

import json
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


@needs_schemas
def test_schedule_json_validates_against_the_json_schema(client, rich_event):
    response = client.get(f"/events/{rich_event}/schedule.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    schema = json.loads((SCHEMAS / "schedule.schema.json").read_text())
    document = response.get_json()
    jsonschema.Draft6Validator(schema, format_checker=jsonschema.FormatChecker()).validate(document)
    events = {event["title"]: event for event in document["schedule"]["events"]}
    assert events["Coffee break"]["type"] == "BREAK"
    assert events["Cancelled talk"]["state"] == "CANCELED"
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
    jsonschema.Draft6Validator(json_schema).validate(client.get(f"/events/{slug}/schedule.json").get_json())
