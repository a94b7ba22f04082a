"""Schedule exports for conference apps and signage: frab/pentabarf XML and its JSON form.

The XML follows the c3voc ``schedule.xml.xsd`` (read by Giggity, EventFahrplan, info-beamer);
the JSON follows the c3voc ``schedule2`` JSON schema. Cancelled sessions are left out of the
XML, which has no way to mark them, and carry ``state: CANCELED`` in the JSON.
"""

from __future__ import annotations

import re
import uuid
import xml.etree.ElementTree as ET
from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

from slugify import slugify

from app.agenda import services as agenda
from app.agenda.models import AgendaSession, SessionKind, Track
from app.calendar.ics import base_url, event_url, session_url
from app.core.timezones import event_days
from app.events.models import Event

GENERATOR = "Masterclass"
JSON_TYPES = {
    SessionKind.TALK: "TALK",
    SessionKind.WORKSHOP: "WORKSHOP",
    SessionKind.PANEL: "DISCUSSION",
    SessionKind.CONSULTATION: "MEETING",
    SessionKind.NETWORKING: "OTHER",
}
XML_SLUG = re.compile(r"^[a-z0-9_]{4,}-[a-z0-9\-_]{4,}$")


def guid(*parts) -> str:
    """A UUID that never changes for the same thing on the same installation."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "/".join([base_url(), *map(str, parts)])))


def track_slug(track: Track) -> str:
    name = slugify(track.name)
    return f"{name}-{track.id}" if name[:1].isalpha() else f"track-{track.id}"


def session_slug(event: Event, session: AgendaSession) -> str:
    title = slugify(session.title, max_length=50, word_boundary=True)
    return "-".join(part for part in (event.slug.replace("-", "_"), str(session.id), title) if part)


def duration(session: AgendaSession) -> timedelta:
    return session.ends_at - session.starts_at


def hhmm(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def iso_duration(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    return "PT" + (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes or not hours else "")


def local_iso(event: Event, moment: datetime) -> str:
    return event.local(moment).isoformat()


def version(event: Event) -> str:
    return agenda.last_modified(event).strftime("%Y-%m-%d %H:%M:%S")


def days_of(event: Event, sessions: list[AgendaSession]):
    """(index, date, start, end, sessions) for every event day; a day runs from its first session
    to its last, or the event's own hours when empty."""
    by_day = dict(agenda.group_by_day(event, sessions))
    result = []
    for index, day in enumerate(event_days(event.starts_at, event.ends_at, event.timezone), start=1):
        day_sessions = by_day.get(day, [])
        if day_sessions:
            start = min(s.starts_at for s in day_sessions)
            end = max(s.ends_at for s in day_sessions)
        else:
            start, end = event.starts_at, event.ends_at
        result.append((index, day, start, end, day_sessions))
    return result


def acronym(event: Event) -> str:
    return event.slug if len(event.slug) >= 4 else f"{event.slug}-event"


