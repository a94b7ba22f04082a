"""The event's audit trail for its organisers: who did what, when; and as CSV."""

from flask import Blueprint, Response, render_template
from flask_babel import gettext as _

from app.audit import services
from app.auth.models import Role
from app.core.authz import event_team_required
from app.core.exports import personal_data_export
from app.core.spreadsheets import CSV_CONTENT_TYPE

bp = Blueprint("audit", __name__, url_prefix="/manage/events/<slug>")
PAGE_SIZE = 500


def describe_target(entry, labels: dict) -> str:
    if entry.target in labels:
        name = labels[entry.target]
        return name if name is not None else _("(erased participant)")
    return entry.target


@bp.route("/audit")
@event_team_required(Role.ORGANISER)
def log(event):
    entries = services.entries_for(event, limit=PAGE_SIZE)
    return render_template("audit/manage/log.html", event=event, entries=entries, labels=services.target_labels(entries),
                           describe_target=describe_target, page_size=PAGE_SIZE)


@bp.route("/audit.csv")
@personal_data_export
@event_team_required(Role.ORGANISER)
def log_csv(event):
    entries = services.entries_for(event)
    headers = [_("When"), _("Who"), _("Action"), _("About"), _("Details")]
    body = services.as_csv(event, entries, headers, services.target_labels(entries), describe_target)
    return Response(body, content_type=CSV_CONTENT_TYPE,
                    headers={"Content-Disposition": f'attachment; filename="{event.slug}-audit.csv"'})
