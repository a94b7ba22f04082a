"""Feedback surveys: questions, personal invitations and responses."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.models import ChoiceEnum, TimestampMixin, enum_type, utcnow
from app.extensions import db

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


class SurveyAudience(ChoiceEnum):
    CHECKED_IN = "checked_in"
    CONFIRMED = "confirmed"


class Survey(TimestampMixin, db.Model):
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


class SurveyQuestion(db.Model):
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


class SurveyInvitation(db.Model):
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


class SurveyResponse(db.Model):
    __tablename__ = "survey_responses"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(sa.ForeignKey("surveys.id", ondelete="CASCADE"), index=True)
    # None for anonymous surveys.
    invitation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("survey_invitations.id", ondelete="SET NULL"), unique=True
    )
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)

    answers: Mapped[list[SurveyAnswer]] = relationship(cascade="all, delete-orphan")


class SurveyAnswer(db.Model):
    __tablename__ = "survey_answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(sa.ForeignKey("survey_responses.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[int] = mapped_column(sa.ForeignKey("survey_questions.id", ondelete="CASCADE"), index=True)
    # Set for the session rating grid: one answer per session rated.
    session_id: Mapped[int | None] = mapped_column(sa.ForeignKey("agenda_sessions.id", ondelete="SET NULL"))
    value: Mapped[object] = mapped_column(sa.JSON)
