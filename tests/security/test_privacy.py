"""GDPR: the participant erases their data from their link, the organiser after the event,
``flask privacy purge`` by retention period; nothing is left anywhere afterwards."""

import io
from datetime import timedelta

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook
from pypdf import PdfReader

from app.extensions import db as _db

FIRST, LAST, EMAIL = "Quirinus", "Xylophagou", "quirinus.xylophagou@example.org"
ORGANISATION, PHONE = "Xylomatic Holdings", "+36 30 987 6543"
TRACES = (FIRST, LAST, EMAIL, ORGANISATION, PHONE, EMAIL.split("@")[0])


def register_someone(app, client, slug, *, first=FIRST, last=LAST, email=EMAIL, answer="Ask me about clusters",
                     organisation=ORGANISATION, phone=PHONE):
    """Through the public form, with an answer to the organiser's question; returns the manage token."""
    from app.events.services import get_by_slug
    from app.registration import links, questions
    from app.registration import services as registrations

    with app.app_context():
        event = get_by_slug(slug)
        question = next(iter(questions.active_questions(event)), None)
        if question is None:
            question = questions.save_question(event, None, {"kind": "short_text", "label": "What brings you?"})
            _db.session.commit()
        question_id = question.id
    response = client.post(f"/events/{slug}/register", data={
        "first_name": first, "last_name": last, "email": email, "organisation": organisation, "job_title": "Director",
        "country": "HU", "phone": phone, "privacy_consent": "y", "photo_consent": "y", f"q_{question_id}": answer,
    })
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        registration = registrations.find_by_email(get_by_slug(slug), email)
        token = links.manage_token(registration)
        _db.session.remove()
    return token


@pytest.fixture
def full_history(app, client, make_event, login):
    """A participant with everything: answers, a session sign-up, a check-in, a survey answer, mail sent and queued."""
    from app.agenda import services as agenda
    from app.agenda import signups as agenda_signups
    from app.checkin import services as checkin
    from app.core.models import utcnow
    from app.events.services import get_by_slug
    from app.mail.models import OutboxMessage, OutboxStatus
    from app.registration import messages as registration_messages
    from app.registration import services as registrations
    from app.surveys import builder as surveys
    from app.surveys.invitations import create_invitation

    slug = make_event(capacity="1", language="en")
    token = register_someone(app, client, slug)
    waiting_token = register_someone(app, client, slug, first="Wanda", last="Waiting", email="wanda@example.org",
                                     answer="x", organisation="Other Org", phone="")
    with app.app_context():
        event = get_by_slug(slug)
        registration = registrations.get_by_token(token)
        local = event.local(event.starts_at).replace(tzinfo=None)
        session, _warnings = agenda.save_session(event, None, agenda.SessionChanges(
            title="Workshop", kind="workshop", starts_at=local + timedelta(hours=1), ends_at=local + timedelta(hours=2), capacity=5))
        agenda_signups.sign_up(registration, session)
        checkin.admit(event, registration, by=None, now=event.starts_at + timedelta(hours=1))  # on an event day
        survey = surveys.save_survey(event, title="Feedback", opens_at=utcnow() - timedelta(days=1),
                                     closes_at=utcnow() + timedelta(days=10), audience="confirmed")
        question = surveys.save_question(survey, None, surveys.QuestionChanges(kind="short_text", label="One word"))
        _invitation, survey_token = create_invitation(survey, registration)
        registration_messages.send_message(event, "all_active", "Practical details",
                                           f"Dear all, see you soon. {FIRST} {LAST}, bring slides.")
        # One message already went out: its record stays, without its content.
        first_message = _db.session.execute(
            sa.select(OutboxMessage).filter_by(registration_id=registration.id).order_by(OutboxMessage.id).limit(1)
        ).scalar_one()
        first_message.status, first_message.sent_at = OutboxStatus.SENT, utcnow()
        _db.session.commit()
        question_field = f"q{question.id}"
        _db.session.remove()
    response = client.post(f"/s/{survey_token}", data={question_field: "Inspiring", "action": "submit"})
    assert response.status_code == 302, response.get_data(as_text=True)
    return {"slug": slug, "token": token, "waiting_token": waiting_token, "survey_token": survey_token}


