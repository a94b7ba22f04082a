"""Dates, names and countries formatted for the reader's language."""

from datetime import UTC, datetime

import pytest
from flask_babel import force_locale

from app.core import i18n

SEPT_25 = datetime(2018, 9, 25, 7, 30, tzinfo=UTC)  # 9:30 in Budapest (summer time)


@pytest.fixture
def in_locale(app):
    def enter(language):
        context = app.test_request_context("/")
        context.push()
        locale = force_locale(language)
        locale.__enter__()
        return context, locale

    entered = []

    def use(language):
        entered.append(enter(language))

    yield use
    for context, locale in reversed(entered):
        locale.__exit__(None, None, None)
        context.pop()


def test_hungarian_date_and_time(in_locale):
    in_locale("hu")
    assert i18n.local_datetime(datetime(2026, 10, 3, 7, 30, tzinfo=UTC), "Europe/Budapest") == "2026. október 3., 9:30"
    assert i18n.local_date(SEPT_25, "Europe/Budapest") == "2018. szeptember 25."
    assert i18n.local_date(SEPT_25, "Europe/Budapest", "full") == "2018. szeptember 25., kedd"
    assert i18n.local_time(SEPT_25, "Europe/Budapest") == "9:30"


def test_english_date_and_time(in_locale):
    in_locale("en")
    assert i18n.local_datetime(datetime(2026, 10, 3, 7, 30, tzinfo=UTC), "Europe/Budapest") == "October 3, 2026, 9:30\u202fAM"
    assert i18n.local_time(SEPT_25, "Europe/Budapest") == "9:30\u202fAM"


@pytest.mark.parametrize(("language", "start", "end", "expected"), [
    ("hu", (2018, 9, 25), (2018, 9, 26), "2018. szeptember 25–26."),
    ("hu", (2018, 9, 30), (2018, 10, 2), "2018. szeptember 30.\u2009–\u2009október 2."),
    ("hu", (2018, 12, 30), (2019, 1, 2), "2018. december 30.\u2009–\u20092019. január 2."),
    ("hu", (2018, 9, 25), (2018, 9, 25), "2018. szeptember 25."),
    ("en", (2018, 9, 25), (2018, 9, 26), "September 25\u2009–\u200926, 2018"),
    ("en", (2018, 9, 30), (2018, 10, 2), "September 30\u2009–\u2009October 2, 2018"),
    ("en", (2018, 12, 30), (2019, 1, 2), "December 30, 2018\u2009–\u2009January 2, 2019"),
])
def test_event_days_spell_the_months_out(in_locale, language, start, end, expected):
    in_locale(language)
    first = datetime(*start, 9, 0, tzinfo=UTC)
    last = datetime(*end, 15, 0, tzinfo=UTC)
    assert i18n.date_range(first, last, "Europe/Budapest") == expected


@pytest.mark.parametrize(("language", "expected"), [("hu", "Németország"), ("en", "Germany")])
def test_country_names(in_locale, language, expected):
    in_locale(language)
    assert i18n.country_name("de") == expected
    assert i18n.country_name("") == ""


def test_hungarian_country_list_sorts_accented_initials_with_their_letter(in_locale):
    in_locale("hu")
    names = [name for _code, name in i18n.country_choices()]
    assert names.index("Egyiptom") < names.index("Észtország") < names.index("Etiópia")
    assert names.index("Uganda") < names.index("Új-Zéland") < names.index("Ukrajna")
    assert "Európai Unió" not in names and "Ismeretlen körzet" not in names


@pytest.mark.parametrize("language", ["hu", "en"])
def test_names_are_written_in_the_persons_own_order(in_locale, language):
    in_locale(language)
    assert i18n.person_name("Győző", "Őze", "HU") == "Őze Győző"
    assert i18n.person_name("Ștefan", "Țurcanu", "RO") == "Ștefan Țurcanu"
    assert i18n.person_name("Åsa", "Öberg", "se") == "Åsa Öberg"


def test_a_name_without_country_follows_the_page_language(in_locale):
    in_locale("hu")
    assert i18n.person_name("Győző", "Őze", "") == "Őze Győző"
    in_locale("en")
    assert i18n.person_name("Győző", "Őze", None) == "Győző Őze"


def test_names_outside_a_request(app):
    with app.app_context():
        assert i18n.person_name("Győző", "Őze", "HU") == "Őze Győző"
    assert i18n.person_name("Åsa", "Öberg", "SE") == "Åsa Öberg"  # no application at all


def test_registration_full_name_uses_the_same_order():
    from app.registration.models import Registration

    assert Registration(first_name="Győző", last_name="Őze", country="HU").full_name == "Őze Győző"
    assert Registration(first_name="Iñaki", last_name="Muñoz", country="ES").full_name == "Iñaki Muñoz"
