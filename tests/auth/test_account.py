"""The organiser's own account and the language switch."""

from tests.conftest import TEST_PASSWORD


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


def test_password_change_needs_the_current_password_and_logs_out_other_sessions(app, client, make_user, login):
    make_user()
    login()
    elsewhere = app.test_client()
    login(target=elsewhere)
    wrong = client.post("/manage/account", data={
        "password-current_password": "nope", "password-new_password": "a brand new secret",
        "password-confirm": "a brand new secret", "password-submit": "1",
    })
    assert "The current password is not right." in wrong.get_data(as_text=True)
    mismatch = client.post("/manage/account", data={
        "password-current_password": TEST_PASSWORD, "password-new_password": "a brand new secret",
        "password-confirm": "something else entirely", "password-submit": "1",
    })
    assert "The two passwords differ." in mismatch.get_data(as_text=True)
    changed = client.post("/manage/account", data={
        "password-current_password": TEST_PASSWORD, "password-new_password": "a brand new secret",
        "password-confirm": "a brand new secret", "password-submit": "1",
    })
    assert changed.status_code == 302
    assert client.get("/manage/").status_code == 200  # this session carries on
    assert elsewhere.get("/manage/").status_code == 302  # the other one is logged out
    old_password = app.test_client().post("/login", data={"email": "organiser@example.com", "password": TEST_PASSWORD})
    assert old_password.status_code == 200  # refused: the form is shown again