def every_row_text(app) -> str:
    with app.app_context():
        parts = []
        with _db.engine.connect() as connection:
            for table in _db.metadata.sorted_tables:
                for row in connection.execute(sa.select(table)):
                    parts.append(f"{table.name}: {tuple(row)!r}")
        return "\n".join(parts)


def exports_text(client, slug) -> dict[str, str]:
    texts = {}
    for name in ("registrations.csv", "attendance.csv", "survey/results.csv", "audit.csv", "registrations",
                 "attendance", "emails", "badges", "privacy", "audit", "checkin/search?q=Qui", "survey/invitations", ""):
        response = client.get(f"/manage/events/{slug}/{name}")
        assert response.status_code == 200, name
        texts[name] = response.get_data(as_text=True)
    workbook = load_workbook(io.BytesIO(client.get(f"/manage/events/{slug}/registrations.xlsx").data))
    texts["registrations.xlsx"] = "\n".join(
        " ".join(str(cell) for cell in row if cell is not None) for sheet in workbook for row in sheet.iter_rows(values_only=True)
    )
    for pdf in ("badges.pdf", "attendance.pdf"):
        reader = PdfReader(io.BytesIO(client.get(f"/manage/events/{slug}/{pdf}").data))
        texts[pdf] = "\n".join(page.extract_text() for page in reader.pages)
    return texts


def traces_in(text: str) -> list[str]:
    return [trace for trace in TRACES if trace.lower() in text.lower()]


def test_erasure_leaves_no_trace_in_any_table_or_export(app, client, full_history, login):
    slug, token = full_history["slug"], full_history["token"]
    assert traces_in(every_row_text(app))  # the search finds the person before erasure
    page = client.get(f"/r/{token}/delete")
    assert page.status_code == 200 and "cannot be undone" in page.get_data(as_text=True)

    refused = client.post(f"/r/{token}/delete", data={})
    assert refused.status_code == 422  # the box must be ticked
    assert client.get(f"/r/{token}").status_code == 200

    done = client.post(f"/r/{token}/delete", data={"confirm": "y"})
    assert done.status_code == 200
    assert "Your data is deleted" in done.get_data(as_text=True)

    for path in ("", "/data.json", "/badge.pdf", "/calendar.ics", "/edit"):
        assert client.get(f"/r/{token}{path}").status_code == 404
    assert client.get(f"/s/{full_history['survey_token']}").status_code in (200, 404)

    database = every_row_text(app)
    left = [line for line in database.splitlines() if traces_in(line)]
    assert left == [], "\n".join(left)

    login()
    for name, text in exports_text(client, slug).items():
        assert traces_in(text) == [], name


def test_erasure_frees_the_seat_for_the_waiting_list_and_keeps_the_numbers(app, client, full_history, login):
    from app.checkin.models import CheckIn
    from app.events.services import get_by_slug
    from app.mail.models import OutboxMessage
    from app.registration import services as registrations
    from app.surveys.models import SurveyResponse

    assert client.post(f"/r/{full_history['token']}/delete", data={"confirm": "y"}).status_code == 200
    with app.app_context():
        event = get_by_slug(full_history["slug"])
        counts = registrations.counts_by_status(event)
        assert counts["cancelled"] == 1 and counts["confirmed"] == 1 and counts["waitlisted"] == 0
        promoted = registrations.get_by_token(full_history["waiting_token"])
        assert promoted.status == "confirmed"
        assert _db.session.execute(sa.select(OutboxMessage).filter_by(registration_id=promoted.id, kind="promoted")).first()
        assert _db.session.execute(sa.select(sa.func.count(CheckIn.id))).scalar_one() == 1  # attendance totals stay
        assert _db.session.execute(sa.select(sa.func.count(SurveyResponse.id))).scalar_one() == 1  # the answer stays
        erased = _db.session.execute(sa.select(registrations.Registration).where(
            registrations.Registration.erased_at.is_not(None))).scalar_one()
        assert erased.badge_secret is None and erased.answers == [] and erased.consent_privacy_at is None


