"""Agenda pages: organisers build sessions, tracks and speakers; the public reads the programme;
participants sign up for sessions from their private link."""

import hashlib
from datetime import date, datetime, time

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from wtforms import SelectChoice

from app.agenda import services
from app.agenda.forms import CopyDayForm, SessionForm, SpeakerForm, TrackForm
from app.agenda.models import SessionKind
from app.auth.models import Role
from app.core.authz import event_team_required
from app.core.domain import DomainError, apply_field_errors
from app.core.i18n import country_choices, local_date
from app.core.models import utcnow
from app.core.spreadsheets import csv_text
from app.core.timezones import event_days, utc_to_local_naive
from app.events.models import Event
from app.events.views import visible_event_or_404
from app.extensions import db
from app.registration.services import get_by_token

bp = Blueprint("agenda", __name__)


@bp.app_template_global()
def session_kind_label(kind: str) -> str:
    return str(services.KIND_LABELS.get(kind, kind))


@bp.app_template_global()
def agenda_sign_ups(registration) -> tuple[list, str]:
    """For the participant's page: the sessions this registration signed up for, and the event's zone."""
    event = db.session.get(Event, registration.event_id)
    return services.signups_of(registration), event.timezone


@bp.app_template_global()
def webcal_url(url: str) -> str:
    return "webcal://" + url.split("://", 1)[1] if "://" in url else url


def _refused(form, group: ExceptionGroup) -> None:
    db.session.rollback()
    apply_field_errors(form, list(group.exceptions))


def _flash_warnings(messages: list[str]) -> None:
    for message in messages:
        flash(_("Warning: %(message)s", message=message), "warning")


# --- Organisers: sessions ------------------------------------------------------------------------


@bp.route("/manage/events/<slug>/agenda")
@event_team_required(Role.ORGANISER)
def manage_agenda(event):
    sessions = services.sessions_for(event)
    return render_template(
        "agenda/manage_agenda.html", event=event, days=services.group_by_day(event, sessions),
        taken=services.seats_taken(event), tracks=services.tracks_for(event),
    )


def _session_form(event, session=None) -> SessionForm:
    form = SessionForm(obj=session)
    if session is not None and not form.is_submitted():
        form.starts_at.data = utc_to_local_naive(session.starts_at, event.timezone)
        form.ends_at.data = utc_to_local_naive(session.ends_at, event.timezone)
        while len(form.speakers):
            form.speakers.pop_entry()
        for link in session.speaker_links:
            form.speakers.append_entry(link.speaker_id)
        form.speakers.append_entry()
    form.set_choices(services.tracks_for(event), services.speakers_for(event))
    return form


def _changes(form: SessionForm) -> services.SessionChanges:
    return services.SessionChanges(
        title=form.title.data, kind=form.kind.data, starts_at=form.starts_at.data, ends_at=form.ends_at.data,
        description=form.description.data or "", room=form.room.data or "", track_id=form.track_id.data,
        capacity=form.capacity.data, cancelled=form.cancelled.data, speaker_ids=form.speaker_ids(),
    )


@bp.route("/manage/events/<slug>/agenda/new", methods=["GET", "POST"])
@event_team_required(Role.ORGANISER)
def new_session(event):
    form = _session_form(event)
    if not form.is_submitted() and request.args.get("day"):
        try:
            day = date.fromisoformat(request.args["day"])
        except ValueError:
            day = None
        if day:
            form.starts_at.data = datetime.combine(day, time(9, 0))
            form.ends_at.data = datetime.combine(day, time(10, 0))
    if form.validate_on_submit():
        try:
            session, warnings = services.save_session(event, None, _changes(form))
        except ExceptionGroup as group:
            _refused(form, group)
        else:
            db.session.commit()
            flash(_("The session was added."), "success")
            _flash_warnings(warnings)
            return redirect(url_for("agenda.manage_agenda", slug=event.slug) + f"#session-{session.id}")
    return render_template("agenda/session_form.html", event=event, form=form, session=None,
                           rooms=services.rooms_for(event))


def _session_or_404(event, session_id):
    session = services.get_session(event, session_id)
    if session is None:
        abort(404)
    return session


