"""The rules of feedback surveys: the only code that writes surveys, invitations and responses.

An invitation is the personal link (``/s/<token>``; only its hash and the nonce it is derived from are stored). Its
``submitted_at`` is what stops a second answer, for anonymous surveys too: an anonymous
response is stored with no link back to the invitation, so nothing personal can be reached
from it, while the invitation still records that its holder has answered.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta

import sqlalchemy as sa
from babel.numbers import format_decimal
from flask import current_app
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.agenda.models import AgendaSession, SessionKind, SessionSignup
from app.checkin.models import CheckIn
from app.core.database import lock_row
from app.core.domain import DomainError
from app.core.models import utcnow
from app.core.spreadsheets import csv_text
from app.core.tokens import derived_token, hash_token, new_nonce
from app.events.models import Event
from app.extensions import db
from app.registration.models import Registration, RegistrationStatus
from app.surveys.models import (
    Survey,
    SurveyAnswer,
    SurveyAudience,
    SurveyInvitation,
    SurveyQuestion,
    SurveyQuestionKind,
    SurveyResponse,
)

Kind = SurveyQuestionKind
DEFAULT_OPEN_DAYS = 14
CHOICE_KINDS = (Kind.SINGLE_CHOICE, Kind.MULTIPLE_CHOICE)
SCALE_KINDS = {Kind.RATING: range(1, 6), Kind.NPS: range(0, 11)}
MAX_SHORT_TEXT = 500
MAX_LONG_TEXT = 5000


class SurveyError(DomainError):
    pass


class SurveyClosed(SurveyError):
    pass


class AlreadyAnswered(SurveyError):
    pass


# Building the survey -------------------------------------------------------------------------


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


def invitation_count(survey: Survey) -> int:
    if survey.id is None:
        return 0
    return db.session.execute(
        db.select(sa.func.count(SurveyInvitation.id)).filter_by(survey_id=survey.id)
    ).scalar_one()


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
    """Create or update the event's survey. Raises an ExceptionGroup of field errors."""
    survey = get_survey(event)
    default_opens, default_closes = default_window(event)
    opens_at = opens_at or default_opens
    closes_at = closes_at or (opens_at + timedelta(days=DEFAULT_OPEN_DAYS))
    errors = []
    if not title.strip():
        errors.append(SurveyError(_l("Give the survey a title."), "title"))
    if closes_at <= opens_at:
        errors.append(SurveyError(_l("The survey must close after it opens."), "closes_at"))
    if audience not in (SurveyAudience.CHECKED_IN, SurveyAudience.CONFIRMED):
        errors.append(SurveyError(_l("Choose who is invited."), "audience"))
    if survey is not None and survey.anonymous != anonymous and invitation_count(survey):
        errors.append(SurveyError(
            _l("Invitations have been sent, so whether answers are anonymous can no longer change."), "anonymous"
        ))
    if errors:
        raise ExceptionGroup("survey not saved", errors)
    if survey is None:
        survey = Survey(event_id=event.id)
        db.session.add(survey)
    survey.title = title.strip()
    survey.introduction = introduction.strip()
    survey.opens_at = opens_at
    survey.closes_at = closes_at
    survey.anonymous = anonymous
    survey.audience = audience
    db.session.flush()
    return survey


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


def _clean_choices(choices) -> list[str]:
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


def save_question(survey: Survey, question: SurveyQuestion | None, changes: QuestionChanges) -> SurveyQuestion:
    """Add a question at the end, or change one. Raises an ExceptionGroup of field errors."""
    errors = []
    choices = _clean_choices(changes.choices) if changes.kind in CHOICE_KINDS else []
    min_picks = changes.min_picks if changes.kind == Kind.MULTIPLE_CHOICE else None
    max_picks = changes.max_picks if changes.kind == Kind.MULTIPLE_CHOICE else None
    if not Kind.has(changes.kind):
        errors.append(SurveyError(_l("Choose a kind of question."), "kind"))
    if not changes.label.strip():
        errors.append(SurveyError(_l("Write the question."), "label"))
    if changes.kind in CHOICE_KINDS and len(choices) < 2:
        errors.append(SurveyError(_l("Give at least two different choices, one per line."), "choices"))
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
    if question is not None and question.kind != changes.kind and has_answers(question):
        errors.append(SurveyError(_l("This question has answers, so its kind can no longer change."), "kind"))
    if errors:
        raise ExceptionGroup("question not saved", errors)
    if question is None:
        last = db.session.execute(
            db.select(sa.func.max(SurveyQuestion.position)).filter_by(survey_id=survey.id)
        ).scalar_one()
        question = SurveyQuestion(survey_id=survey.id, position=(last or 0) + 1)
        db.session.add(question)
    question.kind = changes.kind
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


