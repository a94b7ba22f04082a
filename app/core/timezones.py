"""Time zones: events are planned in their own zone and stored in UTC."""

from datetime import UTC, date, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

DEFAULT_TIMEZONE = "Europe/Budapest"


@cache
def timezone_names() -> tuple[str, ...]:
    return tuple(sorted(name for name in available_timezones() if "/" in name and not name.startswith("Etc/")))


def is_valid_timezone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return name in timezone_names() or name == "UTC"


def local_to_utc(naive_local: datetime, tzname: str) -> datetime:
    """A wall-clock time in the event's zone (as typed in a form) to an aware UTC datetime."""
    return naive_local.replace(tzinfo=ZoneInfo(tzname)).astimezone(UTC)


def utc_to_local_naive(moment: datetime, tzname: str) -> datetime:
    """The wall-clock time a form field shows for a stored UTC datetime."""
    return moment.astimezone(ZoneInfo(tzname)).replace(tzinfo=None)


def event_days(starts_at: datetime, ends_at: datetime, tzname: str) -> list[date]:
    """Every local calendar day an event touches, first to last."""
    first = starts_at.astimezone(ZoneInfo(tzname)).date()
    last = ends_at.astimezone(ZoneInfo(tzname)).date()
    return [first + timedelta(days=offset) for offset in range((last - first).days + 1)]