@bp.route("/manage/events/<slug>/agenda/<int:session_id>/edit", methods=["GET", "POST"])
@event_team_required(Role.ORGANISER)
def edit_session(event, session_id):
    session = _session_or_404(event, session_id)
    form = _session_form(event, session)
    if form.validate_on_submit():
        try:
            session, warnings = services.save_session(event, session, _changes(form))
        except ExceptionGroup as group:
            _refused(form, group)
        else:
            db.session.commit()
            flash(_("The session was saved."), "success")
            _flash_warnings(warnings)
            return redirect(url_for("agenda.manage_agenda", slug=event.slug) + f"#session-{session.id}")
    return render_template("agenda/session_form.html", event=event, form=form, session=session,
                           rooms=services.rooms_for(event))


@bp.route("/manage/events/<slug>/agenda/<int:session_id>/cancel", methods=["POST"])
@event_team_required(Role.ORGANISER)
def cancel_session(event, session_id):
    session = _session_or_404(event, session_id)
    cancelled = request.form.get("action") != "restore"
    services.set_cancelled(session, cancelled)
    db.session.commit()
    flash(_("The session is cancelled.") if cancelled else _("The session is back on the agenda."), "success")
    return redirect(url_for("agenda.manage_agenda", slug=event.slug) + f"#session-{session.id}")


@bp.route("/manage/events/<slug>/agenda/<int:session_id>/delete", methods=["POST"])
@event_team_required(Role.ORGANISER)
def delete_session(event, session_id):
    session = _session_or_404(event, session_id)
    try:
        services.delete_session(session)
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
    else:
        db.session.commit()
        flash(_("The session was deleted."), "success")
    return redirect(url_for("agenda.manage_agenda", slug=event.slug))


def _day_choices(event) -> list[tuple[str, str]]:
    return [SelectChoice(day.isoformat(), local_date(datetime.combine(day, time(12, 0), tzinfo=event.tz), event.timezone, "full"))
            for day in event_days(event.starts_at, event.ends_at, event.timezone)]


def _local_text(moment, tzname) -> str:
    return utc_to_local_naive(moment, tzname).strftime("%Y-%m-%d %H:%M")


@bp.route("/manage/events/<slug>/agenda/copy-day", methods=["GET", "POST"])
@event_team_required(Role.ORGANISER)
def copy_day(event):
    form = CopyDayForm()
    choices = _day_choices(event)
    form.source.choices = choices
    form.target.choices = choices
    if form.validate_on_submit():
        try:
            count, warnings = services.copy_day(event, date.fromisoformat(form.source.data), date.fromisoformat(form.target.data))
        except DomainError as error:
            _refused(form, ExceptionGroup("refused", [error]))
        else:
            db.session.commit()
            flash(_("%(count)d sessions were copied.", count=count), "success")
            _flash_warnings(warnings)
            return redirect(url_for("agenda.manage_agenda", slug=event.slug))
    return render_template("agenda/copy_day.html", event=event, form=form)


# --- Organisers: tracks --------------------------------------------------------------------------


@bp.route("/manage/events/<slug>/agenda/tracks", methods=["GET", "POST"])
@event_team_required(Role.ORGANISER)
def tracks(event):
    form = TrackForm()
    if form.validate_on_submit():
        try:
            services.save_track(event, None, form.name.data, form.colour.data)
        except DomainError as error:
            _refused(form, ExceptionGroup("refused", [error]))
        else:
            db.session.commit()
            flash(_("The track was added."), "success")
            return redirect(url_for("agenda.tracks", slug=event.slug))
    return render_template("agenda/tracks.html", event=event, form=form, tracks=services.tracks_for(event), track=None)


def _track_or_404(event, track_id):
    track = services.get_track(event, track_id)
    if track is None:
        abort(404)
    return track


