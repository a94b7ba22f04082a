"""The survey rules refuse with one error family: a ``DomainError``, several field errors as one ``FieldErrors``."""

from datetime import timedelta

import pytest

from app.core.domain import DomainError, FieldErrors, errors_of
from app.core.models import utcnow
from app.events import services as events
from app.extensions import db as _db
from app.surveys import answering, builder, invitations
from app.surveys.errors import AlreadyAnswered, SurveyClosed, SurveyError
from app.surveys.models import Survey, SurveyInvitation, SurveyResponse, SurveyWindow


def fields_of(error: DomainError) -> list:
    return [single.field for single in errors_of(error)]


def test_survey_settings_refused_together_field_by_field(app, survey_setup):
    setup = survey_setup(kinds=[], invite=False)
    with app.app_context():
        event = events.get_by_slug(setup.slug)
        now = utcnow()
        with pytest.raises(FieldErrors) as refused:
            builder.save_survey(event, title="  ", opens_at=now, closes_at=now - timedelta(hours=1), audience="everyone")
        assert fields_of(refused.value) == ["title", "closes_at", "audience"]
        assert isinstance(refused.value, DomainError)
        _db.session.rollback()
        assert _db.session.get(Survey, setup.survey_id).title == "Tell us how it went"
        _db.session.remove()


def test_question_refused_with_every_problem_at_once(app, survey_setup):
    setup = survey_setup(kinds=[], invite=False)
    with app.app_context():
        survey = _db.session.get(Survey, setup.survey_id)
        changes = builder.QuestionChanges(kind="multiple_choice", label="", choices=["A", " A ", "B"],
                                          min_picks=3, max_picks=2)
        with pytest.raises(FieldErrors) as refused:
            builder.save_question(survey, None, changes)
        assert fields_of(refused.value) == ["label", "min_picks", "min_picks"]
        assert [str(error.message) for error in errors_of(refused.value)][1:] == [
            "The minimum cannot be more than the number of choices.", "The minimum cannot be more than the maximum.",
        ]
        _db.session.remove()


def test_clean_choices_trims_and_drops_blanks_and_repeats():
    assert builder.clean_choices([" Day one", "", "Day two ", "Day one", "  "]) == ["Day one", "Day two"]


def test_several_refused_answers_travel_together_and_nothing_is_recorded(app, survey_setup):
    setup = survey_setup()
    with app.app_context():
        invitation = invitations.invitation_by_token(setup.tokens[setup.registrations[0]])
        answers = {str(setup.questions["rating"]): 9, str(setup.questions["yes_no"]): "perhaps"}
        with pytest.raises(FieldErrors) as refused:
            answering.submit(invitation, answers)
        assert {setup.q("rating"), setup.q("nps"), setup.q("yes_no")} <= set(fields_of(refused.value))
        _db.session.rollback()
        assert _db.session.execute(_db.select(_db.func.count(SurveyResponse.id))).scalar_one() == 0
        _db.session.remove()


def test_a_draft_keeps_the_answers_that_pass_and_names_the_others(app, survey_setup):
    setup = survey_setup()
    with app.app_context():
        invitation = invitations.invitation_by_token(setup.tokens[setup.registrations[0]])
        problems = answering.save_draft(invitation, {str(setup.questions["rating"]): 4, str(setup.questions["nps"]): 42})
        assert fields_of(FieldErrors(problems)) == [setup.q("nps")]
        _db.session.commit()
        assert _db.session.get(SurveyInvitation, invitation.id).draft == {str(setup.questions["rating"]): 4}
        _db.session.remove()


def test_answering_outside_the_window_or_twice_is_refused(app, survey_setup):
    setup = survey_setup()
    with app.app_context():
        invitation = invitations.invitation_by_token(setup.tokens[setup.registrations[0]])
        survey = invitation.survey
        with pytest.raises(SurveyClosed):
            answering.save_draft(invitation, {}, now=survey.closes_at)
        invitation.submitted_at = utcnow()
        with pytest.raises(AlreadyAnswered):
            answering.submit(invitation, {})
        _db.session.rollback()
        _db.session.remove()


def test_sending_needs_questions_and_an_unclosed_survey(app, survey_setup):
    setup = survey_setup(kinds=[], invite=False)
    with app.app_context():
        survey = _db.session.get(Survey, setup.survey_id)
        with pytest.raises(SurveyError, match="Add at least one question"):
            invitations.send_invitations(survey)
        _db.session.rollback()
        _db.session.remove()


def test_the_window_of_a_survey():
    now = utcnow()
    survey = Survey(opens_at=now, closes_at=now + timedelta(days=1))
    assert survey.window(now - timedelta(seconds=1)) is SurveyWindow.NOT_YET_OPEN
    assert survey.window(now) is SurveyWindow.OPEN and survey.is_open(now)
    assert survey.window(now + timedelta(days=1)) is SurveyWindow.CLOSED and survey.has_closed(now + timedelta(days=1))
    assert Survey(opens_at=None, closes_at=None).window(now) is SurveyWindow.OPEN


def test_organiser_pages_share_the_layout_and_the_printout_stands_alone(client, survey_setup, login):
    setup = survey_setup(language="en")
    login()
    base = f"/manage/events/{setup.slug}/survey"
    for path in (base, f"{base}/invitations", f"{base}/results", f"{base}/questions/new"):
        page = client.get(path).get_data(as_text=True)
        assert f'<a href="/manage/events/{setup.slug}/">' in page, path  # the breadcrumb's way back to the event
        assert 'class="page-head"' in page and "Event management" in page, path
    printout = client.get(f"{base}/results/print").get_data(as_text=True)
    assert "Feedback summary: Tell us how it went" in printout and "Event management" not in printout
