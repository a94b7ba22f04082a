"""Check-in at the door: the scan endpoint's answers, idempotence under concurrent scans,
the staff page, search, undo, /c/<secret>, attendance per day and the sign-in sheets."""

import re
import threading
from datetime import timedelta

import pytest

from app.checkin import services as checkin
from app.checkin.models import CheckIn
from app.events.services import get_by_slug
from app.extensions import db
from app.registration.models import Registration
from tests.badges.helpers import pdf_text, register, set_status, today_event_overrides


@pytest.fixture
def door(app, client, make_event, make_user, login):
    """An event running today with two confirmed participants; the organiser is logged in."""
    slug = make_event(**today_event_overrides())
    people = [register(app, slug, "Győző", "Őze", "Pannon Autóipari Klaszter", "HU"),
              register(app, slug, "Åsa", "Öberg", "Vinnova", "SE")]
    login()
    return slug, people


def scan(client, slug, **body):
    return client.post(f"/manage/events/{slug}/checkin/scan", json=body)


def test_green_then_amber_then_undo(app, client, door):
    slug, [(rid, _token, secret), _other] = door
    first = scan(client, slug, code=secret).get_json()
    assert first["state"] == "welcome" and first["title"] == "Welcome"
    assert first["person"]["name"] == "Őze Győző" and first["person"]["role_label"] == "Participant"
    assert first["counts"] == {"day": first["day"], "checked_in": 1, "expected": 2}
    assert "email" not in first["person"]

    second = scan(client, slug, code=f"http://localhost/c/{secret}").get_json()
    assert second["state"] == "already"
    assert re.search(r"Already checked in at \d{1,2}:\d{2}.* by Test Organiser", second["message"])
    with app.app_context():
        assert db.session.execute(db.select(db.func.count(CheckIn.id))).scalar_one() == 1

    undone = client.post(f"/manage/events/{slug}/checkin/undo", json={"checkin_id": first["checkin"]["id"]}).get_json()
    assert "was undone" in undone["message"] and undone["counts"]["checked_in"] == 0
    assert scan(client, slug, code=secret.lower()).get_json()["state"] == "welcome"


@pytest.mark.parametrize("status, words", [
    ("cancelled", "Cancelled"), ("waitlisted", "Waiting list"), ("declined", "Declined"), ("pending", "Not approved"),
])
def test_red_with_the_reason(app, client, door, status, words):
    slug, [(rid, _token, secret), _other] = door
    set_status(app, rid, status)
    answer = scan(client, slug, code=secret).get_json()
    assert answer["state"] == "refused" and answer["title"] == "Do not admit"
    assert words in answer["message"]
    with app.app_context():
        assert db.session.execute(db.select(db.func.count(CheckIn.id))).scalar_one() == 0


def test_unknown_badge_and_other_event_leak_nothing(app, client, door, make_event):
    slug, _people = door
    other = make_event(title="Another Event", slug="another-event", **today_event_overrides())
    _rid, _token, other_secret = register(app, other, "Secret", "Person", "Hidden Org", "DE")
    answer = scan(client, slug, code=other_secret).get_json()
    assert answer["state"] == "refused" and answer["reason"] == "other_event"
    assert answer["person"] is None and "Secret" not in str(answer) and "Hidden" not in str(answer)
    assert scan(client, slug, code="ABCDEFGHJKMNPQRSTUVWXYZ2345").get_json()["reason"] == "unknown"
    assert scan(client, slug, code="garbage").get_json()["reason"] == "unknown"
    assert scan(client, slug, foo=1).status_code == 400
    # One-tap check-in with another event's registration id: unknown here.
    other_id = _rid
    assert scan(client, slug, registration_id=other_id).get_json()["reason"] == "unknown"


def test_simultaneous_scans_of_one_badge_make_one_checkin(app, door):
    slug, [(rid, _token, secret), _other] = door
    threads, answers, errors = [], [], []
    barrier = threading.Barrier(8)

    def scanner():
        try:
            with app.app_context():
                event = get_by_slug(slug)
                db.session.commit()  # end the read: on SQLite every transaction here holds the write lock
                barrier.wait()
                result = checkin.scan(event, secret, by=None)
                db.session.commit()
                answers.append(result.state)
                db.session.remove()
        except Exception as error:  # noqa: BLE001 (reported below)
            errors.append(error)

    for _ in range(8):
        threads.append(threading.Thread(target=scanner))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    assert sorted(answers) == ["already"] * 7 + ["welcome"]
    with app.app_context():
        assert db.session.execute(db.select(db.func.count(CheckIn.id)).filter_by(registration_id=rid)).scalar_one() == 1


