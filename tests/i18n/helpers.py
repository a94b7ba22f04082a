"""Reading pages and catalogue strings for the language tests."""

import re
from functools import cache
from pathlib import Path

import lxml.html
from babel.messages.pofile import read_po

PO_PATH = Path(__file__).resolve().parents[2] / "app" / "translations" / "hu" / "LC_MESSAGES" / "messages.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sdfr]")


def text(response) -> str:
    """The visible text of a page (and its title), spaces normalised."""
    doc = lxml.html.fromstring(response.get_data(as_text=True))
    for bad in doc.xpath("//script|//style"):
        bad.drop_tree()
    return " ".join(doc.text_content().split())


def html_lang(response) -> str:
    return lxml.html.fromstring(response.get_data(as_text=True)).get("lang")


@cache
def phrase_pairs() -> tuple[tuple[str, str], ...]:
    """(English, Hungarian) literal phrases of at least three words that differ between the languages.

    Placeholders split a message into phrases, so ``Register for %(title)s`` gives ``Register for``;
    only phrases of three words or more are kept, so that no word of an event's own text matches.
    """
    with PO_PATH.open("rb") as po_file:
        catalog = read_po(po_file)
    pairs = []
    for message in catalog:
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for english, hungarian in zip(ids, strings, strict=False):
            for en_part, hu_part in zip(PLACEHOLDER.split(english), PLACEHOLDER.split(hungarian), strict=False):
                en_part, hu_part = en_part.strip(" .,:;()—–-"), hu_part.strip(" .,:;()—–-„”")
                if len(en_part.split()) >= 3 and len(hu_part.split()) >= 3 and en_part != hu_part:
                    pairs.append((en_part, hu_part))
    return tuple(pairs)


def english_phrases_in(page: str) -> list[str]:
    return [english for english, _hungarian in phrase_pairs() if english in page]


def hungarian_phrases_in(page: str) -> list[str]:
    return [hungarian for _english, hungarian in phrase_pairs() if hungarian in page]