@bp.route("/manage/events/<slug>/agenda/tracks/<int:track_id>/edit", methods=["GET", "POST"])
@event_team_required(Role.ORGANISER)
def edit_track(event, track_id):
    track = _track_or_404(event, track_id)
    form = TrackForm(obj=track)
    if form.validate_on_submit():
        try:
            services.save_track(event, track, form.name.data, form.colour.data)
        except DomainError as error:
            _refused(form, ExceptionGroup("refused", [error]))
        else:
            db.session.commit()
            flash(_("The track was saved."), "success")
            return redirect(url_for("agenda.tracks", slug=event.slug))
    return render_template("agenda/tracks.html", event=event, form=form, tracks=services.tracks_for(event), track=track)


@bp.route("/manage/events/<slug>/agenda/tracks/<int:track_id>/delete", methods=["POST"])
@event_team_required(Role.ORGANISER)
def delete_track(event, track_id):
    services.delete_track(_track_or_404(event, track_id))
    db.session.commit()
    flash(_("The track was deleted; its sessions stay, without a track."), "success")
    return redirect(url_for("agenda.tracks", slug=event.slug))


# --- Organisers: sign-ups ------------------------------------------------------------------------


@bp.route("/manage/events/<slug>/agenda/<int:session_id>/signups")
@event_team_required(Role.ORGANISER)
def signups(event, session_id):
    session = _session_or_404(event, session_id)
    return render_template("agenda/signups.html", event=event, session=session,
                           signups=services.signups_for_session(session))


