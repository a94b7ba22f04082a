"""``flask users create EMAIL [--admin] [--password PW]``."""

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
