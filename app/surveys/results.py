"""What the answers say: each question's aggregate for the results page, and the CSV of every response."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from babel.numbers import format_decimal
from flask_babel import get_locale
from flask_babel import gettext as _

from app.agenda.models import AgendaSession
from app.core.spreadsheets import csv_text
from app.extensions import db
from app.registration.models import Registration
from app.surveys.models import STARS, Survey, SurveyAnswer, SurveyInvitation, SurveyQuestion, SurveyQuestionKind, SurveyResponse

Kind = SurveyQuestionKind


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


def _bars(counts: Counter, labels: Sequence[tuple[object, str]], total: int) -> list[Bar]:
    return [Bar(label, counts.get(key, 0), 100.0 * counts.get(key, 0) / total if total else 0.0) for key, label in labels]


def _numbered(scale: range) -> list[tuple[int, str]]:
    return [(number, str(number)) for number in scale]


def format_number(value: float, pattern: str = "0.00") -> str:
    """A number as the reader's language writes it: ``4.20`` in English, ``4,20`` in Hungarian."""
    return format_decimal(value, format=pattern, locale=get_locale() or "en")


def _session_scores(session_values: dict[int, list], sessions: list[AgendaSession]) -> list[SessionScore]:
    """The rating grid: each session rated at least once, best average first."""
    by_id = {session.id: session for session in sessions}
    scores = []
    for session_id, ratings in session_values.items():
        ratings = [value for value in ratings if isinstance(value, int)]
        if not ratings:
            continue
        session = by_id.get(session_id)
        scores.append(SessionScore(
            session_id=session_id, title=session.title if session else _("(deleted session)"),
            starts_at=session.starts_at if session else None, ratings=len(ratings),
            mean=statistics.fmean(ratings), bars=_bars(Counter(ratings), _numbered(STARS), len(ratings)),
        ))
    scores.sort(key=lambda score: (-score.mean, -score.ratings, score.title))
    return scores


def _summarise_scale(result: QuestionResult, values: list, scale: range) -> None:
    question = result.question
    numbers = [value for value in values if isinstance(value, int) and not isinstance(value, bool)]
    result.answered = len(numbers)
    result.bars = _bars(Counter(numbers), _numbered(scale), len(numbers))
    if numbers:
        result.mean = statistics.fmean(numbers)
        result.median = statistics.median(numbers)
    if question.is_nps and numbers:
        result.promoters = sum(1 for n in numbers if n >= 9)
        result.passives = sum(1 for n in numbers if 7 <= n <= 8)
        result.detractors = sum(1 for n in numbers if n <= 6)
        result.nps = 100.0 * (result.promoters - result.detractors) / len(numbers)


def summarise(question: SurveyQuestion, values: list, session_values=None, sessions=None) -> QuestionResult:
    """The aggregate of one question's answers: distributions, mean, median, NPS, texts."""
    result = QuestionResult(question, answered=len(values))
    kind = question.kind
    if kind == Kind.SESSION_GRID:
        # ``values`` are the responses that rated at least one session.
        result.sessions = _session_scores(session_values or {}, sessions or [])
    elif question.scale is not None:
        _summarise_scale(result, values, question.scale)
    elif kind == Kind.YES_NO:
        result.bars = _bars(Counter(values), [(True, _("Yes")), (False, _("No"))], len(values))
    elif kind in (Kind.SINGLE_CHOICE, Kind.MULTIPLE_CHOICE):
        # A multiple choice bar's percent is of the respondents who picked it.
        picks = values if kind == Kind.SINGLE_CHOICE else [item for value in values for item in (value or [])]
        counts = Counter(picks)
        labels = [(choice, choice) for choice in question.choices]
        labels += [(value, value) for value in counts if value not in question.choices]
        result.bars = _bars(counts, labels, len(values))
    else:
        result.texts = [value for value in values if isinstance(value, str) and value.strip()]
    return result


def _answer_rows(survey: Survey) -> list:
    """Every answer of the survey: (response id, question id, session id or None, value)."""
    return list(db.session.execute(
        db.select(SurveyAnswer.response_id, SurveyAnswer.question_id, SurveyAnswer.session_id, SurveyAnswer.value)
        .join(SurveyResponse, SurveyResponse.id == SurveyAnswer.response_id)
        .where(SurveyResponse.survey_id == survey.id)
        .order_by(SurveyAnswer.response_id, SurveyAnswer.id)
    ).all())


