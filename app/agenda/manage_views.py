"""Organisers' agenda pages: sessions, tracks, copying a day, sign-up lists and speakers."""

from datetime import date, datetime, time

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from wtforms import SelectChoice

from app.agenda import services, signups, speakers
from app.agenda.forms import CopyDayForm, SessionForm, SpeakerForm, TrackForm
from app.agenda.views import found_or_404
from app.auth.models import Role
from app.core.authz import event_team_required
from app.core.exports import personal_data_export
from app.core.i18n import country_choices, local_date
from app.core.spreadsheets import csv_text
from app.core.timezones import event_days, utc_to_local_naive
from app.core.views import commit_or_report

bp = Blueprint("agenda_manage", __name__, url_prefix="/manage/events/<slug>")


def _flash_warnings(messages: list[str]) -> None:
    for message in messages:
        flash(_("Warning: %(message)s", message=message), "warning")


def _to_agenda(event, session=None):
    anchor = f"#session-{session.id}" if session is not None else ""
    return redirect(url_for("agenda_manage.agenda", slug=event.slug) + anchor)


# --- Sessions ------------------------------------------------------------------------------------


@bp.route("/agenda")
@event_team_required(Role.ORGANISER)
def agenda(event):
    sessions = services.sessions_for(event)
    return render_template(
        "agenda/manage/agenda.html", event=event, days=services.group_by_day(event, sessions),
        taken=services.seats_taken(event), tracks=services.tracks_for(event),
    )


def _session_form(event, session=None) -> SessionForm:
    form = SessionForm(obj=session)
    if not form.is_submitted():
        if session is not None:
            form.starts_at.data = utc_to_local_naive(session.starts_at, event.timezone)
            form.ends_at.data = utc_to_local_naive(session.ends_at, event.timezone)
            while len(form.speakers):
                form.speakers.pop_entry()
            for link in session.speaker_links:
                form.speakers.append_entry(link.speaker_id)
            form.speakers.append_entry()
        elif request.args.get("day"):
            _start_on_day(form, request.args["day"])
    form.set_choices(services.tracks_for(event), speakers.speakers_for(event))
    return form


def _start_on_day(form: SessionForm, day_text: str) -> None:
    """A new session offered from a day of the agenda starts that day at nine."""
    try:
        day = date.fromisoformat(day_text)
    except ValueError:
        return
    form.starts_at.data = datetime.combine(day, time(9, 0))
    form.ends_at.data = datetime.combine(day, time(10, 0))


def _changes(form: SessionForm) -> services.SessionChanges:
    return services.SessionChanges(
        title=form.title.data, kind=form.kind.data, starts_at=form.starts_at.data, ends_at=form.ends_at.data,
        description=form.description.data or "", room=form.room.data or "", track_id=form.track_id.data,
        capacity=form.capacity.data, cancelled=form.cancelled.data, speaker_ids=form.speaker_ids(),
    )


@bp.route("/agenda/new", methods=["GET", "POST"], endpoint="new_session")
@bp.route("/agenda/<int:session_id>/edit", methods=["GET", "POST"], endpoint="edit_session")
@event_team_required(Role.ORGANISER)
def session_page(event, session_id=None):
    """The add and edit page of a session: one form, saved by ``services.save_session``."""
    session = None if session_id is None else found_or_404(services.get_session(event, session_id))
    form = _session_form(event, session)
    if form.validate_on_submit():
        outcome = commit_or_report(
            lambda: services.save_session(event, session, _changes(form)), form=form,
            success=_("The session was added.") if session is None else _("The session was saved."),
        )
        if outcome.ok and outcome.value is not None:
            saved, warnings = outcome.value
            _flash_warnings(warnings)
            return _to_agenda(event, saved)
    return render_template("agenda/manage/session_form.html", event=event, form=form, session=session,
                           rooms=services.rooms_for(event))


@bp.route("/agenda/<int:session_id>/cancel", methods=["POST"])
@event_team_required(Role.ORGANISER)
def cancel_session(event, session_id):
    session = found_or_404(services.get_session(event, session_id))
    cancelled = request.form.get("action") != "restore"
    commit_or_report(lambda: services.set_cancelled(session, cancelled),
                     success=_("The session is cancelled.") if cancelled else _("The session is back on the agenda."))
    return _to_agenda(event, session)


@bp.route("/agenda/<int:session_id>/delete", methods=["POST"])
@event_team_required(Role.ORGANISER)
def delete_session(event, session_id):
    session = found_or_404(services.get_session(event, session_id))
    commit_or_report(lambda: services.delete_session(session), success=_("The session was deleted."))
    return _to_agenda(event)


def _day_choices(event) -> list[SelectChoice]:
    return [SelectChoice(day.isoformat(), local_date(datetime.combine(day, time(12, 0), tzinfo=event.tz), event.timezone, "full"))
            for day in event_days(event.starts_at, event.ends_at, event.timezone)]


@bp.route("/agenda/copy-day", methods=["GET", "POST"])
@event_team_required(Role.ORGANISER)
def copy_day(event):
    form = CopyDayForm()
    form.source.choices = form.target.choices = _day_choices(event)
    if form.validate_on_submit():
        outcome = commit_or_report(
            lambda: services.copy_day(event, date.fromisoformat(form.source.data), date.fromisoformat(form.target.data)),
            form=form, success=lambda result: _("%(count)d sessions were copied.", count=result[0]),
        )
        if outcome.ok and outcome.value is not None:
            _flash_warnings(outcome.value[1])
            return _to_agenda(event)
    return render_template("agenda/manage/copy_day.html", event=event, form=form)


# --- Tracks --------------------------------------------------------------------------------------


