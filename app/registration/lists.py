"""What the organiser's pages read about registrations: the searchable list and the daily counts."""

from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from app.events.models import Event
from app.extensions import db
from app.registration.models import Registration, RegistrationStatus


def search(event: Event, query: str = "", status: str = "") -> list[Registration]:
    """The organiser's list: search by name, email or organisation, filter by state."""
    statement = (
        db.select(Registration).filter_by(event_id=event.id).where(Registration.erased_at.is_(None))
        .options(selectinload(Registration.answers))
    )
    if RegistrationStatus.has(status):
        statement = statement.filter_by(status=status)
    if query:
        pattern = f"%{query.strip().lower()}%"
        full_name = sa.func.lower(Registration.first_name + " " + Registration.last_name)
        reversed_name = sa.func.lower(Registration.last_name + " " + Registration.first_name)
        statement = statement.where(sa.or_(
            full_name.like(pattern), reversed_name.like(pattern), Registration.email.like(pattern),
            sa.func.lower(Registration.organisation).like(pattern),
        ))
    statement = statement.order_by(
        sa.case((Registration.status == RegistrationStatus.WAITLISTED, 1), else_=0),
        Registration.waitlist_position, Registration.last_name, Registration.first_name,
    )
    return list(db.session.execute(statement).scalars())


def registrations_per_day(event: Event) -> list[tuple]:
    """How many registered on each day (event's time zone), first day to last, gaps as zero."""
    moments = db.session.execute(db.select(Registration.created_at).where(Registration.event_id == event.id)).scalars().all()
    if not moments:
        return []
    days: dict = {}
    for moment in moments:
        day = event.local(moment).date()
        days[day] = days.get(day, 0) + 1
    first, last = min(days), max(days)
    span = (last - first).days
    return [(first + timedelta(days=offset), days.get(first + timedelta(days=offset), 0)) for offset in range(span + 1)]
