"""Attendance: one check-in per registration and event day."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.core.models import utcnow
from app.extensions import Model

if TYPE_CHECKING:
    from app.registration.models import Registration


class CheckIn(Model):
    __tablename__ = "checkins"
    # The unique key makes concurrent scans of one badge produce one record.
    __table_args__ = (sa.UniqueConstraint("registration_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), index=True)
    registration_id: Mapped[int] = mapped_column(sa.ForeignKey("registrations.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(sa.Date)  # the event-local date
    checked_in_at: Mapped[datetime] = mapped_column(default=utcnow)
    checked_in_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    checked_in_by: Mapped[User | None] = relationship()
    registration: Mapped[Registration] = relationship()
