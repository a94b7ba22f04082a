"""The rules of the programme: sessions and tracks, the days they fill, and the seats they hold.

The only code that writes sessions and tracks; speakers are written by ``agenda.speakers``,
sign-ups by ``agenda.signups``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from app.agenda.models import AgendaSession, SessionKind, SessionSignup, SessionSpeaker, Speaker, Track
from app.core.domain import DomainError, FieldErrors
from app.core.models import utcnow
from app.core.timezones import event_days, local_to_utc
from app.events.models import Event
from app.extensions import db
from app.registration.models import Registration

KIND_LABELS: dict[str, LazyString] = {
    SessionKind.TALK: _l("Talk"),
    SessionKind.WORKSHOP: _l("Workshop"),
    SessionKind.PANEL: _l("Panel"),
    SessionKind.CONSULTATION: _l("Expert consultation"),
    SessionKind.NETWORKING: _l("Networking"),
    SessionKind.BREAK: _l("Break"),
}
COLOUR_PATTERN = re.compile(r"^#[0-9a-fA-F]{6}$")


class AgendaError(DomainError):
    pass


# --- Reading -------------------------------------------------------------------------------------


def session_options():
    """Eager loading for sessions shown with their track and speakers: a fixed number of queries."""
    return (
        selectinload(AgendaSession.track),
        selectinload(AgendaSession.speaker_links).selectinload(SessionSpeaker.speaker),
    )


def sessions_for(event: Event, *, include_cancelled: bool = True) -> list[AgendaSession]:
    query = (
        db.select(AgendaSession)
        .filter_by(event_id=event.id)
        .options(*session_options())
        .order_by(AgendaSession.starts_at, AgendaSession.room, AgendaSession.id)
    )
    if not include_cancelled:
        query = query.filter_by(cancelled=False)
    return list(db.session.execute(query).scalars())


def get_session(event: Event, session_id: int) -> AgendaSession | None:
    return db.session.execute(
        db.select(AgendaSession).filter_by(event_id=event.id, id=session_id).options(*session_options())
    ).scalar_one_or_none()


def tracks_for(event: Event) -> list[Track]:
    return list(db.session.execute(db.select(Track).filter_by(event_id=event.id).order_by(Track.name, Track.id)).scalars())


def get_track(event: Event, track_id: int) -> Track | None:
    return db.session.execute(db.select(Track).filter_by(event_id=event.id, id=track_id)).scalar_one_or_none()


def _seats_held():
    """Seats held, per session: only by participants who may attend (a cancelled one's seat is free)."""
    return (
        db.select(SessionSignup.session_id, sa.func.count(SessionSignup.id))
        .join(Registration, SessionSignup.registration_id == Registration.id)
        .where(Registration.may_attend)
        .group_by(SessionSignup.session_id)
    )


def seats_taken(event: Event) -> dict[int, int]:
    """Seats held in each of the event's sessions, in one query."""
    rows = db.session.execute(
        _seats_held().join(AgendaSession, SessionSignup.session_id == AgendaSession.id).where(AgendaSession.event_id == event.id)
    ).all()
    return {session_id: count for session_id, count in rows}


def seats_taken_in(session: AgendaSession) -> int:
    """Seats held in one session."""
    row = db.session.execute(_seats_held().where(SessionSignup.session_id == session.id)).first()
    return row[1] if row else 0


def seats_left(session: AgendaSession, taken: dict[int, int]) -> int | None:
    if session.capacity is None:
        return None
    return max(session.capacity - taken.get(session.id, 0), 0)


def rooms_for(event: Event) -> list[str]:
    return list(
        db.session.execute(
            db.select(AgendaSession.room).filter_by(event_id=event.id).where(AgendaSession.room != "")
            .distinct().order_by(AgendaSession.room)
        ).scalars()
    )


def group_by_day(event: Event, sessions: list[AgendaSession]) -> list[tuple[date, list[AgendaSession]]]:
    days: dict[date, list[AgendaSession]] = defaultdict(list)
    for session in sessions:
        days[event.local(session.starts_at).date()].append(session)
    return sorted(days.items())


def now_and_next(sessions: list[AgendaSession], now: datetime) -> tuple[set[int], set[int]]:
    """Sessions running now, and the ones that start next (all starting at the same moment)."""
    live = [s for s in sessions if not s.cancelled]
    running = {s.id for s in live if s.starts_at <= now < s.ends_at}
    upcoming = [s for s in live if s.starts_at > now]
    if not upcoming:
        return running, set()
    first = min(s.starts_at for s in upcoming)
    return running, {s.id for s in upcoming if s.starts_at == first}


def last_modified(event: Event) -> datetime:
    """When anything a public export shows last changed, in one query."""
    sessions, speakers = db.session.execute(
        db.select(
            db.select(sa.func.max(AgendaSession.updated_at)).where(AgendaSession.event_id == event.id).scalar_subquery(),
            db.select(sa.func.max(Speaker.updated_at)).where(Speaker.event_id == event.id).scalar_subquery(),
        )
    ).one()
    return max(moment for moment in (event.updated_at, sessions, speakers) if moment is not None)


# --- What the exports notice ---------------------------------------------------------------------


def touch(session: AgendaSession) -> None:
    """A change a calendar client should notice: raise the session's iCalendar SEQUENCE."""
    session.sequence = (session.sequence or 0) + 1
    session.updated_at = utcnow()


def touch_sessions(query) -> None:
    for session in db.session.execute(query).scalars():
        touch(session)


def touch_event(event: Event) -> None:
    """Something left the exports: move their Last-Modified on, as nothing else records a deletion."""
    event.updated_at = utcnow()


# --- Tracks --------------------------------------------------------------------------------------


def save_track(event: Event, track: Track | None, name: str, colour: str) -> Track:
    name = name.strip()
    if not name:
        raise AgendaError(_l("Give the track a name."), "name")
    if not COLOUR_PATTERN.match(colour or ""):
        raise AgendaError(_l("Choose a colour like #2a6f97."), "colour")
    duplicate = db.select(Track.id).filter_by(event_id=event.id, name=name)
    if track is not None:
        duplicate = duplicate.where(Track.id != track.id)
    if db.session.execute(duplicate).first() is not None:
        raise AgendaError(_l("This event already has a track with that name."), "name")
    if track is None:
        track = Track(event_id=event.id)
        db.session.add(track)
    elif track.name != name:
        # The track's name is in every feed's session description: calendars should notice.
        touch_sessions(db.select(AgendaSession).filter_by(track_id=track.id))
    touch_event(event)  # the schedule exports list the tracks and their colours
    track.name, track.colour = name, colour.lower()
    db.session.flush()
    return track


def delete_track(track: Track) -> None:
    touch_sessions(db.select(AgendaSession).filter_by(track_id=track.id))
    touch_event(track.event)
    db.session.delete(track)
    db.session.flush()


# --- Sessions ------------------------------------------------------------------------------------


@dataclass
class SessionChanges:
    """A session as a form submits it: times as the wall-clock times typed in the event's zone."""

    title: str
    kind: str
    starts_at: datetime
    ends_at: datetime
    description: str = ""
    room: str = ""
    track_id: int | None = None
    capacity: int | None = None
    cancelled: bool = False
    speaker_ids: list[int] = field(default_factory=list)


def _check_times(event: Event, starts_at: datetime, ends_at: datetime) -> list[AgendaError]:
    errors = []
    if ends_at <= starts_at:
        errors.append(AgendaError(_l("The session must end after it starts."), "ends_at"))
    days = event_days(event.starts_at, event.ends_at, event.timezone)
    if event.local(starts_at).date() not in days:
        errors.append(AgendaError(_l("The session must take place on one of the event's days."), "starts_at"))
    elif event.local(ends_at).date() not in days:
        errors.append(AgendaError(_l("The session must end on one of the event's days."), "ends_at"))
    return errors


def overlap_warnings(event: Event, session: AgendaSession) -> list[str]:
    """Overlaps in the same room or for the same speaker: shown to the organiser, never refused."""
    if session.cancelled:
        return []
    others = db.session.execute(
        db.select(AgendaSession)
        .filter_by(event_id=event.id, cancelled=False)
        .where(
            AgendaSession.id != session.id,
            AgendaSession.starts_at < session.ends_at,
            AgendaSession.ends_at > session.starts_at,
        )
        .options(selectinload(AgendaSession.speaker_links).selectinload(SessionSpeaker.speaker))
        .order_by(AgendaSession.starts_at)
    ).scalars()
    speaker_ids = {link.speaker_id for link in session.speaker_links}
    messages = []
    for other in others:
        if session.room and other.room.strip().casefold() == session.room.strip().casefold():
            messages.append(str(_l('"%(title)s" overlaps "%(other)s" in %(room)s.',
                                   title=session.title, other=other.title, room=session.room)))
        for link in other.speaker_links:
            if link.speaker_id in speaker_ids:
                messages.append(str(_l('%(speaker)s is also speaking in "%(other)s" at the same time.',
                                       speaker=link.speaker.name, other=other.title)))
    return messages


def _speaker_links(speaker_ids: list[int]) -> list[SessionSpeaker]:
    return [SessionSpeaker(speaker_id=speaker_id, position=position) for position, speaker_id in enumerate(speaker_ids)]


def save_session(event: Event, session: AgendaSession | None, changes: SessionChanges) -> tuple[AgendaSession, list[str]]:
    """Create (``session`` None) or update a session; returns it with overlap warnings.

    Raises ``FieldErrors`` (every rule that failed) and writes nothing when a rule fails.
    """
    starts_at = local_to_utc(changes.starts_at, event.timezone)
    ends_at = local_to_utc(changes.ends_at, event.timezone)
    errors = _check_times(event, starts_at, ends_at)
    if not SessionKind.has(changes.kind):
        errors.append(AgendaError(_l("Choose a kind of session."), "kind"))
    if changes.track_id is not None and get_track(event, changes.track_id) is None:
        errors.append(AgendaError(_l("Choose a track of this event."), "track_id"))
    speaker_ids = list(dict.fromkeys(changes.speaker_ids))  # keep the order, drop repeats
    if speaker_ids:
        known = set(db.session.execute(db.select(Speaker.id).filter_by(event_id=event.id).where(Speaker.id.in_(speaker_ids))).scalars())
        if known != set(speaker_ids):
            errors.append(AgendaError(_l("Choose speakers of this event.")))
    if session is not None and changes.capacity is not None:
        taken = seats_taken_in(session)
        if changes.capacity < taken:
            errors.append(AgendaError(
                _l("%(count)d participants have already signed up: the capacity cannot be lower.", count=taken), "capacity"))
    FieldErrors.raise_if_any(errors)

    values = {
        "title": changes.title.strip(),
        "kind": changes.kind,
        "description": changes.description or "",
        "starts_at": starts_at,
        "ends_at": ends_at,
        "room": (changes.room or "").strip(),
        "track_id": changes.track_id,
        "capacity": changes.capacity,
        "cancelled": bool(changes.cancelled),
    }
    if session is None:
        session = AgendaSession(event_id=event.id, sequence=0, **values)
        session.speaker_links = _speaker_links(speaker_ids)
        db.session.add(session)
    else:
        old_speakers = [link.speaker_id for link in session.speaker_links]
        changed = any(getattr(session, name) != value for name, value in values.items()) or old_speakers != speaker_ids
        for name, value in values.items():
            setattr(session, name, value)
        if old_speakers != speaker_ids:
            session.speaker_links.clear()
            db.session.flush()
            session.speaker_links.extend(_speaker_links(speaker_ids))
        if changed:
            touch(session)
    db.session.flush()
    return session, overlap_warnings(event, session)


def set_cancelled(session: AgendaSession, cancelled: bool) -> None:
    if session.cancelled != cancelled:
        session.cancelled = cancelled
        touch(session)
        db.session.flush()


def delete_session(session: AgendaSession) -> None:
    signed_up = db.session.execute(db.select(sa.func.count(SessionSignup.id)).filter_by(session_id=session.id)).scalar_one()
    if signed_up:
        raise AgendaError(_l("Participants have signed up for this session: cancel it instead, so their calendars show it."))
    touch_event(session.event)
    db.session.delete(session)
    db.session.flush()


def _copied_session(session: AgendaSession, event_id: int, starts_at: datetime, ends_at: datetime, **values) -> AgendaSession:
    """A new session like ``session`` at other times (its speakers too, never its sign-ups)."""
    copy = AgendaSession(
        event_id=event_id, title=session.title, description=session.description, kind=session.kind,
        starts_at=starts_at, ends_at=ends_at, room=session.room, capacity=session.capacity, **values,
    )
    copy.speaker_links = [SessionSpeaker(speaker_id=link.speaker_id, position=link.position) for link in session.speaker_links]
    db.session.add(copy)
    return copy


def copy_day(event: Event, source: date, target: date) -> tuple[int, list[str]]:
    """Copy every session of one event day (not cancelled ones, not sign-ups) to another day."""
    days = event_days(event.starts_at, event.ends_at, event.timezone)
    if source not in days:
        raise AgendaError(_l("Choose one of the event's days."), "source")
    if target not in days:
        raise AgendaError(_l("Choose one of the event's days."), "target")
    if source == target:
        raise AgendaError(_l("Choose a different day to copy to."), "target")
    shift = timedelta(days=(target - source).days)
    copies = []
    for session in sessions_for(event, include_cancelled=False):
        if event.local(session.starts_at).date() != source:
            continue
        # Shift the wall-clock time, so a copy across a daylight-saving change keeps its local hours.
        starts = local_to_utc(event.local(session.starts_at).replace(tzinfo=None) + shift, event.timezone)
        ends = local_to_utc(event.local(session.ends_at).replace(tzinfo=None) + shift, event.timezone)
        if _check_times(event, starts, ends):
            continue
        copies.append(_copied_session(session, event.id, starts, ends, track_id=session.track_id, cancelled=False, sequence=0))
    db.session.flush()
    warnings = []
    for copy in copies:
        warnings.extend(overlap_warnings(event, copy))
    return len(copies), list(dict.fromkeys(warnings))


def copy_programme(source: Event, target: Event, shift: timedelta) -> None:
    """Copy tracks, speakers and sessions of ``source`` into ``target``, every time moved by ``shift``
    (cloning an event). Sign-ups are never copied."""
    track_ids = {}
    for track in db.session.execute(db.select(Track).filter_by(event_id=source.id)).scalars():
        new_track = Track(event_id=target.id, name=track.name, colour=track.colour)
        db.session.add(new_track)
        db.session.flush()
        track_ids[track.id] = new_track.id
    speaker_ids = {}
    speaker_fields = ("name", "honorific", "organisation", "role", "country", "bio", "photo", "website", "links", "email")
    for speaker in db.session.execute(db.select(Speaker).filter_by(event_id=source.id)).scalars():
        new_speaker = Speaker(event_id=target.id, **{name: getattr(speaker, name) for name in speaker_fields})
        db.session.add(new_speaker)
        db.session.flush()
        speaker_ids[speaker.id] = new_speaker.id
    for item in db.session.execute(db.select(AgendaSession).filter_by(event_id=source.id)).scalars():
        copy = _copied_session(item, target.id, item.starts_at + shift, item.ends_at + shift,
                               track_id=track_ids.get(item.track_id), cancelled=item.cancelled)
        for link in copy.speaker_links:
            link.speaker_id = speaker_ids[link.speaker_id]
    db.session.flush()
