"""The rules of registration: the only code that writes registrations."""

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.core.database import lock_row
from app.core.domain import DomainError
from app.core.models import utcnow
from app.core.tokens import hash_token, new_badge_secret, new_token
from app.events.models import Event, EventStatus
from app.extensions import db
from app.registration.models import Registration, RegistrationStatus


class WindowState:
    OPEN = "open"
    WAITLIST = "waitlist"  # full, but the waiting list takes names
    NOT_YET_OPEN = "not_yet_open"
    CLOSED = "closed"


@dataclass(frozen=True)
class RegistrationWindow:
    state: str
    seats_left: int | None  # None: unlimited
    capacity: int | None
    opens_at: datetime | None = None

    @property
    def accepting(self) -> bool:
        return self.state in (WindowState.OPEN, WindowState.WAITLIST)


def confirmed_count(event: Event) -> int:
    return db.session.execute(
        db.select(sa.func.count(Registration.id)).filter_by(event_id=event.id, status=RegistrationStatus.CONFIRMED)
    ).scalar_one()


def registration_window(event: Event, now: datetime | None = None) -> RegistrationWindow:
    """Whether the event takes registrations now, and how many seats are left."""
    now = now or utcnow()
    taken = confirmed_count(event) if event.capacity is not None else 0
    seats_left = max(event.capacity - taken, 0) if event.capacity is not None else None
    closes_at = event.registration_closes_at or event.starts_at
    if event.status != EventStatus.PUBLISHED or now >= closes_at or now >= event.ends_at:
        return RegistrationWindow(WindowState.CLOSED, seats_left, event.capacity)
    if event.registration_opens_at and now < event.registration_opens_at:
        return RegistrationWindow(WindowState.NOT_YET_OPEN, seats_left, event.capacity, event.registration_opens_at)
    if seats_left == 0:
        return RegistrationWindow(WindowState.WAITLIST, 0, event.capacity)
    return RegistrationWindow(WindowState.OPEN, seats_left, event.capacity)


def counts_by_status(event: Event) -> dict[str, int]:
    rows = db.session.execute(
        db.select(Registration.status, sa.func.count(Registration.id))
        .filter_by(event_id=event.id)
        .group_by(Registration.status)
    ).all()
    counts = dict.fromkeys(RegistrationStatus.ALL, 0)
    counts.update({status: count for status, count in rows})
    return counts


class RegistrationError(DomainError):
    pass


class RegistrationClosed(RegistrationError):
    pass


class AlreadyRegistered(RegistrationError):
    def __init__(self, registration: Registration):
        super().__init__(_l("This email address is already registered for the event."), "email")
        self.registration = registration


@dataclass
class Registrant:
    first_name: str
    last_name: str
    email: str
    organisation: str = ""
    job_title: str = ""
    country: str = ""
    phone: str = ""
    language: str = "en"


def find_by_email(event: Event, email: str) -> Registration | None:
    return db.session.execute(
        db.select(Registration).filter_by(event_id=event.id, email=email.strip().lower())
    ).scalar_one_or_none()


def next_waitlist_position(event: Event) -> int:
    highest = db.session.execute(
        db.select(sa.func.max(Registration.waitlist_position)).filter_by(
            event_id=event.id, status=RegistrationStatus.WAITLISTED
        )
    ).scalar_one()
    return (highest or 0) + 1


def register(
    event: Event,
    registrant: Registrant,
    *,
    privacy_consent: bool,
    photo_consent: bool = False,
    future_events_consent: bool = False,
    by_organiser: bool = False,
    lock: bool = True,
    now: datetime | None = None,
) -> tuple[Registration, str]:
    """Register someone for an event; returns the registration and its manage-link token.

    The event row is locked before seats are counted, so concurrent registrations can
    never take more seats than the capacity: the rest join the waiting list in order.
    ``by_organiser`` lets an organiser add someone outside the registration window,
    but never past the capacity. ``lock=False`` exists only for the test that shows the
    race happens without the lock.
    """
    now = now or utcnow()
    if lock:
        event = lock_row(Event, event.id)
    if not by_organiser and not registration_window(event, now).accepting:
        raise RegistrationClosed(_l("Registration for this event is closed."))
    if not privacy_consent:
        raise RegistrationError(_l("Please agree to the privacy notice to register."), "privacy_consent")
    email = registrant.email.strip().lower()
    existing = find_by_email(event, email)
    if existing is not None:
        raise AlreadyRegistered(existing)

    token = new_token()
    registration = Registration(
        event_id=event.id,
        first_name=registrant.first_name.strip(),
        last_name=registrant.last_name.strip(),
        email=email,
        organisation=registrant.organisation.strip(),
        job_title=registrant.job_title.strip(),
        country=registrant.country.strip().upper(),
        phone=registrant.phone.strip(),
        language=registrant.language,
        manage_token_hash=hash_token(token),
        status_changed_at=now,
        consent_privacy_at=now,
        consent_privacy_version=event.privacy_notice_version,
        consent_photo_at=now if photo_consent else None,
        consent_future_events_at=now if future_events_consent else None,
    )
    if event.requires_approval and not by_organiser:
        registration.status = RegistrationStatus.PENDING
    elif event.capacity is None or confirmed_count(event) < event.capacity:
        registration.status = RegistrationStatus.CONFIRMED
        registration.badge_secret = new_badge_secret()
    else:
        registration.status = RegistrationStatus.WAITLISTED
        registration.waitlist_position = next_waitlist_position(event)
    db.session.add(registration)
    db.session.flush()
    return registration, token


def get_by_token(token: str) -> Registration | None:
    """The registration a private manage link opens, or None (malformed, unknown or erased)."""
    if not token or len(token) > 100:
        return None
    registration = db.session.execute(
        db.select(Registration).filter_by(manage_token_hash=hash_token(token))
    ).scalar_one_or_none()
    if registration is None or registration.erased_at is not None:
        return None
    return registration
