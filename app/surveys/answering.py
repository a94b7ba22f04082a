"""Answering a survey: which sessions a respondent rates, checking answers, drafts and the one response.

An anonymous response is stored with no link to its invitation and only the day it came; the
invitation's ``submitted_at`` still stops a second answer.
"""

from __future__ import annotations

from datetime import UTC, datetime, time

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.agenda.models import AgendaSession, SessionKind, SessionSignup
from app.checkin.models import CheckIn
from app.core.database import lock_row
from app.core.domain import FieldErrors
from app.core.models import utcnow
from app.extensions import db
from app.surveys.errors import AlreadyAnswered, SurveyClosed, SurveyError
from app.surveys.models import (
    MAX_LONG_TEXT,
    MAX_SHORT_TEXT,
    STARS,
    Survey,
    SurveyAnswer,
    SurveyInvitation,
    SurveyQuestion,
    SurveyQuestionKind,
    SurveyResponse,
)

Kind = SurveyQuestionKind


def sessions_to_rate(survey: Survey, invitation: SurveyInvitation | None) -> list[AgendaSession]:
    """The sessions the respondent attended (a checked-in day) or signed up for.

    When neither is known (no check-ins, no sign-ups, or a preview), every session of the
    event that is not a break is offered.
    """
    sessions = list(db.session.execute(
        db.select(AgendaSession)
        .where(AgendaSession.event_id == survey.event_id, AgendaSession.kind != SessionKind.BREAK,
               AgendaSession.cancelled.is_(False))
        .order_by(AgendaSession.starts_at, AgendaSession.title, AgendaSession.id)
    ).scalars())
    registration_id = invitation.registration_id if invitation is not None else None
    if registration_id is None:
        return sessions
    days = set(db.session.execute(db.select(CheckIn.day).filter_by(registration_id=registration_id)).scalars())
    signed_up = set(db.session.execute(
        db.select(SessionSignup.session_id).filter_by(registration_id=registration_id)
    ).scalars())
    tz = survey.event.tz

    def attended(session: AgendaSession) -> bool:
        first, last = session.starts_at.astimezone(tz).date(), session.ends_at.astimezone(tz).date()
        return any(first <= day <= last for day in days)

    chosen = [session for session in sessions if session.id in signed_up or attended(session)]
    return chosen or sessions


def _int_or_none(value):
    if value is None or value == "":
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return value  # left as it is, so the check below reports it


def normalise(question: SurveyQuestion, raw):
    """A raw value from a form or a draft as the service stores it; empty values become None."""
    if question.scale is not None:
        return _int_or_none(raw)
    if question.kind == Kind.YES_NO:
        if raw in (True, "yes", "true", "1"):
            return True
        if raw in (False, "no", "false", "0"):
            return False
        return None if raw in (None, "") else raw
    if question.kind == Kind.MULTIPLE_CHOICE:
        values = raw if isinstance(raw, list | tuple) else ([] if raw in (None, "") else [raw])
        return [str(value) for value in values if str(value)] or None
    if question.kind == Kind.SESSION_GRID:
        if not isinstance(raw, dict):
            return None
        ratings = {str(key): _int_or_none(value) for key, value in raw.items()}
        return {key: value for key, value in ratings.items() if value is not None} or None
    if raw is None:
        return None
    text = str(raw).strip()
    return text or None


def _out_of_scale(scale: range) -> str:
    return _("Choose a number from %(low)d to %(high)d.", low=scale.start, high=scale.stop - 1)


def _missing(question: SurveyQuestion, session_ids: set[int]) -> str | None:
    """The problem with leaving a question empty when the answers are sent."""
    if not question.required:
        return None
    if question.kind == Kind.SESSION_GRID:
        return _("Rate at least one session.") if session_ids else None
    if question.kind == Kind.MULTIPLE_CHOICE and question.min_picks:
        return _("Choose at least %(count)d.", count=question.min_picks)
    return _("Please answer this question.")


