"""iCalendar feeds: the event and its sessions, as calendar clients and emails need them.

Every VEVENT keeps the same UID forever (``session-<id>-<event key>@masterclass.invalid``),
whatever address serves it, so a re-fetched feed updates the entries a client already has,
also after the site moves to its real domain. DTSTAMP is the moment the entry last changed
(the same as LAST-MODIFIED), not the moment of the download: the bytes of a feed change only
when its content does, which is what makes its ETag useful to clients that poll. Each zone
used comes with its full VTIMEZONE (``vtimezone.py``); DESCRIPTION is plain text (the
organiser's Markdown read as text), the page is in URL.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from icalendar import Calendar
from icalendar import Event as VEvent
from icalendar.enums import STATUS

from app.agenda import services as agenda
from app.agenda.models import AgendaSession
from app.agenda.signups import signups_of
from app.audit.models import AuditEntry
from app.calendar.plaintext import markdown_to_text
from app.calendar.vtimezone import vtimezone
from app.events.models import Event
from app.extensions import db
from app.registration.models import Registration, RegistrationStatus

PRODID = "-//Masterclass//Event registration//EN"
# The right-hand side of every UID: a constant, never the serving host (BASE_URL may change).
UID_DOMAIN = "masterclass.invalid"
REFRESH_INTERVAL = timedelta(hours=1)


def base_url() -> str:
    return current_app.config["BASE_URL"].rstrip("/")


def event_key(event: Event) -> str:
    """An event's calendar identity: stable on every host and after a SECRET_KEY rotation, and
    distinct between installations (event 1 of one site is not event 1 of another), derived from
    what never changes: the event's id and the second it was created."""
    created = int(event.created_at.timestamp()) if event.created_at else 0
    return hashlib.sha256(f"masterclass-calendar/{event.id}/{created}".encode()).hexdigest()[:12]


def event_uid(event: Event) -> str:
    return f"event-{event.id}-{event_key(event)}@{UID_DOMAIN}"


def session_uid(session: AgendaSession) -> str:
    return f"session-{session.id}-{event_key(session.event)}@{UID_DOMAIN}"


def event_url(event: Event) -> str:
    return f"{base_url()}/events/{event.slug}/"


def session_url(event: Event, session: AgendaSession) -> str:
    return f"{base_url()}/events/{event.slug}/agenda#session-{session.id}"


def event_sequence(event: Event) -> int:
    """The event's revision: how many times its organisers saved it (the audit trail's
    ``event.edit`` entries, never deleted), a small counter that only grows."""
    count = db.session.execute(
        sa.select(sa.func.count(AuditEntry.id)).where(AuditEntry.event_id == event.id, AuditEntry.action == "event.edit")
    ).scalar_one()
    return int(count)


def location(event: Event, room: str = "") -> str:
    return ", ".join(part for part in (room, event.venue_name, event.venue_address) if part)


def _event_vevent(event: Event, status: STATUS = STATUS.CONFIRMED) -> VEvent:
    return VEvent.new(
        uid=event_uid(event),
        summary=event.title,
        start=event.starts_at.astimezone(event.tz),
        end=event.ends_at.astimezone(event.tz),
        stamp=event.updated_at,
        last_modified=event.updated_at,
        created=event.created_at,
        sequence=event_sequence(event),
        status=status,
        location=location(event) or None,
        url=event_url(event),
        description="\n\n".join(part for part in (event.summary, markdown_to_text(event.description)) if part) or None,
    )


def _session_vevent(event: Event, session: AgendaSession) -> VEvent:
    speakers = [link.speaker.name for link in session.speaker_links]
    lines = []
    if speakers:
        lines.append(_("Speakers: %(names)s", names=", ".join(speakers)))
    kind = str(agenda.KIND_LABELS.get(session.kind, session.kind))
    lines.append(f"{kind} · {session.track.name}" if session.track else kind)
    if session.description:
        lines.append(markdown_to_text(session.description))
    lines.append(event.title)
    summary = session.title
    if session.cancelled:
        summary = _("Cancelled: %(title)s", title=session.title)
    vevent = VEvent.new(
        uid=session_uid(session),
        summary=summary,
        start=session.starts_at.astimezone(event.tz),
        end=session.ends_at.astimezone(event.tz),
        stamp=session.updated_at,
        last_modified=session.updated_at,
        created=session.created_at,
        sequence=session.sequence,
        status=STATUS.CANCELLED if session.cancelled else STATUS.CONFIRMED,
        location=location(event, session.room) or None,
        url=session_url(event, session),
        description="\n\n".join(lines),
        categories=[kind],
    )
    return vevent


def _calendar(event: Event, name: str, components: list[VEvent]) -> bytes:
    with force_locale(event.language):
        calendar = Calendar.new(
            prodid=PRODID,
            method="PUBLISH",
            name=name,
            uid=f"calendar-{event.id}-{event_key(event)}@{UID_DOMAIN}",
            url=event_url(event),
            refresh_interval=REFRESH_INTERVAL,
        )
    calendar["REFRESH-INTERVAL"].params["VALUE"] = "DURATION"  # RFC 7986 requires the value type
    calendar.add("X-WR-TIMEZONE", event.timezone)
    calendar.add("X-PUBLISHED-TTL", "PT1H")
    # The zone's full yearly rules, never a definition cut down to the event's days: clients
    # cache a VTIMEZONE by its TZID and use it for every later feed naming that zone.
    calendar.add_component(vtimezone(event.timezone))
    for component in components:
        calendar.add_component(component)
    return calendar.to_ical()


def event_calendar(event: Event, sessions: list[AgendaSession] | None = None) -> bytes:
    """The event and every session (cancelled ones marked so), as an ``.ics`` file's bytes.

    The confirmation email attaches this; ``/events/<slug>/calendar.ics`` serves it.
    """
    sessions = agenda.sessions_for(event) if sessions is None else sessions
    with force_locale(event.language):
        components = [_event_vevent(event)] + [_session_vevent(event, session) for session in sessions]
    return _calendar(event, event.title, components)


def session_calendar(event: Event, session: AgendaSession) -> bytes:
    with force_locale(event.language):
        component = _session_vevent(event, session)
    return _calendar(event, session.title, [component])


REGISTRATION_STATUS = {
    RegistrationStatus.CONFIRMED: STATUS.CONFIRMED,
    RegistrationStatus.PENDING: STATUS.TENTATIVE,
    RegistrationStatus.WAITLISTED: STATUS.TENTATIVE,
    RegistrationStatus.DECLINED: STATUS.CANCELLED,
    RegistrationStatus.CANCELLED: STATUS.CANCELLED,
}


def registration_calendar(registration: Registration) -> bytes:
    """A participant's own calendar: the event (tentative until confirmed, cancelled if they
    cancelled) and the sessions they signed up for."""
    event = registration.event
    language = registration.language or event.language
    with force_locale(language):
        components = [_event_vevent(event, REGISTRATION_STATUS.get(registration.status, STATUS.TENTATIVE))]
        if registration.is_confirmed:
            components += [_session_vevent(event, session) for session in signups_of(registration)]
        # Its own name: a client subscribed to the public feed too shows two calendars apart.
        name = _("%(title)s: my programme", title=event.title)
    return _calendar(event, name, components)


def feed_last_modified(event: Event, sessions: list[AgendaSession]) -> datetime:
    moments = [event.updated_at, *(session.updated_at for session in sessions)]
    return max(moments)