def is_open(survey: Survey, now: datetime | None = None) -> bool:
    now = now or utcnow()
    return (survey.opens_at is None or survey.opens_at <= now) and (survey.closes_at is None or now < survey.closes_at)


def has_closed(survey: Survey, now: datetime | None = None) -> bool:
    now = now or utcnow()
    return survey.closes_at is not None and now >= survey.closes_at


# Audience and invitations -------------------------------------------------------------------


def audience(survey: Survey) -> list[Registration]:
    """Who the survey is for: confirmed participants, checked in at least once unless all are asked."""
    query = db.select(Registration).where(
        Registration.event_id == survey.event_id,
        Registration.status == RegistrationStatus.CONFIRMED,
        Registration.erased_at.is_(None),
    )
    if survey.audience == SurveyAudience.CHECKED_IN:
        query = query.where(sa.exists().where(CheckIn.registration_id == Registration.id))
    return list(db.session.execute(query.order_by(Registration.last_name, Registration.first_name, Registration.id)).scalars())


def create_invitation(survey: Survey, registration: Registration, now: datetime | None = None) -> tuple[SurveyInvitation, str]:
    """A personal link for one registration; returns the invitation and its token (never stored)."""
    nonce = new_nonce()
    token = invitation_token(nonce)
    invitation = SurveyInvitation(
        survey_id=survey.id, registration_id=registration.id, token_hash=hash_token(token), token_nonce=nonce,
        created_at=now or utcnow(), draft={},
    )
    db.session.add(invitation)
    db.session.flush()
    return invitation, token


def invitation_token(nonce: str) -> str:
    return derived_token(current_app.config["SECRET_KEY"], "survey-link", nonce)


def survey_link(token: str) -> str:
    return f"{current_app.config['BASE_URL'].rstrip('/')}/s/{token}"


def _send(survey: Survey, event: Event, registration: Registration, token: str, *, reminder: bool) -> None:
    from app.mail.services import queue_templated

    if reminder:
        def subject():
            return _("Reminder: your feedback on %(title)s", title=event.title)
    else:
        def subject():
            return _("Your feedback on %(title)s", title=event.title)
    queue_templated(
        "survey_invitation", kind="survey_reminder" if reminder else "survey_invitation",
        recipient=registration.email, subject=subject, language=registration.language or event.language,
        context={"survey": survey, "link": survey_link(token), "reminder": reminder},
        event=event, registration=registration,
    )


@dataclass
class SendReport:
    invited: int = 0
    already_invited: int = 0


def _require_sendable(survey: Survey, now: datetime) -> None:
    if not survey.questions:
        raise SurveyError(_l("Add at least one question before sending invitations."))
    if has_closed(survey, now):
        raise SurveyClosed(_l("The survey has closed; no more invitations can be sent."))


def send_invitations(survey: Survey, now: datetime | None = None) -> SendReport:
    """Invite everyone in the audience who has no invitation yet, each by a personal email.

    The survey row is locked first, so two organisers pressing the button at once (or the
    command running alongside) cannot invite anyone twice; the unique key backs this up.
    """
    now = now or utcnow()
    survey = lock_row(Survey, survey.id)
    _require_sendable(survey, now)
    event = db.session.get(Event, survey.event_id)
    invited_ids = set(db.session.execute(
        db.select(SurveyInvitation.registration_id).filter_by(survey_id=survey.id)
    ).scalars())
    report = SendReport()
    for registration in audience(survey):
        if registration.id in invited_ids:
            report.already_invited += 1
            continue
        invitation, token = create_invitation(survey, registration, now)
        invitation.sent_at = now
        _send(survey, event, registration, token, reminder=False)
        report.invited += 1
    db.session.flush()
    return report


