"""Speakers: their profiles and photos. The only code that writes speakers."""

from __future__ import annotations

import io
import re
import warnings
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from PIL import Image, ImageOps, UnidentifiedImageError

from app.agenda.models import AgendaSession, SessionSpeaker, Speaker
from app.agenda.services import AgendaError, touch_sessions
from app.core.domain import FieldErrors
from app.core.models import utcnow
from app.events.models import Event
from app.extensions import db
from app.registration.models import Registration

WEB_ADDRESS = re.compile(r"^https?://\S+$", re.IGNORECASE)  # links shown publicly: never javascript: or data:

# Speaker photos: what we accept and what we keep.
PHOTO_MAX_BYTES = 5 * 1024 * 1024
PHOTO_MAX_PIXELS = 40_000_000  # refuse decompression bombs long before Pillow's own limit
PHOTO_SIZE = 600  # longest side of the stored photo, in pixels
PHOTO_FORMATS = {"JPEG", "PNG", "WEBP"}


# --- Reading -------------------------------------------------------------------------------------


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


def registration_email(speaker: Speaker) -> str:
    """The email address of the registration a speaker profile is linked to, or ""."""
    if speaker.registration_id is None:
        return ""
    return db.session.execute(
        db.select(Registration.email).filter_by(id=speaker.registration_id)
    ).scalar_one_or_none() or ""


# --- Writing -------------------------------------------------------------------------------------


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
            with Image.open(io.BytesIO(data)) as upload:
                if upload.format not in PHOTO_FORMATS:
                    raise invalid
                width, height = upload.size
                if width * height > PHOTO_MAX_PIXELS:
                    raise AgendaError(_l("The photo has too many pixels."), "photo")
                upload.load()
                image: Image.Image = ImageOps.exif_transpose(upload)
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


def _sessions_of(speaker: Speaker):
    return (
        db.select(AgendaSession).join(SessionSpeaker, SessionSpeaker.session_id == AgendaSession.id)
        .where(SessionSpeaker.speaker_id == speaker.id)
    )


def save_speaker(event: Event, speaker: Speaker | None, changes: SpeakerChanges) -> Speaker:
    """Create (``speaker`` None) or update a speaker; raises ``FieldErrors`` and writes nothing when a rule fails."""
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
    FieldErrors.raise_if_any(errors)
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
        touch_sessions(_sessions_of(speaker))
    db.session.flush()
    return speaker


def delete_speaker(speaker: Speaker) -> None:
    touch_sessions(_sessions_of(speaker))
    db.session.delete(speaker)
    db.session.flush()


def forget_registration(registration: Registration) -> None:
    """Erasure: a speaker profile no longer points at the erased registration."""
    db.session.execute(
        sa.update(Speaker).where(Speaker.registration_id == registration.id)
        .values(registration_id=None).execution_options(synchronize_session=False)
    )
