"""CSRF on every state-changing request, session rotation, rate limits on private links,
production-only headers and cookie flags, no internals in error pages, and the audit trail."""

import re
from datetime import timedelta

import pytest
from lxml import html as lxml_html

from app.extensions import db as _db
from tests.security.conftest import csrf_token_of
from tests.security.test_authorization_matrix import EXPECTED, url_for_cell

WORLD_CONFIG = {"WTF_CSRF_ENABLED": True}


# CSRF -------------------------------------------------------------------------------------

def post_forms_without_token(body: str) -> list[str]:
    tree = lxml_html.fromstring(body)
    missing = []
    for form in tree.iter("form"):
        if (form.get("method") or "get").lower() != "post":
            continue
        # Flask-WTF accepts any field whose name ends in csrf_token (forms with a prefix).
        if not [name for name in form.xpath(".//input/@name") if name.endswith("csrf_token")]:
            missing.append(form.get("action") or "(this page)")
    return missing


def test_every_post_form_on_every_page_carries_a_csrf_token(world, clients):
    """Every page a role can open (the GET lines of the matrix), every form that posts: with its token."""
    problems = []
    for (rule, method), line in EXPECTED.items():
        if method != "GET":
            continue
        for role, answer in zip(("anon", "own", "other", "staff", "staff_other", "org_other", "org", "admin"), line.split(),
                                strict=True):
            if answer != "200" or role not in ("own", "staff", "org"):
                continue
            response = clients[role].get(url_for_cell(world, rule, role))
            if response.mimetype == "text/html":
                actions = post_forms_without_token(response.get_data(as_text=True))
                problems.extend(f"{rule} as {role}: form to {action}" for action in actions)
            response.close()
    assert problems == []


def test_requests_without_a_csrf_token_are_refused_and_change_nothing(world, clients):
    from app.events.models import Event
    from app.registration.models import Registration

    org, own = clients["org"], clients["own"]
    slug = world.slug
    attempts = [
        (org, f"/manage/events/{slug}/edit", {"title": "Hijacked"}),
        (org, f"/manage/events/{slug}/status", {"action": "archive"}),
        (org, f"/manage/events/{slug}/team", {"email": "admin@example.com", "role": "organiser"}),
        (own, f"/r/{world.own_token}/cancel", {}),
        (own, f"/r/{world.own_token}/delete", {"confirm": "y"}),
        (own, f"/s/{world.survey_token}", {"action": "submit"}),
        (clients["anon"], "/login", {"email": "organiser@example.com", "password": "correct horse battery"}),
    ]
    for client, url, data in attempts:
        response = client.post(url, data=data)
        assert response.status_code == 400, url
        assert "The form expired" in response.get_data(as_text=True)
    scan = clients["staff"].post(f"/manage/events/{slug}/checkin/scan", json={"code": world.badge_secret})
    assert scan.status_code == 400 and scan.is_json
    with world.app.app_context():
        event = _db.session.execute(_db.select(Event).filter_by(slug=slug)).scalar_one()
        assert event.title == "Security Masterclass" and event.status == "published"
        registration = _db.session.get(Registration, world.registration_id)
        assert registration.status == "confirmed" and registration.erased_at is None
        _db.session.remove()


def test_the_json_scan_works_with_the_token_from_the_page(world, clients):
    staff = clients["staff"]
    page = staff.get(f"/manage/events/{world.slug}/checkin").get_data(as_text=True)
    token = csrf_token_of(page)
    response = staff.post(f"/manage/events/{world.slug}/checkin/scan", json={"code": world.badge_secret},
                          headers={"X-CSRFToken": token})
    assert response.status_code == 200, response.get_data(as_text=True)


def test_a_form_with_its_token_goes_through(world, clients):
    org = clients["org"]
    page = org.get(f"/manage/events/{world.slug}/agenda/tracks").get_data(as_text=True)
    response = org.post(f"/manage/events/{world.slug}/agenda/tracks",
                        data={"name": "Posted with a token", "colour": "#123456", "csrf_token": csrf_token_of(page)})
    assert response.status_code == 302
    assert "Posted with a token" in org.get(f"/manage/events/{world.slug}/agenda/tracks").get_data(as_text=True)


# Sessions, cookies, production headers ----------------------------------------------------

def test_login_starts_a_fresh_session(client, make_user):
    make_user()
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
        session["_user_id"] = "999-1"
    response = client.post("/login", data={"email": "organiser@example.com", "password": "correct horse battery"})
    assert response.status_code == 302
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"] != "999-1"


