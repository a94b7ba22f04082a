"""Markdown written by organisers, rendered and sanitised before it reaches a page."""

from functools import lru_cache

import markdown as markdown_lib
import nh3
from markupsafe import Markup

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "em", "h2", "h3", "h4", "hr", "i", "li",
    "ol", "p", "pre", "strong", "table", "tbody", "td", "th", "thead", "tr", "ul",
}


def render_markdown(text: str | None) -> Markup:
    if not text:
        return Markup("")
    # bandit B704: nh3 has sanitised the HTML in _sanitised_html
    return Markup(_sanitised_html(text))  # nosec B704


@lru_cache(maxsize=1024)
def _sanitised_html(text: str) -> str:
    """The same text always gives the same HTML, so an agenda of 60 sessions renders each
    description once per worker instead of once per request (Markdown costs ~0.5 ms a text)."""
    html = markdown_lib.markdown(text, extensions=["extra", "sane_lists"], output_format="html")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
