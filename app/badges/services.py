"""Badge secrets, badge roles and the list of badges to print: the only writer of badge fields.

The secret a badge's QR code carries is separate from the private manage token, so a
photographed badge never lets anyone change or cancel a registration. It exists only while
the registration may attend: ``revoke_badge`` clears it (cancelled, declined), and an
organiser can replace it, which makes the printed badge worthless.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import unquote

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from app.agenda.models import Speaker
from app.audit import services as audit
from app.auth.models import EventMember, Role, User
from app.core.domain import DomainError
from app.core.i18n import person_name
from app.core.models import ChoiceEnum, utcnow
from app.core.text import fold
from app.core.tokens import BADGE_ALPHABET, BADGE_SECRET_LENGTH, new_badge_secret
from app.events.models import Event
from app.extensions import db
from app.registration.models import Registration


class BadgeRole(ChoiceEnum):
    PARTICIPANT = "participant"
    SPEAKER = "speaker"
    ORGANISER = "organiser"
    STAFF = "staff"


# Each role's name on the badge and its colour: distinct at a glance and readable in white text
# (contrast >= 4.5:1 against white).
_ROLE_LOOK = {
    BadgeRole.PARTICIPANT: (_l("Participant"), "#0b5394"),
    BadgeRole.SPEAKER: (_l("Speaker"), "#a32020"),
    BadgeRole.ORGANISER: (_l("Organiser"), "#1e6b34"),
    BadgeRole.STAFF: (_l("Staff"), "#5b2c83"),
}
ROLE_LABELS = {role: label for role, (label, _colour) in _ROLE_LOOK.items()}
ROLE_COLOURS = {role: colour for role, (_label, colour) in _ROLE_LOOK.items()}

# Printed in three groups, typed with spaces, hyphens (or other dashes), dots or underscores between them.
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015_.]+")
# The alphabet leaves out both members of each look-alike pair (0/O, 1/I/L), so a typed one is a
# misreading of a character that is in it: the round ones of D or Q, the upright ones of J, T or 7.
# Each candidate is tried; with 133 bits per secret, two candidates never both exist.
_LOOKALIKES = {"0": "DQ", "O": "DQ", "1": "JT7", "I": "JT7", "L": "JT7"}
MAX_LOOKALIKES = 3  # at most 3 ** 3 = 27 candidates, looked up in one query

@dataclass(frozen=True)
class Badge:
    registration_id: int
    first_name: str
    last_name: str
    organisation: str
    country: str  # ISO code; shown as a name in the reader's language
    role: BadgeRole
    secret: str
    printed_at: datetime | None

    @property
    def display_name(self) -> str:
        return display_name(self.first_name, self.last_name, self.country)

    @property
    def url(self) -> str:
        return check_in_url(self.secret)


def display_name(first_name: str, last_name: str, country: str = "") -> str:
    """Hungarians are named family name first (``Őze Győző``); everyone else given name first."""
    return person_name(first_name, last_name, country)


def check_in_url(secret: str) -> str:
    """What the QR code encodes: ``<BASE_URL>/c/<secret>``."""
    return f"{current_app.config['BASE_URL'].rstrip('/')}/c/{secret}"


def secret_candidates(text: str | None) -> list[str]:
    """Every badge secret that what a scanner or a person typed can stand for; one for a clean code.

    Accepts the bare secret or the whole QR URL (``…/c/<secret>``), in any case, with any spaces,
    hyphens or dots (the badge prints it in three groups), and with the look-alikes the alphabet
    leaves out (``0/O``, ``1/I/L``). Returns ``[]`` for anything that cannot be a badge secret,
    so no database look-up is needed for garbage. The one place where a code entering the
    application is read: the scan endpoint, ``/c/<secret>`` and every other look-up go through it.
    """
    if not text or len(text) > 500:
        return []
    text = unicodedata.normalize("NFKC", text).strip()
    if "/" in text:
        text = unquote(text.split("?", 1)[0].split("#", 1)[0].rstrip("/").rsplit("/", 1)[-1])
    compact = _SEPARATORS.sub("", text).upper()
    if len(compact) != BADGE_SECRET_LENGTH or any(c not in BADGE_ALPHABET and c not in _LOOKALIKES for c in compact):
        return []
    if sum(1 for c in compact if c in _LOOKALIKES) > MAX_LOOKALIKES:
        return []
    return ["".join(chars) for chars in itertools.product(*(_LOOKALIKES.get(c, c) for c in compact))]


def normalise_secret(text: str | None) -> str | None:
    """The one secret a typed code stands for, or None when it is garbage or its look-alikes leave a choice."""
    candidates = secret_candidates(text)
    return candidates[0] if len(candidates) == 1 else None


def find_by_secret(secret: str | None) -> Registration | None:
    """The registration a badge code belongs to, in any event (callers check the event)."""
    candidates = secret_candidates(secret)
    if not candidates:
        return None
    found = list(db.session.execute(db.select(Registration).filter(Registration.badge_secret.in_(candidates))).scalars())
    return found[0] if len(found) == 1 else None


def issue_badge_secret(registration: Registration) -> str:
    """Give a registration a new badge secret (a confirmed registration needs one to attend).

    Any badge printed with the previous secret stops working. Call it when a registration
    becomes confirmed (approval, promotion from the waiting list) and when an organiser
    replaces a lost badge.
    """
    registration.badge_secret = new_badge_secret()
    registration.badge_printed_at = None
    db.session.flush()
    return registration.badge_secret


def ensure_badge_secret(registration: Registration) -> str | None:
    """A confirmed registration's secret, issued when missing; None for others."""
    if not registration.may_attend:
        return None
    if registration.badge_secret is None:
        issue_badge_secret(registration)
    return registration.badge_secret


