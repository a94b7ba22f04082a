"""The four journeys of issue 7, as people take them: in Chromium, with real CSRF tokens, the
site's Content-Security-Policy, and mail read back from the loopback SMTP server."""

import time
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser import support

GREEN = "rgb(30, 107, 52)"  # --ok
AMBER = "rgb(138, 90, 0)"  # --warn


def wait_for_mail(smtp_server, to, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [message for message in smtp_server.messages if to in str(message["To"])]
        if found:
            return found[-1]
        time.sleep(0.1)
    raise AssertionError(f"no email to {to} within {timeout}s; got {[str(m['To']) for m in smtp_server.messages]}")


def test_participant_registers_reads_the_email_edits_and_downloads_the_badge(page, live_server, demo, smtp_server):
    page.goto("/")
    page.locator(f"a[href='/events/{demo.upcoming}/']").first.click()
    expect(page.locator("h1")).to_contain_text("CLUSTERIX")
    page.locator(f"a[href='/events/{demo.upcoming}/agenda']").first.click()
    expect(page.locator(".session").first).to_be_visible()
    page.goto(f"/events/{demo.upcoming}/")
    page.locator(f"main a[href='/events/{demo.upcoming}/register']").first.click()

    page.locator("#first_name").fill("Ștefan")
    page.locator("#last_name").fill("Țurcanu")
    page.locator("#email").fill("stefan.turcanu@example.com")
    page.locator("#organisation").fill("Cluster Nord-Est")
    page.locator("#country").select_option("RO")
    for group in page.locator("main form .field:has(input[type=radio])").all():
        group.locator("input[type=radio]").first.check()  # the organisers' required one-choice question
    page.locator("#privacy_consent").check()
    page.locator("main form button[type=submit]").click()
    assert page.locator(".error-summary").count() == 0, page.locator(".error-summary").inner_text()
    page.wait_for_url(f"**/events/{demo.upcoming}/register/sent")
    expect(page.locator("main")).to_contain_text("stefan.turcanu@example.com")

    message = wait_for_mail(smtp_server, "stefan.turcanu@example.com")
    links = [link for link in support.links_in(message, f"{live_server.url}/r/") if link.count("/") == 4]  # not .../badge.pdf
    assert links, support.message_text(message)
    response = page.goto(links[0])
    assert response.ok, (links, support.message_text(message))
    expect(page.locator("main")).to_contain_text("Ștefan Țurcanu")

    page.locator("main a[href$='/edit']").click()
    page.locator("#organisation").fill("Clusterul Regional Nord-Est")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".flash-success")).to_be_visible()
    expect(page.locator(".details")).to_contain_text("Clusterul Regional Nord-Est")

    badge = page.locator("main a[href$='/badge.pdf']")
    response = page.request.get(badge.get_attribute("href"))
    assert response.ok and response.headers["content-type"].startswith("application/pdf")
    assert response.body().startswith(b"%PDF")


