"""The lifecycle of a registration: the only code that changes a registration's state.

The public form, the organiser's "add participant", the CSV import and the demo loader
all call ``register``; every state change (approve, decline, cancel, promote, the waiting
list, a raised capacity) goes through a function here, which also queues the email that
tells the participant. The participant's own edits, the questions, the import, the
organiser's messages and the lists have their own modules beside this one.
"""

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.agenda import signups
from app.audit import services as audit
from app.badges import services as badges
from app.core.database import lock_row
from app.core.domain import DomainError, FieldErrors
from app.core.models import ChoiceEnum, utcnow
from app.core.tokens import hash_token
from app.events.models import Event
from app.extensions import db
from app.registration import emails
from app.registration.errors import AlreadyRegistered, NoSeatFree, RegistrationClosed, RegistrationError
from app.registration.links import manage_token, new_manage_link
from app.registration.models import Answer, Question, Registration, RegistrationStatus
from app.registration.questions import check_answers, is_empty


class WindowState(ChoiceEnum):
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

    @property
    def is_waitlist(self) -> bool:
        """Full: whoever registers now joins the waiting list."""
        return self.state == WindowState.WAITLIST

    @property
    def is_not_yet_open(self) -> bool:
        """Registration opens later, at ``opens_at``."""
        return self.state == WindowState.NOT_YET_OPEN


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


@dataclass
class Consents:
    privacy: bool
    photo: bool = False
    future_events: bool = False


@dataclass
class RegistrationResult:
    registration: Registration
    token: str
    created: bool = True
    promoted: list[Registration] = field(default_factory=list)
    refused_sessions: list[str] = field(default_factory=list)


# Reading ---------------------------------------------------------------------------------

def confirmed_count(event: Event) -> int:
    return db.session.execute(
        db.select(sa.func.count(Registration.id)).filter_by(event_id=event.id, status=RegistrationStatus.CONFIRMED)
    ).scalar_one()


def _closed_or_not_yet_open(event: Event, now: datetime) -> str | None:
    """The window rules that do not count seats: published, open already, not closed, not over."""
    closes_at = event.registration_closes_at or event.starts_at
    if not event.is_published or now >= closes_at or now >= event.ends_at:
        return WindowState.CLOSED
    if event.registration_opens_at and now < event.registration_opens_at:
        return WindowState.NOT_YET_OPEN
    return None


def registration_window(event: Event, now: datetime | None = None) -> RegistrationWindow:
    """Whether the event takes registrations now, and how many seats are left."""
    now = now or utcnow()
    taken = confirmed_count(event) if event.capacity is not None else 0
    seats_left = max(event.capacity - taken, 0) if event.capacity is not None else None
    state = _closed_or_not_yet_open(event, now)
    if state is not None:
        return RegistrationWindow(state, seats_left, event.capacity, event.registration_opens_at)
    if seats_left == 0:
        return RegistrationWindow(WindowState.WAITLIST, 0, event.capacity)
    return RegistrationWindow(WindowState.OPEN, seats_left, event.capacity)


def takes_registrations(event: Event, now: datetime) -> bool:
    """Whether registrations are taken now, without counting seats (a full event takes waiting-list places)."""
    return _closed_or_not_yet_open(event, now) is None


def _seats_and_queue(event: Event) -> tuple[int, int]:
    """Confirmed seats and the last waiting-list position, in one query."""
    confirmed, last_position = db.session.execute(
        db.select(
            sa.func.count(Registration.id).filter(Registration.status == RegistrationStatus.CONFIRMED),
            sa.func.max(Registration.waitlist_position).filter(Registration.status == RegistrationStatus.WAITLISTED),
        ).where(Registration.event_id == event.id)
    ).one()
    return confirmed, last_position or 0


def counts_by_status(event: Event) -> dict[str, int]:
    rows = db.session.execute(
        db.select(Registration.status, sa.func.count(Registration.id))
        .where(Registration.event_id == event.id)
        .group_by(Registration.status)
    ).all()
    counts: dict[str, int] = dict.fromkeys(RegistrationStatus, 0)
    counts.update(dict(rows))
    return counts


def get_by_token(token: str) -> Registration | None:
    """The registration a private manage link opens, or None (malformed, unknown or erased)."""
    if not token or len(token) > 100:
        return None
    registration = db.session.execute(
        db.select(Registration).filter_by(manage_token_hash=hash_token(token))
    ).scalar_one_or_none()
    if registration is None or registration.is_erased:
        return None
    return registration


def find_by_email(event: Event, email: str) -> Registration | None:
    return db.session.execute(
        db.select(Registration).filter_by(event_id=event.id, email=email.strip().lower())
    ).scalar_one_or_none()


