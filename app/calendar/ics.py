"""iCalendar feeds: the event and its sessions, as calendar clients and emails need them.

Every VEVENT keeps the same UID forever (``session-<id>@<host>``), so a re-fetched feed
updates the entries a client already has. DTSTAMP is the moment the entry last changed
(the same as LAST-MODIFIED), not the moment of the download: the bytes of a feed change only
when its content does, which is what makes its ETag useful to clients that poll.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from icalendar import Calendar
from icalendar import Event as VEvent
from icalendar.enums import STATUS

from app.agenda import services as agenda
from app.agenda.models import AgendaSession
from app.agenda.signups import signups_of
from app.events.models import Event
from app.registration.models import Registration, RegistrationStatus

PRODID = "-//Masterclass//Event registration//EN"


def base_url() -> str:
    return current_app.config["BASE_URL"].rstrip("/")


def uid_host() -> str:
    return urlsplit(base_url()).hostname or "masterclass.invalid"


def event_uid(event: Event) -> str:
    return f"event-{event.id}@{uid_host()}"


def session_uid(session: AgendaSession) -> str:
    return f"session-{session.id}@{uid_host()}"


def event_url(event: Event) -> str:
    return f"{base_url()}/events/{event.slug}/"


def session_url(event: Event, session: AgendaSession) -> str:
    return f"{base_url()}/events/{event.slug}/agenda#session-{session.id}"


def event_sequence(event: Event) -> int:
    """Events keep no revision counter: seconds between creation and last change always grow."""
    return max(int((event.updated_at - event.created_at).total_seconds()), 0)


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
        description="\n\n".join(part for part in (event.summary, event.description) if part) or None,
    )


def _session_vevent(event: Event, session: AgendaSession) -> VEvent:
    speakers = [link.speaker.name for link in session.speaker_links]
    lines = []
    if speakers:
        lines.append(_("Speakers: %(names)s", names=", ".join(speakers)))
    kind = str(agenda.KIND_LABELS.get(session.kind, session.kind))
    lines.append(f"{kind} · {session.track.name}" if session.track else kind)
    if session.description:
        lines.append(session.description)
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
            uid=f"calendar-{event.id}@{uid_host()}",
            url=event_url(event),
            refresh_interval=timedelta(hours=1),
        )
    calendar.add("X-WR-TIMEZONE", event.timezone)
    calendar.add("X-PUBLISHED-TTL", "PT1H")
    for component in components:
        calendar.add_component(component)
    first = event.local(event.starts_at).date() - timedelta(days=1)
    last = event.local(event.ends_at).date() + timedelta(days=1)
    calendar.add_missing_timezones(first_date=first, last_date=last)
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
    return _calendar(event, event.title, components)


def feed_last_modified(event: Event, sessions: list[AgendaSession]) -> datetime:
    moments = [event.updated_at, *(session.updated_at for session in sessions)]
    return max(moments)