def send_reminders(survey: Survey, now: datetime | None = None) -> int:
    """Remind everyone invited who has not submitted yet.

    The reminder carries the same personal link as the invitation (derived again from the
    invitation's nonce), so a draft saved from the first email is found from either.
    """
    now = now or utcnow()
    survey = lock_row(Survey, survey.id)
    _require_sendable(survey, now)
    event = db.session.get(Event, survey.event_id)
    rows = db.session.execute(
        db.select(SurveyInvitation, Registration)
        .join(Registration, Registration.id == SurveyInvitation.registration_id)
        .where(SurveyInvitation.survey_id == survey.id, SurveyInvitation.submitted_at.is_(None),
               Registration.erased_at.is_(None))
        .order_by(SurveyInvitation.id)
    ).all()
    for invitation, registration in rows:
        invitation.reminded_at = now
        _send(survey, event, registration, invitation_token(invitation.token_nonce), reminder=True)
    db.session.flush()
    return len(rows)


@dataclass
class InvitationStatus:
    invitation_id: int
    name: str
    email: str
    sent_at: datetime | None
    reminded_at: datetime | None
    submitted_at: datetime | None
    has_draft: bool


@dataclass
class InvitationOverview:
    invited: int
    answered: int
    audience_size: int
    not_yet_invited: int
    people: list[InvitationStatus]  # empty for anonymous surveys: only counts are shown

    @property
    def not_answered(self) -> int:
        return self.invited - self.answered

    @property
    def rate(self) -> float:
        return 100.0 * self.answered / self.invited if self.invited else 0.0


def invitation_overview(survey: Survey) -> InvitationOverview:
    invited, answered = db.session.execute(
        db.select(sa.func.count(SurveyInvitation.id), sa.func.count(SurveyInvitation.submitted_at))
        .filter_by(survey_id=survey.id)
    ).one()
    eligible = audience(survey)
    invited_ids = set(db.session.execute(
        db.select(SurveyInvitation.registration_id).filter_by(survey_id=survey.id)
    ).scalars())
    people = []
    if not survey.anonymous:
        rows = db.session.execute(
            db.select(SurveyInvitation, Registration)
            .outerjoin(Registration, Registration.id == SurveyInvitation.registration_id)
            .where(SurveyInvitation.survey_id == survey.id)
            .order_by(SurveyInvitation.submitted_at.is_not(None), Registration.last_name, Registration.first_name)
        ).all()
        for invitation, registration in rows:
            erased = registration is None or registration.erased_at is not None
            people.append(InvitationStatus(
                invitation_id=invitation.id,
                name=_("(personal data deleted)") if erased else registration.full_name,
                email="" if erased else registration.email,
                sent_at=invitation.sent_at, reminded_at=invitation.reminded_at,
                submitted_at=invitation.submitted_at, has_draft=bool(invitation.draft),
            ))
    return InvitationOverview(
        invited=invited, answered=answered, audience_size=len(eligible),
        not_yet_invited=sum(1 for registration in eligible if registration.id not in invited_ids), people=people,
    )


# Answering -----------------------------------------------------------------------------------


def invitation_by_token(token: str) -> SurveyInvitation | None:
    if not token or len(token) > 100:
        return None
    return db.session.execute(
        db.select(SurveyInvitation).filter_by(token_hash=hash_token(token))
    ).scalar_one_or_none()


