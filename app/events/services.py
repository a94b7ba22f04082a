"""The rules about events: the only code that writes event rows."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from slugify import slugify

from app.agenda import services as agenda
from app.audit import services as audit
from app.auth import services as accounts
from app.auth.models import EventMember, Role
from app.core.domain import DomainError, FieldErrors
from app.core.models import utcnow
from app.core.timezones import local_to_utc
from app.events.models import Event, EventStatus
from app.extensions import db
from app.registration import services as registrations
from app.registration.questions import copy_questions
from app.surveys.builder import copy_survey

EDITABLE_FIELDS = (
    "title", "summary", "description", "venue_name", "venue_address", "timezone", "language",
    "capacity", "requires_approval", "contact_email", "privacy_notice", "retention_days",
)
LOCAL_TIME_FIELDS = ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at")


class EventInvalid(DomainError):
    pass


@dataclass
class EventChanges:
    """What a form submitted, with times as the wall-clock times typed in the event's zone."""

    values: dict

    def utc(self, name: str) -> datetime | None:
        local = self.values.get(name)
        return local_to_utc(local, self.values["timezone"]) if local else None


def get_by_slug(slug: str) -> Event | None:
    return db.session.execute(db.select(Event).filter_by(slug=slug)).scalar_one_or_none()


def slug_taken(slug: str, excluding: Event | None = None) -> bool:
    query = db.select(Event.id).filter_by(slug=slug)
    if excluding is not None and excluding.id is not None:
        query = query.where(Event.id != excluding.id)
    return db.session.execute(query).first() is not None


def unique_slug(title: str) -> str:
    """A slug made from the title with accents transliterated, numbered if already taken."""
    base = slugify(title, max_length=70, word_boundary=True) or "event"
    candidate, number = base, 2
    while slug_taken(candidate):
        candidate, number = f"{base}-{number}", number + 1
    return candidate


def _check(event: Event, changes: EventChanges, slug: str | None) -> list[EventInvalid]:
    errors = []
    starts, ends = changes.utc("starts_at"), changes.utc("ends_at")
    opens, closes = changes.utc("registration_opens_at"), changes.utc("registration_closes_at")
    if starts and ends and ends <= starts:
        errors.append(EventInvalid(_l("The event must end after it starts."), "ends_at"))
    if closes and ends and closes > ends:
        errors.append(EventInvalid(_l("Registration cannot close after the event ends."), "registration_closes_at"))
    if opens and closes and closes <= opens:
        errors.append(EventInvalid(_l("Registration must close after it opens."), "registration_closes_at"))
    if opens and ends and opens >= ends:
        errors.append(EventInvalid(_l("Registration must open before the event ends."), "registration_opens_at"))
    if slug and slug_taken(slug, excluding=event):
        errors.append(EventInvalid(_l("Another event already uses this web address."), "slug"))
    return errors


def save_event(event: Event | None, changes: EventChanges, *, creator=None) -> Event:
    """Create (``event`` None) or update an event; raises ``FieldErrors`` of ``EventInvalid``.

    Nothing is written unless every rule holds.
    """
    is_new = event is None
    target = event or Event()
    slug = (changes.values.get("slug") or "").strip() or None
    FieldErrors.raise_if_any(_check(target, changes, slug))

    old_notice = target.privacy_notice
    old_capacity = target.capacity
    for name in EDITABLE_FIELDS:
        if name in changes.values:
            setattr(target, name, changes.values[name])
    for name in LOCAL_TIME_FIELDS:
        setattr(target, name, changes.utc(name))
    target.description = target.description or ""
    target.privacy_notice = target.privacy_notice or ""
    target.summary = target.summary or ""
    target.venue_name = target.venue_name or ""
    target.venue_address = target.venue_address or ""
    if is_new:
        target.slug = slug or unique_slug(target.title)
        target.status = EventStatus.DRAFT
        db.session.add(target)
        db.session.flush()
        if creator is not None:
            accounts.make_first_organiser(target, creator)
        audit.record("event.create", event=target, target=target.slug)
    else:
        if slug:
            target.slug = slug
        if old_notice != target.privacy_notice:
            target.privacy_notice_version += 1
        audit.record("event.edit", event=target, target=target.slug)
    db.session.flush()
    if not is_new and (target.capacity is None or (old_capacity is not None and target.capacity > old_capacity)):
        registrations.capacity_changed(target)  # new seats go to the waiting list, first come first served
    return target


def set_status(event: Event, status: str) -> None:
    if not EventStatus.has(status):
        raise EventInvalid(_l("Unknown status."))
    event.status = EventStatus(status)
    audit.record(f"event.{status}", event=event, target=event.slug)
    db.session.flush()


def clone_event(source: Event, title: str, first_day, creator) -> Event:
    """A draft copy with agenda, speakers, questions and survey, every date moved to start on
    ``first_day``; registrations are never copied."""
    shift = timedelta(days=(first_day - source.local(source.starts_at).date()).days)

    def moved(moment: datetime | None) -> datetime | None:
        return moment + shift if moment else None

    copy = Event(
        **{name: getattr(source, name) for name in EDITABLE_FIELDS if name != "title"},
        title=title,
        slug=unique_slug(title),
        status=EventStatus.DRAFT,
        starts_at=moved(source.starts_at),
        ends_at=moved(source.ends_at),
        registration_opens_at=moved(source.registration_opens_at),
        registration_closes_at=moved(source.registration_closes_at),
    )
    db.session.add(copy)
    db.session.flush()
    accounts.make_first_organiser(copy, creator)

    agenda.copy_programme(source, copy, shift)
    copy_questions(source, copy)
    copy_survey(source, copy, shift)
    audit.record("event.clone", event=copy, target=source.slug)
    db.session.flush()
    return copy


def public_events(now: datetime | None = None) -> tuple[list[Event], list[Event]]:
    """Published (and archived) events: upcoming soonest first, past most recent first."""
    now = now or utcnow()
    visible = db.select(Event).where(Event.status.in_((EventStatus.PUBLISHED, EventStatus.ARCHIVED)))
    upcoming = db.session.execute(visible.where(Event.ends_at >= now).order_by(Event.starts_at)).scalars().all()
    past = db.session.execute(visible.where(Event.ends_at < now).order_by(Event.starts_at.desc())).scalars().all()
    return list(upcoming), list(past)


def events_for_user(user) -> list[tuple[Event, str]]:
    """The events a user manages or staffs, with their role; every event for administrators."""
    if user.is_admin:
        events = db.session.execute(db.select(Event).order_by(Event.starts_at.desc())).scalars()
        return [(event, Role.ORGANISER) for event in events]
    rows = db.session.execute(
        db.select(Event, EventMember.role)
        .join(EventMember, EventMember.event_id == Event.id)
        .where(EventMember.user_id == user.id)
        .order_by(Event.starts_at.desc())
    ).all()
    return [(event, role) for event, role in rows]