def test_attendance_per_day(app, client, door):
    slug, [(rid, _token, secret), (rid2, _t2, secret2)] = door
    with app.app_context():
        event = get_by_slug(slug)
        day_one = event.starts_at + timedelta(hours=8)
        assert checkin.scan(event, secret, by=None, now=day_one).state == "welcome"
        assert checkin.scan(event, secret, by=None, now=day_one + timedelta(days=1)).state == "welcome"
        assert checkin.scan(event, secret, by=None, now=day_one + timedelta(days=1, hours=2)).state == "already"
        assert checkin.scan(event, secret2, by=None, now=day_one).state == "welcome"
        db.session.commit()
        data = checkin.attendance(event)
        assert len(data.days) == 2 and [data.total(day) for day in data.days] == [2, 1]

    page = client.get(f"/manage/events/{slug}/attendance").get_data(as_text=True)
    assert "Őze Győző" in page and "2 / 2" in page and "1 / 2" in page

    csv_text = client.get(f"/manage/events/{slug}/attendance.csv").get_data(as_text=True)
    header, *rows = csv_text.lstrip("\ufeff").splitlines()
    assert "Days attended" in header
    assert any(row.startswith("Őze,Győző,Pannon Autóipari Klaszter,Hungary,Confirmed,") and row.endswith(",2") for row in rows)

    response = client.get(f"/manage/events/{slug}/attendance.pdf")
    assert response.mimetype == "application/pdf"
    pages = pdf_text(response.data)
    assert len(pages) == 2
    for number, text in enumerate(pages, start=1):
        assert "Signature" in text and "Sign-in sheet" in text and "Győri Mesterkurzus" in text
        assert f"Page {number} of 2" in text
        assert "Őze Győző" in text and "Åsa Öberg" in text and "Hungary" in text


def test_staff_reach_the_checkin_pages_only(app, client, door, make_user, login):
    slug, [(rid, _token, secret), _other] = door
    make_user("staff@example.com", name="Door Staff")
    client.post(f"/manage/events/{slug}/team", data={"email": "staff@example.com", "role": "staff"})
    client.post("/logout")
    login("staff@example.com")
    index = client.get("/manage/").get_data(as_text=True)
    assert f'href="/manage/events/{slug}/checkin"' in index
    page = client.get(f"/manage/events/{slug}/checkin")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "js/checkin.js" in html and "<script>" not in html and 'name="csrf-token"' in html
    assert "checked in today / expected" in html
    assert scan(client, slug, code=secret).get_json()["checkin"]["by"] == "Door Staff"
    assert client.get(f"/manage/events/{slug}/checkin/counts").get_json()["checked_in"] == 1
    for url in ("attendance", "attendance.pdf", "attendance.csv", "badges.pdf", ""):
        assert client.get(f"/manage/events/{slug}/{url}").status_code == 403, url


def test_strangers_cannot_scan(app, client, door, make_user, login):
    slug, [(rid, _token, secret), _other] = door
    client.post("/logout")
    make_user("stranger@example.com")
    login("stranger@example.com")
    assert scan(client, slug, code=secret).status_code == 403
    assert client.get(f"/manage/events/{slug}/checkin/search?q=Őze").status_code == 403


def test_search_and_one_tap_checkin(app, client, door):
    slug, [(rid, _token, _secret), _other] = door
    by_org = client.get(f"/manage/events/{slug}/checkin/search?q=pannon").get_json()["results"]
    assert [item["name"] for item in by_org] == ["Őze Győző"]
    by_email = client.get(f"/manage/events/{slug}/checkin/search?q=vinnova").get_json()["results"]
    assert by_email[0]["name"] == "Åsa Öberg" and by_email[0]["checked_in_at"] is None
    assert client.get(f"/manage/events/{slug}/checkin/search?q=%25").get_json()["results"] == []
    assert scan(client, slug, registration_id=rid).get_json()["state"] == "welcome"
    again = client.get(f"/manage/events/{slug}/checkin/search?q=Győző").get_json()["results"]
    assert again[0]["checked_in_at"]


