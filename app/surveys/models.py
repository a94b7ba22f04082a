"""Feedback surveys: questions, personal invitations and responses."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.models import ChoiceEnum, TimestampMixin, enum_type, utcnow
from app.extensions import Model

if TYPE_CHECKING:
    from app.events.models import Event
    from app.registration.models import Registration


class SurveyQuestionKind(ChoiceEnum):
    RATING = "rating"  # 1-5 stars
    NPS = "nps"  # 0-10 recommendation score
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    YES_NO = "yes_no"
    SHORT_TEXT = "short_text"
    LONG_TEXT = "long_text"
    SESSION_GRID = "session_grid"  # rate each session attended or signed up for


CHOICE_KINDS = (SurveyQuestionKind.SINGLE_CHOICE, SurveyQuestionKind.MULTIPLE_CHOICE)
TEXT_KINDS = (SurveyQuestionKind.SHORT_TEXT, SurveyQuestionKind.LONG_TEXT)
# The numbers a respondent may pick; each row of the session rating grid takes STARS.
SCALES = {SurveyQuestionKind.RATING: range(1, 6), SurveyQuestionKind.NPS: range(0, 11)}
STARS = SCALES[SurveyQuestionKind.RATING]
MAX_SHORT_TEXT = 500
MAX_LONG_TEXT = 5000


class SurveyAudience(ChoiceEnum):
    CHECKED_IN = "checked_in"
    CONFIRMED = "confirmed"


class SurveyWindow(ChoiceEnum):
    """Where a survey stands in its answering window (the text is also the page's CSS class)."""

    NOT_YET_OPEN = "not_yet_open"
    OPEN = "open"
    CLOSED = "closed"

    is_open = property(lambda self: self is SurveyWindow.OPEN)
    is_closed = property(lambda self: self is SurveyWindow.CLOSED)
    is_not_yet_open = property(lambda self: self is SurveyWindow.NOT_YET_OPEN)


class Survey(TimestampMixin, Model):
    __tablename__ = "surveys"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), unique=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    introduction: Mapped[str] = mapped_column(sa.Text, default="")
    opens_at: Mapped[datetime | None]
    closes_at: Mapped[datetime | None]
    anonymous: Mapped[bool] = mapped_column(default=False)
    audience: Mapped[SurveyAudience] = mapped_column(
        enum_type(SurveyAudience, "survey_audience"), default=SurveyAudience.CHECKED_IN
    )

    event: Mapped[Event] = relationship()
    questions: Mapped[list[SurveyQuestion]] = relationship(
        cascade="all, delete-orphan", order_by="SurveyQuestion.position"
    )

    def is_open(self, now: datetime | None = None) -> bool:
        """Answers are taken: it has opened (or has no start) and has not closed."""
        now = now or utcnow()
        return (self.opens_at is None or self.opens_at <= now) and (self.closes_at is None or now < self.closes_at)

    def has_closed(self, now: datetime | None = None) -> bool:
        now = now or utcnow()
        return self.closes_at is not None and now >= self.closes_at

    def window(self, now: datetime | None = None) -> SurveyWindow:
        now = now or utcnow()
        if self.is_open(now):
            return SurveyWindow.OPEN
        return SurveyWindow.CLOSED if self.has_closed(now) else SurveyWindow.NOT_YET_OPEN

    @property
    def invites_checked_in_only(self) -> bool:
        return self.audience == SurveyAudience.CHECKED_IN


class SurveyQuestion(Model):
    __tablename__ = "survey_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(sa.ForeignKey("surveys.id", ondelete="CASCADE"), index=True)
    kind: Mapped[SurveyQuestionKind] = mapped_column(enum_type(SurveyQuestionKind, "survey_question_kind"))
    label: Mapped[str] = mapped_column(sa.String(300))
    help_text: Mapped[str] = mapped_column(sa.String(500), default="")
    section: Mapped[str] = mapped_column(sa.String(200), default="")
    required: Mapped[bool] = mapped_column(default=False)
    position: Mapped[int] = mapped_column(default=0)
    choices: Mapped[list] = mapped_column(sa.JSON, default=list)
    min_picks: Mapped[int | None]
    max_picks: Mapped[int | None]

    @property
    def field_name(self) -> str:
        """The name of the answer form's field (``q<id>``; the grid's rows add ``_s<session id>``)."""
        return f"q{self.id}"

    @property
    def scale(self) -> range | None:
        """The numbers a rating or NPS answer may be; None for other kinds."""
        return SCALES.get(self.kind)

    # What templates ask instead of comparing the kind with its text.
    is_nps = property(lambda self: self.kind == SurveyQuestionKind.NPS)
    is_multiple_choice = property(lambda self: self.kind == SurveyQuestionKind.MULTIPLE_CHOICE)
    is_session_grid = property(lambda self: self.kind == SurveyQuestionKind.SESSION_GRID)
    is_text = property(lambda self: self.kind in TEXT_KINDS)


class SurveyInvitation(Model):
    """A personal link to the survey. Its ``submitted_at`` stops a second answer,
    also for anonymous surveys, whose responses carry no link back here."""

    __tablename__ = "survey_invitations"
    __table_args__ = (sa.UniqueConstraint("survey_id", "registration_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(sa.ForeignKey("surveys.id", ondelete="CASCADE"))
    registration_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("registrations.id", ondelete="SET NULL"), index=True
    )
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    # The link is derived from this nonce and the SECRET_KEY, so a reminder can carry the same link.
    token_nonce: Mapped[str] = mapped_column(sa.String(32))
    sent_at: Mapped[datetime | None]
    reminded_at: Mapped[datetime | None]
    submitted_at: Mapped[datetime | None]
    draft: Mapped[dict] = mapped_column(sa.JSON, default=dict)  # saved, not yet submitted
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    survey: Mapped[Survey] = relationship()
    registration: Mapped[Registration | None] = relationship()


class SurveyResponse(Model):
    __tablename__ = "survey_responses"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(sa.ForeignKey("surveys.id", ondelete="CASCADE"), index=True)
    # None for anonymous surveys.
    invitation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("survey_invitations.id", ondelete="SET NULL"), unique=True
    )
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)

    answers: Mapped[list[SurveyAnswer]] = relationship(cascade="all, delete-orphan")


class SurveyAnswer(Model):
    __tablename__ = "survey_answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(sa.ForeignKey("survey_responses.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[int] = mapped_column(sa.ForeignKey("survey_questions.id", ondelete="CASCADE"), index=True)
    # Set for the session rating grid: one answer per session rated.
    session_id: Mapped[int | None] = mapped_column(sa.ForeignKey("agenda_sessions.id", ondelete="SET NULL"))
    value: Mapped[object] = mapped_column(sa.JSON)
