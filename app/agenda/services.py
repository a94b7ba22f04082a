"""The rules of the programme: the only code that writes sessions, tracks, speakers and sign-ups."""

from __future__ import annotations

import io
import re
import warnings
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy.orm import selectinload

from app.agenda.models import AgendaSession, SessionKind, SessionSignup, SessionSpeaker, Speaker, Track
from app.core.database import lock_row
from app.core.domain import DomainError
from app.core.models import utcnow
from app.core.timezones import event_days, local_to_utc
from app.events.models import Event
from app.extensions import db
from app.registration.models import Registration, RegistrationStatus

KIND_LABELS = {
    SessionKind.TALK: _l("Talk"),
    SessionKind.WORKSHOP: _l("Workshop"),
    SessionKind.PANEL: _l("Panel"),
    SessionKind.CONSULTATION: _l("Expert consultation"),
    SessionKind.NETWORKING: _l("Networking"),
    SessionKind.BREAK: _l("Break"),
}
COLOUR_PATTERN = re.compile(r"^#[0-9a-fA-F]{6}$")
WEB_ADDRESS = re.compile(r"^https?://\S+$", re.IGNORECASE)  # links shown publicly: never javascript: or data:

# Speaker photos: what we accept and what we keep.
PHOTO_MAX_BYTES = 5 * 1024 * 1024
PHOTO_MAX_PIXELS = 40_000_000  # refuse decompression bombs long before Pillow's own limit
PHOTO_SIZE = 600  # longest side of the stored photo, in pixels
PHOTO_FORMATS = {"JPEG", "PNG", "WEBP"}


class AgendaError(DomainError):
    pass


class SessionFull(AgendaError):
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


def speakers_for(event: Event) -> list[Speaker]:
    return list(
        db.session.execute(db.select(Speaker).filter_by(event_id=event.id).order_by(Speaker.name, Speaker.id)).scalars()
    )


def get_speaker(event: Event, speaker_id: int) -> Speaker | None:
    return db.session.execute(db.select(Speaker).filter_by(event_id=event.id, id=speaker_id)).scalar_one_or_none()


def speaker_photo(event: Event, speaker_id: int) -> tuple[bytes, datetime] | None:
    row = db.session.execute(
        db.select(Speaker.photo, Speaker.updated_at).filter_by(event_id=event.id, id=speaker_id)
    ).first()
    if row is None or row.photo is None:
        return None
    return row.photo, row.updated_at


def sessions_by_speaker(event: Event) -> dict[int, list[AgendaSession]]:
    """Every speaker's sessions in time order, in one query."""
    rows = db.session.execute(
        db.select(SessionSpeaker.speaker_id, AgendaSession)
        .join(AgendaSession, SessionSpeaker.session_id == AgendaSession.id)
        .where(AgendaSession.event_id == event.id)
        .order_by(AgendaSession.starts_at, AgendaSession.id)
    ).all()
    result: dict[int, list[AgendaSession]] = defaultdict(list)
    for speaker_id, session in rows:
        result[speaker_id].append(session)
    return result


def seats_taken(event: Event) -> dict[int, int]:
    """Confirmed participants signed up for each of the event's sessions, in one query."""
    rows = db.session.execute(
        db.select(SessionSignup.session_id, sa.func.count(SessionSignup.id))
        .join(Registration, SessionSignup.registration_id == Registration.id)
        .join(AgendaSession, SessionSignup.session_id == AgendaSession.id)
        .where(AgendaSession.event_id == event.id, Registration.status == RegistrationStatus.CONFIRMED)
        .group_by(SessionSignup.session_id)
    ).all()
    return {session_id: count for session_id, count in rows}


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
        _touch_sessions(db.select(AgendaSession).filter_by(track_id=track.id))
    _touch_event(event.id)  # the schedule exports list the tracks and their colours
    track.name, track.colour = name, colour.lower()
    db.session.flush()
    return track


def _touch_event(event_id: int) -> None:
    """Something left the exports: move their Last-Modified on, as nothing else records a deletion."""
    db.session.get(Event, event_id).updated_at = utcnow()


