"""A forgotten password: a link by email, single-use, for an hour, the same answer for every address."""

import re
from datetime import timedelta

from tests.auth.pages import submit
from tests.conftest import TEST_PASSWORD

NEW_PASSWORD = "my new long password"
NEUTRAL = "If an account uses this address, we have sent it a link to set a new password."


def outbox(app):
    from app.extensions import db
    from app.mail.models import OutboxMessage

    with app.app_context():
        return [(m.recipient, m.subject, m.body_text, m.body_html)
                for m in db.session.execute(db.select(OutboxMessage).order_by(OutboxMessage.id)).scalars()]


def link_in(body: str) -> str:
    match = re.search(r"https?://[^/\s]+(/login/reset/[A-Za-z0-9_\-]+)", body)
    assert match, body
    return match.group(1)


def ask_for_link(client, email):
    response = submit(client, "/login/reset", "Email me a link", {"Email": email})
    assert response.status_code == 302
    return client.get(response.headers["Location"]).get_data(as_text=True)


def test_the_login_page_links_to_the_reset(client):
    page = client.get("/login").get_data(as_text=True)
    assert 'href="/login/reset"' in page and "Forgot your password?" in page


def test_reset_through_the_emailed_link(app, client, make_user, login):
    make_user()
    laptop = app.test_client()
    login(target=laptop)
    assert NEUTRAL in ask_for_link(client, "Organiser@Example.com")
    [(recipient, subject, text, html)] = outbox(app)
    assert recipient == "organiser@example.com"
    assert subject == "Set a new password for Masterclass"
    link = link_in(text)
    assert link in html and "60 minutes" in text

    response = submit(client, link, "Set the new password", {"New password": NEW_PASSWORD, "New password again": NEW_PASSWORD})
    assert response.status_code == 302 and response.headers["Location"].endswith("/login")
    assert "Your new password is set. Log in with it." in client.get("/login").get_data(as_text=True)
    assert laptop.get("/manage/").status_code == 302  # every session has ended
    assert app.test_client().post("/login", data={"email": "organiser@example.com", "password": TEST_PASSWORD}).status_code == 200
    login(password=NEW_PASSWORD)

    # Single use: the link is spent.
    assert app.test_client().get(link).status_code == 404
    again = app.test_client().post(link, data={"new_password": "yet another password", "confirm": "yet another password"})
    assert again.status_code == 404
    assert "This link has expired or has already been used." in again.get_data(as_text=True)
    login(password=NEW_PASSWORD, target=app.test_client())


def test_unknown_address_gets_the_same_answer_and_no_email(app, client, make_user):
    make_user()
    known = ask_for_link(client, "organiser@example.com")
    unknown = ask_for_link(app.test_client(), "nobody@example.com")
    assert NEUTRAL in unknown and NEUTRAL in known
    assert [recipient for recipient, *_ in outbox(app)] == ["organiser@example.com"]


def test_disabled_account_gets_no_link(app, client, make_user):
    from app.auth.models import User
    from app.extensions import db

    user_id = make_user()
    with app.app_context():
        db.session.get(User, user_id).is_active_account = False
        db.session.commit()
    assert NEUTRAL in ask_for_link(client, "organiser@example.com")
    assert outbox(app) == []


def test_the_link_expires_after_an_hour(app, client, make_user):
    from app.auth.models import User
    from app.extensions import db

    user_id = make_user()
    ask_for_link(client, "organiser@example.com")
    link = link_in(outbox(app)[0][2])
    with app.app_context():
        user = db.session.get(User, user_id)
        user.password_reset_expires_at -= timedelta(hours=1, seconds=1)
        db.session.commit()
    response = client.get(link)
    assert response.status_code == 404
    assert "Ask for a new link" in response.get_data(as_text=True)


def test_only_the_hash_of_the_token_is_stored(app, client, make_user):
    from app.auth.models import User
    from app.core.tokens import hash_token
    from app.extensions import db

    user_id = make_user()
    ask_for_link(client, "organiser@example.com")
    token = link_in(outbox(app)[0][2]).rsplit("/", 1)[1]
    with app.app_context():
        user = db.session.get(User, user_id)
        assert user.password_reset_hash == hash_token(token) != token


def test_a_new_request_moments_later_sends_no_second_email(app, client, make_user):
    make_user()
    ask_for_link(client, "organiser@example.com")
    ask_for_link(client, "organiser@example.com")
    assert len(outbox(app)) == 1


def test_a_newer_link_replaces_the_older_one(app, client, make_user):
    from app.auth.models import User
    from app.extensions import db

    user_id = make_user()
    ask_for_link(client, "organiser@example.com")
    first = link_in(outbox(app)[0][2])
    with app.app_context():  # a few minutes later
        user = db.session.get(User, user_id)
        user.password_reset_expires_at -= timedelta(minutes=5)
        db.session.commit()
    ask_for_link(client, "organiser@example.com")
    second = link_in(outbox(app)[1][2])
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200


def test_the_email_is_in_the_users_language(app, client, make_user):
    from app.auth.models import User
    from app.extensions import db

    user_id = make_user()
    with app.app_context():
        db.session.get(User, user_id).locale = "hu"
        db.session.commit()
    ask_for_link(client, "organiser@example.com")
    [(_recipient, subject, text, _html)] = outbox(app)
    assert subject == "Új jelszó beállítása a Masterclassban"
    assert "Kedves" in text


def test_the_new_password_is_checked(app, client, make_user):
    make_user()
    ask_for_link(client, "organiser@example.com")
    link = link_in(outbox(app)[0][2])
    short = submit(client, link, "Set the new password", {"New password": "short", "New password again": "short"})
    assert "Use 10 to 200 characters." in short.get_data(as_text=True)
    differ = submit(client, link, "Set the new password", {"New password": NEW_PASSWORD, "New password again": "something else"})
    assert "The two passwords differ." in differ.get_data(as_text=True)
    assert client.get(link).status_code == 200  # still usable after refusals


def test_asking_for_links_is_rate_limited(app_factory, make_user):
    app = app_factory(RATELIMIT_ENABLED=True)
    make_user()
    client = app.test_client()
    for _ in range(10):  # the configured "10 per minute", as for logging in
        assert client.post("/login/reset", data={"email": "organiser@example.com"}).status_code == 302
    response = client.post("/login/reset", data={"email": "organiser@example.com"})
    assert response.status_code == 429
    assert client.get("/login/reset").status_code == 200


def test_a_logged_in_user_is_sent_to_the_account_page(client, make_user, login):
    make_user()
    login()
    response = client.get("/login/reset")
    assert response.status_code == 302 and response.headers["Location"].endswith("/manage/account")


def test_whoever_was_logged_in_in_the_browser_is_logged_out_by_the_reset(app, client, make_user, login):
    make_user()
    make_user("colleague@example.com")
    login("colleague@example.com")  # a shared computer, still logged in as someone else
    ask_for_link(app.test_client(), "organiser@example.com")
    link = link_in(outbox(app)[0][2])
    submit(client, link, "Set the new password", {"New password": NEW_PASSWORD, "New password again": NEW_PASSWORD})
    assert client.get("/manage/").status_code == 302
    login(password=NEW_PASSWORD)


def test_the_reset_page_is_not_cached_nor_its_address_sent_on(app, client, make_user):
    make_user()
    ask_for_link(client, "organiser@example.com")
    response = client.get(link_in(outbox(app)[0][2]))
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response.headers["Cache-Control"]
