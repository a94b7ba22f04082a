"""A zone's full VTIMEZONE: its yearly STANDARD/DAYLIGHT rules, as calendar programs expect.

Calendar libraries cache a zone definition by its TZID. A definition cut down to an event's
few days ("only works from … to …") is then used for the next feed with the same TZID, and
a winter event read after a summer one shifts by an hour. So the zone is described by its
rules (``RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU``), valid for every date, as Outlook, vzic and
the tzurl.org definitions do. The rules come from the POSIX TZ string at the end of the
zone's TZif file (tzdata), which states the zone's current yearly rule; a zone whose rule
cannot be written that way (a transition outside 00:00–23:59, a Julian-day rule) falls back
to icalendar's transition list over a wide range (1970–2100), correct for every date too.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from functools import lru_cache
from importlib import resources
from pathlib import Path

from icalendar import Timezone, TimezoneDaylight, TimezoneStandard

# std offset [dst [offset] ,start[/time],end[/time]]
POSIX_TZ = re.compile(
    r"^(?P<std><[^>]+>|[A-Za-z]{3,})(?P<std_offset>[+-]?\d{1,2}(?::\d{2}){0,2})"
    r"(?:(?P<dst><[^>]+>|[A-Za-z]{3,})(?P<dst_offset>[+-]?\d{1,2}(?::\d{2}){0,2})?"
    r",(?P<start>M\d{1,2}\.\d\.\d)(?:/(?P<start_time>\d{1,2}(?::\d{2}){0,2}))?"
    r",(?P<end>M\d{1,2}\.\d\.\d)(?:/(?P<end_time>\d{1,2}(?::\d{2}){0,2}))?)?$"
)
DAYS = ("SU", "MO", "TU", "WE", "TH", "FR", "SA")
FIRST_YEAR = 1970


def _seconds(text: str | None, default: int) -> int:
    if text is None:
        return default
    sign = -1 if text.startswith("-") else 1
    parts = [int(part) for part in text.lstrip("+-").split(":")] + [0, 0]
    return sign * (parts[0] * 3600 + parts[1] * 60 + parts[2])


def _offset(posix: str | None, default: timedelta) -> timedelta:
    """POSIX offsets count west of Greenwich: ``CET-1`` is UTC+1."""
    return default if posix is None else timedelta(seconds=-_seconds(posix, 0))


def _name(text: str) -> str:
    return text.strip("<>")


def _footer(tzid: str) -> str | None:
    """The POSIX TZ string of a TZif v2+ file: the last line, between the final newlines."""
    candidates = [Path("/usr/share/zoneinfo") / tzid]
    try:
        candidates.insert(0, Path(str(resources.files("tzdata.zoneinfo").joinpath(tzid))))
    except ModuleNotFoundError:  # pragma: no cover - tzdata is a dependency
        pass
    for path in candidates:
        if path.is_file():
            data = path.read_bytes()
            if data[:4] == b"TZif" and data.endswith(b"\n"):
                return data[:-1].rsplit(b"\n", 1)[-1].decode("ascii")
    return None


def _first_transition(rule: str, seconds: int) -> datetime:
    """The first local moment in FIRST_YEAR of ``Mm.w.d`` at ``seconds`` after midnight."""
    month, week, weekday = (int(part) for part in rule[1:].split("."))
    first = date(FIRST_YEAR, month, 1)
    day = first + timedelta(days=(weekday - (first.isoweekday() % 7)) % 7 + 7 * (week - 1))
    while day.month != month:  # week 5 means "the last"
        day -= timedelta(days=7)
    return datetime.combine(day, datetime.min.time()) + timedelta(seconds=seconds)


def _rrule(rule: str) -> dict:
    month, week, weekday = (int(part) for part in rule[1:].split("."))
    return {"FREQ": "YEARLY", "BYMONTH": month, "BYDAY": f"{-1 if week == 5 else week}{DAYS[weekday]}"}


def _from_rules(tzid: str, posix: str) -> Timezone | None:
    match = POSIX_TZ.match(posix)
    if match is None:
        return None
    standard_offset = _offset(match["std_offset"], timedelta())
    zone = Timezone()
    zone.add("TZID", tzid)
    if match["dst"] is None:
        standard = TimezoneStandard()
        standard.add("DTSTART", datetime(FIRST_YEAR, 1, 1))
        standard.add("TZOFFSETFROM", standard_offset)
        standard.add("TZOFFSETTO", standard_offset)
        standard.add("TZNAME", _name(match["std"]))
        zone.add_component(standard)
        return zone
    daylight_offset = _offset(match["dst_offset"], standard_offset + timedelta(hours=1))
    start_time, end_time = _seconds(match["start_time"], 7200), _seconds(match["end_time"], 7200)
    if not (0 <= start_time < 86400 and 0 <= end_time < 86400):
        return None
    daylight = TimezoneDaylight()
    daylight.add("DTSTART", _first_transition(match["start"], start_time))
    daylight.add("RRULE", _rrule(match["start"]))
    daylight.add("TZOFFSETFROM", standard_offset)
    daylight.add("TZOFFSETTO", daylight_offset)
    daylight.add("TZNAME", _name(match["dst"]))
    standard = TimezoneStandard()
    standard.add("DTSTART", _first_transition(match["end"], end_time))
    standard.add("RRULE", _rrule(match["end"]))
    standard.add("TZOFFSETFROM", daylight_offset)
    standard.add("TZOFFSETTO", standard_offset)
    standard.add("TZNAME", _name(match["std"]))
    zone.add_component(daylight)
    zone.add_component(standard)
    return zone


@lru_cache(maxsize=64)
def _vtimezone_bytes(tzid: str) -> bytes:
    posix = _footer(tzid)
    zone = _from_rules(tzid, posix) if posix else None
    if zone is None:
        zone = Timezone.from_tzid(tzid, first_date=date(FIRST_YEAR, 1, 1), last_date=date(2100, 1, 1))
    return zone.to_ical()


def vtimezone(tzid: str) -> Timezone:
    """The zone's VTIMEZONE (built once per process and zone; a fresh component on each call)."""
    zone = Timezone.from_ical(_vtimezone_bytes(tzid))
    if not isinstance(zone, Timezone):  # the bytes above are one VTIMEZONE
        raise TypeError(f"not a VTIMEZONE: {tzid}")
    return zone