@bp.route("/manage/events/<slug>/agenda/<int:session_id>/signups.csv")
@event_team_required(Role.ORGANISER)
def signups_csv(event, session_id):
    session = _session_or_404(event, session_id)
    starts = _local_text(session.starts_at, event.timezone)
    headers = [_("Session"), _("Starts"), _("First name"), _("Last name"), _("Email"), _("Organisation"),
               _("Country"), _("Registration status"), _("Signed up at")]
    rows = [
        (session.title, starts, registration.first_name, registration.last_name, registration.email,
         registration.organisation, registration.country, registration.status, _local_text(signup.created_at, event.timezone))
        for signup, registration in services.signups_for_session(session)
    ]
    body = csv_text(headers, rows)
    response = Response(body, mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{event.slug}-session-{session.id}-signups.csv"'
    response.headers["Cache-Control"] = "no-store"
    return response


# --- Organisers: speakers ------------------------------------------------------------------------


@bp.route("/manage/events/<slug>/speakers")
@event_team_required(Role.ORGANISER)
def manage_speakers(event):
    return render_template("agenda/manage_speakers.html", event=event, speakers=services.speakers_for(event),
                           sessions=services.sessions_by_speaker(event))


def _speaker_form(event, speaker=None) -> SpeakerForm:
    form = SpeakerForm(obj=speaker)
    form.country.choices = [SelectChoice("", _("—"))] + [SelectChoice(code, name) for code, name in country_choices()]
    if speaker is not None and not form.is_submitted():
        form.links.data = "\n".join(speaker.links or [])
        if speaker.registration_id:
            from app.registration.models import Registration

            registration = db.session.get(Registration, speaker.registration_id)
            form.registration_email.data = registration.email if registration else ""
    return form


def _speaker_changes(form: SpeakerForm) -> services.SpeakerChanges:
    upload = form.photo.data
    photo = upload.read(services.PHOTO_MAX_BYTES + 1) if upload and getattr(upload, "filename", "") else None
    return services.SpeakerChanges(
        name=form.name.data or "", honorific=form.honorific.data or "", organisation=form.organisation.data or "",
        role=form.role.data or "", country=form.country.data or "", bio=form.bio.data or "",
        website=form.website.data or "", links=(form.links.data or "").splitlines(), email=form.email.data or "",
        registration_email=form.registration_email.data or "", photo=photo, remove_photo=form.remove_photo.data,
    )


def _save_speaker(event, form, speaker):
    try:
        return services.save_speaker(event, speaker, _speaker_changes(form))
    except ExceptionGroup as group:
        _refused(form, group)
        return None


@bp.route("/manage/events/<slug>/speakers/new", methods=["GET", "POST"])
@event_team_required(Role.ORGANISER)
def new_speaker(event):
    form = _speaker_form(event)
    if form.validate_on_submit() and _save_speaker(event, form, None) is not None:
        db.session.commit()
        flash(_("The speaker was added."), "success")
        return redirect(url_for("agenda.manage_speakers", slug=event.slug))
    return render_template("agenda/speaker_form.html", event=event, form=form, speaker=None)


def _speaker_or_404(event, speaker_id):
    speaker = services.get_speaker(event, speaker_id)
    if speaker is None:
        abort(404)
    return speaker


@bp.route("/manage/events/<slug>/speakers/<int:speaker_id>/edit", methods=["GET", "POST"])
@event_team_required(Role.ORGANISER)
def edit_speaker(event, speaker_id):
    speaker = _speaker_or_404(event, speaker_id)
    form = _speaker_form(event, speaker)
    if form.validate_on_submit() and _save_speaker(event, form, speaker) is not None:
        db.session.commit()
        flash(_("The speaker was saved."), "success")
        return redirect(url_for("agenda.manage_speakers", slug=event.slug))
    return render_template("agenda/speaker_form.html", event=event, form=form, speaker=speaker)


@bp.route("/manage/events/<slug>/speakers/<int:speaker_id>/delete", methods=["POST"])
@event_team_required(Role.ORGANISER)
def delete_speaker(event, speaker_id):
    services.delete_speaker(_speaker_or_404(event, speaker_id))
    db.session.commit()
    flash(_("The speaker was deleted."), "success")
    return redirect(url_for("agenda.manage_speakers", slug=event.slug))


# --- Public pages --------------------------------------------------------------------------------


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


@bp.route("/events/<slug>/speakers/")
def speakers(slug):
    event = visible_event_or_404(slug)
    return render_template("agenda/speakers.html", event=event, speakers=services.speakers_for(event),
                           sessions=services.sessions_by_speaker(event))


@bp.route("/events/<slug>/speakers/<int:speaker_id>")
def speaker(slug, speaker_id):
    event = visible_event_or_404(slug)
    found = _speaker_or_404(event, speaker_id)
    return render_template("agenda/speaker.html", event=event, speaker=found,
                           sessions=services.sessions_by_speaker(event).get(found.id, []))


@bp.route("/events/<slug>/speakers/<int:speaker_id>/photo.jpg")
def speaker_photo(slug, speaker_id):
    event = visible_event_or_404(slug)
    found = services.speaker_photo(event, speaker_id)
    if found is None:
        abort(404)
    data, updated_at = found
    response = Response(data, mimetype="image/jpeg")
    response.set_etag(hashlib.sha256(data).hexdigest()[:32])
    response.last_modified = updated_at.replace(microsecond=0)
    response.cache_control.public = not event.is_draft
    response.cache_control.max_age = 3600
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response.make_conditional(request)


# --- Participants: sign-up from the private link -------------------------------------------------


def _registration_or_404(token):
    registration = get_by_token(token)
    if registration is None:
        abort(404)
    return registration


def _private(response):
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


@bp.route("/r/<token>/sessions")
def my_sessions(token):
    registration = _registration_or_404(token)
    event = db.session.get(Event, registration.event_id)
    choices = services.signup_choices(registration)
    html = render_template("agenda/my_sessions.html", event=event, registration=registration, token=token,
                           days=_group_choices(event, choices))
    return _private(Response(html))


def _group_choices(event, choices):
    days = {}
    for choice in choices:
        days.setdefault(event.local(choice.session.starts_at).date(), []).append(choice)
    return sorted(days.items())


@bp.route("/r/<token>/sessions/<int:session_id>", methods=["POST"])
def change_sign_up(token, session_id):
    registration = _registration_or_404(token)
    event = db.session.get(Event, registration.event_id)
    session = services.get_session(event, session_id)
    if session is None:
        abort(404)
    action = request.form.get("action", "signup")
    if action == "cancel":
        services.cancel_sign_up(registration, session)
        db.session.commit()
        flash(_('You gave back your seat in "%(title)s".', title=session.title), "success")
    else:
        try:
            services.sign_up(registration, session)
        except DomainError as error:
            db.session.rollback()
            flash(str(error.message), "error")
        else:
            db.session.commit()
            flash(_('You have a seat in "%(title)s".', title=session.title), "success")
    return _private(redirect(url_for("agenda.my_sessions", token=token) + f"#session-{session_id}"))
