"""The organiser's own account and the language switch."""

from tests.auth.pages import submit
from tests.conftest import TEST_PASSWORD

NEW_PASSWORD = "a brand new secret"


def test_language_switch_is_remembered_and_stays_on_site(client, make_event):
    make_event(language="en")
    assert 'lang="en"' in client.get("/events/gyori-mesterkurzus/").get_data(as_text=True)
    response = client.post("/language", data={"lang": "hu", "next": "/events/gyori-mesterkurzus/"})
    assert response.headers["Location"] == "/events/gyori-mesterkurzus/"
    assert '<html lang="hu">' in client.get("/events/gyori-mesterkurzus/").get_data(as_text=True)
    assert client.post("/language", data={"lang": "en", "next": "https://evil.example/"}).headers["Location"] == "/"
    assert client.post("/language", data={"lang": "xx"}).status_code == 302
    assert '<html lang="en">' in client.get("/").get_data(as_text=True)


def test_organiser_chooses_the_interface_language_for_the_account(app, client, make_user, login):
    make_user()
    login()
    client.post("/manage/account", data={"profile-name": "Szabó Katalin", "profile-locale": "hu", "profile-submit": "1"})
    other = app.test_client()
    login(target=other)
    assert '<html lang="hu">' in other.get("/manage/").get_data(as_text=True)


def test_every_button_of_the_account_page_is_named_after_its_form(client, make_user, login):
    make_user()
    login()
    page = client.get("/manage/account").get_data(as_text=True)
    for name in ("profile-submit", "password-submit", "sessions-submit"):
        assert f'name="{name}"' in page


def test_name_and_language_are_saved_from_the_page_as_a_browser_sends_it(app, client, make_user, login):
    make_user()
    login()
    response = submit(client, "/manage/account", "Save", {"Name": "Szabó Katalin", "Interface language": "hu"})
    assert response.status_code == 302
    page = client.get("/manage/account").get_data(as_text=True)
    assert 'value="Szabó Katalin"' in page and '<html lang="hu">' in page
    elsewhere = app.test_client()
    login(target=elsewhere)
    assert '<html lang="hu">' in elsewhere.get("/manage/").get_data(as_text=True)


def test_password_is_changed_from_the_page_as_a_browser_sends_it(app, client, make_user, login):
    make_user()
    login()
    elsewhere = app.test_client()
    login(target=elsewhere)
    response = submit(client, "/manage/account", "Change password", {
        "Current password": TEST_PASSWORD, "New password": NEW_PASSWORD, "New password again": NEW_PASSWORD})
    assert response.status_code == 302
    assert "Your password is changed." in client.get("/manage/account").get_data(as_text=True)
    assert client.get("/manage/").status_code == 200  # this session carries on
    assert elsewhere.get("/manage/").status_code == 302  # the other one is logged out
    assert app.test_client().post("/login", data={"email": "organiser@example.com", "password": TEST_PASSWORD}).status_code == 200
    login(password=NEW_PASSWORD, target=app.test_client())


def test_the_profile_button_does_not_touch_the_password(client, make_user, login):
    make_user()
    login()
    response = submit(client, "/manage/account", "Save", {"Name": "Kovács Anna"})
    assert response.status_code == 302  # saved, and no "required" complaint from the password form
    page = client.get("/manage/account").get_data(as_text=True)
    assert "Your account is saved." in page and "Your password is changed." not in page
    login(target=client.application.test_client())  # the old password still works


def test_password_change_needs_the_current_password_and_logs_out_other_sessions(app, client, make_user, login):
    make_user()
    login()
    elsewhere = app.test_client()
    login(target=elsewhere)
    wrong = client.post("/manage/account", data={
        "password-current_password": "nope", "password-new_password": NEW_PASSWORD,
        "password-confirm": NEW_PASSWORD, "password-submit": "1",
    })
    assert "The current password is not right." in wrong.get_data(as_text=True)
    mismatch = client.post("/manage/account", data={
        "password-current_password": TEST_PASSWORD, "password-new_password": NEW_PASSWORD,
        "password-confirm": "something else entirely", "password-submit": "1",
    })
    assert "The two passwords differ." in mismatch.get_data(as_text=True)
    changed = client.post("/manage/account", data={
        "password-current_password": TEST_PASSWORD, "password-new_password": NEW_PASSWORD,
        "password-confirm": NEW_PASSWORD, "password-submit": "1",
    })
    assert changed.status_code == 302
    assert client.get("/manage/").status_code == 200  # this session carries on
    assert elsewhere.get("/manage/").status_code == 302  # the other one is logged out
    old_password = app.test_client().post("/login", data={"email": "organiser@example.com", "password": TEST_PASSWORD})
    assert old_password.status_code == 200  # refused: the form is shown again


def test_log_out_everywhere_else_keeps_this_session_only(app, client, make_user, login):
    make_user()
    login()
    laptop, phone = app.test_client(), app.test_client()
    login(target=laptop)
    login(target=phone)
    assert "You are also logged in 2 other times" in client.get("/manage/account").get_data(as_text=True)
    response = submit(client, "/manage/account", "Log out everywhere else")
    assert response.status_code == 302
    page = client.get("/manage/account").get_data(as_text=True)
    assert "2 other sessions are logged out." in page
    assert "You are not logged in anywhere else." in page
    assert client.get("/manage/").status_code == 200
    assert laptop.get("/manage/").status_code == 302
    assert phone.get("/manage/").status_code == 302
    login(target=laptop)  # the password is unchanged
    assert laptop.get("/manage/").status_code == 200