def test_organiser_deletes_the_personal_data_of_an_event_once_it_is_over(app, client, full_history, login):
    from app.core.models import utcnow
    from app.events.services import get_by_slug

    slug = full_history["slug"]
    login()
    page = client.get(f"/manage/events/{slug}/privacy")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert EMAIL in text and "Consent records" in text  # consent records shown to the organiser
    assert "Delete personal data of this event" not in text  # not before the event is over
    assert client.post(f"/manage/events/{slug}/privacy", data={"confirm": "y"}).status_code == 422
    assert EMAIL in every_row_text(app)

    with app.app_context():
        event = get_by_slug(slug)
        event.starts_at, event.ends_at = utcnow() - timedelta(days=3), utcnow() - timedelta(days=2)
        _db.session.commit()
    assert "Delete personal data of this event" in client.get(f"/manage/events/{slug}/privacy").get_data(as_text=True)
    assert client.post(f"/manage/events/{slug}/privacy", data={}).status_code == 422
    response = client.post(f"/manage/events/{slug}/privacy", data={"confirm": "y"}, follow_redirects=True)
    assert response.status_code == 200
    assert [line for line in every_row_text(app).splitlines() if traces_in(line) or "wanda@example.org" in line] == []
    assert "event.erase_personal_data" in client.get(f"/manage/events/{slug}/audit").get_data(as_text=True)


def test_privacy_purge_applies_each_events_retention_period(app, runner, client, make_event):
    from app.core.models import utcnow
    from app.events.services import get_by_slug

    kept_forever = make_event(title="No retention", language="en")
    expired = make_event(title="Expired", retention_days="30", language="en")
    recent = make_event(title="Recent", retention_days="30", language="en")
    for slug, email in ((kept_forever, "a@example.org"), (expired, "b@example.org"), (recent, "c@example.org")):
        register_someone(app, client, slug, email=email)
    with app.app_context():
        for slug, days_ago in ((kept_forever, 400), (expired, 40), (recent, 10)):
            event = get_by_slug(slug)
            event.starts_at, event.ends_at = utcnow() - timedelta(days=days_ago + 1), utcnow() - timedelta(days=days_ago)
        _db.session.commit()

    result = runner.invoke(args=["privacy", "purge"])
    assert result.exit_code == 0, result.output
    assert "Erased 1 registrations in 1 events." in result.output
    rows = every_row_text(app)
    assert "b@example.org" not in rows and "a@example.org" in rows and "c@example.org" in rows

    result = runner.invoke(args=["privacy", "purge", "--older-than", "5"])
    assert result.exit_code == 0, result.output
    rows = every_row_text(app)
    assert "a@example.org" not in rows and "c@example.org" not in rows


def test_public_pages_show_no_participant(app, client, full_history):
    slug = full_history["slug"]
    for path in (f"/events/{slug}/", f"/events/{slug}/agenda", f"/events/{slug}/speakers/", f"/events/{slug}/schedule.json",
                 f"/events/{slug}/schedule.xml", f"/events/{slug}/calendar.ics", "/"):
        assert traces_in(client.get(path).get_data(as_text=True)) == [], path


def test_data_export_holds_what_we_keep(client, full_history):
    data = client.get(f"/r/{full_history['token']}/data.json").get_json()
    assert data["registration"]["email"] == EMAIL
    assert data["answers"] and data["consents"]["privacy_notice"]["agreed_at"]
