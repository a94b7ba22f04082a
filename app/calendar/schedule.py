"""Schedule exports for conference apps and signage: frab/pentabarf XML and its JSON forms.

Three documents of one programme: the XML follows the c3voc ``schedule.xml.xsd`` (read by
Giggity, EventFahrplan, info-beamer); ``schedule.json`` is the classic frab JSON the
established clients read (``schedule.conference.days[].rooms{room: [events]}``, c3voc's
classic schema); ``schedule.flat.json`` is the newer flat layout (c3voc ``schedule2``).
All three list the same sessions with the same acronym, GUIDs and tracks:

- a cancelled session is left out of all three (the XML and the classic JSON have no way to
  mark one; the calendar feeds keep it as ``STATUS:CANCELLED``);
- a session without a track belongs to the declared track ``general``;
- GUIDs come from the event's calendar key, never from the serving host or the slug.
"""

from __future__ import annotations

import re
import uuid
import xml.etree.ElementTree as ET
from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

from flask_babel import force_locale
from flask_babel import gettext as _
from slugify import slugify

from app.agenda import services as agenda
from app.agenda.models import AgendaSession, SessionKind, Track
from app.calendar.ics import base_url, event_key, event_url, session_url
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
GENERAL_TRACK_SLUG = "general"  # real tracks' slugs end in their id, so this one is free
GENERAL_TRACK_COLOUR = "#5f6b7a"


