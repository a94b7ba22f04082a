"""Sign-ups: confirmed participants take and give back seats in the sessions that need one.

The only code that writes sign-ups. Which sessions still take a seat is decided once, by
``AgendaSession.open_for_sign_up``: ``sign_up`` refuses the others and ``signup_choices``
never offers them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import cast

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.agenda import speakers
from app.agenda.models import AgendaSession, SessionSignup
from app.agenda.services import AgendaError, seats_left, seats_taken, seats_taken_in, session_options, sessions_for
from app.core.database import lock_row
from app.core.models import utcnow
from app.extensions import db
from app.registration.models import Registration


class SessionFull(AgendaError):
    pass


# --- Reading -------------------------------------------------------------------------------------


def signups_of(registration: Registration) -> list[AgendaSession]:
    """The sessions a participant signed up for, in time order."""
    return list(
        db.session.execute(
            db.select(AgendaSession)
            .join(SessionSignup, SessionSignup.session_id == AgendaSession.id)
            .where(SessionSignup.registration_id == registration.id)
            .options(*session_options())
            .order_by(AgendaSession.starts_at, AgendaSession.id)
        ).scalars()
    )


def signups_for_session(session: AgendaSession) -> list[tuple[SessionSignup, Registration]]:
    return list(
        db.session.execute(
            db.select(SessionSignup, Registration)
            .join(Registration, SessionSignup.registration_id == Registration.id)
            .where(SessionSignup.session_id == session.id)
            .order_by(SessionSignup.created_at, SessionSignup.id)
        ).all()
    )


def _chosen_ids(registration: Registration) -> set[int]:
    return set(db.session.execute(db.select(SessionSignup.session_id).filter_by(registration_id=registration.id)).scalars())


@dataclass
class SignupChoice:
    session: AgendaSession
    seats_left: int
    chosen: bool
    clash: str | None  # title of a chosen session it overlaps
    offered: bool  # the participant may take a seat in it now


def signup_choices(registration: Registration, now: datetime | None = None) -> list[SignupChoice]:
    """The event's sign-up sessions as the participant sees them: chosen, free, full or clashing.

    Sessions that have not started are listed (cancelled ones marked so); one in progress only
    while the participant holds a seat in it. Only sessions open for sign-up are offered.
    """
    now = now or utcnow()
    event = registration.event
    chosen_ids = _chosen_ids(registration)
    sessions = [
        s for s in sessions_for(event, include_cancelled=True)
        if s.takes_sign_ups and (s.starts_at > now or (s.id in chosen_ids and s.ends_at > now))
    ]
    taken = seats_taken(event)
    chosen = [s for s in sessions if s.id in chosen_ids and not s.cancelled]
    choices = []
    for session in sessions:
        clash = next(
            (c.title for c in chosen if c.id != session.id and c.starts_at < session.ends_at and c.ends_at > session.starts_at),
            None,
        )
        left = seats_left(session, taken) or 0
        is_chosen = session.id in chosen_ids
        offered = (registration.may_attend and session.open_for_sign_up(now) and not is_chosen
                   and left > 0 and clash is None)
        choices.append(SignupChoice(session, left, is_chosen, clash, offered))
    return choices


# --- Writing -------------------------------------------------------------------------------------


def sign_up(registration: Registration, session: AgendaSession, *, now: datetime | None = None) -> SessionSignup:
    """Give a confirmed participant a seat in a session that needs sign-up.

    The registration row and then the session row are locked before anything is counted,
    so two requests can neither take more seats than the capacity nor give one participant
    two overlapping sessions. Signing up twice for the same session changes nothing.
    """
    now = now or utcnow()
    registration = lock_row(Registration, registration.id)
    session = lock_row(AgendaSession, session.id)
    if not registration.may_attend:
        raise AgendaError(_l("Only confirmed participants can sign up for sessions."))
    if session.event_id != registration.event_id or not session.takes_sign_ups:
        raise AgendaError(_l("This session does not take sign-ups."))
    if not session.open_for_sign_up(now):
        raise AgendaError(_l("This session is cancelled.") if session.cancelled else _l("This session has already started."))
    existing = db.session.execute(
        db.select(SessionSignup).filter_by(session_id=session.id, registration_id=registration.id)
    ).scalar_one_or_none()
    if existing is not None:
        return existing
    clash = db.session.execute(
        db.select(AgendaSession.title)
        .join(SessionSignup, SessionSignup.session_id == AgendaSession.id)
        .where(
            SessionSignup.registration_id == registration.id,
            AgendaSession.cancelled.is_(False),
            AgendaSession.starts_at < session.ends_at,
            AgendaSession.ends_at > session.starts_at,
        )
    ).scalars().first()
    if clash is not None:
        raise AgendaError(_l('This session overlaps "%(title)s", which you have already chosen. Cancel that one first.', title=clash))
    if not seats_left(session, {session.id: seats_taken_in(session)}):
        raise SessionFull(_l("Sorry, this session is full."))
    signup = SessionSignup(session_id=session.id, registration_id=registration.id, created_at=now)
    db.session.add(signup)
    db.session.flush()
    return signup


def sign_up_many(registration: Registration, session_ids: list[int]) -> list[AgendaError]:
    """Sign up for several sessions at once (the registration form's choices), in time order.

    Each goes through ``sign_up``; the refusals are returned, not raised, so the registration
    itself stands and the participant can see which choices did not fit.
    """
    sessions = db.session.execute(
        db.select(AgendaSession)
        .where(AgendaSession.id.in_(session_ids), AgendaSession.event_id == registration.event_id)
        .order_by(AgendaSession.starts_at, AgendaSession.id)
    ).scalars().all()
    refused = []
    for session in sessions:
        try:
            with db.session.begin_nested():
                sign_up(registration, session)
        except AgendaError as error:
            refused.append(AgendaError(_l('"%(title)s": %(reason)s', title=session.title, reason=error.message)))
    return refused


def cancel_sign_up(registration: Registration, session: AgendaSession) -> bool:
    """Give the seat back; returns whether there was one."""
    signup = db.session.execute(
        db.select(SessionSignup).filter_by(session_id=session.id, registration_id=registration.id)
    ).scalar_one_or_none()
    if signup is None:
        return False
    db.session.delete(signup)
    db.session.flush()
    return True


def release_sign_ups(registration: Registration) -> int:
    """Free every seat of a registration (call when it is cancelled or declined)."""
    result = cast(sa.CursorResult, db.session.execute(sa.delete(SessionSignup).where(SessionSignup.registration_id == registration.id)))
    db.session.flush()
    return result.rowcount or 0


def forget_participant(registration: Registration) -> None:
    """Erasure: the person's session seats are freed and a speaker profile no longer points at them."""
    release_sign_ups(registration)
    speakers.forget_registration(registration)