def delete_track(track: Track) -> None:
    _touch_sessions(db.select(AgendaSession).filter_by(track_id=track.id))
    _touch_event(track.event_id)
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


def _touch(session: AgendaSession) -> None:
    session.sequence = (session.sequence or 0) + 1
    session.updated_at = utcnow()


def _touch_sessions(query) -> None:
    for session in db.session.execute(query).scalars():
        _touch(session)


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


def save_session(event: Event, session: AgendaSession | None, changes: SessionChanges) -> tuple[AgendaSession, list[str]]:
    """Create (``session`` None) or update a session; returns it with overlap warnings.

    Raises ``ExceptionGroup`` of ``AgendaError`` and writes nothing when a rule fails.
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
        taken = seats_taken(event).get(session.id, 0)
        if changes.capacity < taken:
            errors.append(AgendaError(
                _l("%(count)d participants have already signed up: the capacity cannot be lower.", count=taken), "capacity"))
    if errors:
        raise ExceptionGroup("invalid session", errors)

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
        session.speaker_links = [SessionSpeaker(speaker_id=sid, position=pos) for pos, sid in enumerate(speaker_ids)]
        db.session.add(session)
    else:
        old_speakers = [link.speaker_id for link in session.speaker_links]
        changed = any(getattr(session, name) != value for name, value in values.items()) or old_speakers != speaker_ids
        for name, value in values.items():
            setattr(session, name, value)
        if old_speakers != speaker_ids:
            session.speaker_links.clear()
            db.session.flush()
            session.speaker_links.extend(SessionSpeaker(speaker_id=sid, position=pos) for pos, sid in enumerate(speaker_ids))
        if changed:
            _touch(session)
    db.session.flush()
    return session, overlap_warnings(event, session)


def set_cancelled(session: AgendaSession, cancelled: bool) -> None:
    if session.cancelled != cancelled:
        session.cancelled = cancelled
        _touch(session)
        db.session.flush()


def delete_session(session: AgendaSession) -> None:
    signed_up = db.session.execute(db.select(sa.func.count(SessionSignup.id)).filter_by(session_id=session.id)).scalar_one()
    if signed_up:
        raise AgendaError(_l("Participants have signed up for this session: cancel it instead, so their calendars show it."))
    _touch_event(session.event_id)
    db.session.delete(session)
    db.session.flush()


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
        copy = AgendaSession(
            event_id=event.id, title=session.title, description=session.description, kind=session.kind,
            starts_at=starts, ends_at=ends, room=session.room, track_id=session.track_id,
            capacity=session.capacity, cancelled=False, sequence=0,
        )
        copy.speaker_links = [SessionSpeaker(speaker_id=link.speaker_id, position=link.position) for link in session.speaker_links]
        db.session.add(copy)
        copies.append(copy)
    db.session.flush()
    warnings_ = []
    for copy in copies:
        warnings_.extend(overlap_warnings(event, copy))
    return len(copies), list(dict.fromkeys(warnings_))


# --- Speakers ------------------------------------------------------------------------------------


@dataclass
class SpeakerChanges:
    name: str
    honorific: str = ""
    organisation: str = ""
    role: str = ""
    country: str = ""
    bio: str = ""
    website: str = ""
    links: list[str] = field(default_factory=list)
    email: str = ""
    registration_email: str = ""
    photo: bytes | None = None  # the uploaded file's bytes, when one was sent
    remove_photo: bool = False


def process_photo(data: bytes) -> bytes:
    """Decode an uploaded photo, refuse anything but JPEG/PNG/WebP, and re-encode it.

    The result is a JPEG of at most PHOTO_SIZE pixels on its longest side, turned upright,
    with transparency flattened on white and every metadata block (EXIF, GPS, XMP) dropped.
    """
    if len(data) > PHOTO_MAX_BYTES:
        raise AgendaError(_l("The photo is too large: at most 5 MB, please."), "photo")
    invalid = AgendaError(_l("The photo must be a JPEG, PNG or WebP image."), "photo")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                if image.format not in PHOTO_FORMATS:
                    raise invalid
                width, height = image.size
                if width * height > PHOTO_MAX_PIXELS:
                    raise AgendaError(_l("The photo has too many pixels."), "photo")
                image.load()
                image = ImageOps.exif_transpose(image)
                if image.mode in ("RGBA", "LA", "P", "PA"):
                    image = image.convert("RGBA")
                    flat = Image.new("RGB", image.size, (255, 255, 255))
                    flat.paste(image, mask=image.getchannel("A"))
                    image = flat
                else:
                    image = image.convert("RGB")
                image.thumbnail((PHOTO_SIZE, PHOTO_SIZE), Image.Resampling.LANCZOS)
                out = io.BytesIO()
                image.save(out, "JPEG", quality=85, optimize=True, progressive=True)
                return out.getvalue()
    except AgendaError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError,
            Image.DecompressionBombWarning):
        raise invalid from None


def save_speaker(event: Event, speaker: Speaker | None, changes: SpeakerChanges) -> Speaker:
    errors = []
    if not changes.name.strip():
        errors.append(AgendaError(_l("Give the speaker's name."), "name"))
    photo = None
    if changes.photo:
        try:
            photo = process_photo(changes.photo)
        except AgendaError as error:
            errors.append(error)
    registration_id = None
    registration_email = changes.registration_email.strip().lower()
    if registration_email:
        registration_id = db.session.execute(
            db.select(Registration.id).filter_by(event_id=event.id, email=registration_email)
        ).scalar_one_or_none()
        if registration_id is None:
            errors.append(AgendaError(_l("Nobody registered for this event with that email address."), "registration_email"))
    if errors:
        raise ExceptionGroup("invalid speaker", errors)
    if speaker is None:
        speaker = Speaker(event_id=event.id)
        db.session.add(speaker)
    old_name = speaker.name
    speaker.name = changes.name.strip()
    speaker.honorific = changes.honorific.strip()
    speaker.organisation = changes.organisation.strip()
    speaker.role = changes.role.strip()
    speaker.country = (changes.country or "").strip().upper()
    speaker.bio = changes.bio or ""
    speaker.website = changes.website.strip() if WEB_ADDRESS.match(changes.website.strip()) else ""
    speaker.links = [link.strip() for link in changes.links if WEB_ADDRESS.match(link.strip())]
    speaker.email = changes.email.strip().lower()
    speaker.registration_id = registration_id
    if photo is not None:
        speaker.photo = photo
    elif changes.remove_photo:
        speaker.photo = None
    speaker.updated_at = utcnow()
    if speaker.id is not None and old_name != speaker.name:
        # The name is in the description of the speaker's sessions in every calendar.
        _touch_sessions(
            db.select(AgendaSession).join(SessionSpeaker, SessionSpeaker.session_id == AgendaSession.id)
            .where(SessionSpeaker.speaker_id == speaker.id)
        )
    db.session.flush()
    return speaker


def delete_speaker(speaker: Speaker) -> None:
    _touch_sessions(
        db.select(AgendaSession).join(SessionSpeaker, SessionSpeaker.session_id == AgendaSession.id)
        .where(SessionSpeaker.speaker_id == speaker.id)
    )
    db.session.delete(speaker)
    db.session.flush()


def speakers_for_registration(registration: Registration) -> list[Speaker]:
    """The speaker profiles linked to a registration: their badge says "Speaker"."""
    return list(db.session.execute(db.select(Speaker).filter_by(registration_id=registration.id)).scalars())


# --- Sign-ups ------------------------------------------------------------------------------------


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


def sign_up(registration: Registration, session: AgendaSession, *, now: datetime | None = None) -> SessionSignup:
    """Give a confirmed participant a seat in a session that needs sign-up.

    The registration row and then the session row are locked before anything is counted,
    so two requests can neither take more seats than the capacity nor give one participant
    two overlapping sessions. Signing up twice for the same session changes nothing.
    """
    now = now or utcnow()
    registration = lock_row(Registration, registration.id)
    session = lock_row(AgendaSession, session.id)
    if registration.status != RegistrationStatus.CONFIRMED or registration.erased_at is not None:
        raise AgendaError(_l("Only confirmed participants can sign up for sessions."))
    if session.event_id != registration.event_id or session.capacity is None:
        raise AgendaError(_l("This session does not take sign-ups."))
    if session.cancelled:
        raise AgendaError(_l("This session is cancelled."))
    if session.starts_at <= now:
        raise AgendaError(_l("This session has already started."))
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
    taken = db.session.execute(
        db.select(sa.func.count(SessionSignup.id))
        .join(Registration, SessionSignup.registration_id == Registration.id)
        .where(SessionSignup.session_id == session.id, Registration.status == RegistrationStatus.CONFIRMED)
    ).scalar_one()
    if taken >= session.capacity:
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
    result = db.session.execute(sa.delete(SessionSignup).where(SessionSignup.registration_id == registration.id))
    db.session.flush()
    return result.rowcount or 0


@dataclass
class SignupChoice:
    session: AgendaSession
    seats_left: int
    chosen: bool
    clash: str | None  # title of a chosen session it overlaps


def signup_choices(registration: Registration, now: datetime | None = None) -> list[SignupChoice]:
    """The event's sign-up sessions as the participant sees them: chosen, free, full or clashing."""
    now = now or utcnow()
    event = db.session.get(Event, registration.event_id)
    sessions = [
        s for s in sessions_for(event, include_cancelled=True)
        if s.capacity is not None and (s.ends_at > now)
    ]
    taken = seats_taken(event)
    chosen_ids = set(
        db.session.execute(db.select(SessionSignup.session_id).filter_by(registration_id=registration.id)).scalars()
    )
    chosen = [s for s in sessions if s.id in chosen_ids and not s.cancelled]
    choices = []
    for session in sessions:
        clash = next(
            (c.title for c in chosen if c.id != session.id and c.starts_at < session.ends_at and c.ends_at > session.starts_at),
            None,
        )
        choices.append(SignupChoice(session, seats_left(session, taken) or 0, session.id in chosen_ids, clash))
    return choices