@bp.route("/agenda/tracks", methods=["GET", "POST"], endpoint="tracks")
@bp.route("/agenda/tracks/<int:track_id>/edit", methods=["GET", "POST"], endpoint="edit_track")
@event_team_required(Role.ORGANISER)
def tracks_page(event, track_id=None):
    """The tracks page, with the form adding a track or editing one."""
    track = None if track_id is None else found_or_404(services.get_track(event, track_id))
    form = TrackForm(obj=track)
    if form.validate_on_submit():
        outcome = commit_or_report(
            lambda: services.save_track(event, track, form.name.data, form.colour.data), form=form,
            success=_("The track was added.") if track is None else _("The track was saved."),
        )
        if outcome.ok:
            return redirect(url_for("agenda_manage.tracks", slug=event.slug))
    return render_template("agenda/manage/tracks.html", event=event, form=form, tracks=services.tracks_for(event), track=track)


@bp.route("/agenda/tracks/<int:track_id>/delete", methods=["POST"])
@event_team_required(Role.ORGANISER)
def delete_track(event, track_id):
    track = found_or_404(services.get_track(event, track_id))
    commit_or_report(lambda: services.delete_track(track),
                     success=_("The track was deleted; its sessions stay, without a track."))
    return redirect(url_for("agenda_manage.tracks", slug=event.slug))


# --- Sign-ups ------------------------------------------------------------------------------------


@bp.route("/agenda/<int:session_id>/signups", endpoint="signups")  # the module ``signups`` has the plain name
@event_team_required(Role.ORGANISER)
def signups_page(event, session_id):
    session = found_or_404(services.get_session(event, session_id))
    return render_template("agenda/manage/signups.html", event=event, session=session,
                           signups=signups.signups_for_session(session), taken=services.seats_taken_in(session))


def _local_text(moment, tzname) -> str:
    return utc_to_local_naive(moment, tzname).strftime("%Y-%m-%d %H:%M")


@bp.route("/agenda/<int:session_id>/signups.csv")
@personal_data_export
@event_team_required(Role.ORGANISER)
def signups_csv(event, session_id):
    session = found_or_404(services.get_session(event, session_id))
    starts = _local_text(session.starts_at, event.timezone)
    headers = [_("Session"), _("Starts"), _("First name"), _("Last name"), _("Email"), _("Organisation"),
               _("Country"), _("Registration status"), _("Signed up at")]
    rows = [
        (session.title, starts, registration.first_name, registration.last_name, registration.email,
         registration.organisation, registration.country, registration.status, _local_text(signup.created_at, event.timezone))
        for signup, registration in signups.signups_for_session(session)
    ]
    return Response(csv_text(headers, rows), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{event.slug}-session-{session.id}-signups.csv"',
        "Cache-Control": "no-store",
    })


# --- Speakers ------------------------------------------------------------------------------------


@bp.route("/speakers", endpoint="speakers")  # the module ``speakers`` has the plain name
@event_team_required(Role.ORGANISER)
def speakers_page(event):
    return render_template("agenda/manage/speakers.html", event=event, speakers=speakers.speakers_for(event),
                           sessions=speakers.sessions_by_speaker(event))


def _speaker_form(speaker=None) -> SpeakerForm:
    form = SpeakerForm(obj=speaker)
    form.country.choices = [SelectChoice("", _("—"))] + [SelectChoice(code, name) for code, name in country_choices()]
    if speaker is not None and not form.is_submitted():
        form.links.data = "\n".join(speaker.links or [])
        form.registration_email.data = speakers.registration_email(speaker)
    return form


def _speaker_changes(form: SpeakerForm) -> speakers.SpeakerChanges:
    upload = form.photo.data
    photo = upload.read(speakers.PHOTO_MAX_BYTES + 1) if upload and getattr(upload, "filename", "") else None
    return speakers.SpeakerChanges(
        name=form.name.data or "", honorific=form.honorific.data or "", organisation=form.organisation.data or "",
        role=form.role.data or "", country=form.country.data or "", bio=form.bio.data or "",
        website=form.website.data or "", links=(form.links.data or "").splitlines(), email=form.email.data or "",
        registration_email=form.registration_email.data or "", photo=photo, remove_photo=form.remove_photo.data,
    )


@bp.route("/speakers/new", methods=["GET", "POST"], endpoint="new_speaker")
@bp.route("/speakers/<int:speaker_id>/edit", methods=["GET", "POST"], endpoint="edit_speaker")
@event_team_required(Role.ORGANISER)
def speaker_page(event, speaker_id=None):
    """The add and edit page of a speaker: one form, saved by ``speakers.save_speaker``."""
    speaker = None if speaker_id is None else found_or_404(speakers.get_speaker(event, speaker_id))
    form = _speaker_form(speaker)
    if form.validate_on_submit():
        outcome = commit_or_report(
            lambda: speakers.save_speaker(event, speaker, _speaker_changes(form)), form=form,
            success=_("The speaker was added.") if speaker is None else _("The speaker was saved."),
        )
        if outcome.ok:
            return redirect(url_for("agenda_manage.speakers", slug=event.slug))
    return render_template("agenda/manage/speaker_form.html", event=event, form=form, speaker=speaker)


@bp.route("/speakers/<int:speaker_id>/delete", methods=["POST"])
@event_team_required(Role.ORGANISER)
def delete_speaker(event, speaker_id):
    speaker = found_or_404(speakers.get_speaker(event, speaker_id))
    commit_or_report(lambda: speakers.delete_speaker(speaker), success=_("The speaker was deleted."))
    return redirect(url_for("agenda_manage.speakers", slug=event.slug))
