"""Accounts as an organiser uses them, in Chromium: the account page, a forgotten password, logging out."""

import re
import time

from playwright.sync_api import expect

from tests.conftest import TEST_PASSWORD

EMAIL = "katalin.szabo@example.com"
NEW_PASSWORD = "a much longer secret"
NEW_PASSWORD_LABEL = re.compile(r"^New password( \*)?$")  # not "New password again"


def wait_for_mail(smtp_server, to, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [message for message in smtp_server.messages if to in str(message["To"])]
        if found:
            return found[-1]
        time.sleep(0.1)
    raise AssertionError(f"no email to {to} within {timeout}s")


def make_account(app):
    from app.auth import services as accounts
    from app.extensions import db

    with app.app_context():
        accounts.create_user(EMAIL, TEST_PASSWORD, name="Szabó Katalin")
        db.session.commit()
        db.session.remove()


def log_out(page):
    page.locator("header form[action='/logout'] button").click()
    expect(page.locator(".flash-success")).to_contain_text("You have logged out.")


def test_change_the_password_on_the_account_page_and_log_in_with_it(page, live_app, login):
    make_account(live_app)
    login(page, EMAIL, TEST_PASSWORD)
    page.get_by_role("link", name="Account").click()
    page.get_by_label("Current password").fill(TEST_PASSWORD)
    page.get_by_label(NEW_PASSWORD_LABEL).fill(NEW_PASSWORD)
    page.get_by_label("New password again").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Change password").click()
    expect(page.locator(".flash-success")).to_contain_text("Your password is changed.")

    log_out(page)
    page.goto("/login")
    page.locator("#email").fill(EMAIL)
    page.locator("#password").fill(TEST_PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("The email or password is not right.")
    login(page, EMAIL, NEW_PASSWORD)
    expect(page).to_have_url(re.compile(r"/manage/$"))


def test_reset_a_forgotten_password_through_the_emailed_link(page, live_app, live_server, smtp_server, login):
    make_account(live_app)
    page.goto("/login")
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_role("button", name="Email me a link").click()
    expect(page.locator("h1")).to_have_text("Check your email")

    message = wait_for_mail(smtp_server, EMAIL)
    assert message["Subject"] == "Set a new password for Masterclass"
    body = message.get_body(preferencelist=("plain",)).get_content()
    [link] = [word for word in body.split() if word.startswith(f"{live_server.url}/login/reset/")]
    page.goto(link)
    page.get_by_label(NEW_PASSWORD_LABEL).fill(NEW_PASSWORD)
    page.get_by_label("New password again").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set the new password").click()
    expect(page.locator(".flash-success")).to_contain_text("Your new password is set. Log in with it.")

    login(page, EMAIL, NEW_PASSWORD)
    page.goto(link)  # the link was for one use
    expect(page.locator("h1")).to_have_text("This link does not work")


def test_a_cookie_copied_before_logout_is_refused_after_it(page, browser, live_app, live_server, login):
    make_account(live_app)
    login(page, EMAIL, TEST_PASSWORD)
    copied = page.context.cookies()
    log_out(page)

    other = browser.new_context(base_url=live_server.url)
    try:
        other.add_cookies(copied)
        thief = other.new_page()
        thief.goto("/manage/account")
        expect(thief).to_have_url(re.compile(r"/login\?next="))
    finally:
        other.close()
