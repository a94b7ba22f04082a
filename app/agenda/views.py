"""Public agenda pages: the programme and the speakers; participants choose their sessions
from their private link."""

import hashlib
from datetime import date

from flask import Blueprint, Response, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.agenda import services, signups, speakers
from app.agenda.models import SessionKind
from app.core.models import utcnow
from app.core.views import commit_or_report
from app.events.views import visible_event_or_404
from app.registration.services import get_by_token

bp = Blueprint("agenda", __name__)


def found_or_404(value):
    """``value``, or a 404 page when the service found nothing (unknown or another event's id)."""
    if value is None:
        abort(404)
    return value


@bp.app_template_global()
def session_kind_label(kind: str) -> str:
    return str(services.KIND_LABELS.get(kind, kind))


@bp.app_template_global()
def agenda_sign_ups(registration) -> tuple[list, str]:
    """For the participant's page: the sessions this registration signed up for, and the event's zone."""
    return signups.signups_of(registration), registration.event.timezone


@bp.app_template_global()
def webcal_url(url: str) -> str:
    return "webcal://" + url.split("://", 1)[1] if "://" in url else url


# --- The programme -------------------------------------------------------------------------------


@bp.route("/events/<slug>/agenda")
def agenda(slug):
    event = visible_event_or_404(slug)
    sessions = services.sessions_for(event)
    tracks = services.tracks_for(event)
    track_filter = request.args.get("track", type=int)
    kind_filter = request.args.get("kind", "")
    if track_filter not in {track.id for track in tracks}:
        track_filter = None
    if not SessionKind.has(kind_filter):
        kind_filter = ""
    now = utcnow()
    running, upcoming = services.now_and_next(sessions, now) if event.starts_at <= now < event.ends_at else (set(), set())
    kinds = [kind for kind in SessionKind if any(session.kind == kind for session in sessions)]
    return render_template(
        "agenda/agenda.html", event=event, days=services.group_by_day(event, sessions), tracks=tracks, kinds=kinds,
        taken=services.seats_taken(event), running=running, upcoming=upcoming,
        track_filter=track_filter, kind_filter=kind_filter,
    )


@bp.route("/events/<slug>/speakers/", endpoint="speakers")  # the module ``speakers`` has the plain name
def speakers_page(slug):
    event = visible_event_or_404(slug)
    return render_template("agenda/speakers.html", event=event, speakers=speakers.speakers_for(event),
                           sessions=speakers.sessions_by_speaker(event))


@bp.route("/events/<slug>/speakers/<int:speaker_id>")
def speaker(slug, speaker_id):
    event = visible_event_or_404(slug)
    found = found_or_404(speakers.get_speaker(event, speaker_id))
    return render_template("agenda/speaker.html", event=event, speaker=found,
                           sessions=speakers.sessions_by_speaker(event).get(found.id, []))


@bp.route("/events/<slug>/speakers/<int:speaker_id>/photo.jpg")
def speaker_photo(slug, speaker_id):
    event = visible_event_or_404(slug)
    data, updated_at = found_or_404(speakers.speaker_photo(event, speaker_id))
    response = Response(data, mimetype="image/jpeg")
    response.set_etag(hashlib.sha256(data).hexdigest()[:32])
    response.last_modified = updated_at.replace(microsecond=0)
    response.cache_control.public = not event.is_draft
    response.cache_control.max_age = 3600
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response.make_conditional(request)


# --- Participants: sign-up from the private link -------------------------------------------------


def _private(response):
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


def _by_day(event, choices):
    days: dict[date, list[signups.SignupChoice]] = {}
    for choice in choices:
        days.setdefault(event.local(choice.session.starts_at).date(), []).append(choice)
    return sorted(days.items())


@bp.route("/r/<token>/sessions")
def my_sessions(token):
    registration = found_or_404(get_by_token(token))
    event = registration.event
    html = render_template("agenda/my_sessions.html", event=event, registration=registration, token=token,
                           days=_by_day(event, signups.signup_choices(registration)))
    return _private(Response(html))


@bp.route("/r/<token>/sessions/<int:session_id>", methods=["POST"])
def change_sign_up(token, session_id):
    registration = found_or_404(get_by_token(token))
    session = found_or_404(services.get_session(registration.event, session_id))
    if request.form.get("action", "signup") == "cancel":
        commit_or_report(lambda: signups.cancel_sign_up(registration, session),
                         success=_('You gave back your seat in "%(title)s".', title=session.title))
    else:
        commit_or_report(lambda: signups.sign_up(registration, session),
                         success=_('You have a seat in "%(title)s".', title=session.title))
    return _private(redirect(url_for("agenda.my_sessions", token=token) + f"#session-{session_id}"))
