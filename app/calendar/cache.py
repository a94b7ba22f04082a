"""The public feeds' bytes, built once per change instead of once per request.

Building the .ics of a 60-session event takes ~50 ms in icalendar, and it is built for every
poll of ``/events/<slug>/calendar.ics`` and for every confirmation email (which attaches it,
while the registration holds the event's row lock). The bytes are kept per process, keyed by
what they are built from and by ``agenda.last_modified`` (which the Last-Modified header
already trusts, and which every agenda, speaker, track and event change moves on).
"""

import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import datetime

from flask import current_app

from app.agenda import services as agenda
from app.calendar import ics


class FeedCache:
    def __init__(self, size: int = 64):
        self.size = size
        self.entries: OrderedDict[tuple, bytes] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: tuple, build: Callable[[], bytes]) -> bytes:
        with self.lock:
            if key in self.entries:
                self.entries.move_to_end(key)
                return self.entries[key]
        body = build()
        with self.lock:
            self.entries[key] = body
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)
        return body


feed_cache = FeedCache()


def cached_public_feed(kind: str, event, last_modified: datetime, build: Callable[[], bytes]) -> bytes:
    config = current_app.config
    key = (kind, config["SQLALCHEMY_DATABASE_URI"], config["BASE_URL"], event.id, event.language, last_modified)
    return feed_cache.get(key, build)


def event_calendar(event) -> bytes:
    """``ics.event_calendar(event)`` with every session, from the cache when nothing changed."""
    return cached_public_feed("ics", event, agenda.last_modified(event), lambda: ics.event_calendar(event, agenda.sessions_for(event)))
