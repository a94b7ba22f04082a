"""The door never loses a person: badge codes as people type them, accent-blind search with each
person's status, and no check-in on a day that is not one of the event's days."""

from datetime import timedelta

import pytest

from app.audit.models import AuditEntry
from app.checkin import services as checkin
from app.checkin.models import CheckIn
from app.core.tokens import BADGE_ALPHABET, BADGE_SECRET_LENGTH
from app.events.services import get_by_slug
from app.extensions import db
from app.registration.models import Registration
from tests.badges.helpers import register, set_status, today_event_overrides

# A secret holding the characters people misread as the look-alikes the alphabet leaves out.
SECRET = "DQ7JT23456789ABCEFGHKMNPRSU"
assert len(SECRET) == BADGE_SECRET_LENGTH and set(SECRET) <= set(BADGE_ALPHABET)
GROUPED = f"{SECRET[:9]} {SECRET[9:18]} {SECRET[18:]}"  # as printed under the QR code


@pytest.fixture
def door(app, client, make_event, make_user, login):
    """An event running today and tomorrow; Őze Győző's badge carries SECRET; the organiser is logged in."""
    slug = make_event(**today_event_overrides())
    rid, _token, _secret = register(app, slug, "Győző", "Őze", "Pannon Autóipari Klaszter", "HU")
    with app.app_context():
        db.session.get(Registration, rid).badge_secret = SECRET
        db.session.commit()
    login()
    return slug, rid


def scan(client, slug, **body):
    response = client.post(f"/manage/events/{slug}/checkin/scan", json=body)
    assert response.status_code == 200
    return response.get_json()


def checkin_count(app):
    with app.app_context():
        return db.session.execute(db.select(db.func.count(CheckIn.id))).scalar_one()


@pytest.mark.parametrize("typed", [
    GROUPED,
    f"{SECRET[:9]}-{SECRET[9:18]}-{SECRET[18:]}",
    GROUPED.lower(),
    "  " + f"{SECRET[:9]} – {SECRET[9:18]} – {SECRET[18:]}".lower() + "\n",
    "0O" + SECRET[2:],  # D and Q typed as zero and the letter O
    "DQ71" + SECRET[4:],  # J typed as one
    "dq7il" + SECRET[5:].lower(),  # J as I, T as L, in lower case
    f"http://localhost/c/{SECRET[:9]}-{SECRET[9:18]}-{SECRET[18:]}",
])
def test_a_code_as_people_type_it_admits(app, client, door, typed):
    slug, _rid = door
    answer = scan(client, slug, code=typed)
    assert answer["state"] == "welcome" and answer["person"]["name"] == "Őze Győző"
    assert scan(client, slug, code=SECRET)["state"] == "already"
    assert checkin_count(app) == 1


@pytest.mark.parametrize("typed", [
    "garbage", "", "   ", SECRET[:-1], SECRET + "2", "E" + SECRET[1:],  # a different badge
    "0OII" + SECRET[4:],  # too many look-alikes to tell apart
    SECRET[:26] + "!", "http://localhost/c/", "x" * 500,
])
def test_garbage_is_still_refused(app, client, door, typed):
    slug, _rid = door
    answer = scan(client, slug, code=typed)
    assert answer["state"] == "refused" and answer["person"] is None
    assert "Not registered" in answer["message"]
    assert checkin_count(app) == 0


def test_the_badge_link_takes_the_code_as_typed(app, client, door):
    slug, _rid = door
    typed = f"{SECRET[:9]}-{SECRET[9:18]}-{SECRET[18:]}".lower().replace("d", "0").replace("j", "1")
    page = client.get(f"/c/{typed}").get_data(as_text=True)
    assert "Őze Győző" in page and "Check in now" in page
    done = client.post(f"/c/{typed}").get_data(as_text=True)
    assert "Welcome" in done and "Őze Győző" in done
    assert checkin_count(app) == 1


@pytest.fixture
def crowd(app, door):
    slug, rid = door
    people = {
        "kovacs": register(app, slug, "Anna", "Kovács", "Széchenyi Egyetem", "HU")[0],
        "sondergaard": register(app, slug, "Mette", "Søndergaard", "Aarhus Universitet", "DK")[0],
        "wrobel": register(app, slug, "Piotr", "Wróbel", "Politechnika Wrocławska", "PL")[0],
        "gruss": register(app, slug, "Helmut", "Gruß", "Cluster Oberösterreich", "AT")[0],
        "oze": rid,
    }
    return slug, people


def names(client, slug, query):
    response = client.get(f"/manage/events/{slug}/checkin/search", query_string={"q": query})
    assert response.status_code == 200
    return [item["name"] for item in response.get_json()["results"]]


