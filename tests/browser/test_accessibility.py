"""axe-core in headless Chromium on every public page, the participant's private pages, the
organiser's main pages and the check-in page: no serious or critical violation allowed.

axe-core comes from the npm registry (package.json, installed by ``npm ci`` from ``make test``).
Each test visits a group of pages and reports every page's violations together.
"""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.browser import support


def speaker_id(app, slug):
    from app.agenda.models import Speaker
    from app.events import services as events
    from app.extensions import db

    with app.app_context():
        event = events.get_by_slug(slug)
        found = db.session.execute(db.select(Speaker.id).filter_by(event_id=event.id).order_by(Speaker.id)).scalars().first()
        db.session.remove()
        return found


def check_pages(page, paths):
    failures = {}
    for path in paths:
        response = page.goto(path)
        assert response is not None and response.ok, f"{path}: HTTP {response.status if response else '?'}"
        violations = support.serious_violations(page)
        if violations:
            failures[path] = support.describe(violations)
    assert not failures, "\n\n".join(f"{path}\n{text}" for path, text in failures.items())


@pytest.fixture(autouse=True)
def _axe_installed():
    assert support.AXE.exists(), f"{support.AXE} is missing: run `npm ci` (make test does)"


def test_public_pages_have_no_serious_violations(axe_page, live_app, demo):
    up = demo.upcoming
    check_pages(axe_page, [
        "/",
        f"/events/{up}/",
        f"/events/{up}/agenda",
        f"/events/{up}/speakers/",
        f"/events/{up}/speakers/{speaker_id(live_app, up)}",
        f"/events/{demo.past}/agenda",
        f"/events/{up}/register",
        f"/events/{up}/register/sent",
        "/login",
        f"/c/{demo.badge_secret}",
    ])


def test_registration_form_with_errors_has_no_serious_violations(axe_page, demo):
    axe_page.goto(f"/events/{demo.upcoming}/register")
    axe_page.locator("main form button[type=submit]").click()
    axe_page.wait_for_selector(".error-summary")
    violations = support.serious_violations(axe_page)
    assert not violations, support.describe(violations)


def test_participant_private_pages_have_no_serious_violations(axe_page, demo):
    token = demo.manage_token
    check_pages(axe_page, [f"/r/{token}", f"/r/{token}/edit", f"/r/{token}/cancel", f"/r/{token}/sessions", f"/s/{demo.survey_token}"])


def test_organiser_pages_have_no_serious_violations(axe_page, demo, login):
    login(axe_page, "organiser@example.com")
    up, past = f"/manage/events/{demo.upcoming}", f"/manage/events/{demo.past}"
    check_pages(axe_page, [
        "/manage/",
        "/manage/events/new",
        f"{up}/",
        f"{past}/",
        f"{up}/edit",
        f"{up}/registrations",
        f"{up}/registrations/new",
        f"{up}/questions",
        f"{up}/emails",
        f"{up}/agenda",
        f"{up}/agenda/new",
        f"{up}/speakers",
        f"{up}/badges",
        f"{past}/attendance",
        f"{up}/team",
        f"{up}/survey",
        f"{past}/survey",
        f"{past}/survey/results",
        f"{past}/survey/invitations",
        f"{past}/survey/preview",
        "/manage/account",
    ])


def test_checkin_pages_have_no_serious_violations(axe_page, demo, login, live_app, monkeypatch):
    from app.checkin import services as checkin
    from app.events.services import get_by_slug

    with live_app.app_context():  # the door as it is on a day of the event (it admits on event days only)
        during = get_by_slug(demo.upcoming).starts_at + timedelta(hours=1)
    monkeypatch.setattr(checkin, "utcnow", lambda: during)
    login(axe_page, "staff@example.com")
    check_pages(axe_page, [f"/manage/events/{demo.upcoming}/checkin", f"/c/{demo.badge_secret}"])
    # the full-screen answer, as the door sees it after a tap
    axe_page.goto(f"/manage/events/{demo.upcoming}/checkin")
    axe_page.get_by_role("searchbox").fill("Öberg") if axe_page.get_by_role("searchbox").count() else axe_page.locator("#q").fill("Öberg")
    axe_page.locator("#search-results button").first.click()
    axe_page.wait_for_selector("#answer:not([hidden])")
    violations = support.serious_violations(axe_page)
    assert not violations, support.describe(violations)


def test_choice_questions_are_fieldsets_named_by_their_legend(axe_page, demo):
    axe_page.goto(f"/events/{demo.upcoming}/register")
    groups = axe_page.locator("fieldset.field-group")
    assert groups.count() >= 3  # the topic, the certificate (yes/no) and the workshops
    for group in groups.all():
        assert group.locator("> legend").inner_text().strip()
        assert group.locator("input[type=radio], input[type=checkbox]").count() >= 2
    topic = axe_page.get_by_role("group", name="Melyik témáról beszélne legszívesebben a szakértőkkel?")
    expect(topic).to_be_visible()


def test_skip_link_comes_first_and_focus_is_visible(axe_page, demo):
    axe_page.goto(f"/events/{demo.upcoming}/")
    axe_page.keyboard.press("Tab")
    skip = axe_page.locator(":focus")
    expect(skip).to_have_class("skip-link")
    box = skip.bounding_box()
    assert box is not None and box["x"] >= 0 and box["y"] >= 0  # on screen once focused
    assert skip.evaluate("el => getComputedStyle(el).outlineStyle") != "none"
    skip.press("Enter")
    expect(axe_page.locator(":focus")).to_have_id("main")
    axe_page.keyboard.press("Tab")
    focused = axe_page.locator(":focus")
    assert focused.evaluate("el => getComputedStyle(el).outlineStyle") != "none", focused.evaluate("el => el.outerHTML")