def revoke_badge(registration: Registration) -> None:
    """Kill the badge of a cancelled or declined registration: its QR code is no longer valid."""
    registration.badge_secret = None
    db.session.flush()


class BadgeError(DomainError):
    pass


def replace_badge_secret(event: Event, registration_id: int, *, by=None) -> Registration:
    """The organiser's "replace badge": a new secret; the old badge is invalid from now on."""
    registration = db.session.get(Registration, registration_id)
    if registration is None or registration.event_id != event.id or registration.erased_at is not None:
        raise BadgeError(_l("There is no such registration for this event."))
    if not registration.may_attend:
        raise BadgeError(_l("Only confirmed registrations have a badge."))
    issue_badge_secret(registration)
    audit.record("badge.replaced", event=event, target=f"registration:{registration.id}", user=by)
    return registration


def team_roles_by_email(event: Event) -> dict[str, str]:
    rows = db.session.execute(
        db.select(User.email, EventMember.role).join(EventMember, EventMember.user_id == User.id).filter(
            EventMember.event_id == event.id
        )
    ).all()
    return {email.lower(): role for email, role in rows}


def speaker_registration_ids(event: Event) -> set[int]:
    return set(
        db.session.execute(
            db.select(Speaker.registration_id).filter(Speaker.event_id == event.id, Speaker.registration_id.is_not(None))
        ).scalars()
    )


def _role(team_role: str | None, is_speaker: bool) -> BadgeRole:
    """Organiser and staff by team membership (same email), speakers by their profile's link."""
    if team_role == Role.ORGANISER:
        return BadgeRole.ORGANISER
    if team_role == Role.STAFF:
        return BadgeRole.STAFF
    return BadgeRole.SPEAKER if is_speaker else BadgeRole.PARTICIPANT


def role_of(registration: Registration, speakers: set[int], team: dict[str, str]) -> BadgeRole:
    """A registration's badge role, from the event's team and speakers looked up once for a whole list."""
    return _role(team.get(registration.email.lower()), registration.id in speakers)


def badge_role(registration: Registration) -> BadgeRole:
    """One registration's badge role, in two small queries (the door asks about one person at a time)."""
    team_role = db.session.execute(
        db.select(EventMember.role).join(User, User.id == EventMember.user_id).filter(
            EventMember.event_id == registration.event_id, User.email == registration.email.lower()
        )
    ).scalar_one_or_none()
    is_speaker = db.session.execute(
        db.select(Speaker.id).filter(Speaker.event_id == registration.event_id, Speaker.registration_id == registration.id)
        .limit(1)
    ).first() is not None
    return _role(team_role, is_speaker)


def sort_key(last_name: str, first_name: str) -> tuple[str, str]:
    """Alphabetical by last name, accents folded (Őze next to Oláh), case ignored."""
    return fold(last_name), fold(first_name)


def make_badge(registration: Registration, role: BadgeRole) -> Badge:
    return Badge(
        registration_id=registration.id,
        first_name=registration.first_name,
        last_name=registration.last_name,
        organisation=registration.organisation,
        country=registration.country,
        role=role,
        secret=registration.badge_secret or "",
        printed_at=registration.badge_printed_at,
    )


def badge_for(registration: Registration) -> Badge:
    ensure_badge_secret(registration)
    return make_badge(registration, badge_role(registration))


def event_badges(event: Event, *, role: str | None = None, not_printed: bool = False) -> list[Badge]:
    """Badges of every confirmed registration, sorted by last name, optionally filtered.

    Confirmed registrations without a secret (added before badges existed) get one here.
    """
    query = db.select(Registration).filter(Registration.event_id == event.id, Registration.may_attend)
    if not_printed:
        query = query.filter(Registration.badge_printed_at.is_(None))
    registrations = list(db.session.execute(query).scalars())
    missing = [r for r in registrations if r.badge_secret is None]
    for registration in missing:
        registration.badge_secret = new_badge_secret()
    if missing:
        db.session.flush()
    speakers, team = speaker_registration_ids(event), team_roles_by_email(event)
    badges = [make_badge(r, role_of(r, speakers, team)) for r in registrations]
    if role:
        badges = [b for b in badges if b.role == role]
    badges.sort(key=lambda b: sort_key(b.last_name, b.first_name))
    return badges


def mark_printed(event: Event, badges: list[Badge], now: datetime | None = None) -> int:
    """Record that these badges were printed (the "not printed yet" filter leaves them out)."""
    ids = [b.registration_id for b in badges]
    if not ids:
        return 0
    now = now or utcnow()
    for start in range(0, len(ids), 500):
        db.session.execute(
            sa.update(Registration)
            .where(Registration.event_id == event.id, Registration.id.in_(ids[start:start + 500]))
            .values(badge_printed_at=now)
            .execution_options(synchronize_session=False)
        )
    db.session.flush()
    return len(ids)
