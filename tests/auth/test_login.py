"""Logging in and out, as an organiser would in a browser."""

import re
from urllib.parse import urljoin, urlsplit

import pytest

from tests.conftest import TEST_PASSWORD

GENERIC_FAILURE = "The email or password is not right."


def location(response) -> str:
    """Where a redirect goes, as the browser would resolve it from the site's root."""
    parts = urlsplit(response.headers["Location"])
    return parts.path + (f"?{parts.query}" if parts.query else "")


def test_login_page_has_a_labelled_form(client):
    html = client.get("/login").get_data(as_text=True)
    assert '<label for="email">Email' in html
    assert '<label for="password">Password' in html


def test_organiser_logs_in_and_out(client, make_user):
    make_user()
    response = client.post("/login", data={"email": "organiser@example.com", "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert location(response) == "/manage/"
    page = client.get("/manage/")
    assert page.status_code == 200
    assert "Your events" in page.get_data(as_text=True)

    response = client.post("/logout", follow_redirects=True)
    assert "You have logged out." in response.get_data(as_text=True)
    assert client.get("/manage/").status_code == 302


def test_email_is_not_case_sensitive(client, make_user):
    make_user()
    response = client.post("/login", data={"email": "  Organiser@Example.COM ", "password": TEST_PASSWORD})
    assert response.status_code == 302


@pytest.mark.parametrize(
    "email, password",
    [("nobody@example.com", TEST_PASSWORD), ("organiser@example.com", "wrong password"), ("organiser@example.com", TEST_PASSWORD.upper())],
    ids=["unknown email", "wrong password", "wrong case"],
)
def test_failed_login_gives_one_generic_message(client, make_user, email, password):
    make_user()
    response = client.post("/login", data={"email": email, "password": password})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert GENERIC_FAILURE in html
    assert "No account" not in html and "unknown" not in html.lower()
    assert client.get("/manage/").status_code == 302  # still not logged in


def test_unknown_email_and_wrong_password_give_the_same_page(client, make_user):
    make_user()
    def page(email):
        html = client.post("/login", data={"email": email, "password": "wrong password"}).get_data(as_text=True)
        html = re.sub(r'name="csrf_token" value="[^"]*"', "", html)  # timestamped, differs by the second
        return html.replace(email, "X")

    assert page("nobody@example.com") == page("organiser@example.com")


def test_empty_login_form_shows_messages_beside_the_fields(client):
    html = client.post("/login", data={"email": "", "password": ""}).get_data(as_text=True)
    assert '<p class="error" id="email-error">' in html
    assert '<p class="error" id="password-error">' in html


def test_deactivated_account_cannot_log_in(app, client, make_user):
    from app.auth.models import User
    from app.extensions import db

    user_id = make_user()
    with app.app_context():
        db.session.get(User, user_id).is_active_account = False
        db.session.commit()
    response = client.post("/login", data={"email": "organiser@example.com", "password": TEST_PASSWORD})
    assert GENERIC_FAILURE in response.get_data(as_text=True)


def test_logout_needs_a_post(client, make_user, login):
    make_user()
    login()
    assert client.get("/logout").status_code == 405
    assert client.get("/manage/").status_code == 200


def test_login_is_rate_limited(app_factory, make_user):
    app = app_factory(RATELIMIT_ENABLED=True)
    make_user()
    client = app.test_client()
    for _ in range(10):  # the configured "10 per minute"
        response = client.post("/login", data={"email": "organiser@example.com", "password": "wrong password"})
        assert response.status_code == 200
    # Even the right password is refused until the minute is over.
    response = client.post("/login", data={"email": "organiser@example.com", "password": TEST_PASSWORD})
    assert response.status_code == 429
    assert "Too many requests" in response.get_data(as_text=True)
    # Reading the login page is not limited.
    assert client.get("/login").status_code == 200


def test_manage_requires_login_and_comes_back_after(client, make_user):
    make_user()
    response = client.get("/manage/")
    assert response.status_code == 302
    assert location(response) == "/login?next=%2Fmanage%2F"
    page = client.get(location(response)).get_data(as_text=True)
    assert "Please log in to see this page." in page
    response = client.post(location(response), data={"email": "organiser@example.com", "password": TEST_PASSWORD})
    assert location(response) == "/manage/"


def test_deep_manage_page_requires_login_and_is_the_next_target(client, make_event):
    slug = make_event()
    response = client.get(f"/manage/events/{slug}/edit")
    assert response.status_code == 302
    assert location(response) == f"/login?next=%2Fmanage%2Fevents%2F{slug}%2Fedit"
    response = client.post(location(response), data={"email": "organiser@example.com", "password": TEST_PASSWORD})
    assert location(response) == f"/manage/events/{slug}/edit"


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example.com/",
        "//evil.example.com/",
        "/\\evil.example.com/",
        "\\\\evil.example.com/",
        "/\t/evil.example.com/",
        "javascript:alert(1)",
        "http:/evil.example.com",
        "evil.example.com",
    ],
)
def test_next_never_leaves_the_site(client, make_user, target):
    make_user()
    response = client.post("/login", query_string={"next": target}, data={"email": "organiser@example.com", "password": TEST_PASSWORD})
    assert response.status_code == 302
    # Resolved as a browser would (which reads a backslash as a slash), it stays on this site.
    resolved = urljoin("http://localhost/login", response.headers["Location"].replace("\\", "/"))
    assert urlsplit(resolved).netloc == "localhost"


def test_logged_in_user_visiting_login_goes_to_manage(client, make_user, login):
    make_user()
    login()
    response = client.get("/login")
    assert response.status_code == 302
    assert location(response) == "/manage/"


def test_password_change_logs_out_every_other_session(app, make_user, login):
    from app.auth import services as accounts
    from app.auth.models import User
    from app.extensions import db

    user_id = make_user()
    laptop, phone = app.test_client(), app.test_client()
    login(target=laptop)
    login(target=phone)
    assert laptop.get("/manage/").status_code == 200
    assert phone.get("/manage/").status_code == 200

    with app.app_context():
        accounts.set_password(db.session.get(User, user_id), "a brand new password")
        db.session.commit()

    assert laptop.get("/manage/").status_code == 302
    assert phone.get("/manage/").status_code == 302
    response = laptop.post("/login", data={"email": "organiser@example.com", "password": TEST_PASSWORD})
    assert GENERIC_FAILURE in response.get_data(as_text=True)
    login(password="a brand new password", target=laptop)
    assert laptop.get("/manage/").status_code == 200


def test_too_short_new_password_is_refused(app, make_user):
    from app.auth import services as accounts
    from app.auth.models import User
    from app.extensions import db

    user_id = make_user()
    with app.app_context(), pytest.raises(accounts.AccountError, match="at least 10 characters"):
        accounts.set_password(db.session.get(User, user_id), "short")