def waitlist(event: Event) -> list[Registration]:
    return list(
        db.session.execute(
            db.select(Registration)
            .filter_by(event_id=event.id, status=RegistrationStatus.WAITLISTED)
            .order_by(Registration.waitlist_position, Registration.id)
        ).scalars()
    )


# Writing ---------------------------------------------------------------------------------

def _set_status(registration: Registration, status: RegistrationStatus, now: datetime | None = None) -> None:
    registration.status = status
    registration.status_changed_at = now or utcnow()
    # A badge opens the door only for a confirmed registration.
    if status == RegistrationStatus.CONFIRMED:
        registration.waitlist_position = None
        if registration.badge_secret is None:
            badges.issue_badge_secret(registration)
    else:
        if status != RegistrationStatus.WAITLISTED:
            registration.waitlist_position = None
        if registration.badge_secret is not None:
            badges.revoke_badge(registration)


def _close_waitlist_gaps(event: Event) -> None:
    for position, registration in enumerate(waitlist(event), start=1):
        registration.waitlist_position = position


def _seat_or_queue(registration: Registration, event: Event, now: datetime | None = None) -> None:
    """A free seat if there is one, otherwise the end of the waiting list (event row locked)."""
    confirmed, last_position = _seats_and_queue(event)
    if event.capacity is None or confirmed < event.capacity:
        _set_status(registration, RegistrationStatus.CONFIRMED, now)
    else:
        _set_status(registration, RegistrationStatus.WAITLISTED, now)
        registration.waitlist_position = last_position + 1


def _seat_free(event: Event) -> bool:
    return event.capacity is None or confirmed_count(event) < event.capacity


def register(
    event: Event,
    registrant: Registrant,
    consents: Consents,
    *,
    answers: dict[int, object] | None = None,
    questions: list[Question] | None = None,
    session_ids: list[int] | None = None,
    by_organiser: bool = False,
    lock: bool = True,
    send_email: bool = True,
    now: datetime | None = None,
) -> RegistrationResult:
    """Register someone for an event.

    The event row is locked before seats are counted, so concurrent registrations can
    never take more seats than the capacity: the rest join the waiting list in order.
    ``by_organiser`` lets an organiser add someone outside the registration window and
    without approval, but never past the capacity. ``lock=False`` exists only for the test
    that shows the race happens without the lock. A missing consent and every unfit answer
    are refused together, as one ``FieldErrors``.
    """
    now = now or utcnow()
    # Everything that does not depend on the seats is checked before the lock, to hold it briefly.
    if not by_organiser and not takes_registrations(event, now):
        raise RegistrationClosed(_l("Registration for this event is closed."))
    answers = answers or {}
    errors: list[DomainError] = [] if consents.privacy else [
        RegistrationError(_l("Please agree to the privacy notice to register."), "privacy_consent")
    ]
    try:
        check_answers(event, answers, questions)
    except FieldErrors as unfit:
        errors.extend(unfit.errors)
    FieldErrors.raise_if_any(errors)
    email = registrant.email.strip().lower()
    if lock:
        event = lock_row(Event, event.id)
    # Checked under the lock: two simultaneous attempts with one address cannot both pass.
    existing = find_by_email(event, email)
    if existing is not None:
        raise AlreadyRegistered(existing)

    registration = Registration(
        event=event,
        first_name=registrant.first_name.strip(),
        last_name=registrant.last_name.strip(),
        email=email,
        organisation=registrant.organisation.strip(),
        job_title=registrant.job_title.strip(),
        country=registrant.country.strip().upper(),
        phone=registrant.phone.strip(),
        language=registrant.language,
        consent_privacy_at=now,
        consent_privacy_version=event.privacy_notice_version,
        consent_photo_at=now if consents.photo else None,
        consent_future_events_at=now if consents.future_events else None,
        **new_manage_link(),
    )
    registration.answers = [
        Answer(question_id=question_id, value=value) for question_id, value in answers.items() if not is_empty(value)
    ]
    if event.requires_approval and not by_organiser:
        _set_status(registration, RegistrationStatus.PENDING, now)
    else:
        _seat_or_queue(registration, event, now)
    db.session.add(registration)
    db.session.flush()
    refused = []
    if session_ids and registration.is_confirmed:
        # Workshops and expert consultations chosen on the form: seats only for confirmed participants.
        refused = [str(error.message) for error in signups.sign_up_many(registration, session_ids)]
    if by_organiser:
        audit.record("registration.add", event=event, target=f"registration:{registration.id}", status=registration.status)
    if send_email:
        emails.status_email(registration, with_sessions=bool(session_ids), refused_sessions=refused)
    return RegistrationResult(registration, manage_token(registration), refused_sessions=refused)


