"""The programme: sessions, speakers and tracks."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, column_property, mapped_column, relationship

from app.core.models import ChoiceEnum, TimestampMixin, enum_type, utcnow
from app.extensions import Model

if TYPE_CHECKING:
    from app.events.models import Event
    from app.registration.models import Registration


class SessionKind(ChoiceEnum):
    TALK = "talk"
    WORKSHOP = "workshop"
    PANEL = "panel"
    CONSULTATION = "consultation"
    NETWORKING = "networking"
    BREAK = "break"


class Track(Model):
    __tablename__ = "tracks"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    colour: Mapped[str] = mapped_column(sa.String(7), default="#2a6f97")

    event: Mapped[Event] = relationship()


class Speaker(TimestampMixin, Model):
    __tablename__ = "speakers"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    honorific: Mapped[str] = mapped_column(sa.String(50), default="")
    organisation: Mapped[str] = mapped_column(sa.String(200), default="")
    role: Mapped[str] = mapped_column(sa.String(200), default="")
    country: Mapped[str] = mapped_column(sa.String(2), default="")
    bio: Mapped[str] = mapped_column(sa.Text, default="")  # Markdown
    # Re-encoded JPEG; deferred so lists of speakers never load the bytes, ``has_photo`` says if there is one.
    photo: Mapped[bytes | None] = mapped_column(sa.LargeBinary, deferred=True)
    website: Mapped[str] = mapped_column(sa.String(500), default="")
    links: Mapped[list] = mapped_column(sa.JSON, default=list)
    email: Mapped[str] = mapped_column(sa.String(254), default="")  # private, never public
    registration_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("registrations.id", ondelete="SET NULL"), index=True
    )
    has_photo: Mapped[bool] = column_property(photo.column.is_not(None))  # type: ignore[attr-defined]  # mapped_column exposes .column; its stub says Mapped

    event: Mapped[Event] = relationship()


class AgendaSession(TimestampMixin, Model):
    __tablename__ = "agenda_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")  # Markdown
    kind: Mapped[SessionKind] = mapped_column(enum_type(SessionKind, "session_kind"), default=SessionKind.TALK)
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    room: Mapped[str] = mapped_column(sa.String(100), default="")
    track_id: Mapped[int | None] = mapped_column(sa.ForeignKey("tracks.id", ondelete="SET NULL"))
    capacity: Mapped[int | None]  # set only for sessions that need sign-up
    cancelled: Mapped[bool] = mapped_column(default=False)
    # iCalendar SEQUENCE: raised on every change a calendar client should notice.
    sequence: Mapped[int] = mapped_column(default=0)

    event: Mapped[Event] = relationship()
    track: Mapped[Track | None] = relationship()
    speaker_links: Mapped[list[SessionSpeaker]] = relationship(
        cascade="all, delete-orphan", order_by="SessionSpeaker.position"
    )

    @property
    def takes_sign_ups(self) -> bool:
        """Participants choose this session (a workshop, a consultation slot): it has a capacity."""
        return self.capacity is not None

    def open_for_sign_up(self, now: datetime) -> bool:
        """The one rule for whether a seat can still be taken: takes sign-ups, not cancelled, not started."""
        return self.takes_sign_ups and not self.cancelled and self.starts_at > now


class SessionSpeaker(Model):
    __tablename__ = "session_speakers"
    __table_args__ = (sa.UniqueConstraint("session_id", "speaker_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("agenda_sessions.id", ondelete="CASCADE"))
    speaker_id: Mapped[int] = mapped_column(sa.ForeignKey("speakers.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)

    speaker: Mapped[Speaker] = relationship()


class SessionSignup(Model):
    """A confirmed participant's seat in a session that needs sign-up."""

    __tablename__ = "session_signups"
    __table_args__ = (sa.UniqueConstraint("session_id", "registration_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("agenda_sessions.id", ondelete="CASCADE"))
    registration_id: Mapped[int] = mapped_column(
        sa.ForeignKey("registrations.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    session: Mapped[AgendaSession] = relationship()
    registration: Mapped[Registration] = relationship()
