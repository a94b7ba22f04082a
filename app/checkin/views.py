"""The check-in staff page and its JSON endpoints, attendance for organisers, and ``/c/<secret>``."""

from datetime import date

from babel.dates import format_date
from flask import Blueprint, Response, abort, current_app, jsonify, render_template, request, session
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user

from app.auth.models import Role
from app.badges.services import display_name, find_by_secret
from app.checkin import forms, pdf, services
from app.core.authz import event_team_required, team_role
from app.core.exports import personal_data_export
from app.core.spreadsheets import CSV_CONTENT_TYPE
from app.extensions import db, limiter

bp = Blueprint("checkin", __name__)
TEAM = (Role.ORGANISER, Role.STAFF)


def day_label(day: date, fmt: str) -> str:
    return format_date(day, fmt, locale=get_locale() or "en")


def staff_session_key() -> str:
    """Rate limits count per logged-in staff session, so one busy door does not slow another."""
    if current_user.is_authenticated:
        return f"checkin:{current_user.get_id()}:{session.get('_id', '')}"
    return get_remote_address()


def scan_rate_limit() -> str:
    return current_app.config.get("CHECKIN_RATE_LIMIT", "300 per minute")


@bp.route("/manage/events/<slug>/checkin")
@event_team_required(*TEAM)
def page(event):
    day = services.today(event)
    return render_template(
        "checkin/manage/page.html", event=event, day=day, day_text=day_label(day, "full"),
        is_event_day=services.is_event_day(event, day), counts=services.counters(event, day),
        scan_form=forms.ScanCodeForm(), search_form=forms.SearchForm(),
    )


@bp.route("/manage/events/<slug>/checkin/scan", methods=["POST"])
@limiter.limit(scan_rate_limit, key_func=staff_session_key)
@event_team_required(*TEAM)
def scan(event):
    """JSON in, JSON out, one round trip: the answer for the door and the new counters."""
    wanted = forms.scan_request(request.get_json(silent=True))
    if wanted.registration_id is not None:
        result = services.check_in_registration(event, wanted.registration_id, by=current_user)
    else:
        result = services.scan(event, wanted.code, by=current_user)
    # Counted before the commit (this transaction sees its own check-in): after it, the expired
    # event row would be read again, one more round trip on every scan.
    counts = services.counters(event, result.day or services.today(event))
    db.session.commit()
    body = result.as_json()
    body["counts"] = counts
    return jsonify(body)


@bp.route("/manage/events/<slug>/checkin/undo", methods=["POST"])
@limiter.limit(scan_rate_limit, key_func=staff_session_key)
@event_team_required(*TEAM)
def undo(event):
    checkin_id = forms.undo_request(request.get_json(silent=True))
    try:
        registration = services.undo(event, checkin_id, by=current_user)
    except services.CheckInError as error:
        db.session.rollback()
        return jsonify(error=str(error.message)), 404
    db.session.commit()
    return jsonify(
        message=_("Check-in of %(name)s was undone.", name=registration.full_name),
        counts=services.counters(event, services.today(event)),
    )


@bp.route("/manage/events/<slug>/checkin/search")
@event_team_required(*TEAM)
def search(event):
    query = request.args.get("q", "")[:100].replace("\x00", "")  # PostgreSQL text cannot hold NUL
    return jsonify(results=services.search(event, query, services.today(event)))


@bp.route("/manage/events/<slug>/checkin/counts")
@event_team_required(*TEAM)
def counts(event):
    return jsonify(services.counters(event, services.today(event)))


@bp.route("/manage/events/<slug>/attendance")
@event_team_required(Role.ORGANISER)
def attendance(event):
    data = services.attendance(event)
    return render_template(
        "checkin/manage/attendance.html", event=event, data=data,
        day_labels={day: day_label(day, "medium") for day in data.days},
        names={r.id: display_name(r.first_name, r.last_name, r.country) for r, _checkins in data.rows},
    )


@bp.route("/manage/events/<slug>/attendance.pdf")
@personal_data_export
@event_team_required(Role.ORGANISER)
def attendance_pdf(event):
    response = Response(pdf.attendance_pdf(event, services.attendance(event)), mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="attendance-{event.slug}.pdf"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/manage/events/<slug>/attendance.csv")
@personal_data_export
@event_team_required(Role.ORGANISER)
def attendance_csv(event):
    response = Response(services.attendance_csv(event), content_type=CSV_CONTENT_TYPE)
    response.headers["Content-Disposition"] = f'attachment; filename="attendance-{event.slug}.csv"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/c/<secret>", methods=["GET", "POST"])
def badge_link(secret):
    """What a phone camera opens from a badge.

    A member of the event's team sees who it is and can check them in; anyone else sees
    the same neutral page whether the badge exists or not, with no personal data.
    """
    registration = find_by_secret(secret) if current_user.is_authenticated else None
    if registration is None or team_role(registration.event, current_user) not in TEAM:
        if request.method == "POST":
            abort(403)
        return render_template("checkin/neutral.html")
    event = registration.event
    if request.method == "POST":
        result = services.admit(event, registration, by=current_user)
        db.session.commit()
        return render_template("checkin/badge_link.html", event=event, result=result)
    existing = services.find_checkin(registration.id, services.today(event))
    return render_template(
        "checkin/badge_link.html", event=event, result=None, secret=secret,
        person=services.person_data(event, registration),
        refusal=services.refusal(event, registration, services.today(event)),
        existing=services.checkin_data(event, existing) if existing else None,
    )
