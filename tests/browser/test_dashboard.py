"""The organiser's dashboard: every figure at a glance, each with the link to act on it."""

from playwright.sync_api import expect


def fail_one_email(app, slug):
    from app.events import services as events
    from app.extensions import db
    from app.mail.models import OutboxMessage, OutboxStatus

    with app.app_context():
        event = events.get_by_slug(slug)
        message = db.session.execute(db.select(OutboxMessage).filter_by(event_id=event.id).limit(1)).scalar_one()
        message.status, message.last_error = OutboxStatus.FAILED, "SMTPRecipientsRefused: 550"
        db.session.commit()
        db.session.remove()


def test_dashboard_of_the_past_event_shows_checkins_per_day_and_the_survey_response_rate(page, demo, login):
    login(page, "organiser@example.com")
    page.goto(f"/manage/events/{demo.past}/")
    rows = page.locator("table.checkin-days tbody tr")
    expect(rows).to_have_count(2)  # 25 and 26 September 2018
    expect(rows.nth(0)).to_contain_text("September 25, 2018")
    expect(rows.nth(0).locator("td").first).to_have_text("30")
    survey = page.locator("section[aria-labelledby=survey-heading]")
    expect(survey).to_contain_text("83%")  # 25 of 30 answered
    survey.get_by_role("link", name="5 not answered yet").click()
    expect(page).to_have_url(f"{page.url.split('/manage/')[0]}/manage/events/{demo.past}/survey/invitations")


def test_dashboard_links_each_count_to_its_list_and_reports_undelivered_email(page, live_app, demo, login):
    fail_one_email(live_app, demo.past)
    login(page, "organiser@example.com")
    page.goto(f"/manage/events/{demo.past}/")
    problem = page.locator(".flash-error")
    expect(problem).to_contain_text("1 email could not be delivered")
    problem.get_by_role("link").click()
    expect(page).to_have_url(f"{page.url.split('/manage/')[0]}/manage/events/{demo.past}/emails")

    page.goto(f"/manage/events/{demo.upcoming}/")
    expect(page.locator("section[aria-labelledby=survey-heading]")).to_contain_text("No survey yet")
    page.locator(".stat-grid a", has_text="confirmed").click()
    expect(page).to_have_url(f"{page.url.split('?')[0]}?status=confirmed")
    expect(page.locator("main table tbody tr").first).to_be_visible()