@pytest.mark.parametrize("query, expected", [
    ("kovacs", "Kovács Anna"), ("KOVÁCS", "Kovács Anna"), ("anna kovacs", "Kovács Anna"),
    ("kovacs anna", "Kovács Anna"), ("Kovacs  ANNA", "Kovács Anna"),
    ("sondergaard", "Mette Søndergaard"), ("SØNDERGAARD", "Mette Søndergaard"), ("mette sønder", "Mette Søndergaard"),
    ("wrob", "Piotr Wróbel"), ("wroclawska", "Piotr Wróbel"),
    ("őze", "Őze Győző"), ("oze", "Őze Győző"), ("gyozo oze", "Őze Győző"), ("OZE GYŐZŐ", "Őze Győző"),
    ("gruss", "Helmut Gruß"), ("gruß", "Helmut Gruß"),
])
def test_search_ignores_accents_case_and_word_order(client, crowd, query, expected):
    slug, _people = crowd
    assert names(client, slug, query) == [expected]


def test_search_finds_nobody_for_a_name_not_there(client, crowd):
    slug, _people = crowd
    assert names(client, slug, "kovacs mette") == []
    assert names(client, slug, "szabo") == []


def test_each_result_shows_the_status_and_only_the_action_that_fits(app, client, crowd):
    slug, people = crowd
    set_status(app, people["kovacs"], "cancelled")
    set_status(app, people["sondergaard"], "waitlisted")
    set_status(app, people["wrobel"], "pending")
    assert scan(client, slug, code=SECRET)["state"] == "welcome"

    def result(query):
        [item] = client.get(f"/manage/events/{slug}/checkin/search", query_string={"q": query}).get_json()["results"]
        return item

    cancelled, waitlisted, pending = result("kovacs"), result("sondergaard"), result("wrobel")
    assert cancelled["status_label"] == "Cancelled" and not cancelled["may_check_in"]
    assert "this registration was cancelled" in cancelled["refusal"]
    assert waitlisted["status_label"] == "On the waiting list" and not waitlisted["may_check_in"]
    assert "no confirmed seat" in waitlisted["refusal"]
    assert pending["status_label"] == "Awaiting approval" and not pending["may_check_in"] and pending["refusal"]
    present = result("oze")
    assert present["status_label"] == "Confirmed" and present["checked_in_at"] and not present["may_check_in"]
    expected = result("gruss")
    assert expected["status_label"] == "Confirmed" and expected["may_check_in"] and expected["refusal"] is None
    assert expected["checked_in_at"] is None and "email" not in expected

    # The server refuses what the page does not offer.
    answer = scan(client, slug, registration_id=people["kovacs"])
    assert answer["state"] == "refused" and "Cancelled" in answer["message"]
    answer = scan(client, slug, registration_id=people["sondergaard"])
    assert answer["state"] == "refused" and "Waiting list" in answer["message"]
    assert checkin_count(app) == 1


@pytest.fixture
def after_the_event(app, door, monkeypatch):
    """"Now" frozen two days after the event's last day (event-local)."""
    slug, _rid = door
    with app.app_context():
        event = get_by_slug(slug)
        frozen = event.ends_at + timedelta(days=2)
        days = len(checkin.attendance(event).days)
    monkeypatch.setattr(checkin, "utcnow", lambda: frozen)
    return slug, days


def test_no_checkin_on_a_day_that_is_not_an_event_day(app, client, door, after_the_event):
    slug, days_before = after_the_event
    _slug, rid = door
    page = client.get(f"/manage/events/{slug}/checkin").get_data(as_text=True)
    assert "Today is not a day of this event" in page and "flash-error" in page

    for body in ({"code": SECRET}, {"code": GROUPED}, {"registration_id": rid}):
        answer = scan(client, slug, **body)
        assert answer["state"] == "refused" and answer["title"] == "Do not admit"
        assert answer["reason"] == "not_event_day" and "Today is not a day of this event" in answer["message"]
        assert answer["checkin"] is None and answer["counts"]["checked_in"] == 0

    [item] = client.get(f"/manage/events/{slug}/checkin/search", query_string={"q": "oze"}).get_json()["results"]
    assert not item["may_check_in"] and "Today is not a day of this event" in item["refusal"]

    link = client.get(f"/c/{SECRET}").get_data(as_text=True)
    assert "Today is not a day of this event" in link and "Check in now" not in link
    assert "Today is not a day of this event" in client.post(f"/c/{SECRET}").get_data(as_text=True)

    # Nothing was written: no check-in, no audit entry, no extra column on the attendance page.
    assert checkin_count(app) == 0
    with app.app_context():
        assert db.session.execute(
            db.select(db.func.count(AuditEntry.id)).filter(AuditEntry.action == "checkin")
        ).scalar_one() == 0
        assert len(checkin.attendance(get_by_slug(slug)).days) == days_before == 2
    header = client.get(f"/manage/events/{slug}/attendance.csv").get_data(as_text=True).lstrip("\ufeff").splitlines()[0]
    assert header.count(",20") == 2  # one column per event day, none for the day of the refused scans


def test_an_event_day_still_admits(app, client, door):
    slug, _rid = door
    page = client.get(f"/manage/events/{slug}/checkin").get_data(as_text=True)
    assert "Today is not a day of this event" not in page
    assert scan(client, slug, code=GROUPED)["state"] == "welcome"
