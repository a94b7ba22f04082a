"""Calendar feeds and schedule exports: public ones per event and session, and a participant's own.

Public feeds and schedule exports answer ``Access-Control-Allow-Origin: *``: a browser-based
schedule viewer or the screen at the venue, served from another domain, may read them. A
participant's own feed (a private link) never does, nor does any organiser page.
"""

import hashlib
import json
from datetime import datetime

from flask import Blueprint, Response, abort, request
from werkzeug.wrappers import Response as BaseResponse

from app.agenda import services as agenda
from app.calendar import ics, schedule
from app.calendar.cache import cached_public_feed
from app.events.views import visible_event_or_404
from app.registration.services import get_by_token

bp = Blueprint("calendar", __name__)

ICS_MIMETYPE = "text/calendar"


def feed_response(body: bytes, mimetype: str, last_modified: datetime | None, *, private: bool = False,
                  filename: str | None = None) -> BaseResponse:
    """A response calendar clients can poll cheaply: a strong ETag of the bytes, Last-Modified,
    and 304 Not Modified when the client already has them."""
    response = Response(body, mimetype=mimetype)
    if mimetype == ICS_MIMETYPE:
        response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.set_etag(hashlib.sha256(body).hexdigest()[:32])
    if last_modified is not None:
        response.last_modified = last_modified.replace(microsecond=0)
    response.cache_control.no_cache = True
    if private:
        response.cache_control.private = True
        response.headers["X-Robots-Tag"] = "noindex"
        response.headers["Referrer-Policy"] = "no-referrer"
    else:
        response.cache_control.public = True
        response.headers["Access-Control-Allow-Origin"] = "*"
    if filename:
        response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    return response.make_conditional(request)


@bp.route("/events/<slug>/calendar.ics")
def event_feed(slug):
    event = visible_event_or_404(slug)
    last = agenda.last_modified(event)
    body = cached_public_feed("ics", event, last, lambda: ics.event_calendar(event, agenda.sessions_for(event)))
    return feed_response(body, ICS_MIMETYPE, last, filename=f"{event.slug}.ics")


@bp.route("/events/<slug>/sessions/<int:session_id>.ics")
def session_feed(slug, session_id):
    event = visible_event_or_404(slug)
    session = agenda.get_session(event, session_id)
    if session is None:
        abort(404)
    body = ics.session_calendar(event, session)
    last = max(session.updated_at, event.updated_at)
    return feed_response(body, ICS_MIMETYPE, last, filename=f"{event.slug}-session-{session.id}.ics")


@bp.route("/r/<token>/calendar.ics")
def registration_feed(token):
    registration = get_by_token(token)
    if registration is None:
        abort(404)
    event = registration.event
    body = ics.registration_calendar(registration)
    # No Last-Modified: giving a seat back leaves no timestamp, so only the ETag is trustworthy.
    return feed_response(body, ICS_MIMETYPE, None, private=True, filename=f"{event.slug}.ics")


@bp.route("/events/<slug>/schedule.xml")
def schedule_xml(slug):
    event = visible_event_or_404(slug)
    last = agenda.last_modified(event)
    return feed_response(cached_public_feed("xml", event, last, lambda: schedule.schedule_xml(event)), "application/xml", last)


def _json_feed(kind: str, slug: str, build) -> BaseResponse:
    event = visible_event_or_404(slug)
    last = agenda.last_modified(event)
    body = cached_public_feed(kind, event, last, lambda: json.dumps(build(event), ensure_ascii=False, indent=2).encode("utf-8"))
    return feed_response(body, "application/json", last)


@bp.route("/events/<slug>/schedule.json")
def schedule_json(slug):
    """The classic frab layout (days → rooms → events), as the established schedule apps read it."""
    return _json_feed("json-classic", slug, schedule.schedule_json)


@bp.route("/events/<slug>/schedule.flat.json")
def schedule_flat_json(slug):
    """The newer flat c3voc ``schedule2`` layout (one list of events)."""
    return _json_feed("json-flat", slug, schedule.schedule_flat_json)