def copy_programme(source: Event, target: Event, shift: timedelta) -> None:
    """Copy tracks, speakers and sessions of ``source`` into ``target``, every time moved by ``shift``
    (cloning an event). Sign-ups are never copied."""
    track_ids = {}
    for track in db.session.execute(db.select(Track).filter_by(event_id=source.id)).scalars():
        new = Track(event_id=target.id, name=track.name, colour=track.colour)
        db.session.add(new)
        db.session.flush()
        track_ids[track.id] = new.id
    speaker_ids = {}
    speaker_fields = ("name", "honorific", "organisation", "role", "country", "bio", "photo", "website", "links", "email")
    for speaker in db.session.execute(db.select(Speaker).filter_by(event_id=source.id)).scalars():
        new = Speaker(event_id=target.id, **{name: getattr(speaker, name) for name in speaker_fields})
        db.session.add(new)
        db.session.flush()
        speaker_ids[speaker.id] = new.id
    for item in db.session.execute(db.select(AgendaSession).filter_by(event_id=source.id)).scalars():
        new = AgendaSession(
            event_id=target.id, title=item.title, description=item.description, kind=item.kind,
            starts_at=item.starts_at + shift, ends_at=item.ends_at + shift, room=item.room,
            track_id=track_ids.get(item.track_id), capacity=item.capacity, cancelled=item.cancelled,
        )
        new.speaker_links = [
            SessionSpeaker(speaker_id=speaker_ids[link.speaker_id], position=link.position)
            for link in item.speaker_links
        ]
        db.session.add(new)
    db.session.flush()


def forget_participant(registration: Registration) -> None:
    """Erasure: the person's session seats are freed and a speaker profile no longer points at them."""
    release_sign_ups(registration)
    db.session.execute(
        sa.update(Speaker).where(Speaker.registration_id == registration.id)
        .values(registration_id=None).execution_options(synchronize_session=False)
    )
