"""Registrations, the organiser's questions and the participants' answers."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.i18n import person_name
from app.core.models import ChoiceEnum, TimestampMixin, enum_type
from app.extensions import Model

if TYPE_CHECKING:
    from app.events.models import Event


class RegistrationStatus(ChoiceEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    DECLINED = "declined"
    CANCELLED = "cancelled"


# Still in the running for the event: holding a seat, queueing for one, or awaiting approval.
ACTIVE_STATUSES = (RegistrationStatus.PENDING, RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED)

STATUS_LABELS = {
    RegistrationStatus.CONFIRMED: _l("Confirmed"),
    RegistrationStatus.PENDING: _l("Awaiting approval"),
    RegistrationStatus.WAITLISTED: _l("On the waiting list"),
    RegistrationStatus.DECLINED: _l("Declined"),
    RegistrationStatus.CANCELLED: _l("Cancelled"),
}


def _status_is(status: RegistrationStatus) -> property:
    """A predicate such as ``registration.is_confirmed``, so no caller compares the status to a text."""
    return property(lambda registration: registration.status == status, doc=f"Whether the registration is {status.value}.")


class QuestionKind(ChoiceEnum):
    SHORT_TEXT = "short_text"
    LONG_TEXT = "long_text"
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    YES_NO = "yes_no"
    COUNTRY = "country"


KIND_LABELS = {
    QuestionKind.SHORT_TEXT: _l("Short text"),
    QuestionKind.LONG_TEXT: _l("Long text"),
    QuestionKind.SINGLE_CHOICE: _l("One choice"),
    QuestionKind.MULTIPLE_CHOICE: _l("Several choices"),
    QuestionKind.YES_NO: _l("Yes or no"),
    QuestionKind.COUNTRY: _l("Country"),
}

class Registration(TimestampMixin, Model):
    __tablename__ = "registrations"
    __table_args__ = (sa.UniqueConstraint("event_id", "email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), index=True)
    status: Mapped[RegistrationStatus] = mapped_column(enum_type(RegistrationStatus, "registration_status"), index=True)
    first_name: Mapped[str] = mapped_column(sa.String(100))
    last_name: Mapped[str] = mapped_column(sa.String(100))
    email: Mapped[str] = mapped_column(sa.String(254))
    organisation: Mapped[str] = mapped_column(sa.String(200), default="")
    job_title: Mapped[str] = mapped_column(sa.String(200), default="")
    country: Mapped[str] = mapped_column(sa.String(2), default="")
    phone: Mapped[str] = mapped_column(sa.String(50), default="")
    language: Mapped[str] = mapped_column(sa.String(5), default="en")
    # The manage link's token is derived from this nonce and the SECRET_KEY (so the link can
    # be sent again), and looked up by its hash; the token itself is never stored.
    manage_token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    manage_token_nonce: Mapped[str] = mapped_column(sa.String(32))
    # What the badge's QR code carries; separate from the manage token, None when dead.
    badge_secret: Mapped[str | None] = mapped_column(sa.String(40), unique=True)
    badge_printed_at: Mapped[datetime | None]
    waitlist_position: Mapped[int | None]
    status_changed_at: Mapped[datetime | None]
    consent_privacy_at: Mapped[datetime | None]
    consent_privacy_version: Mapped[int | None]
    consent_photo_at: Mapped[datetime | None]
    consent_future_events_at: Mapped[datetime | None]
    consent_public_list_at: Mapped[datetime | None]
    erased_at: Mapped[datetime | None]

    event: Mapped[Event] = relationship()
    answers: Mapped[list[Answer]] = relationship(back_populates="registration", cascade="all, delete-orphan")

    @property
    def full_name(self) -> str:
        """Family name first for Hungarians (``Őze Győző``), given name first for everyone else."""
        return person_name(self.first_name, self.last_name, self.country)

    @hybrid_property
    def may_attend(self) -> bool:
        """Holds a seat: confirmed and not erased. Only such a person gets a badge, sessions, a check-in."""
        return self.status == RegistrationStatus.CONFIRMED and self.erased_at is None

    @may_attend.inplace.expression
    @classmethod
    def _may_attend_expression(cls):
        return sa.and_(cls.status == RegistrationStatus.CONFIRMED, cls.erased_at.is_(None))

    @hybrid_property
    def is_active(self) -> bool:
        """Still in the running: confirmed, waiting for a seat or for approval, and not erased."""
        return self.status in ACTIVE_STATUSES and self.erased_at is None

    @is_active.inplace.expression
    @classmethod
    def _is_active_expression(cls):
        return sa.and_(cls.status.in_(ACTIVE_STATUSES), cls.erased_at.is_(None))

    is_confirmed = _status_is(RegistrationStatus.CONFIRMED)
    is_waitlisted = _status_is(RegistrationStatus.WAITLISTED)
    is_pending = _status_is(RegistrationStatus.PENDING)
    is_cancelled = _status_is(RegistrationStatus.CANCELLED)
    is_declined = _status_is(RegistrationStatus.DECLINED)

    @property
    def status_label(self) -> str:
        """The status in words, in the reader's language."""
        return str(STATUS_LABELS[RegistrationStatus(self.status)])

    @property
    def is_erased(self) -> bool:
        return self.erased_at is not None


class Question(TimestampMixin, Model):
    __tablename__ = "questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), index=True)
    kind: Mapped[QuestionKind] = mapped_column(enum_type(QuestionKind, "question_kind"))
    label: Mapped[str] = mapped_column(sa.String(300))
    help_text: Mapped[str] = mapped_column(sa.String(500), default="")
    required: Mapped[bool] = mapped_column(default=False)
    position: Mapped[int] = mapped_column(default=0)
    choices: Mapped[list] = mapped_column(sa.JSON, default=list)
    # A question with answers is retired, never deleted, so no answer is lost.
    retired: Mapped[bool] = mapped_column(default=False)

    event: Mapped[Event] = relationship()

    @property
    def kind_label(self) -> str:
        """The kind of answer in words, in the reader's language."""
        return str(KIND_LABELS[QuestionKind(self.kind)])

    @property
    def asks_country(self) -> bool:
        return self.kind == QuestionKind.COUNTRY

    @property
    def field_name(self) -> str:
        """The name of the form field that asks this question (and that its errors are shown at)."""
        return f"q_{self.id}"


class Answer(Model):
    __tablename__ = "answers"
    __table_args__ = (sa.UniqueConstraint("registration_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(sa.ForeignKey("registrations.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(sa.ForeignKey("questions.id", ondelete="CASCADE"), index=True)
    value: Mapped[object] = mapped_column(sa.JSON)

    registration: Mapped[Registration] = relationship(back_populates="answers")
    question: Mapped[Question] = relationship()