def guid(event: Event, *parts) -> str:
    """A UUID that never changes for the same thing, whatever host serves it or slug it has."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "/".join([f"urn:masterclass:{event_key(event)}", *map(str, parts)])))


def listed_sessions(event: Event) -> list[AgendaSession]:
    """What every schedule export lists: the sessions that take place (never a cancelled one)."""
    return agenda.sessions_for(event, include_cancelled=False)


def declared_tracks(event: Event, sessions: list[AgendaSession]) -> list[dict[str, str]]:
    """The event's tracks, and ``general`` when a listed session has none: every track a
    session points at is declared."""
    tracks = [{"name": track.name, "slug": track_slug(track), "color": track.colour.lower()}
              for track in agenda.tracks_for(event)]
    if any(session.track is None for session in sessions):
        with force_locale(event.language):
            tracks.append({"name": _("General"), "slug": GENERAL_TRACK_SLUG, "color": GENERAL_TRACK_COLOUR})
    return tracks


def session_track(event: Event, session: AgendaSession) -> dict[str, str]:
    if session.track is not None:
        return {"name": session.track.name, "slug": track_slug(session.track)}
    with force_locale(event.language):
        return {"name": _("General"), "slug": GENERAL_TRACK_SLUG}


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
    """One acronym for the XML and both JSON layouts (c3voc: ``[a-z0-9_]``, at least four)."""
    value = event.slug.replace("-", "_")
    return value if len(value) >= 4 else value.ljust(4, "_")


def local_date(event: Event, moment: datetime) -> str:
    return event.local(moment).date().isoformat()


def schedule_xml(event: Event) -> bytes:
    sessions = listed_sessions(event)
    root = ET.Element("schedule")
    ET.SubElement(root, "generator", name=GENERATOR)
    ET.SubElement(root, "url").text = f"{base_url()}/events/{event.slug}/schedule.xml"
    ET.SubElement(root, "version").text = version(event)
    conference = ET.SubElement(root, "conference")
    ET.SubElement(conference, "title").text = event.title
    ET.SubElement(conference, "acronym").text = acronym(event)
    # Dates, not date-times: the schema allows both, the apps read only dates here.
    ET.SubElement(conference, "start").text = local_date(event, event.starts_at)
    ET.SubElement(conference, "end").text = local_date(event, event.ends_at)
    days = days_of(event, sessions)
    ET.SubElement(conference, "days").text = str(len(days))
    ET.SubElement(conference, "timeslot_duration").text = "00:05"
    ET.SubElement(conference, "base_url").text = f"{base_url()}/"
    ET.SubElement(conference, "url").text = event_url(event)
    ET.SubElement(conference, "time_zone_name").text = event.timezone
    for track in declared_tracks(event, sessions):
        ET.SubElement(conference, "track", name=track["name"], color=track["color"], slug=track["slug"])

    for index, day, start, end, day_sessions in days:
        day_element = ET.SubElement(
            root, "day", index=str(index), date=day.isoformat(), start=local_iso(event, start), end=local_iso(event, end)
        )
        rooms = defaultdict(list)
        for session in day_sessions:
            rooms[session.room].append(session)
        for room_name in sorted(rooms):
            room = ET.SubElement(day_element, "room", name=room_name, guid=guid(event, "room", room_name))
            for session in rooms[room_name]:
                element = ET.SubElement(room, "event", id=str(session.id), guid=guid(event, "session", session.id))
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
                ET.SubElement(element, "track").text = session_track(event, session)["name"]
                ET.SubElement(element, "language").text = event.language
                ET.SubElement(element, "description").text = session.description
                persons = ET.SubElement(element, "persons")
                for link in session.speaker_links:
                    ET.SubElement(
                        persons, "person", id=str(link.speaker.id), guid=guid(event, "speaker", link.speaker.id)
                    ).text = link.speaker.name
                ET.SubElement(element, "links")
                ET.SubElement(element, "url").text = session_url(event, session)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def schedule_flat_json(event: Event) -> dict:
    """The newer flat layout (c3voc ``schedule2``): days without rooms, one list of events."""
    sessions = listed_sessions(event)
    rooms = sorted({session.room for session in sessions})
    room_refs = {room: {"name": room, "guid": guid(event, "room", room)} for room in rooms}
    conference = {
        "acronym": acronym(event),
        "title": event.title,
        "description": event.summary or None,
        "start": local_iso(event, event.starts_at),
        "end": local_iso(event, event.ends_at),
        "time_zone_name": event.timezone,
        "url": event_url(event),
        "languages": [event.language],
        "tracks": declared_tracks(event, sessions),
        "rooms": [{"name": room, "guid": room_refs[room]["guid"]} for room in rooms],
        "days": [
            {"index": index, "date": day.isoformat(), "start": local_iso(event, start), "end": local_iso(event, end)}
            for index, day, start, end, _sessions in days_of(event, sessions)
        ],
    }
    events: list[dict[str, Any]] = []
    for session in sessions:
        common: dict[str, Any] = {
            "guid": guid(event, "session", session.id),
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
            "track": {"slug": session_track(event, session)["slug"]},
            "language": event.language,
            "abstract": session.description or None,
            "duration": iso_duration(duration(session)),
            "participants": [
                {"name": link.speaker.name, "guid": guid(event, "speaker", link.speaker.id), "role": "SPEAKER"}
                for link in session.speaker_links
            ],
            "links": [],
            "state": "CONFIRMED",
        })
    return {
        "$schema": "https://c3voc.de/schedule/schema.json",
        "generator": {"name": GENERATOR},
        "schedule": {"version": version(event), "conference": conference, "events": events},
    }


def _classic_event(event: Event, session: AgendaSession) -> dict[str, Any]:
    description = session.description or ""
    return {
        "id": session.id,
        "guid": guid(event, "session", session.id),
        "code": f"S{session.id}",
        "date": local_iso(event, session.starts_at),
        "start": event.local(session.starts_at).strftime("%H:%M"),
        "end": local_iso(event, session.ends_at),
        "duration": hhmm(duration(session)),
        "room": session.room,
        "slug": session_slug(event, session).replace("_", "-"),
        "url": session_url(event, session),
        "title": session.title,
        "subtitle": "",
        "track": session_track(event, session)["name"],
        "type": str(session.kind),
        "language": event.language,
        "abstract": description,
        "description": description,
        # "name" (pretalx) and "public_name" (frab): the clients read one or the other.
        "persons": [
            {"name": link.speaker.name, "public_name": link.speaker.name, "guid": guid(event, "speaker", link.speaker.id)}
            for link in session.speaker_links
        ],
        "links": [],
    }


def schedule_json(event: Event) -> dict:
    """The classic frab JSON: ``schedule.conference.days[].rooms{room name: [events]}``, the
    layout Giggity, EventFahrplan and the c3voc tools read; the same content as the XML."""
    sessions = listed_sessions(event)
    rooms = sorted({session.room for session in sessions})
    days = []
    for index, day, start, end, day_sessions in days_of(event, sessions):
        by_room: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for session in day_sessions:
            by_room[session.room].append(_classic_event(event, session))
        days.append({
            "index": index,
            "date": day.isoformat(),
            "day_start": local_iso(event, start),
            "day_end": local_iso(event, end),
            "rooms": {room: by_room[room] for room in sorted(by_room)},
        })
    conference: dict[str, Any] = {
        "acronym": acronym(event),
        "title": event.title,
        "start": local_date(event, event.starts_at),
        "end": local_date(event, event.ends_at),
        "daysCount": len(days),
        "timeslot_duration": "00:05",
        "time_zone_name": event.timezone,
        "url": event_url(event),
        "tracks": declared_tracks(event, sessions),
        "rooms": [{"name": room, "guid": guid(event, "room", room)} for room in rooms],
        "days": days,
    }
    if event.summary:
        conference["description"] = event.summary
    return {
        "$schema": "https://c3voc.de/schedule/schema.json",
        "generator": {"name": GENERATOR},
        "schedule": {"version": version(event), "base_url": f"{base_url()}/", "conference": conference},
    }
