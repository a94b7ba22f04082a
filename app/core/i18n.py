"""Locale choice and locale-aware formatting of dates, times and countries."""

import re
import unicodedata
from collections.abc import Callable
from datetime import date, datetime
from functools import lru_cache, wraps
from typing import Any, ParamSpec, TypeVar
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_datetime, format_interval, format_time
from flask import current_app, g, has_request_context, request, session
from flask_babel import force_locale, get_locale
from flask_login import current_user


def select_locale() -> str:
    """The visitor's explicit choice, then the account's, then the event's, then the browser's."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # commands and workers: the site's default language
        return str(current_app.config["BABEL_DEFAULT_LOCALE"])
    chosen = session.get("lang")
    if chosen in languages:
        return str(chosen)
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    event_language = getattr(g, "event_language", None)
    if event_language in languages:
        return str(event_language)
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


P = ParamSpec("P")
R = TypeVar("R")


def in_event_language(function: Callable[P, R]) -> Callable[P, R]:
    """Render in the language of the event given as first argument, whoever asks.

    Badges and sign-in sheets are the event's documents: the whole batch reads the same,
    in the event's language, whether the organiser's interface is in English or Hungarian.
    """

    @wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        event: Any = args[0]
        languages = current_app.config["LANGUAGES"]
        language = event.language if event.language in languages else current_app.config["BABEL_DEFAULT_LOCALE"]
        with force_locale(language):
            return function(*args, **kwargs)

    return wrapper


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
    """``September 25–26, 2018`` (``2018. szeptember 25–26.``): the event's days, month names in full."""
    zone = ZoneInfo(tzname)
    first, last = start.astimezone(zone).date(), end.astimezone(zone).date()
    if first == last:
        return format_date(first, "long", locale=_locale())
    return _long_interval(first, last, _locale())


_ABBREVIATED_MONTH = re.compile(r"(?<![ML])([ML])\1\1(?![ML])")


def _long_interval(first: date, last: date, locale: Locale) -> str:
    """CLDR has interval patterns only for abbreviated months (``yMMMd``); spell the months out."""
    difference = "y" if first.year != last.year else "M" if first.month != last.month else "d"
    parts = locale.interval_formats.get("yMMMd", {}).get(difference)
    if not parts:
        return format_interval(first, last, "yMMMd", locale=locale)
    start_pattern, end_pattern = (_ABBREVIATED_MONTH.sub(r"\1\1\1\1", part) for part in parts)
    return format_date(first, start_pattern, locale=locale) + format_date(last, end_pattern, locale=locale)


def country_name(code: str | None) -> str:
    if not code:
        return ""
    return _locale().territories.get(code.upper(), code)


def _fold(text: str) -> str:
    """Accents folded and case ignored, so ``Észtország`` sorts among the E's and ``Új-Zéland`` among the U's."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def country_choices() -> list[tuple[str, str]]:
    """ISO 3166 countries with names in the current language, sorted by name."""
    return list(_sorted_countries(str(_locale())))


@lru_cache(maxsize=8)
def _sorted_countries(locale_name: str) -> tuple[tuple[str, str], ...]:
    # Once per language and process: folding and sorting ~250 names took ~1 ms, twice per registration.
    territories = Locale.parse(locale_name).territories
    not_countries = {"ZZ", "EU", "EZ", "UN", "QO", "XA", "XB", "XK"}
    codes = [code for code in territories if isinstance(code, str) and len(code) == 2 and code.isalpha() and code not in not_countries]
    return tuple(sorted(((code, str(territories[code])) for code in codes), key=lambda item: (_fold(item[1]), item[1])))


def person_name(first_name: str, last_name: str, country: str | None = "") -> str:
    """A person's full name in the order their language writes it.

    Hungarians are named family name first (``Őze Győző``), in every interface language, as on
    their badges; everyone else given name first (``Ștefan Țurcanu``), as Hungarian text also
    writes foreign names. With no country given, a Hungarian page puts the family name first.
    """
    country = (country or "").upper()
    if country == "HU" or (not country and _current_language() == "hu"):
        return f"{last_name} {first_name}".strip()
    return f"{first_name} {last_name}".strip()


def _current_language() -> str:
    try:
        locale = get_locale()
    except RuntimeError:  # no application context
        return ""
    return locale.language if locale else ""
