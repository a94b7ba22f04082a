"""Building a survey: its settings, its questions and their order, and copying it to a cloned event.

With ``invitations``, ``answering`` and ``results`` this is the only code that writes the survey tables.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.core.domain import FieldErrors
from app.events.models import Event
from app.extensions import db
from app.surveys.errors import SurveyError
from app.surveys.models import (
    CHOICE_KINDS,
    Survey,
    SurveyAnswer,
    SurveyAudience,
    SurveyInvitation,
    SurveyQuestion,
    SurveyQuestionKind,
)

Kind = SurveyQuestionKind
DEFAULT_OPEN_DAYS = 14
COPIED_QUESTION_FIELDS = ("kind", "label", "help_text", "section", "required", "position", "choices", "min_picks",
                          "max_picks")


def get_survey(event: Event) -> Survey | None:
    return db.session.execute(db.select(Survey).filter_by(event_id=event.id)).scalar_one_or_none()


def default_window(event: Event) -> tuple[datetime, datetime]:
    """A survey opens when the event ends and closes 14 days later."""
    return event.ends_at, event.ends_at + timedelta(days=DEFAULT_OPEN_DAYS)


def new_survey(event: Event) -> Survey:
    """An unsaved survey with the defaults, for the builder's first form."""
    opens, closes = default_window(event)
    return Survey(
        event_id=event.id, title=_("Your feedback on %(title)s", title=event.title), introduction="",
        opens_at=opens, closes_at=closes, anonymous=False, audience=SurveyAudience.CHECKED_IN,
    )


def has_invitations(survey: Survey) -> bool:
    if survey.id is None:
        return False
    return db.session.execute(
        db.select(SurveyInvitation.id).filter_by(survey_id=survey.id).limit(1)
    ).first() is not None


def save_survey(
    event: Event,
    *,
    title: str,
    introduction: str = "",
    opens_at: datetime | None = None,
    closes_at: datetime | None = None,
    anonymous: bool = False,
    audience: str = SurveyAudience.CHECKED_IN,
) -> Survey:
    """Create or update the event's survey. Raises ``FieldErrors`` naming each refused field."""
    survey = get_survey(event)
    default_opens, _default_closes = default_window(event)
    opens_at = opens_at or default_opens
    closes_at = closes_at or (opens_at + timedelta(days=DEFAULT_OPEN_DAYS))
    errors = []
    if not title.strip():
        errors.append(SurveyError(_l("Give the survey a title."), "title"))
    if closes_at <= opens_at:
        errors.append(SurveyError(_l("The survey must close after it opens."), "closes_at"))
    if not SurveyAudience.has(audience):
        errors.append(SurveyError(_l("Choose who is invited."), "audience"))
    if survey is not None and survey.anonymous != anonymous and has_invitations(survey):
        errors.append(SurveyError(
            _l("Invitations have been sent, so whether answers are anonymous can no longer change."), "anonymous"
        ))
    FieldErrors.raise_if_any(errors)
    if survey is None:
        survey = Survey(event_id=event.id)
        db.session.add(survey)
    survey.title = title.strip()
    survey.introduction = introduction.strip()
    survey.opens_at = opens_at
    survey.closes_at = closes_at
    survey.anonymous = anonymous
    survey.audience = SurveyAudience(audience)
    db.session.flush()
    return survey


# Questions ------------------------------------------------------------------------------------


@dataclass
class QuestionChanges:
    kind: str
    label: str
    help_text: str = ""
    section: str = ""
    required: bool = False
    choices: list[str] = field(default_factory=list)
    min_picks: int | None = None
    max_picks: int | None = None


def clean_choices(choices) -> list[str]:
    """The choices as typed, trimmed, without empty lines or repeats, in their order."""
    seen, cleaned = set(), []
    for choice in choices or []:
        text = str(choice).strip()
        if text and text not in seen:
            seen.add(text)
            cleaned.append(text)
    return cleaned


def has_answers(question: SurveyQuestion) -> bool:
    return db.session.execute(
        db.select(SurveyAnswer.id).filter_by(question_id=question.id).limit(1)
    ).first() is not None