def test_badge_link_shows_person_to_team_only(app, client, door, make_user, login):
    slug, [(rid, _token, secret), _other] = door
    page = client.get(f"/c/{secret}").get_data(as_text=True)
    assert "Őze Győző" in page and "Check in now" in page
    done = client.post(f"/c/{secret}").get_data(as_text=True)
    assert "Welcome" in done and "Őze Győző" in done
    assert "Already checked in" in client.get(f"/c/{secret}").get_data(as_text=True)

    client.post("/logout")
    for visitor_secret in (secret, "ABCDEFGHJKMNPQRSTUVWXYZ2345"):
        neutral = client.get(f"/c/{visitor_secret}")
        assert neutral.status_code == 200
        html = neutral.get_data(as_text=True)
        assert "Őze" not in html and "Pannon" not in html and "Győri Mesterkurzus" not in html
        assert "entry badge" in html
    make_user("stranger@example.com")
    login("stranger@example.com")
    assert "Őze" not in client.get(f"/c/{secret}").get_data(as_text=True)
    assert client.post(f"/c/{secret}").status_code == 403


def test_scan_needs_the_csrf_header(app_factory, make_event, make_user):
    app = app_factory(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    make_user()
    with app.app_context():
        from app.auth import services as accounts
        from app.events import services as events

        user = accounts.find_user("organiser@example.com")
        assert user is not None
    login_page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login_page) or re.search(
        r'name="csrf_token" value="([^"]+)"', login_page)
    client.post("/login", data={"email": "organiser@example.com", "password": "correct horse battery", "csrf_token": token.group(1)})
    slug = "csrf-event"
    with app.app_context():
        from datetime import datetime

        from app.events import services as events  # noqa: F811

        values = {"title": "CSRF Event", "slug": slug, "timezone": "Europe/Budapest",
                  "starts_at": datetime.now().replace(hour=0, minute=5), "ends_at": datetime.now().replace(hour=23, minute=55)}
        event = events.save_event(None, events.EventChanges(values), creator=accounts.find_user("organiser@example.com"))
        events.set_status(event, "published")
        db.session.commit()
    _rid, _tok, secret = register(app, slug, "Iñaki", "Muñoz", "Cluster GAIA", "ES")
    html = client.get(f"/manage/events/{slug}/checkin").get_data(as_text=True)
    header_token = re.search(r'<meta name="csrf-token" content="([^"]+)"', html).group(1)
    assert client.post(f"/manage/events/{slug}/checkin/scan", json={"code": secret}).status_code == 400
    answer = client.post(f"/manage/events/{slug}/checkin/scan", json={"code": secret}, headers={"X-CSRFToken": header_token})
    assert answer.status_code == 200 and answer.get_json()["state"] == "welcome"


def test_scans_are_rate_limited_per_staff_session(app_factory, make_user, make_event, login):
    app = app_factory(RATELIMIT_ENABLED=True, CHECKIN_RATE_LIMIT="3 per minute")
    client = app.test_client()
    slug = make_event(**today_event_overrides())
    login(target=client)
    codes = [scan(client, slug, code="garbage").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert "Too many requests" in scan(client, slug, code="garbage").get_json()["error"]


def test_counters_count_today_only(app, client, door):
    slug, [(rid, _token, secret), _other] = door
    with app.app_context():
        event = get_by_slug(slug)
        checkin.scan(event, secret, by=None, now=event.starts_at + timedelta(days=1, hours=8))
        db.session.commit()
        assert db.session.get(Registration, rid) is not None
    # Checked in tomorrow (event-local): today's counter does not count it.
    assert client.get(f"/manage/events/{slug}/checkin/counts").get_json()["checked_in"] == 0


def test_a_request_of_the_wrong_shape_gets_the_sites_400(app, client, door):
    """Not a refusal of the door but a malformed request: the application's one 400 answer, as JSON."""
    slug, _people = door
    for body in ({"code": 12}, {"registration_id": True}, {"registration_id": -1}, []):
        response = client.post(f"/manage/events/{slug}/checkin/scan", json=body)
        assert response.status_code == 400 and response.get_json()["status"] == 400
    response = client.post(f"/manage/events/{slug}/checkin/undo", json={"checkin_id": "1"})
    assert response.status_code == 400 and response.get_json()["error"] == "Bad request"
    with app.app_context():
        assert db.session.execute(db.select(db.func.count(CheckIn.id))).scalar_one() == 0
