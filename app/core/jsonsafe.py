"""JSON responses that carry no raw HTML markup.

A name typed as ``<script>…`` is data and stays data in every JSON answer (the check-in
search, the API, schedule.json): ``<``, ``>`` and ``&`` are written as ``\\u003c``,
``\\u003e`` and ``\\u0026``, which every JSON reader decodes to the same text, so a response
that is ever sniffed or pasted into a page cannot open a tag.
"""

from typing import Any

from flask.json.provider import DefaultJSONProvider

_HTML_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


class HtmlSafeJSONProvider(DefaultJSONProvider):
    def dumps(self, obj: Any, **kwargs: Any) -> str:
        # Inside JSON, < > & occur only in strings, where the escape means the same character.
        return super().dumps(obj, **kwargs).translate(_HTML_SAFE)
