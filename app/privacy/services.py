"""Erasure of personal data: the only code that anonymises registrations.

A participant erases their own registration from their private link; an organiser erases
every registration of an event that is over; ``flask privacy purge`` applies each event's
retention period. Erasure keeps what is not personal: the registration row (so counts by
status stay right), check-in days (attendance totals for the funder) and survey answers
(unlinked from the person). It removes names, contact details, answers, consents, session
sign-ups, the badge, the private link and every email to or about the person.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l

from app.agenda import signups as agenda_signups
from app.audit import services as audit
from app.core.database import lock_row
from app.core.domain import DomainError
from app.core.models import utcnow
from app.events.models import Event
from app.extensions import db
from app.mail import services as mail
from app.registration import personal_data
from app.registration import services as registrations
from app.registration.models import Registration, RegistrationStatus
from app.surveys import invitations as surveys


class PrivacyError(DomainError):
    pass


def _forget(registration: Registration, now: datetime) -> None:
    """Each feature forgets the person in its own tables; only the registration row stays, anonymised."""
    email = registration.email
    first, last = registration.first_name.strip(), registration.last_name.strip()
    names = (f"{first} {last}", f"{last} {first}")  # either order, as people write them
    personal_data.anonymise(registration, now)
    agenda_signups.forget_participant(registration)
    surveys.forget_participant(registration)
    mail.forget_person(
        event_id=registration.event_id, registration_id=registration.id, email=email, names=names,
        replacement_address=personal_data.erased_email(registration), replacement_name=personal_data.ERASED_NAME,
    )
    audit.forget_target(registration.event_id, email, f"registration:{registration.id}")
    db.session.flush()


def erase_registration(registration: Registration, *, by=None, fill_seats: bool = True, now: datetime | None = None) -> list:
    """Anonymise one registration. A seat it held goes to the waiting list, as for a cancellation.

    Returns the registrations promoted into the freed seat.
    """
    now = now or utcnow()
    event = lock_row(Event, registration.event_id)
    db.session.refresh(registration)
    if registration.erased_at is not None:
        return []
    held_seat = registration.is_confirmed
    if registration.is_active:
        # Cancelled without the cancellation email: there is nobody left to send it to.
        registration.status = RegistrationStatus.CANCELLED
        registration.status_changed_at = now
    _forget(registration, now)
    audit.record("registration.erase", event=event, target=f"registration:{registration.id}", user=by)
    registrations._close_waitlist_gaps(event)
    db.session.flush()
    if held_seat and fill_seats:
        return registrations.fill_free_seats(event)
    return []


def event_is_over(event: Event, now: datetime | None = None) -> bool:
    return (now or utcnow()) >= event.ends_at


def erase_event(event: Event, *, by=None, now: datetime | None = None) -> int:
    """The organiser's "delete the personal data of this event", allowed once the event is over."""
    now = now or utcnow()
    if not event_is_over(event, now):
        raise PrivacyError(_l("Personal data can be deleted once the event is over."))
    count = 0
    for registration in _not_erased(event):
        erase_registration(registration, by=by, fill_seats=False, now=now)
        count += 1
    audit.record("event.erase_personal_data", event=event, target=event.slug, user=by, count=count)
    return count


def _not_erased(event: Event) -> list[Registration]:
    return list(
        db.session.execute(
            db.select(Registration).where(Registration.event_id == event.id, Registration.erased_at.is_(None))
            .order_by(Registration.id)
        ).scalars()
    )


@dataclass
class PurgeReport:
    slug: str
    erased: int


def purge(*, older_than_days: int | None = None, now: datetime | None = None) -> list[PurgeReport]:
    """Erase the registrations of every event past its retention period.

    Each event keeps its data ``retention_days`` after its end (events without one are kept);
    ``older_than_days`` overrides that for every event.
    """
    now = now or utcnow()
    reports = []
    events = db.session.execute(db.select(Event).where(Event.ends_at < now).order_by(Event.ends_at)).scalars().all()
    for event in events:
        days = older_than_days if older_than_days is not None else event.retention_days
        if days is None or event.ends_at + timedelta(days=days) > now:
            continue
        erased = 0
        for registration in _not_erased(event):
            erase_registration(registration, fill_seats=False, now=now)
            erased += 1
        if erased:
            audit.record("event.purge", event=event, target=event.slug, count=erased, days=days)
            reports.append(PurgeReport(event.slug, erased))
    return reports


def consent_records(event: Event) -> list[Registration]:
    """Who agreed to what and when, for the organiser (erased registrations have none left)."""
    return _not_erased(event)
