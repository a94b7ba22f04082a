"""Absolute links for emails, QR codes and calendars, built from BASE_URL.

They must be right in a worker or a command too, where there is no request to copy
the host from.
"""

from urllib.parse import urlsplit

from flask import current_app


def external_url(endpoint: str, **values) -> str:
    base = urlsplit(current_app.config["BASE_URL"].rstrip("/"))
    adapter = current_app.url_map.bind(base.netloc, script_name=base.path or "/", url_scheme=base.scheme or "https")
    return adapter.build(endpoint, values, force_external=True)


def safe_next(target: str | None) -> str | None:
    """``target`` if it is a path on this site, else None: the one check for every ``next``.

    Browsers drop tabs and newlines and read a backslash as a slash, so ``/\\t/evil.example``
    or ``/\\evil.example`` would leave the site: any control character, white space or
    backslash is refused along with schemes, hosts and ``//``.
    """
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(char) < 0x21 or ord(char) == 0x7F for char in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target