def test_organiser_creates_an_event_adds_a_session_and_a_question_and_publishes_it(page, demo, login):
    login(page, "organiser@example.com")
    page.goto("/manage/events/new")
    start = (datetime.now(UTC) + timedelta(days=50)).replace(hour=9, minute=0)
    page.locator("#title").fill("Klaszterek a körforgásos gazdaságért")
    page.locator("#starts_at").fill(start.strftime("%Y-%m-%dT%H:%M"))
    page.locator("#ends_at").fill((start + timedelta(hours=8)).strftime("%Y-%m-%dT%H:%M"))
    page.locator("#capacity").fill("40")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("h1")).to_have_text("Klaszterek a körforgásos gazdaságért")
    dashboard = page.url

    page.locator(".subnav a[href$='/agenda']").click()
    page.locator("main a[href$='/agenda/new']").click()
    page.locator("#title").fill("Nyitó előadás")
    page.locator("#starts_at").fill(start.strftime("%Y-%m-%dT%H:%M"))
    page.locator("#ends_at").fill((start + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"))
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main table")).to_contain_text("Nyitó előadás")

    page.locator(".subnav a[href$='/questions']").click()
    page.locator("#label").fill("Hány fős a klaszter?")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main table")).to_contain_text("Hány fős a klaszter?")

    page.goto(dashboard)
    page.locator("main form:has(input[value=publish]) button").click()
    expect(page.locator(".badge.status-published")).to_be_visible()
    page.goto("/")
    expect(page.locator("main")).to_contain_text("Klaszterek a körforgásos gazdaságért")


@pytest.fixture
def door_day(live_app, demo, monkeypatch):
    """The door's clock on the upcoming event's first day: it admits on the event's days only."""
    from app.checkin import services as checkin
    from app.events.services import get_by_slug

    with live_app.app_context():
        during = get_by_slug(demo.upcoming).starts_at + timedelta(hours=1)
    monkeypatch.setattr(checkin, "utcnow", lambda: during)
    return during


def test_checkin_staff_finds_a_name_sees_green_then_checked_in_on_repeat(page, demo, login, door_day):
    login(page, "staff@example.com")
    page.goto(f"/manage/events/{demo.upcoming}/checkin")
    counter = page.locator("#count-checked")
    before = int(counter.inner_text())

    page.locator("#q").fill("oberg")  # accents and case ignored
    result = page.locator("#search-results li", has_text="Öberg")
    expect(result).to_have_count(1)
    expect(result).to_contain_text("Confirmed")
    result.get_by_role("button", name="Check in").click()
    answer = page.locator("#answer")
    expect(answer).to_be_visible()
    expect(answer).to_have_class("answer answer-welcome")
    expect(answer).to_have_css("background-color", GREEN)
    expect(page.locator("#answer-name")).to_have_text("Åsa Öberg")
    expect(page.locator("#answer-undo")).to_be_visible()
    expect(page.locator("#answer-title")).not_to_be_empty()  # said in words, not only by colour
    expect(counter).to_have_text(str(before + 1))
    page.locator("#answer-next").click()
    expect(answer).to_be_hidden()

    # Found again: shown as checked in, with the time, and no second "Check in" to press.
    page.locator("#q").fill("")
    page.locator("#q").fill("ÖBERG")
    result = page.locator("#search-results li", has_text="Öberg")
    expect(result).to_contain_text("Checked in at")
    expect(result.get_by_role("button")).to_have_count(0)
    expect(counter).to_have_text(str(before + 1))


@pytest.fixture
def finished_event(live_app, demo):
    """An event that ended yesterday, with one confirmed participant and no survey yet."""
    from app.auth import services as accounts
    from app.events import services as events
    from app.extensions import db
    from app.registration import services as registrations

    start = (datetime.now(UTC) - timedelta(days=2)).replace(hour=8, minute=0, second=0, microsecond=0, tzinfo=None)
    with live_app.app_context():
        organiser = accounts.find_user("organiser@example.com")
        event = events.save_event(None, events.EventChanges({
            "title": "Klaszter workshop Szeged", "slug": "", "summary": "", "description": "", "venue_name": "", "venue_address": "",
            "timezone": "Europe/Budapest", "language": "en", "starts_at": start, "ends_at": start + timedelta(hours=8), "capacity": None,
            "registration_opens_at": None, "registration_closes_at": None, "requires_approval": False,
            "contact_email": "organiser@example.com", "privacy_notice": "", "retention_days": None,
        }), creator=organiser)
        events.set_status(event, "published")
        registrations.register(
            event, registrations.Registrant("Iñaki", "Muñoz", "inaki.munoz@example.com", "Basque Energy Cluster", language="en"),
            registrations.Consents(privacy=True), by_organiser=True, send_email=False,
        )
        db.session.commit()
        slug = event.slug
        db.session.remove()
    return slug


def test_survey_built_and_sent_answered_from_the_email_and_seen_in_the_results(
    page, browser, live_server, finished_event, smtp_server, login
):
    login(page, "organiser@example.com")
    base = f"/manage/events/{finished_event}/survey"
    page.goto(base)
    page.locator("#title").fill("How was the workshop?")
    page.locator("#audience").select_option("confirmed")
    page.locator("main form.form button[type=submit]").click()
    page.locator(f"main a[href='{base}/questions/new']").click()
    page.locator("#kind").select_option("short_text")
    page.locator("#label").fill("One word for the day")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main table")).to_contain_text("One word for the day")

    page.goto(f"{base}/invitations")
    page.locator(f"main form[action='{base}/send'] button").click()
    expect(page.locator(".flash-success")).to_be_visible()

    message = wait_for_mail(smtp_server, "inaki.munoz@example.com")
    links = support.links_in(message, f"{live_server.url}/s/")
    assert links, support.message_text(message)
    respondent = browser.new_context(base_url=live_server.url, viewport=support.PHONE)
    try:
        answer_page = respondent.new_page()
        answer_page.goto(links[0])
        answer_page.get_by_label("One word for the day").fill("Gyönyörű")
        answer_page.locator("button[value=submit]").click()
        expect(answer_page.locator("main")).not_to_contain_text("One word for the day")
    finally:
        respondent.close()

    page.goto(f"{base}/results")
    expect(page.locator("main")).to_contain_text("Gyönyörű")


def test_badge_from_the_participant_link_is_scanned_at_the_door_then_undone(page, demo, login, door_day):
    """The whole door journey with a real badge: the participant's PDF, its QR code read back by an
    independent decoder, typed into the scanner field the way a hand-held scanner does."""
    from tests.badges.helpers import decode_qr_codes

    badge = page.request.get(f"/r/{demo.manage_token}/badge.pdf")
    assert badge.ok and badge.headers["content-type"].startswith("application/pdf")
    [[url]] = decode_qr_codes(badge.body())
    assert url.endswith(f"/c/{demo.badge_secret}")

    login(page, "staff@example.com")
    page.goto(f"/manage/events/{demo.upcoming}/checkin")
    counter = page.locator("#count-checked")
    before = int(counter.inner_text())
    answer = page.locator("#answer")

    def scan():
        page.locator("#code").fill(url)
        page.locator("#code").press("Enter")
        expect(answer).to_be_visible()

    scan()
    expect(answer).to_have_class("answer answer-welcome")
    expect(counter).to_have_text(str(before + 1))
    page.locator("#answer-undo").click()
    expect(counter).to_have_text(str(before))

    if page.locator("#answer-next").is_visible():
        page.locator("#answer-next").click()
    scan()
    expect(answer).to_have_class("answer answer-welcome")
    page.locator("#answer-next").click()
    scan()
    expect(answer).to_have_class("answer answer-already")
    expect(answer).to_have_css("background-color", AMBER)
    expect(page.locator("#answer-title")).not_to_be_empty()
    expect(page.locator("#answer-undo")).to_be_hidden()  # only a check-in just made can be undone
    expect(counter).to_have_text(str(before + 1))


def test_codes_typed_as_printed_are_admitted(page, live_app, demo, login, door_day):
    """Typed from the badge by hand: in groups with spaces, with hyphens, in lower case, with look-alikes."""
    from app.extensions import db
    from app.registration.models import Registration

    secret = "DQ7JT23456789ABCEFGHKMNPRSU"  # D, Q, J and T: the letters people misread as 0, O, 1, I and L
    with live_app.app_context():
        registration = db.session.execute(db.select(Registration).filter_by(badge_secret=demo.badge_secret)).scalar_one()
        registration.badge_secret = secret
        name = registration.full_name
        db.session.commit()
    login(page, "staff@example.com")
    page.goto(f"/manage/events/{demo.upcoming}/checkin")
    answer = page.locator("#answer")
    typed = [f"{secret[:9]} {secret[9:18]} {secret[18:]}", f"{secret[:9]}-{secret[9:18]}-{secret[18:]}".lower(),
             "0o71" + secret[4:], "dq7jl" + secret[5:].lower(), "garbage"]
    states = ["welcome", "already", "already", "already", "refused"]
    for code, state in zip(typed, states, strict=True):
        page.locator("#code").fill(code)
        with page.expect_response(lambda response: response.url.endswith("/checkin/scan")) as response:
            page.locator("#code").press("Enter")
        assert response.value.json()["state"] == state, code
        expect(answer).to_be_visible()
        expect(answer).to_have_class(f"answer answer-{state}")
        if state != "refused":
            expect(page.locator("#answer-name")).to_have_text(name)
        page.locator("#answer-next").click()
        expect(answer).to_be_hidden()
