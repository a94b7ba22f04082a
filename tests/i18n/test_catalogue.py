"""Every string the code marks for translation has a Hungarian translation, with the same placeholders."""

import re
from collections import Counter
from pathlib import Path

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
PO_PATH = ROOT / "app" / "translations" / "hu" / "LC_MESSAGES" / "messages.po"
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}  # as `make translations-update` extracts
PLACEHOLDER = re.compile(r"%\(\w+\)[sdfr]|%[sdfr]")
UPDATE_HINT = "run `make translations-update` and translate the new entries in app/translations/hu/LC_MESSAGES/messages.po"


def skip_directory(dirname: str) -> bool:
    name = Path(dirname).name
    return not name.startswith((".", "_")) and name not in {"node_modules", "instance", "static"}


def extracted_messages() -> dict[str | tuple[str, str], list[str]]:
    """Message ids found in the source, as babel.cfg and the Makefile extract them, with where they are."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config)
    found: dict = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS, directory_filter=skip_directory,
    ):
        if isinstance(message, tuple):  # ngettext: (singular, plural[, count])
            key = (message[0], message[1]) if len(message) > 1 and message[1] else message[0]
        else:
            key = message
        if key:
            found.setdefault(key, []).append(f"{filename}:{lineno}")
    return found


def catalogue():
    with PO_PATH.open("rb") as po_file:
        return read_po(po_file, locale="hu")


def placeholders(text: str) -> Counter:
    return Counter(PLACEHOLDER.findall(text))


def test_the_source_has_many_messages():
    """A sanity check on the extraction itself: the keywords and babel.cfg find the templates and the code."""
    messages = extracted_messages()
    assert len(messages) > 800
    assert "Skip to content" in messages  # templates/base.html
    assert "Please log in to see this page." in messages  # app/__init__.py, lazy_gettext
    assert ("%(num)d seat left", "%(num)d seats left") in messages  # ngettext in a template


def test_every_message_has_a_hungarian_translation():
    translations = catalogue()
    problems = []
    for key, places in sorted(extracted_messages().items(), key=lambda item: str(item[0])):
        msgid = key[0] if isinstance(key, tuple) else key
        message = translations.get(msgid)
        where = places[0]
        if message is None:
            problems.append(f"{where}: no entry for {msgid!r}")
            continue
        if message.fuzzy:
            problems.append(f"{where}: fuzzy translation of {msgid!r}")
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(s and s.strip() for s in strings):
            problems.append(f"{where}: empty translation of {msgid!r}")
            continue
        if isinstance(key, tuple):
            if not isinstance(message.id, tuple) or message.id[1] != key[1]:
                problems.append(f"{where}: the catalogue lacks the plural form of {msgid!r}")
                continue
            expected = placeholders(key[1])
        else:
            if isinstance(message.id, tuple):
                problems.append(f"{where}: {msgid!r} is plural in the catalogue but singular in the code")
                continue
            expected = placeholders(msgid)
        for string in strings:
            if placeholders(string) != expected:
                problems.append(f"{where}: placeholders differ in {msgid!r}: {string!r}")
    assert not problems, f"{len(problems)} messages lack a proper Hungarian translation ({UPDATE_HINT}):\n" + "\n".join(problems)


def test_the_catalogue_header_is_hungarian_with_two_plural_forms():
    translations = catalogue()
    assert str(translations.locale) == "hu"
    assert translations.num_plurals == 2
    assert not translations.fuzzy


def test_the_committed_template_is_current():
    """messages.pot holds every message of the code, so `pybabel update` gives translators the full list."""
    with (ROOT / "app" / "translations" / "messages.pot").open("rb") as pot_file:
        template = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(pot_file) if m.id}
    missing = [key for key in extracted_messages() if (key[0] if isinstance(key, tuple) else key) not in template]
    assert not missing, f"messages.pot is out of date ({UPDATE_HINT}): {missing[:10]}"
