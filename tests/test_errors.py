"""Error pages in the site's style, JSON errors for JSON clients, and a 500 that cleans up."""

import logging

import pytest

from tests.conftest import TEST_PASSWORD


def assert_site_page(response, code: int, title: str):
    html = response.get_data(as_text=True)
    assert response.status_code == code
    assert response.mimetype == "text/html"
    assert f'<p class="error-code">{code}</p>' in html
    assert title in html
    assert "Go to the list of events" in html  # the site's layout, not Werkzeug's bare page
    assert 'rel="stylesheet"' in html
    return html


def test_unknown_page_is_a_404_in_the_site_style(client):
    assert_site_page(client.get("/no/such/page"), 404, "Page not found")


def test_unknown_json_address_answers_json(client):
    response = client.get("/events/no-such-event/schedule.json")
    assert response.status_code == 404
    assert response.is_json
    assert response.get_json() == {
        "error": "Page not found",
        "message": "There is no page at this address. It may have moved or never existed.",
        "status": 404,
    }


def test_json_clients_get_json_errors(client):
    response = client.get("/no/such/page", headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert response.get_json()["status"] == 404


def test_browsers_get_html_even_when_they_also_accept_json(client):
    response = client.get("/no/such/page", headers={"Accept": "text/html,application/xhtml+xml,application/json;q=0.9,*/*;q=0.8"})
    assert response.status_code == 404
    assert response.mimetype == "text/html"


def test_stranger_gets_403_page(client, make_event, make_user, login):
    slug = make_event()
    make_user("stranger@example.com")
    login("stranger@example.com")
    assert_site_page(client.get(f"/manage/events/{slug}/"), 403, "Access denied")


def test_method_not_allowed_is_styled(client):
    assert_site_page(client.get("/logout"), 405, "Method not allowed")


def test_form_without_csrf_token_is_a_400_page(app_factory, make_user):
    app = app_factory(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    response = client.post("/login", data={"email": "organiser@example.com", "password": TEST_PASSWORD})
    html = assert_site_page(response, 400, "Bad request")
    assert "The form expired or was sent from elsewhere" in html


def test_form_with_csrf_token_is_accepted(app_factory):
    from app.auth import services as accounts
    from app.extensions import db

    app = app_factory(WTF_CSRF_ENABLED=True)
    with app.app_context():
        accounts.create_user("organiser@example.com", TEST_PASSWORD)
        db.session.commit()
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    response = client.post("/login", data={"email": "organiser@example.com", "password": TEST_PASSWORD, "csrf_token": token})
    assert response.status_code == 302


def test_too_many_logins_is_a_429_page(app_factory):
    app = app_factory(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute")
    client = app.test_client()
    for _ in range(3):
        assert client.post("/login", data={"email": "who@example.com", "password": "wrong password"}).status_code == 200
    response = client.post("/login", data={"email": "who@example.com", "password": "wrong password"})
    assert_site_page(response, 429, "Too many requests")
    assert "Retry-After" in response.headers


@pytest.fixture
def failing_app(app_factory, monkeypatch):
    """An app with a page that writes a user and then fails, as a bug in a view would."""
    from app.auth import services as accounts

    app = app_factory()
    monkeypatch.setattr(app.logger, "disabled", False)  # the "app" logger is process-wide; another test may have silenced it

    @app.route("/boom")
    def boom():
        accounts.create_user("half-written@example.com", TEST_PASSWORD)
        raise RuntimeError("the secret detail of the failure")

    @app.route("/boom.json")
    def boom_json():
        raise RuntimeError("the secret detail of the failure")

    return app


def test_500_rolls_back_logs_the_traceback_and_shows_no_stack_trace(failing_app, caplog):
    from app.auth import services as accounts

    client = failing_app.test_client()
    with caplog.at_level(logging.ERROR):
        response = client.get("/boom")
    html = assert_site_page(response, 500, "Something went wrong")
    assert "Traceback" not in html
    assert "the secret detail" not in html
    assert "RuntimeError" not in html

    records = [record for record in caplog.records if record.exc_info]
    assert records, "the error was not logged with its traceback"
    assert "GET /boom" in records[0].getMessage()
    assert "the secret detail of the failure" in caplog.text
    assert "Traceback" in caplog.text

    with failing_app.app_context():
        assert accounts.find_user("half-written@example.com") is None
    # The next request on the same app works: the session was not left in a broken state.
    assert client.get("/healthz").status_code == 200


def test_500_on_a_json_endpoint_answers_json(failing_app, caplog):
    with caplog.at_level(logging.ERROR):
        response = failing_app.test_client().get("/boom.json")
    assert response.status_code == 500
    assert response.get_json()["error"] == "Something went wrong"
    assert "secret detail" not in response.get_data(as_text=True)


def test_json_answers_carry_no_raw_markup(app):
    """A hostile name is data in JSON: < > & escaped, the decoded text unchanged."""
    import json

    with app.test_request_context():
        response = app.json.response(name="<script>alert('x')</script> & co")
    body = response.get_data(as_text=True)
    assert "<" not in body and ">" not in body and "&" not in body
    assert json.loads(body) == {"name": "<script>alert('x')</script> & co"}