def sessions_to_rate(survey: Survey, invitation: SurveyInvitation | None) -> list[AgendaSession]:
    """The sessions the respondent attended (a checked-in day) or signed up for.

    When neither is known (no check-ins, no sign-ups, or a preview), every session of the
    event that is not a break is offered.
    """
    event = db.session.get(Event, survey.event_id)
    sessions = list(db.session.execute(
        db.select(AgendaSession)
        .where(AgendaSession.event_id == event.id, AgendaSession.kind != SessionKind.BREAK,
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
    tz = event.tz

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
    if question.kind in SCALE_KINDS:
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


def check_answer(question: SurveyQuestion, value, session_ids: set[int], *, complete: bool) -> str | None:
    """The problem with one answer, or None. ``complete`` also enforces required questions."""
    if value is None:
        if complete and question.required:
            if question.kind == Kind.SESSION_GRID:
                return _("Rate at least one session.") if session_ids else None
            if question.kind == Kind.MULTIPLE_CHOICE and question.min_picks:
                return _("Choose at least %(count)d.", count=question.min_picks)
            return _("Please answer this question.")
        return None
    kind = question.kind
    if kind in SCALE_KINDS:
        scale = SCALE_KINDS[kind]
        if not isinstance(value, int) or value not in scale:
            return _("Choose a number from %(low)d to %(high)d.", low=scale.start, high=scale.stop - 1)
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
            if not isinstance(rating, int) or rating not in SCALE_KINDS[Kind.RATING]:
                return _("Choose a number from %(low)d to %(high)d.", low=1, high=5)
    elif kind in (Kind.SHORT_TEXT, Kind.LONG_TEXT):
        limit = MAX_SHORT_TEXT if kind == Kind.SHORT_TEXT else MAX_LONG_TEXT
        if not isinstance(value, str):
            return _("Please answer this question.")
        if len(value) > limit:
            return _("Please keep this under %(count)d characters.", count=limit)
    return None


def field_name(question: SurveyQuestion) -> str:
    return f"q{question.id}"


def check_answers(survey: Survey, answers: dict, sessions: list[AgendaSession], *, complete: bool) -> tuple[dict, list[SurveyError]]:
    """Normalise answers keyed by question id (str) and check each; errors name the form field."""
    session_ids = {session.id for session in sessions}
    cleaned, errors = {}, []
    for question in survey.questions:
        value = normalise(question, answers.get(str(question.id)))
        problem = check_answer(question, value, session_ids, complete=complete)
        if problem:
            errors.append(SurveyError(problem, field_name(question)))
        if value is not None:
            cleaned[str(question.id)] = value
    return cleaned, errors


def _require_answerable(survey: Survey, invitation: SurveyInvitation, now: datetime) -> None:
    if invitation.submitted_at is not None:
        raise AlreadyAnswered(_l("You have already answered this survey. Thank you!"))
    if not is_open(survey, now):
        raise SurveyClosed(_l("This survey is not open for answers."))


def save_draft(invitation: SurveyInvitation, answers: dict, now: datetime | None = None) -> list[SurveyError]:
    """Keep what the respondent has typed so far; required questions may still be empty.

    Returns the problems found; the answers that pass are saved all the same.
    """
    now = now or utcnow()
    invitation = lock_row(SurveyInvitation, invitation.id)
    survey = db.session.get(Survey, invitation.survey_id)
    _require_answerable(survey, invitation, now)
    cleaned, errors = check_answers(survey, answers, sessions_to_rate(survey, invitation), complete=False)
    bad = {error.field for error in errors}
    invitation.draft = {key: value for key, value in cleaned.items() if f"q{key}" not in bad}
    db.session.flush()
    return errors


def submit(invitation: SurveyInvitation, answers: dict, now: datetime | None = None) -> SurveyResponse:
    """Record the response. One per invitation, also under concurrent submissions.

    The invitation row is locked and read again before ``submitted_at`` is checked, so of
    two simultaneous submissions the second waits and then finds the first one's mark.
    Raises ``AlreadyAnswered``, ``SurveyClosed`` or an ExceptionGroup of answer errors.
    """
    now = now or utcnow()
    invitation = lock_row(SurveyInvitation, invitation.id)
    survey = db.session.get(Survey, invitation.survey_id)
    _require_answerable(survey, invitation, now)
    sessions = sessions_to_rate(survey, invitation)
    cleaned, errors = check_answers(survey, answers, sessions, complete=True)
    if errors:
        raise ExceptionGroup("answers refused", errors)
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


# Results -------------------------------------------------------------------------------------


@dataclass
class Bar:
    label: str
    count: int
    percent: float


@dataclass
class SessionScore:
    session_id: int
    title: str
    starts_at: datetime | None
    ratings: int
    mean: float
    bars: list[Bar]


@dataclass
class QuestionResult:
    question: SurveyQuestion
    answered: int = 0
    bars: list[Bar] = field(default_factory=list)
    mean: float | None = None
    median: float | None = None
    nps: float | None = None
    promoters: int = 0
    passives: int = 0
    detractors: int = 0
    texts: list[str] = field(default_factory=list)
    sessions: list[SessionScore] = field(default_factory=list)


@dataclass
class SurveyResults:
    survey: Survey
    responses: int
    invited: int
    questions: list[QuestionResult]

    @property
    def rate(self) -> float:
        return 100.0 * self.responses / self.invited if self.invited else 0.0


def _bars(counts: Counter, labels: list[tuple[object, str]], total: int) -> list[Bar]:
    return [Bar(label, counts.get(key, 0), 100.0 * counts.get(key, 0) / total if total else 0.0) for key, label in labels]


def format_number(value: float, pattern: str = "0.00") -> str:
    """A number as the reader's language writes it: ``4.20`` in English, ``4,20`` in Hungarian."""
    return format_decimal(value, format=pattern, locale=get_locale() or "en")


def summarise(question: SurveyQuestion, values: list, session_values=None, sessions=None) -> QuestionResult:
    """The aggregate of one question's answers: distributions, mean, median, NPS, texts."""
    result = QuestionResult(question)
    kind = question.kind
    if kind == Kind.SESSION_GRID:
        session_values = session_values or {}
        titles = {session.id: session for session in sessions or []}
        scores = []
        for session_id, ratings in session_values.items():
            ratings = [value for value in ratings if isinstance(value, int)]
            if not ratings:
                continue
            session = titles.get(session_id)
            counts = Counter(ratings)
            scores.append(SessionScore(
                session_id=session_id, title=session.title if session else _("(deleted session)"),
                starts_at=session.starts_at if session else None, ratings=len(ratings),
                mean=statistics.fmean(ratings), bars=_bars(counts, [(n, str(n)) for n in range(1, 6)], len(ratings)),
            ))
        scores.sort(key=lambda score: (-score.mean, -score.ratings, score.title))
        result.sessions = scores
        result.answered = len(values)  # responses that rated at least one session
        return result
    result.answered = len(values)
    if kind in SCALE_KINDS:
        numbers = [value for value in values if isinstance(value, int) and not isinstance(value, bool)]
        result.answered = len(numbers)
        result.bars = _bars(Counter(numbers), [(n, str(n)) for n in SCALE_KINDS[kind]], len(numbers))
        if numbers:
            result.mean = statistics.fmean(numbers)
            result.median = statistics.median(numbers)
        if kind == Kind.NPS and numbers:
            result.promoters = sum(1 for n in numbers if n >= 9)
            result.passives = sum(1 for n in numbers if 7 <= n <= 8)
            result.detractors = sum(1 for n in numbers if n <= 6)
            result.nps = 100.0 * (result.promoters - result.detractors) / len(numbers)
    elif kind == Kind.YES_NO:
        result.bars = _bars(Counter(values), [(True, _("Yes")), (False, _("No"))], len(values))
    elif kind == Kind.SINGLE_CHOICE:
        counts = Counter(values)
        labels = [(choice, choice) for choice in question.choices]
        labels += [(value, value) for value in counts if value not in question.choices]
        result.bars = _bars(counts, labels, len(values))
    elif kind == Kind.MULTIPLE_CHOICE:
        counts = Counter(item for value in values for item in (value or []))
        labels = [(choice, choice) for choice in question.choices]
        labels += [(value, value) for value in counts if value not in question.choices]
        result.bars = _bars(counts, labels, len(values))  # percent of respondents who picked it
    else:
        result.texts = [value for value in values if isinstance(value, str) and value.strip()]
    return result


def results(survey: Survey) -> SurveyResults:
    """Every question's aggregate, in a fixed number of queries whatever the number of responses."""
    invited = db.session.execute(
        db.select(sa.func.count(SurveyInvitation.id)).filter_by(survey_id=survey.id)
    ).scalar_one()
    responses = db.session.execute(
        db.select(sa.func.count(SurveyResponse.id)).filter_by(survey_id=survey.id)
    ).scalar_one()
    rows = db.session.execute(
        db.select(SurveyAnswer.response_id, SurveyAnswer.question_id, SurveyAnswer.session_id, SurveyAnswer.value)
        .join(SurveyResponse, SurveyResponse.id == SurveyAnswer.response_id)
        .where(SurveyResponse.survey_id == survey.id)
        .order_by(SurveyAnswer.response_id, SurveyAnswer.id)
    ).all()
    sessions = list(db.session.execute(
        db.select(AgendaSession).filter_by(event_id=survey.event_id)
    ).scalars())
    values: dict[int, list] = defaultdict(list)
    grid_responses: dict[int, set] = defaultdict(set)
    grid: dict[int, dict[int, list]] = defaultdict(lambda: defaultdict(list))
    for response_id, question_id, session_id, value in rows:
        if session_id is not None:
            grid[question_id][session_id].append(value)
            grid_responses[question_id].add(response_id)
        else:
            values[question_id].append(value)
    summaries = []
    for question in survey.questions:
        if question.kind == Kind.SESSION_GRID:
            summaries.append(summarise(question, list(grid_responses[question.id]), grid[question.id], sessions))
        else:
            summaries.append(summarise(question, values[question.id]))
    return SurveyResults(survey=survey, responses=responses, invited=invited, questions=summaries)


# Export --------------------------------------------------------------------------------------

def _cell(question: SurveyQuestion, value) -> str:
    if value is None:
        return ""
    if question.kind == Kind.YES_NO:
        return _("Yes") if value else _("No")
    if question.kind == Kind.MULTIPLE_CHOICE:
        return "; ".join(value)
    return str(value)


def results_csv(survey: Survey) -> str:
    """One row per response and a column per question (one per session for the rating grid).

    Anonymous surveys have no columns about the person, and only the day of each answer.
    Returns text starting with a byte-order mark, so spreadsheets read it as UTF-8.
    """
    event = db.session.get(Event, survey.event_id)
    questions = list(survey.questions)
    sessions = list(db.session.execute(
        db.select(AgendaSession).filter_by(event_id=survey.event_id).order_by(AgendaSession.starts_at, AgendaSession.id)
    ).scalars())
    session_titles = {session.id: session.title for session in sessions}
    response_rows = db.session.execute(
        db.select(SurveyResponse, Registration)
        .outerjoin(SurveyInvitation, SurveyInvitation.id == SurveyResponse.invitation_id)
        .outerjoin(Registration, Registration.id == SurveyInvitation.registration_id)
        .where(SurveyResponse.survey_id == survey.id)
        .order_by(SurveyResponse.id)
    ).all()
    answers = db.session.execute(
        db.select(SurveyAnswer.response_id, SurveyAnswer.question_id, SurveyAnswer.session_id, SurveyAnswer.value)
        .join(SurveyResponse, SurveyResponse.id == SurveyAnswer.response_id)
        .where(SurveyResponse.survey_id == survey.id)
    ).all()
    by_response: dict[int, dict] = defaultdict(dict)
    grid_sessions: dict[int, set] = defaultdict(set)
    for response_id, question_id, session_id, value in answers:
        by_response[response_id][(question_id, session_id)] = value
        if session_id is not None:
            grid_sessions[question_id].add(session_id)

    columns: list[tuple[str, int, int | None]] = []
    for question in questions:
        if question.kind == Kind.SESSION_GRID:
            ordered = [s.id for s in sessions if s.id in grid_sessions[question.id]]
            ordered += sorted(grid_sessions[question.id] - set(ordered))
            for session_id in ordered:
                title = session_titles.get(session_id, _("(deleted session)"))
                columns.append((f"{question.label}: {title}", question.id, session_id))
        else:
            columns.append((question.label, question.id, None))
    by_id = {question.id: question for question in questions}

    header = [_("Response"), _("Submitted")]
    if not survey.anonymous:
        header += [_("Name"), _("Email"), _("Organisation")]
    header += [label for label, _q, _s in columns]
    rows = []
    for number, (response, registration) in enumerate(response_rows, start=1):
        moment = response.submitted_at.astimezone(event.tz)
        row = [str(number), moment.date().isoformat() if survey.anonymous else moment.strftime("%Y-%m-%d %H:%M")]
        if not survey.anonymous:
            if registration is None or registration.erased_at is not None:
                row += ["", "", ""]
            else:
                row += [registration.full_name, registration.email, registration.organisation]
        values = by_response.get(response.id, {})
        for _label, question_id, session_id in columns:
            row.append(_cell(by_id[question_id], values.get((question_id, session_id))))
        rows.append(row)
    return csv_text(header, rows)  # formulas neutralised, with a byte-order mark


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
    fields = ("kind", "label", "help_text", "section", "required", "position", "choices", "min_picks", "max_picks")
    copy.questions = [SurveyQuestion(**{name: getattr(question, name) for name in fields}) for question in survey.questions]
    db.session.add(copy)
    db.session.flush()


def forget_participant(registration: Registration) -> None:
    """Erasure: the person's answers stay, unlinked from them; an unsent draft is theirs and goes."""
    db.session.execute(
        sa.update(SurveyInvitation).where(SurveyInvitation.registration_id == registration.id)
        .values(registration_id=None, draft={}).execution_options(synchronize_session=False)
    )
