"""``flask users create EMAIL [--admin] [--password PW]`` and ``flask users set-password EMAIL``."""

from tests.conftest import TEST_PASSWORD


def test_created_user_can_log_in(runner, client, login):
    result = runner.invoke(args=["users", "create", "Anna@Example.com", "--password", TEST_PASSWORD, "--name", "Kovács Anna"])
    assert result.exit_code == 0, result.output
    assert "Created user anna@example.com." in result.output
    login("anna@example.com")
    assert client.get("/manage/").status_code == 200


def test_password_is_asked_for_when_not_given(runner, login):
    result = runner.invoke(args=["users", "create", "anna@example.com"], input=f"{TEST_PASSWORD}\n{TEST_PASSWORD}\n")
    assert result.exit_code == 0, result.output
    login("anna@example.com")


def test_admin_flag_makes_a_site_administrator(runner, client, login, make_event):
    slug = make_event(title="Someone Else's Event")
    result = runner.invoke(args=["users", "create", "root@example.com", "--admin", "--password", TEST_PASSWORD])
    assert result.exit_code == 0, result.output
    assert "Created administrator root@example.com." in result.output
    login("root@example.com")
    assert "Someone Else&#39;s Event" in client.get("/manage/").get_data(as_text=True)
    assert client.get(f"/manage/events/{slug}/").status_code == 200


def test_without_admin_flag_the_user_sees_no_events(runner, client, login, make_event):
    slug = make_event()
    runner.invoke(args=["users", "create", "plain@example.com", "--password", TEST_PASSWORD])
    login("plain@example.com")
    assert "not on any event's team" in client.get("/manage/").get_data(as_text=True)
    assert client.get(f"/manage/events/{slug}/").status_code == 403


def test_duplicate_email_is_an_error(runner):
    assert runner.invoke(args=["users", "create", "anna@example.com", "--password", TEST_PASSWORD]).exit_code == 0
    result = runner.invoke(args=["users", "create", "ANNA@example.com", "--password", "another long password"])
    assert result.exit_code == 1
    assert "A user with this email already exists." in result.output


def test_too_short_password_is_an_error_and_creates_nothing(runner, client):
    result = runner.invoke(args=["users", "create", "anna@example.com", "--password", "short"])
    assert result.exit_code == 1
    assert "The password must be at least 10 characters long." in result.output
    response = client.post("/login", data={"email": "anna@example.com", "password": "short"})
    assert "The email or password is not right." in response.get_data(as_text=True)


def test_invalid_email_is_an_error(runner):
    result = runner.invoke(args=["users", "create", "not-an-email", "--password", TEST_PASSWORD])
    assert result.exit_code == 1
    assert "This is not a valid email address." in result.output


def test_set_password_replaces_the_password_and_ends_every_session(app, runner, client, make_user, login):
    make_user()
    login()
    result = runner.invoke(args=["users", "set-password", "Organiser@example.com", "--password", "a fresh long password"])
    assert result.exit_code == 0, result.output
    assert "Password set for organiser@example.com" in result.output
    assert client.get("/manage/").status_code == 302  # logged out
    refused = app.test_client().post("/login", data={"email": "organiser@example.com", "password": TEST_PASSWORD})
    assert "The email or password is not right." in refused.get_data(as_text=True)
    login(password="a fresh long password")


def test_set_password_asks_twice_without_showing_it(runner, make_user, login):
    make_user()
    result = runner.invoke(args=["users", "set-password", "organiser@example.com"],
                           input="a fresh long password\na fresh long password\n")
    assert result.exit_code == 0, result.output
    assert "a fresh long password" not in result.output
    assert "Repeat for confirmation" in result.output
    login(password="a fresh long password")


def test_set_password_refuses_a_short_password_and_an_unknown_address(runner, make_user, login):
    make_user()
    short = runner.invoke(args=["users", "set-password", "organiser@example.com", "--password", "short"])
    assert short.exit_code == 1 and "at least 10 characters" in short.output
    login()  # unchanged
    unknown = runner.invoke(args=["users", "set-password", "nobody@example.com", "--password", "a fresh long password"])
    assert unknown.exit_code == 1 and "No account uses 'nobody@example.com'." in unknown.output