def _sessions_of(survey: Survey) -> list[AgendaSession]:
    return list(db.session.execute(
        db.select(AgendaSession).filter_by(event_id=survey.event_id).order_by(AgendaSession.starts_at, AgendaSession.id)
    ).scalars())


def results(survey: Survey) -> SurveyResults:
    """Every question's aggregate, in a fixed number of queries whatever the number of responses."""
    invited = db.session.execute(
        db.select(sa.func.count(SurveyInvitation.id)).filter_by(survey_id=survey.id)
    ).scalar_one()
    responses = db.session.execute(
        db.select(sa.func.count(SurveyResponse.id)).filter_by(survey_id=survey.id)
    ).scalar_one()
    sessions = _sessions_of(survey)
    values: dict[int, list] = defaultdict(list)
    grid_responses: dict[int, set] = defaultdict(set)
    grid: dict[int, dict[int, list]] = defaultdict(lambda: defaultdict(list))
    for response_id, question_id, session_id, value in _answer_rows(survey):
        if session_id is not None:
            grid[question_id][session_id].append(value)
            grid_responses[question_id].add(response_id)
        else:
            values[question_id].append(value)
    summaries = []
    for question in survey.questions:
        if question.is_session_grid:
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


def _columns(questions: list[SurveyQuestion], sessions: list[AgendaSession],
             grid_sessions: dict[int, set]) -> list[tuple[str, int, int | None]]:
    """A column per question, and one per session rated in the grid: (heading, question id, session id)."""
    session_titles = {session.id: session.title for session in sessions}
    columns: list[tuple[str, int, int | None]] = []
    for question in questions:
        if question.is_session_grid:
            ordered = [s.id for s in sessions if s.id in grid_sessions[question.id]]
            ordered += sorted(grid_sessions[question.id] - set(ordered))
            for session_id in ordered:
                title = session_titles.get(session_id, _("(deleted session)"))
                columns.append((f"{question.label}: {title}", question.id, session_id))
        else:
            columns.append((question.label, question.id, None))
    return columns


def results_csv(survey: Survey) -> str:
    """One row per response and a column per question (one per session for the rating grid).

    Anonymous surveys have no columns about the person, and only the day of each answer.
    Returns text starting with a byte-order mark, so spreadsheets read it as UTF-8.
    """
    tz = survey.event.tz
    questions = list(survey.questions)
    response_rows = db.session.execute(
        db.select(SurveyResponse, Registration)
        .outerjoin(SurveyInvitation, SurveyInvitation.id == SurveyResponse.invitation_id)
        .outerjoin(Registration, Registration.id == SurveyInvitation.registration_id)
        .where(SurveyResponse.survey_id == survey.id)
        .order_by(SurveyResponse.id)
    ).all()
    by_response: dict[int, dict] = defaultdict(dict)
    grid_sessions: dict[int, set] = defaultdict(set)
    for response_id, question_id, session_id, value in _answer_rows(survey):
        by_response[response_id][(question_id, session_id)] = value
        if session_id is not None:
            grid_sessions[question_id].add(session_id)
    columns = _columns(questions, _sessions_of(survey), grid_sessions)
    by_id = {question.id: question for question in questions}

    header = [_("Response"), _("Submitted")]
    if not survey.anonymous:
        header += [_("Name"), _("Email"), _("Organisation")]
    header += [label for label, _q, _s in columns]
    rows = []
    for number, (response, registration) in enumerate(response_rows, start=1):
        moment = response.submitted_at.astimezone(tz)
        row = [str(number), moment.date() if survey.anonymous else moment]  # ISO 8601 in the event's zone
        if not survey.anonymous:
            if registration is None or registration.is_erased:
                row += ["", "", ""]
            else:
                row += [registration.full_name, registration.email, registration.organisation]
        values = by_response.get(response.id, {})
        for _label, question_id, session_id in columns:
            row.append(_cell(by_id[question_id], values.get((question_id, session_id))))
        rows.append(row)
    return csv_text(header, rows, tz)  # formulas neutralised, with a byte-order mark
