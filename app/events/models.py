"""Events: the thing everything else belongs to."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.models import ChoiceEnum, TimestampMixin, enum_type
from app.extensions import Model

if TYPE_CHECKING:
    from app.auth.models import EventMember


class EventStatus(ChoiceEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    ARCHIVED = "archived"


STATUS_LABELS = {EventStatus.DRAFT: _l("Draft"), EventStatus.PUBLISHED: _l("Published"), EventStatus.ARCHIVED: _l("Archived")}


def _status_is(status: EventStatus) -> property:
    """A predicate such as ``event.is_draft``, so no caller compares the status to a text."""
    return property(lambda event: event.status == status, doc=f"Whether the event is {status.value}.")


class Event(TimestampMixin, Model):
    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    summary: Mapped[str] = mapped_column(sa.String(500), default="")
    description: Mapped[str] = mapped_column(sa.Text, default="")  # Markdown
    venue_name: Mapped[str] = mapped_column(sa.String(200), default="")
    venue_address: Mapped[str] = mapped_column(sa.String(500), default="")
    timezone: Mapped[str] = mapped_column(sa.String(64), default="Europe/Budapest")
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    language: Mapped[str] = mapped_column(sa.String(5), default="en")
    capacity: Mapped[int | None]  # None: unlimited
    registration_opens_at: Mapped[datetime | None]
    registration_closes_at: Mapped[datetime | None]
    requires_approval: Mapped[bool] = mapped_column(default=False)
    contact_email: Mapped[str] = mapped_column(sa.String(254), default="")
    privacy_notice: Mapped[str] = mapped_column(sa.Text, default="")  # Markdown
    # Raised whenever the privacy notice text changes, so consent records name the text agreed to.
    privacy_notice_version: Mapped[int] = mapped_column(default=1)
    status: Mapped[EventStatus] = mapped_column(enum_type(EventStatus, "event_status"), default=EventStatus.DRAFT, index=True)
    # Days after the event's end after which personal data is purged; None keeps it.
    retention_days: Mapped[int | None]
    public_participant_list: Mapped[bool] = mapped_column(default=False)

    members: Mapped[list[EventMember]] = relationship(back_populates="event", cascade="all, delete-orphan")

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    is_draft = _status_is(EventStatus.DRAFT)
    is_published = _status_is(EventStatus.PUBLISHED)
    is_archived = _status_is(EventStatus.ARCHIVED)

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[EventStatus(self.status)])

    def local(self, moment: datetime) -> datetime:
        return moment.astimezone(self.tz)
