"""Answering from the personal link: every kind of question, drafts, validation, one answer only."""

from datetime import timedelta

from app.extensions import db as _db
from tests.surveys.conftest import full_answers


def first_token(setup):
    return setup.tokens[setup.registrations[0]]


def test_link_opens_survey_with_every_kind_in_event_language(client, survey_setup):
    setup = survey_setup(language="hu")
    response = client.get(f"/s/{first_token(setup)}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<html lang="hu">' in page
    assert "Tell us how it went" in page and "<strong>you</strong>" in page
    for label in ("How useful was the masterclass?", "How likely are you to recommend it?", "Which day was better?",
                  "What did you value?", "Will you come next year?", "One word for the event", "What should we improve?",
                  "Rate the sessions you attended"):
        assert label in page
    # Sections become headings; NPS offers 0 to 10; the grid lists sessions, not the break.
    assert "Overall" in page and "Programme" in page
    assert f'name="{setup.q("nps")}" type="radio" value="0"' in page and f'name="{setup.q("nps")}" type="radio" value="10"' in page
    assert "Opening talk" in page and "Workshop: =cluster impact" in page
    assert "Coffee break" not in page
    assert "<script" not in page  # works without JavaScript


def test_submit_then_try_twice(client, survey_setup):
    setup = survey_setup()
    token = first_token(setup)
    response = client.post(f"/s/{token}", data=full_answers(setup))
    assert response.status_code == 302
    page = client.get(f"/s/{token}").get_data(as_text=True)
    assert "Thank you" in page or "Köszön" in page
    again = client.post(f"/s/{token}", data=full_answers(setup))
    assert again.status_code == 409
    assert '<form method="post" action="/s/' not in again.get_data(as_text=True)
    with client.application.app_context():
        from app.surveys.models import SurveyResponse

        assert _db.session.execute(_db.select(_db.func.count(SurveyResponse.id))).scalar_one() == 1


def test_required_questions_get_messages_beside_fields(client, survey_setup):
    setup = survey_setup(language="en")
    data = full_answers(setup, **{setup.q("rating"): None, setup.q("nps"): None, setup.q("yes_no"): None})
    response = client.post(f"/s/{first_token(setup)}", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    for kind in ("rating", "nps", "yes_no"):
        assert f'id="{setup.q(kind)}-error">Please answer this question.' in page
    # What was answered is still there.
    assert 'value="Inspiring"' in page
    assert 'class="error-summary"' in page


def invalid_case(client, setup, field, value, message):
    response = client.post(f"/s/{first_token(setup)}", data=full_answers(setup, **{field: value}))
    page = response.get_data(as_text=True)
    assert response.status_code == 422, page
    assert f'id="{field}-error">{message}' in page, page


def test_every_kind_is_validated(client, survey_setup):
    setup = survey_setup(language="en")
    invalid_case(client, setup, setup.q("rating"), "6", "Choose a number from 1 to 5.")
    invalid_case(client, setup, setup.q("rating"), "lots", "Choose a number from 1 to 5.")
    invalid_case(client, setup, setup.q("nps"), "11", "Choose a number from 0 to 10.")
    invalid_case(client, setup, setup.q("nps"), "-1", "Choose a number from 0 to 10.")
    invalid_case(client, setup, setup.q("single_choice"), "Day three", "Choose one of the options.")
    invalid_case(client, setup, setup.q("multiple_choice"), ["Experts", "Networking", "Venue", "Food"], "Choose at most 3.")
    invalid_case(client, setup, setup.q("multiple_choice"), ["Experts", "Spa"], "Choose from the options given.")
    invalid_case(client, setup, setup.q("yes_no"), "maybe", "Choose yes or no.")
    invalid_case(client, setup, setup.q("short_text"), "x" * 501, "Field cannot be longer than 500 characters.")
    invalid_case(client, setup, setup.q("long_text"), "x" * 5001, "Field cannot be longer than 5000 characters.")
    grid = setup.q("session_grid")
    for bad in ("0", "9"):
        response = client.post(f"/s/{first_token(setup)}", data=full_answers(setup, **{f"{grid}_s{setup.sessions[0]}": bad}))
        assert response.status_code == 422
        assert f'id="{grid}-error">Choose a number from 1 to 5.' in response.get_data(as_text=True)
    # A session the respondent was not offered (the break) cannot be rated.
    response = client.post(f"/s/{first_token(setup)}", data=full_answers(setup, **{f"{grid}_s{setup.break_id}": "5"}))
    assert response.status_code == 302  # not a field of the form: ignored, the rest is accepted


def test_minimum_picks_is_enforced_when_answered(client, survey_setup):
    setup = survey_setup(language="en")
    invalid_case(client, setup, setup.q("multiple_choice"), ["Venue"], "Choose at least 2.")
    # The question is optional: no pick at all is accepted.
    response = client.post(f"/s/{first_token(setup)}", data=full_answers(setup, **{setup.q("multiple_choice"): None}))
    assert response.status_code == 302


def test_save_and_come_back(client, survey_setup):
    setup = survey_setup(language="en")
    token = first_token(setup)
    partial = {setup.q("rating"): "2", setup.q("long_text"): "Half-way thoughts", setup.q("multiple_choice"): ["Venue"],
               f"{setup.q('session_grid')}_s{setup.sessions[1]}": "3", "action": "save"}
    response = client.post(f"/s/{token}", data=partial)
    assert response.status_code == 302
    page = client.get(f"/s/{token}").get_data(as_text=True)
    assert "Your answers are saved" in page
    assert "Half-way thoughts" in page
    assert _checked(page, setup.q("rating"), "2")
    assert _checked(page, setup.q("multiple_choice"), "Venue")
    assert _checked(page, f"{setup.q('session_grid')}_s{setup.sessions[1]}", "3")
    # Nothing is counted until it is sent.
    with client.application.app_context():
        from app.surveys.models import SurveyResponse

        assert _db.session.execute(_db.select(_db.func.count(SurveyResponse.id))).scalar_one() == 0
    assert client.post(f"/s/{token}", data=full_answers(setup)).status_code == 302


def _checked(page: str, name: str, value: str) -> bool:
    import re

    for tag in re.findall(r"<input[^>]*>", page):
        if f'name="{name}"' in tag and f'value="{value}"' in tag:
            return "checked" in tag
    raise AssertionError(f"no input {name}={value}")


def test_closed_and_not_yet_open_and_unknown(client, app, survey_setup):
    setup = survey_setup(language="en")
    token = first_token(setup)
    from app.core.models import utcnow
    from app.surveys.models import Survey

    with app.app_context():
        survey = _db.session.get(Survey, setup.survey_id)
        survey.closes_at = utcnow() - timedelta(minutes=1)
        _db.session.commit()
    page = client.get(f"/s/{token}").get_data(as_text=True)
    assert "This survey has closed" in page and "<form method=\"post\" action=\"/s/" not in page
    response = client.post(f"/s/{token}", data=full_answers(setup))
    assert response.status_code == 200 and "This survey has closed" in response.get_data(as_text=True)
    with app.app_context():
        survey = _db.session.get(Survey, setup.survey_id)
        survey.opens_at = utcnow() + timedelta(days=1)
        survey.closes_at = utcnow() + timedelta(days=3)
        _db.session.commit()
    assert "This survey is not open yet" in client.get(f"/s/{token}").get_data(as_text=True)
    response = client.get("/s/not-a-real-token")
    assert response.status_code == 404 and "This link is not valid" in response.get_data(as_text=True)


def test_grid_offers_attended_or_signed_up_sessions(client, app, survey_setup):
    setup = survey_setup(language="en")
    from app.agenda.models import AgendaSession, SessionSignup
    from app.checkin.models import CheckIn
    from app.events.models import Event

    with app.app_context():
        talk = _db.session.get(AgendaSession, setup.sessions[0])
        workshop = _db.session.get(AgendaSession, setup.sessions[1])
        event = _db.session.get(Event, talk.event_id)
        # The workshop moves to the next day; participant 0 checked in on day one only,
        # participant 1 signed up for the workshop only.
        workshop.starts_at += timedelta(days=1)
        workshop.ends_at += timedelta(days=1)
        _db.session.add(CheckIn(event_id=event.id, registration_id=setup.registrations[0],
                                day=talk.starts_at.astimezone(event.tz).date()))
        _db.session.add(SessionSignup(session_id=workshop.id, registration_id=setup.registrations[1]))
        _db.session.commit()
    first = client.get(f"/s/{setup.tokens[setup.registrations[0]]}").get_data(as_text=True)
    assert "Opening talk" in first and "Workshop: =cluster impact" not in first
    second = client.get(f"/s/{setup.tokens[setup.registrations[1]]}").get_data(as_text=True)
    assert "Workshop: =cluster impact" in second and "Opening talk" not in second
    third = client.get(f"/s/{setup.tokens[setup.registrations[2]]}").get_data(as_text=True)
    assert "Workshop: =cluster impact" in third and "Opening talk" in third  # nothing known: all sessions