def register_or_resend_link(event: Event, registrant: Registrant, consents: Consents, **options) -> RegistrationResult | None:
    """The public form's registration: an address registered already gets its link again (None).

    The visitor sees the same answer either way, so the form tells no one who registered.
    """
    try:
        return register(event, registrant, consents, **options)
    except AlreadyRegistered as duplicate:
        resend_link(duplicate.registration)
        return None


def resend_link(registration: Registration) -> None:
    """Someone registered again with the same address: email them the link instead."""
    emails.link_reminder(registration)


def fill_free_seats(event: Event) -> list[Registration]:
    """Promote from the waiting list, first come first served, while seats are free.

    Call with the event row locked (every caller here does)."""
    promoted = []
    free = None if event.capacity is None else event.capacity - confirmed_count(event)
    for registration in waitlist(event):
        if free is not None and free <= 0:
            break
        _set_status(registration, RegistrationStatus.CONFIRMED)
        emails.promoted(registration)
        promoted.append(registration)
        if free is not None:
            free -= 1
    if promoted:
        _close_waitlist_gaps(event)
        db.session.flush()
    return promoted


def _locked(registration: Registration) -> Event:
    """Lock the registration's event row (seats are counted under it) and reread the registration."""
    event = lock_row(Event, registration.event_id)
    db.session.refresh(registration)
    return event


def _withdraw(registration: Registration, status: RegistrationStatus) -> tuple[Event, RegistrationStatus]:
    """End a registration still in the running (cancelled or declined); its sessions' seats are freed.

    Returns the locked event and the status the registration had.
    """
    event = _locked(registration)
    if not registration.is_active:
        raise RegistrationError(_l("This registration is no longer active."))
    previous = registration.status
    _set_status(registration, status)
    signups.release_sign_ups(registration)
    db.session.flush()
    return event, previous


def cancel(registration: Registration, *, by_organiser: bool = False) -> list[Registration]:
    """Cancel a registration (or leave the waiting list); a freed seat goes to the waiting list."""
    event, previous = _withdraw(registration, RegistrationStatus.CANCELLED)
    if by_organiser:
        audit.record("registration.cancel", event=event, target=f"registration:{registration.id}")
    emails.cancelled(registration)
    if previous == RegistrationStatus.WAITLISTED:
        _close_waitlist_gaps(event)
        db.session.flush()
        return []
    return fill_free_seats(event)


def decline(registration: Registration) -> list[Registration]:
    """The organiser turns a registration down; a seat it held goes to the waiting list."""
    event, previous = _withdraw(registration, RegistrationStatus.DECLINED)
    audit.record("registration.decline", event=event, target=f"registration:{registration.id}")
    emails.declined(registration)
    _close_waitlist_gaps(event)
    db.session.flush()
    return fill_free_seats(event) if previous == RegistrationStatus.CONFIRMED else []


def approve(registration: Registration, *, notify: bool = True) -> None:
    """Approve a pending registration: a seat if one is free, otherwise the waiting list."""
    event = _locked(registration)
    if not registration.is_pending:
        raise RegistrationError(_l("Only registrations awaiting approval can be approved."))
    _seat_or_queue(registration, event)
    db.session.flush()
    audit.record("registration.approve", event=event, target=f"registration:{registration.id}", status=registration.status)
    if notify:
        emails.status_email(registration)


def promote(registration: Registration) -> None:
    """The organiser gives a waiting-list place a seat; refused when no seat is free."""
    event = _locked(registration)
    if not (registration.is_waitlisted or registration.is_pending):
        raise RegistrationError(_l("Only waiting or pending registrations can be promoted."))
    if not _seat_free(event):
        raise NoSeatFree(_l("No seat is free. Raise the capacity or wait for a cancellation."))
    _set_status(registration, RegistrationStatus.CONFIRMED)
    _close_waitlist_gaps(event)
    db.session.flush()
    audit.record("registration.promote", event=event, target=f"registration:{registration.id}")
    emails.promoted(registration)


def move_on_waitlist(registration: Registration, new_position: int) -> None:
    """The organiser moves a waiting-list place; the others close up around it."""
    event = _locked(registration)
    if not registration.is_waitlisted:
        raise RegistrationError(_l("Only waiting-list places can be moved."))
    queue = [r for r in waitlist(event) if r.id != registration.id]
    new_position = max(1, min(new_position, len(queue) + 1))
    queue.insert(new_position - 1, registration)
    for position, item in enumerate(queue, start=1):
        item.waitlist_position = position
    db.session.flush()
    audit.record("registration.move", event=event, target=f"registration:{registration.id}", position=new_position)


def capacity_changed(event: Event) -> list[Registration]:
    """After the organiser raised the capacity (or removed it), give the new seats away."""
    event = lock_row(Event, event.id)
    return fill_free_seats(event)
