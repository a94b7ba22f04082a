"""Folding text for matching and sorting: accents and case ignored, the same on every database."""

from __future__ import annotations

import unicodedata

# Letters NFKD does not take apart into a base letter and a combining mark.
_UNDECOMPOSED = str.maketrans({
    "ø": "o", "Ø": "o", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ß": "ss", "ẞ": "ss",
    "ł": "l", "Ł": "l", "đ": "d", "Đ": "d", "ð": "d", "Ð": "d", "þ": "th", "Þ": "th",
    "ħ": "h", "Ħ": "h", "ı": "i", "ŀ": "l", "Ŀ": "l", "ŧ": "t", "Ŧ": "t", "ŋ": "n", "Ŋ": "n",
})


def fold(text: str | None) -> str:
    """``"Kovács"``, ``"KOVACS"`` and ``"kovacs"`` alike: NFKD, combining marks dropped, casefolded,
    and the letters NFKD leaves whole (ø, æ, ß, ł, đ, þ, œ …) spelled with plain Latin letters."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text.translate(_UNDECOMPOSED))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
