"""A login lives on the server: logging out ends it, even for a copy of the cookie taken before."""

from tests.auth.pages import submit
from tests.conftest import TEST_PASSWORD


def session_cookie(client) -> str:
    cookie = client.get_cookie("session")
    assert cookie is not None
    return cookie.value


def with_cookie(app, value: str):
    thief = app.test_client()
    thief.set_cookie("session", value)
    return thief


def refused(response) -> bool:
    if response.status_code == 302:
        return "/login" in response.headers["Location"]
    return response.status_code in (401, 403)


def test_a_cookie_copied_before_logout_is_refused_after_it(app, client, make_event, login):
    slug = make_event()
    login()
    export = f"/manage/events/{slug}/registrations.csv"
    assert client.get(export).status_code == 200
    copied = session_cookie(client)
    assert with_cookie(app, copied).get(export).status_code == 200  # the copy works while the login lasts

    assert client.post("/logout").status_code == 302
    response = with_cookie(app, copied).get(export)
    assert refused(response), response.status_code
    assert refused(with_cookie(app, copied).get("/manage/"))


def test_logout_ends_only_this_session(app, client, make_user, login):
    make_user()
    login()
    phone = app.test_client()
    login(target=phone)
    client.post("/logout")
    assert client.get("/manage/").status_code == 302
    assert phone.get("/manage/").status_code == 200


def test_a_cookie_copied_before_a_password_change_is_refused_after_it(app, client, make_user, login):
    make_user()
    login()
    copied = session_cookie(client)
    submit(client, "/manage/account", "Change password", {
        "Current password": TEST_PASSWORD, "New password": "a brand new secret", "New password again": "a brand new secret"})
    assert client.get("/manage/").status_code == 200
    assert refused(with_cookie(app, copied).get("/manage/"))


def test_a_cookie_of_another_session_is_refused_after_log_out_everywhere_else(app, client, make_user, login):
    make_user()
    login()
    laptop = app.test_client()
    login(target=laptop)
    copied = session_cookie(laptop)
    submit(client, "/manage/account", "Log out everywhere else")
    assert refused(with_cookie(app, copied).get("/manage/"))
    assert client.get("/manage/").status_code == 200


def test_a_session_without_a_live_key_is_not_logged_in(app, client, make_user):
    """A session made up (or left from before server-side sessions) with a valid user id opens nothing."""
    user_id = make_user()
    with client.session_transaction() as session:
        session["_user_id"] = f"{user_id}:1"
        session["_fresh"] = True
    assert refused(client.get("/manage/"))


def test_sessions_older_than_thirty_days_end(app, client, make_user, login):
    from app.auth.models import UserSession
    from app.core.models import utcnow
    from app.extensions import db

    make_user()
    login()
    assert client.get("/manage/").status_code == 200
    with app.app_context():
        db.session.execute(db.update(UserSession).values(created_at=utcnow().replace(year=utcnow().year - 1)))
        db.session.commit()
    assert refused(client.get("/manage/"))


