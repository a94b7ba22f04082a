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

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.agenda import services as agenda
from app.agenda.models import Speaker
from app.audit import services as audit
from app.audit.models import AuditEntry
from app.badges import services as badges
from app.core.database import lock_row
from app.core.domain import DomainError
from app.core.models import utcnow
from app.core.tokens import hash_token, new_nonce, new_token
from app.events.models import Event
from app.extensions import db
from app.mail.models import OutboxMessage, OutboxStatus
from app.registration import services as registrations
from app.registration.models import Answer, Registration, RegistrationStatus
from app.surveys.models import SurveyInvitation

ERASED_NAME = "—"
ACTIVE = (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED, RegistrationStatus.PENDING)


class PrivacyError(DomainError):
    pass


def erased_email(registration: Registration) -> str:
    # Unique per event (the table's constraint) and undeliverable (.invalid is reserved).
    return f"erased-{registration.id}@erased.invalid"


def _scrub_outbox(registration: Registration, email: str) -> None:
    """Queued mail to the person is dropped; what was sent stays as a bare record (kind, date)."""
    about = sa.or_(
        OutboxMessage.registration_id == registration.id,
        sa.and_(OutboxMessage.event_id == registration.event_id, OutboxMessage.recipient == email),
    )
    db.session.execute(
        sa.delete(OutboxMessage).where(about, OutboxMessage.status.in_((OutboxStatus.QUEUED, OutboxStatus.FAILED)))
    )
    db.session.execute(
        sa.update(OutboxMessage).where(about).values(
            recipient=erased_email(registration), subject="", body_text="", body_html="", attachments=[], last_error="",
            registration_id=None,
        ).execution_options(synchronize_session=False)
    )


def _scrub_mentions(registration: Registration, email: str, names: tuple[str, ...]) -> None:
    """An organiser's message to others may name the person: their full name and address are blanked out."""
    mentions = [text for text in (email, *names) if len(text) > 3]
    if not mentions:
        return
    messages = db.session.execute(
        db.select(OutboxMessage).where(
            OutboxMessage.event_id == registration.event_id,
            sa.or_(*[column.contains(text, autoescape=True) for text in mentions
                     for column in (OutboxMessage.body_text, OutboxMessage.body_html, OutboxMessage.subject)]),
        )
    ).scalars()
    for message in messages:
        for text in mentions:
            message.subject = message.subject.replace(text, ERASED_NAME)
            message.body_text = message.body_text.replace(text, ERASED_NAME)
            message.body_html = (message.body_html or "").replace(text, ERASED_NAME)


def _scrub_audit(registration: Registration, email: str) -> None:
    """Audit entries stay (who did what), but point at the registration's number, not the address."""
    db.session.execute(
        sa.update(AuditEntry)
        .where(AuditEntry.event_id == registration.event_id, AuditEntry.target == email)
        .values(target=f"registration:{registration.id}")
        .execution_options(synchronize_session=False)
    )


def _anonymise(registration: Registration, now: datetime) -> None:
    email = registration.email
    first, last = registration.first_name.strip(), registration.last_name.strip()
    names = (f"{first} {last}", f"{last} {first}")  # either order, as people write them
    registration.first_name = ERASED_NAME
    registration.last_name = ""
    registration.email = erased_email(registration)
    registration.organisation = ""
    registration.job_title = ""
    registration.country = ""
    registration.phone = ""
    # A fresh random token that nobody ever saw: the old link opens nothing (erased_at too).
    registration.manage_token_nonce = new_nonce()
    registration.manage_token_hash = hash_token(new_token())
    registration.consent_privacy_at = None
    registration.consent_privacy_version = None
    registration.consent_photo_at = None
    registration.consent_future_events_at = None
    registration.consent_public_list_at = None
    registration.badge_printed_at = None
    if registration.badge_secret is not None:
        badges.revoke_badge(registration)
    registration.waitlist_position = None
    registration.erased_at = now
    db.session.execute(sa.delete(Answer).where(Answer.registration_id == registration.id))
    db.session.expire(registration, ["answers"])
    agenda.release_sign_ups(registration)
    # Survey answers stay, unlinked from the person; an unsent draft is theirs and goes.
    db.session.execute(
        sa.update(SurveyInvitation).where(SurveyInvitation.registration_id == registration.id)
        .values(registration_id=None, draft={}).execution_options(synchronize_session=False)
    )
    db.session.execute(
        sa.update(Speaker).where(Speaker.registration_id == registration.id)
        .values(registration_id=None).execution_options(synchronize_session=False)
    )
    _scrub_outbox(registration, email)
    _scrub_mentions(registration, email, names)
    _scrub_audit(registration, email)
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
    held_seat = registration.status == RegistrationStatus.CONFIRMED
    if registration.status in ACTIVE:
        # Cancelled without the cancellation email: there is nobody left to send it to.
        registration.status = RegistrationStatus.CANCELLED
        registration.status_changed_at = now
    _anonymise(registration, now)
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
