"""Locale choice and locale-aware formatting of dates, times and countries."""

from datetime import datetime
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_datetime, format_interval, format_time
from flask import current_app, g, has_request_context, request, session
from flask_babel import get_locale
from flask_login import current_user


def select_locale() -> str:
    """The visitor's explicit choice, then the account's, then the event's, then the browser's."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # commands and workers: the site's default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    event_language = getattr(g, "event_language", None)
    if event_language in languages:
        return event_language
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


def _locale() -> Locale:
    return get_locale() or Locale("en")


def local_datetime(moment: datetime | None, tzname: str, fmt: str = "long") -> str:
    """``3 October 2026, 09:30`` / ``2026. október 3., 9:30``: the date, then the wall-clock time."""
    if moment is None:
        return ""
    if fmt == "long":
        local = moment.astimezone(ZoneInfo(tzname))
        return f"{format_date(local.date(), 'long', locale=_locale())}, {format_time(local, 'short', locale=_locale())}"
    return format_datetime(moment, fmt, tzinfo=ZoneInfo(tzname), locale=_locale())


def local_date(moment: datetime | None, tzname: str, fmt: str = "long") -> str:
    if moment is None:
        return ""
    return format_date(moment.astimezone(ZoneInfo(tzname)).date(), fmt, locale=_locale())


def local_time(moment: datetime | None, tzname: str) -> str:
    if moment is None:
        return ""
    return format_time(moment, "short", tzinfo=ZoneInfo(tzname), locale=_locale())


def date_range(start: datetime, end: datetime, tzname: str) -> str:
    """``25–26 September 2018`` (or ``2018. szeptember 25–26.``): the event's days."""
    zone = ZoneInfo(tzname)
    first, last = start.astimezone(zone).date(), end.astimezone(zone).date()
    if first == last:
        return format_date(first, "long", locale=_locale())
    return format_interval(first, last, "yMMMMd", locale=_locale())


def country_name(code: str | None) -> str:
    if not code:
        return ""
    return _locale().territories.get(code.upper(), code)


def country_choices() -> list[tuple[str, str]]:
    """ISO 3166 countries with names in the current language, sorted by name."""
    territories = _locale().territories
    not_countries = {"ZZ", "EU", "EZ", "UN", "QO", "XA", "XB", "XK"}
    codes = [code for code in territories if len(code) == 2 and code.isalpha() and code not in not_countries]
    return sorted(((code, territories[code]) for code in codes), key=lambda item: item[1])
