"""Downloads of personal data are marked where they are defined, and the audit trail records them.

Every organiser download (an address under /manage/ ending in .csv, .xlsx, .pdf or .json) carries
``@personal_data_export`` (app/core/exports.py); the audit hook looks for the mark on the view
that answered, so a new export is recorded without anyone keeping a list.
"""

import sqlalchemy as sa

from app.core.exports import is_personal_data_export, personal_data_export
from app.extensions import db as _db

DOWNLOAD_SUFFIXES = (".csv", ".xlsx", ".pdf", ".json")


def organiser_downloads(app) -> list:
    return [rule for rule in app.url_map.iter_rules()
            if rule.rule.startswith("/manage/") and rule.rule.endswith(DOWNLOAD_SUFFIXES)]


def export_entries(app, path: str) -> list:
    from app.audit.models import AuditEntry

    with app.app_context():
        entries = _db.session.execute(sa.select(AuditEntry).where(AuditEntry.action.startswith("export."))).scalars().all()
        found = [(entry.action, entry.user_id) for entry in entries if (entry.details or {}).get("path") == path]
        _db.session.remove()
    return found


def test_every_organiser_download_is_marked(app):
    downloads = organiser_downloads(app)
    assert len(downloads) >= 8, [rule.rule for rule in downloads]  # registrations, attendance, badges, survey, audit …
    unmarked = sorted(f"{rule.rule} ({rule.endpoint})" for rule in downloads
                      if not is_personal_data_export(app.view_functions[rule.endpoint]))
    assert unmarked == [], "add @personal_data_export (app/core/exports.py) under the route of these views"


def test_no_hand_kept_list_of_exports():
    from app.audit import services as audit

    assert not hasattr(audit, "EXPORT_ENDPOINTS")


def test_a_marked_download_writes_an_audit_entry_and_an_unmarked_one_does_not(app, client, make_event, login):
    from app.auth.models import Role
    from app.core.authz import event_team_required

    def probe():
        @event_team_required(Role.ORGANISER)
        def view(event):
            return {"event": event.slug}

        return view

    app.add_url_rule("/manage/events/<slug>/probe-marked.json", "probe_marked", personal_data_export(probe()))
    app.add_url_rule("/manage/events/<slug>/probe-unmarked.json", "probe_unmarked", probe())
    slug = make_event()
    login()

    marked, unmarked = f"/manage/events/{slug}/probe-marked.json", f"/manage/events/{slug}/probe-unmarked.json"
    assert client.get(marked).status_code == 200
    assert client.get(unmarked).status_code == 200
    assert [action for action, user_id in export_entries(app, marked) if user_id] == ["export.probe_marked"]
    assert export_entries(app, unmarked) == []


def test_the_registrations_export_is_recorded(app, client, make_event, login):
    slug = make_event()
    login()
    path = f"/manage/events/{slug}/registrations.csv"
    assert client.get(path).status_code == 200
    assert len(export_entries(app, path)) == 1
