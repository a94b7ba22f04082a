"""Organisers' Markdown as the plain text a calendar's DESCRIPTION holds (RFC 5545: TEXT).

The Markdown is rendered and sanitised exactly as the pages show it, then read back as text:
paragraphs and headings separated by a blank line, list items as "- …" (numbered lists
"1. …"), a link as "its text (its address)", emphasis without its asterisks.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from app.core.markdown import render_markdown

BLOCKS = {"p", "h2", "h3", "h4", "blockquote", "pre", "table", "ul", "ol", "hr"}


class _TextWriter(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.lists: list[list[int]] = []  # one counter per open list; [-1] for a bulleted one
        self.href: str | None = None
        self.link_text: list[str] = []

    def _newlines(self, count: int) -> None:
        text = "".join(self.parts).rstrip(" ")
        if text:
            present = len(text) - len(text.rstrip("\n"))
            self.parts = [text + "\n" * max(count - present, 0)]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in BLOCKS:
            self._newlines(1 if self.lists else 2)
            if tag in ("ul", "ol"):
                self.lists.append([-1] if tag == "ul" else [0])
        elif tag == "li":
            self._newlines(1)
            counter = self.lists[-1] if self.lists else [-1]
            if counter[0] >= 0:
                counter[0] += 1
            indent = "  " * max(len(self.lists) - 1, 0)
            self.parts.append(f"{indent}{counter[0]}. " if counter[0] >= 0 else f"{indent}- ")
        elif tag == "br":
            self.parts.append("\n")
        elif tag in ("td", "th"):
            self.parts.append("\t")
        elif tag == "tr":
            self._newlines(1)
        elif tag == "a":
            self.href = dict(attrs).get("href")
            self.link_text = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("ul", "ol") and self.lists:
            self.lists.pop()
            self._newlines(1 if self.lists else 2)
        elif tag in BLOCKS:
            self._newlines(1 if self.lists else 2)
        elif tag == "a" and self.href is not None:
            text = "".join(self.link_text).strip()
            if self.href and self.href != text and not self.href.startswith("mailto:"):
                self.parts.append(f" ({self.href})")
            self.href = None

    def handle_data(self, data: str) -> None:
        if self.href is not None:
            self.link_text.append(data)
        self.parts.append(data)


def markdown_to_text(text: str | None) -> str:
    if not text:
        return ""
    writer = _TextWriter()
    writer.feed(str(render_markdown(text)))
    writer.close()
    lines = [line.rstrip() for line in "".join(writer.parts).splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