def _pick_limit_errors(choices: list[str], min_picks: int | None, max_picks: int | None) -> list[SurveyError]:
    """What is wrong with a multiple choice question's minimum and maximum number of picks."""
    errors = []
    if min_picks is not None and min_picks < 0:
        errors.append(SurveyError(_l("The minimum cannot be negative."), "min_picks"))
    if max_picks is not None and max_picks < 1:
        errors.append(SurveyError(_l("The maximum must be at least 1."), "max_picks"))
    if max_picks is not None and choices and max_picks > len(choices):
        errors.append(SurveyError(_l("The maximum cannot be more than the number of choices."), "max_picks"))
    if min_picks is not None and choices and min_picks > len(choices):
        errors.append(SurveyError(_l("The minimum cannot be more than the number of choices."), "min_picks"))
    if min_picks is not None and max_picks is not None and min_picks > max_picks:
        errors.append(SurveyError(_l("The minimum cannot be more than the maximum."), "min_picks"))
    return errors


def save_question(survey: Survey, question: SurveyQuestion | None, changes: QuestionChanges) -> SurveyQuestion:
    """Add a question at the end, or change one. Raises ``FieldErrors`` naming each refused field."""
    errors = []
    choices = clean_choices(changes.choices) if changes.kind in CHOICE_KINDS else []
    multiple = changes.kind == Kind.MULTIPLE_CHOICE
    min_picks = changes.min_picks if multiple else None
    max_picks = changes.max_picks if multiple else None
    if not Kind.has(changes.kind):
        errors.append(SurveyError(_l("Choose a kind of question."), "kind"))
    if not changes.label.strip():
        errors.append(SurveyError(_l("Write the question."), "label"))
    if changes.kind in CHOICE_KINDS and len(choices) < 2:
        errors.append(SurveyError(_l("Give at least two different choices, one per line."), "choices"))
    errors += _pick_limit_errors(choices, min_picks, max_picks)
    if question is not None and question.kind != changes.kind and has_answers(question):
        errors.append(SurveyError(_l("This question has answers, so its kind can no longer change."), "kind"))
    FieldErrors.raise_if_any(errors)
    if question is None:
        last = db.session.execute(
            db.select(sa.func.max(SurveyQuestion.position)).filter_by(survey_id=survey.id)
        ).scalar_one()
        question = SurveyQuestion(survey_id=survey.id, position=(last or 0) + 1)
        db.session.add(question)
    question.kind = Kind(changes.kind)
    question.label = changes.label.strip()
    question.help_text = changes.help_text.strip()
    question.section = changes.section.strip()
    question.required = changes.required
    question.choices = choices
    question.min_picks = min_picks or None
    question.max_picks = max_picks
    db.session.flush()
    db.session.expire(survey, ["questions"])
    return question


def get_question(survey: Survey, question_id: int) -> SurveyQuestion | None:
    question = db.session.get(SurveyQuestion, question_id)
    return question if question is not None and question.survey_id == survey.id else None


def delete_question(question: SurveyQuestion) -> None:
    """Delete a question nobody has answered; one with answers is refused, so no answer is lost."""
    if has_answers(question):
        raise SurveyError(_l("This question has answers; it cannot be deleted without losing them."))
    survey_id = question.survey_id
    db.session.delete(question)
    db.session.flush()
    _renumber(survey_id)


def _renumber(survey_id: int) -> list[SurveyQuestion]:
    questions = list(db.session.execute(
        db.select(SurveyQuestion).filter_by(survey_id=survey_id).order_by(SurveyQuestion.position, SurveyQuestion.id)
    ).scalars())
    for position, question in enumerate(questions, start=1):
        question.position = position
    db.session.flush()
    return questions


def move_question(question: SurveyQuestion, direction: int) -> None:
    """Move a question one place up (-1) or down (+1)."""
    questions = _renumber(question.survey_id)
    index = questions.index(question)
    other = index + (1 if direction > 0 else -1)
    if 0 <= other < len(questions):
        questions[index].position, questions[other].position = questions[other].position, questions[index].position
    db.session.flush()
    survey = db.session.get(Survey, question.survey_id)
    db.session.expire(survey, ["questions"])


def copy_survey(source: Event, target: Event, shift: timedelta) -> None:
    """Copy the survey of ``source`` (settings and questions, not invitations or answers) into ``target``."""
    survey = get_survey(source)
    if survey is None:
        return
    copy = Survey(
        event_id=target.id, title=survey.title, introduction=survey.introduction, anonymous=survey.anonymous,
        audience=survey.audience,
        opens_at=survey.opens_at + shift if survey.opens_at else None,
        closes_at=survey.closes_at + shift if survey.closes_at else None,
    )
    copy.questions = [
        SurveyQuestion(**{name: getattr(question, name) for name in COPIED_QUESTION_FIELDS})
        for question in survey.questions
    ]
    db.session.add(copy)
    db.session.flush()