def check_answer(question: SurveyQuestion, value, session_ids: set[int], *, complete: bool) -> str | None:
    """The problem with one answer, or None. ``complete`` also enforces required questions."""
    if value is None:
        return _missing(question, session_ids) if complete else None
    kind = question.kind
    if question.scale is not None:
        if not isinstance(value, int) or value not in question.scale:
            return _out_of_scale(question.scale)
    elif kind == Kind.YES_NO:
        if not isinstance(value, bool):
            return _("Choose yes or no.")
    elif kind == Kind.SINGLE_CHOICE:
        if value not in question.choices:
            return _("Choose one of the options.")
    elif kind == Kind.MULTIPLE_CHOICE:
        if any(item not in question.choices for item in value) or len(set(value)) != len(value):
            return _("Choose from the options given.")
        if question.max_picks and len(value) > question.max_picks:
            return _("Choose at most %(count)d.", count=question.max_picks)
        if complete and question.min_picks and len(value) < question.min_picks:
            return _("Choose at least %(count)d.", count=question.min_picks)
    elif kind == Kind.SESSION_GRID:
        for key, rating in value.items():
            if not key.isdigit() or int(key) not in session_ids:
                return _("Rate only the sessions listed.")
            if not isinstance(rating, int) or rating not in STARS:
                return _out_of_scale(STARS)
    elif question.is_text:
        limit = MAX_SHORT_TEXT if kind == Kind.SHORT_TEXT else MAX_LONG_TEXT
        if not isinstance(value, str):
            return _("Please answer this question.")
        if len(value) > limit:
            return _("Please keep this under %(count)d characters.", count=limit)
    return None


def check_answers(survey: Survey, answers: dict, sessions: list[AgendaSession], *, complete: bool) -> tuple[dict, list[SurveyError]]:
    """Normalise answers keyed by question id (str) and check each; each problem names its form field."""
    session_ids = {session.id for session in sessions}
    cleaned, problems = {}, []
    for question in survey.questions:
        value = normalise(question, answers.get(str(question.id)))
        problem = check_answer(question, value, session_ids, complete=complete)
        if problem:
            problems.append(SurveyError(problem, question.field_name))
        if value is not None:
            cleaned[str(question.id)] = value
    return cleaned, problems


def _require_answerable(survey: Survey, invitation: SurveyInvitation, now: datetime) -> None:
    if invitation.submitted_at is not None:
        raise AlreadyAnswered(_l("You have already answered this survey. Thank you!"))
    if not survey.is_open(now):
        raise SurveyClosed(_l("This survey is not open for answers."))


def save_draft(invitation: SurveyInvitation, answers: dict, now: datetime | None = None) -> list[SurveyError]:
    """Keep what the respondent has typed so far; required questions may still be empty.

    The answers that pass are saved, the others are not: the problems with those are
    returned (not raised), since the draft itself is saved. Raises ``AlreadyAnswered`` or
    ``SurveyClosed`` when nothing may be saved at all.
    """
    now = now or utcnow()
    invitation = lock_row(SurveyInvitation, invitation.id)
    survey = invitation.survey
    _require_answerable(survey, invitation, now)
    cleaned, problems = check_answers(survey, answers, sessions_to_rate(survey, invitation), complete=False)
    refused = {problem.field for problem in problems}
    invitation.draft = {key: value for key, value in cleaned.items() if f"q{key}" not in refused}
    db.session.flush()
    return problems


def submit(invitation: SurveyInvitation, answers: dict, now: datetime | None = None) -> SurveyResponse:
    """Record the response. One per invitation, also under concurrent submissions.

    The invitation row is locked and read again before ``submitted_at`` is checked, so of
    two simultaneous submissions the second waits and then finds the first one's mark.
    Raises ``AlreadyAnswered``, ``SurveyClosed`` or ``FieldErrors`` naming each refused answer.
    """
    now = now or utcnow()
    invitation = lock_row(SurveyInvitation, invitation.id)
    survey = invitation.survey
    _require_answerable(survey, invitation, now)
    cleaned, problems = check_answers(survey, answers, sessions_to_rate(survey, invitation), complete=True)
    FieldErrors.raise_if_any(problems)
    if survey.anonymous:
        # Nothing ties an anonymous response to its invitation, not even the exact moment.
        day = datetime.combine(now.astimezone(UTC).date(), time(0), tzinfo=UTC)
        response = SurveyResponse(survey_id=survey.id, invitation_id=None, submitted_at=day)
        invitation.submitted_at = day
    else:
        response = SurveyResponse(survey_id=survey.id, invitation_id=invitation.id, submitted_at=now)
        invitation.submitted_at = now
    invitation.draft = {}
    db.session.add(response)
    db.session.flush()
    for question in survey.questions:
        value = cleaned.get(str(question.id))
        if value is None:
            continue
        if question.kind == Kind.SESSION_GRID:
            for session_id, rating in sorted(value.items(), key=lambda item: int(item[0])):
                db.session.add(SurveyAnswer(response_id=response.id, question_id=question.id,
                                            session_id=int(session_id), value=rating))
        else:
            db.session.add(SurveyAnswer(response_id=response.id, question_id=question.id, value=value))
    db.session.flush()
    return response