def schedule_xml(event: Event) -> bytes:
    sessions = agenda.sessions_for(event, include_cancelled=False)
    tracks = agenda.tracks_for(event)
    root = ET.Element("schedule")
    ET.SubElement(root, "generator", name=GENERATOR)
    ET.SubElement(root, "url").text = f"{base_url()}/events/{event.slug}/schedule.xml"
    ET.SubElement(root, "version").text = version(event)
    conference = ET.SubElement(root, "conference")
    ET.SubElement(conference, "title").text = event.title
    ET.SubElement(conference, "acronym").text = acronym(event)
    ET.SubElement(conference, "start").text = local_iso(event, event.starts_at)
    ET.SubElement(conference, "end").text = local_iso(event, event.ends_at)
    days = days_of(event, sessions)
    ET.SubElement(conference, "days").text = str(len(days))
    ET.SubElement(conference, "timeslot_duration").text = "00:05"
    ET.SubElement(conference, "base_url").text = f"{base_url()}/"
    ET.SubElement(conference, "url").text = event_url(event)
    ET.SubElement(conference, "time_zone_name").text = event.timezone
    for track in tracks:
        ET.SubElement(conference, "track", name=track.name, color=track.colour.lower(), slug=track_slug(track))

    for index, day, start, end, day_sessions in days:
        day_element = ET.SubElement(
            root, "day", index=str(index), date=day.isoformat(), start=local_iso(event, start), end=local_iso(event, end)
        )
        rooms = defaultdict(list)
        for session in day_sessions:
            rooms[session.room].append(session)
        for room_name in sorted(rooms):
            room = ET.SubElement(day_element, "room", name=room_name, guid=guid(event.slug, "room", room_name))
            for session in rooms[room_name]:
                element = ET.SubElement(room, "event", id=str(session.id), guid=guid(event.slug, "session", session.id))
                ET.SubElement(element, "room").text = room_name
                ET.SubElement(element, "title").text = session.title
                ET.SubElement(element, "subtitle").text = ""
                ET.SubElement(element, "type").text = session.kind
                ET.SubElement(element, "date").text = local_iso(event, session.starts_at)
                ET.SubElement(element, "start").text = event.local(session.starts_at).strftime("%H:%M")
                ET.SubElement(element, "duration").text = hhmm(duration(session))
                ET.SubElement(element, "abstract").text = session.description
                slug = session_slug(event, session)
                if XML_SLUG.match(slug):
                    ET.SubElement(element, "slug").text = slug
                ET.SubElement(element, "track").text = session.track.name if session.track else ""
                ET.SubElement(element, "language").text = event.language
                ET.SubElement(element, "description").text = session.description
                persons = ET.SubElement(element, "persons")
                for link in session.speaker_links:
                    ET.SubElement(
                        persons, "person", id=str(link.speaker.id), guid=guid(event.slug, "speaker", link.speaker.id)
                    ).text = link.speaker.name
                ET.SubElement(element, "links")
                ET.SubElement(element, "url").text = session_url(event, session)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def json_acronym(event: Event) -> str:
    value = event.slug.replace("-", "_")
    return value if len(value) >= 4 else value.ljust(4, "_")


def schedule_json(event: Event) -> dict:
    sessions = agenda.sessions_for(event)
    tracks = agenda.tracks_for(event)
    rooms = sorted({session.room for session in sessions})
    room_refs = {room: {"name": room, "guid": guid(event.slug, "room", room)} for room in rooms}
    conference = {
        "acronym": json_acronym(event),
        "title": event.title,
        "description": event.summary or None,
        "start": local_iso(event, event.starts_at),
        "end": local_iso(event, event.ends_at),
        "time_zone_name": event.timezone,
        "url": event_url(event),
        "languages": [event.language],
        "tracks": [{"name": track.name, "slug": track_slug(track), "color": track.colour.lower()} for track in tracks],
        "rooms": [{"name": room, "guid": room_refs[room]["guid"]} for room in rooms],
        "days": [
            {"index": index, "date": day.isoformat(), "start": local_iso(event, start), "end": local_iso(event, end)}
            for index, day, start, end, _ in days_of(event, [s for s in sessions if not s.cancelled])
        ],
    }
    events: list[dict[str, Any]] = []
    for session in sessions:
        common: dict[str, Any] = {
            "guid": guid(event.slug, "session", session.id),
            "title": session.title,
            "start": local_iso(event, session.starts_at),
            "end": local_iso(event, session.ends_at),
            "room": room_refs[session.room],
        }
        if session.kind == SessionKind.BREAK:
            events.append({"type": "BREAK", **common})
            continue
        events.append({
            **common,
            "code": f"S{session.id}",
            "slug": session_slug(event, session).replace("_", "-"),
            "url": session_url(event, session),
            "subtitle": None,
            "type": JSON_TYPES.get(session.kind, "OTHER"),
            "track": {"slug": track_slug(session.track)} if session.track else {"slug": "general"},
            "language": event.language,
            "abstract": session.description or None,
            "duration": iso_duration(duration(session)),
            "participants": [
                {"name": link.speaker.name, "guid": guid(event.slug, "speaker", link.speaker.id), "role": "SPEAKER"}
                for link in session.speaker_links
            ],
            "links": [],
            "state": "CANCELED" if session.cancelled else "CONFIRMED",
        })
    return {
        "$schema": "https://c3voc.de/schedule/schema.json",
        "generator": {"name": GENERATOR},
        "schedule": {"version": version(event), "conference": conference, "events": events},
    }