def test_session_cookie_is_httponly_and_samesite_and_secure_in_production(app_factory, make_user):
    from config import ProductionConfig

    assert ProductionConfig.SESSION_COOKIE_SECURE and ProductionConfig.REMEMBER_COOKIE_SECURE
    assert ProductionConfig.HSTS_SECONDS >= 180 * 24 * 3600
    app = app_factory(SESSION_COOKIE_SECURE=True, HSTS_SECONDS=ProductionConfig.HSTS_SECONDS)
    make_user()
    client = app.test_client()
    response = client.post("/login", data={"email": "organiser@example.com", "password": "correct horse battery"})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" in cookie
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_errors_show_no_internals(app_factory):
    app = app_factory()

    @app.route("/boom")
    def boom():
        raise RuntimeError("secret-internal-detail in /work/main/app/something.py")

    response = app.test_client().get("/boom")
    body = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "secret-internal-detail" not in body and "Traceback" not in body and "/work/" not in body
    assert app.config["SECRET_KEY"] not in body


# Rate limits on private links -------------------------------------------------------------

@pytest.mark.parametrize("path", ["/r/{token}", "/s/{token}", "/c/{token}"])
def test_private_links_are_rate_limited_per_address(app_factory, path):
    app = app_factory(RATELIMIT_ENABLED=True, PRIVATE_LINK_RATE_LIMIT="5 per minute")
    client = app.test_client()
    answers = [client.get(path.format(token=f"guess{n:04d}")).status_code for n in range(6)]
    assert answers[:5] != [429] * 5 and answers[5] == 429
    other_address = app.test_client().get(path.format(token="x"), environ_base={"REMOTE_ADDR": "10.9.8.7"})
    assert other_address.status_code != 429


def test_survey_answers_are_rate_limited(app_factory):
    app = app_factory(RATELIMIT_ENABLED=True, PRIVATE_LINK_FORM_RATE_LIMIT="3 per minute")
    client = app.test_client()
    answers = [client.post("/s/guess", data={"action": "submit"}).status_code for _ in range(4)]
    assert answers[:3] == [404] * 3 and answers[3] == 429


# Audit trail ------------------------------------------------------------------------------

def test_organiser_and_staff_actions_are_in_the_audit_trail(app, client, make_event, make_user, login, event_form):
    from app.events.services import get_by_slug
    from app.registration import services as registrations

    slug = make_event(language="en")
    make_user("door@example.com", name="Door Staff")
    with app.app_context():
        event = get_by_slug(slug)
        registration = registrations.register(
            event, registrations.Registrant(first_name="Åsa", last_name="Öberg", email="asa@example.org"),
            registrations.Consents(privacy=True),
        ).registration
        secret, registration_id = registration.badge_secret, registration.id
        _db.session.commit()
    login()
    assert client.post(f"/manage/events/{slug}/edit", data=event_form(title="Renamed masterclass", language="en")).status_code == 302
    assert client.post(f"/manage/events/{slug}/team", data={"email": "door@example.com", "role": "staff"}).status_code == 302
    assert client.post(f"/manage/events/{slug}/agenda/tracks", data={"name": "Policy", "colour": "#224466"}).status_code == 302
    assert client.get(f"/manage/events/{slug}/registrations.csv").status_code == 200
    assert client.post(f"/manage/events/{slug}/registrations/{registration_id}/cancel").status_code == 302
    client.post("/logout")
    login("door@example.com")
    scanned = client.post(f"/manage/events/{slug}/checkin/scan", json={"code": secret})
    assert scanned.status_code == 200
    client.post("/logout")

    login()
    page = client.get(f"/manage/events/{slug}/audit")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    for action in ("event.edit", "team.add", "agenda_manage.tracks", "export.registrations.export_csv", "registration.cancel"):
        assert action in text, action
    assert "Door Staff" not in text  # the scan of a cancelled badge was refused: nothing changed, nothing recorded
    assert "Åsa Öberg" in text  # the registration is named by its current name
    csv_text = client.get(f"/manage/events/{slug}/audit.csv").get_data(as_text=True)
    assert csv_text.startswith("\ufeff") and "organiser@example.com" in csv_text and "event.edit" in csv_text


def test_checkins_and_undos_are_audited(app, client, make_event, login, monkeypatch):
    from app.checkin import services as checkin
    from app.events.services import get_by_slug
    from app.registration import services as registrations

    slug = make_event(language="en")
    with app.app_context():
        event = get_by_slug(slug)
        registration = registrations.register(
            event, registrations.Registrant(first_name="Iñaki", last_name="Muñoz", email="inaki@example.org"),
            registrations.Consents(privacy=True),
        ).registration
        secret = registration.badge_secret
        during = event.starts_at + timedelta(hours=1)
        _db.session.commit()
    monkeypatch.setattr(checkin, "utcnow", lambda: during)  # the door admits on the event's days only
    login()
    scanned = client.post(f"/manage/events/{slug}/checkin/scan", json={"code": secret}).get_json()
    checkin_id = scanned["checkin"]["id"]
    assert client.post(f"/manage/events/{slug}/checkin/undo", json={"checkin_id": checkin_id}).status_code == 200
    text = client.get(f"/manage/events/{slug}/audit").get_data(as_text=True)
    assert re.search(r"<code>checkin</code>", text) and "checkin.undone" in text and "Iñaki Muñoz" in text
