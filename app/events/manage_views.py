"""Organisers' pages for their events: create, edit, publish, clone, team."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app.auth import services as accounts
from app.auth.forms import TeamMemberForm
from app.auth.models import Role
from app.core.authz import event_team_required
from app.core.domain import apply_field_errors
from app.core.timezones import utc_to_local_naive
from app.events import services
from app.events.forms import CloneEventForm, EventForm
from app.events.models import EventStatus
from app.extensions import db
from app.registration.services import counts_by_status, registration_window

bp = Blueprint("manage", __name__, url_prefix="/manage")


def form_values(form: EventForm) -> dict:
    data = {name: field.data for name, field in form._fields.items() if name not in ("submit", "csrf_token")}
    for name in ("title", "summary", "venue_name", "venue_address", "slug", "contact_email", "timezone"):
        if isinstance(data.get(name), str):
            data[name] = data[name].strip()
    return data


def save_from_form(form: EventForm, event=None):
    """Run the service with the form's data; on refusal, put the messages beside the fields."""
    try:
        return services.save_event(event, services.EventChanges(form_values(form)), creator=current_user)
    except ExceptionGroup as group:
        db.session.rollback()
        apply_field_errors(form, list(group.exceptions))
        return None


@bp.route("/")
@login_required
def index():
    return render_template("manage/index.html", memberships=services.events_for_user(current_user))


@bp.route("/events/new", methods=["GET", "POST"])
@login_required
def new_event():
    form = EventForm()
    if not form.is_submitted():
        form.contact_email.data = current_user.email
    if form.validate_on_submit():
        event = save_from_form(form)
        if event is not None:
            db.session.commit()
            flash(_("The event was created as a draft. Publish it when it is ready."), "success")
            return redirect(url_for("manage.dashboard", slug=event.slug))
    return render_template("manage/event_form.html", form=form, event=None)


@bp.route("/events/<slug>/")
@event_team_required(Role.ORGANISER)
def dashboard(event):
    from app.mail.services import outbox_counts
    from app.registration.services import registrations_per_day

    per_day = registrations_per_day(event)
    return render_template(
        "manage/dashboard.html", event=event, counts=counts_by_status(event), window=registration_window(event),
        per_day=per_day, busiest=max((count for _day, count in per_day), default=0), outbox=outbox_counts(event),
        checkins=checkins_per_day(event), survey=survey_summary(event),
    )


def checkins_per_day(event) -> list[tuple]:
    """(event day, people checked in that day) for every day of the event, and any other day with check-ins."""
    import sqlalchemy as sa

    from app.checkin.models import CheckIn
    from app.core.timezones import event_days

    rows = dict(db.session.execute(
        db.select(CheckIn.day, sa.func.count(CheckIn.id)).where(CheckIn.event_id == event.id).group_by(CheckIn.day)
    ).all())
    days = sorted(set(event_days(event.starts_at, event.ends_at, event.timezone)) | set(rows))
    return [(day, rows.get(day, 0)) for day in days]


def survey_summary(event) -> dict | None:
    """The feedback survey's invitations and answers, or None when the event has no survey yet."""
    import sqlalchemy as sa

    from app.surveys.models import SurveyInvitation
    from app.surveys.services import get_survey

    survey = get_survey(event)
    if survey is None:
        return None
    invited, answered = db.session.execute(
        db.select(sa.func.count(SurveyInvitation.id), sa.func.count(SurveyInvitation.submitted_at)).filter_by(survey_id=survey.id)
    ).one()
    return {"survey": survey, "invited": invited, "answered": answered, "rate": round(100 * answered / invited) if invited else None}


@bp.route("/events/<slug>/edit", methods=["GET", "POST"])
@event_team_required(Role.ORGANISER)
def edit_event(event):
    form = EventForm(obj=event)
    if not form.is_submitted():
        for name in services.LOCAL_TIME_FIELDS:
            moment = getattr(event, name)
            getattr(form, name).data = utc_to_local_naive(moment, event.timezone) if moment else None
    if form.validate_on_submit():
        if save_from_form(form, event) is not None:
            db.session.commit()
            flash(_("The event was saved."), "success")
            return redirect(url_for("manage.dashboard", slug=event.slug))
    return render_template("manage/event_form.html", form=form, event=event)


STATUS_ACTIONS = {
    "publish": (EventStatus.PUBLISHED, _l("The event is published.")),
    "unpublish": (EventStatus.DRAFT, _l("The event is a draft again and hidden from the public.")),
    "archive": (EventStatus.ARCHIVED, _l("The event is archived.")),
}


@bp.route("/events/<slug>/status", methods=["POST"])
@event_team_required(Role.ORGANISER)
def change_status(event):
    action = request.form.get("action", "")
    if action not in STATUS_ACTIONS:
        flash(_("Unknown action."), "error")
        return redirect(url_for("manage.dashboard", slug=event.slug))
    status, message = STATUS_ACTIONS[action]
    services.set_status(event, status)
    db.session.commit()
    flash(str(message), "success")
    return redirect(url_for("manage.dashboard", slug=event.slug))


@bp.route("/events/<slug>/clone", methods=["GET", "POST"])
@event_team_required(Role.ORGANISER)
def clone_event(event):
    form = CloneEventForm()
    if not form.is_submitted():
        form.title.data = _("%(title)s (copy)", title=event.title)
    if form.validate_on_submit():
        copy = services.clone_event(event, form.title.data.strip(), form.start_date.data, current_user)
        db.session.commit()
        flash(_("The copy was created as a draft. Registrations were not copied."), "success")
        return redirect(url_for("manage.edit_event", slug=copy.slug))
    return render_template("manage/clone.html", form=form, event=event)


@bp.route("/events/<slug>/team", methods=["GET", "POST"])
@event_team_required(Role.ORGANISER)
def team(event):
    form = TeamMemberForm()
    if form.validate_on_submit():
        try:
            accounts.add_team_member(event, form.email.data, form.role.data)
        except accounts.AccountError as error:
            db.session.rollback()
            form.email.errors.append(str(error))
        else:
            db.session.commit()
            flash(_("%(email)s is on the team.", email=form.email.data.strip().lower()), "success")
            return redirect(url_for("manage.team", slug=event.slug))
    return render_template("manage/team.html", form=form, event=event)


@bp.route("/events/<slug>/team/<int:member_id>/remove", methods=["POST"])
@event_team_required(Role.ORGANISER)
def remove_member(event, member_id):
    try:
        accounts.remove_team_member(event, member_id, current_user)
    except accounts.AccountError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(_("Removed from the team."), "success")
    return redirect(url_for("manage.team", slug=event.slug))
