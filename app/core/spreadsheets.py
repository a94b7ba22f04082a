"""CSV and Excel files that are safe to open: the one place exports are written from.

Text that participants typed must never run as a formula, and must still read as typed:

- XLSX: every string is written as a string cell (``t="inlineStr"``), which Excel and
  LibreOffice never evaluate, so ``=HYPERLINK(…)`` in a name is shown as text and an
  international phone number keeps no apostrophe. Datetimes are real date-time cells: naive,
  in the event's own time zone (spreadsheets know no zones), with a visible number format.
- CSV: a cell a spreadsheet would run is prefixed with an apostrophe (OWASP's guard): one
  starting with ``=`` or ``@``, or with ``+``/``-`` followed by anything other than digits,
  spaces, dots, parentheses and hyphens (``+36 1 234 5678`` and ``-5`` stay as they are), also
  behind leading tabs, carriage returns or spaces. Datetimes are ISO 8601 with their offset, in
  the event's zone. Files start with a byte-order mark so Excel reads UTF-8 and keeps accented
  names intact; ``CSV_CONTENT_TYPE`` is the one header to serve them with.
"""

import csv
import io
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
XLSX_DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
XLSX_DATE_FORMAT = "yyyy-mm-dd"

# What a spreadsheet takes as a number (a phone number, a negative amount), not as a formula.
NUMBER_LIKE = re.compile(r"[+-][0-9 .()\-]*")


def runs_as_formula(value: str) -> bool:
    """Whether Excel or LibreOffice would evaluate this text typed into a cell or read from a CSV."""
    text = value.lstrip(" \t\r\n")
    if not text:
        return False
    if text[0] in "=@":
        return True
    if text[0] in "+-":
        return NUMBER_LIKE.fullmatch(text) is None
    return False


def _zone(timezone: str | ZoneInfo | None) -> ZoneInfo | None:
    return ZoneInfo(timezone) if isinstance(timezone, str) else timezone


def csv_cell(value, zone: ZoneInfo | None = None):
    if isinstance(value, datetime):
        if zone is not None and value.tzinfo is not None:
            value = value.astimezone(zone)
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str) and runs_as_formula(value):
        return "'" + value
    return value


def csv_text(headers: Sequence, rows: Iterable[Sequence], timezone: str | ZoneInfo | None = None) -> str:
    """The CSV as text with a byte-order mark; aware datetimes shown in ``timezone``."""
    zone = _zone(timezone)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([csv_cell(cell, zone) for cell in headers])
    writer.writerows([csv_cell(cell, zone) for cell in row] for row in rows)
    return "\ufeff" + buffer.getvalue()


def csv_bytes(headers: Sequence, rows: Iterable[Sequence], timezone: str | ZoneInfo | None = None) -> bytes:
    return csv_text(headers, rows, timezone).encode("utf-8")


def xlsx_cell(sheet: WriteOnlyWorksheet, value, zone: ZoneInfo | None = None) -> Cell:
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(zone).replace(tzinfo=None) if zone else value.replace(tzinfo=None)
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = XLSX_DATETIME_FORMAT
        return cell
    if isinstance(value, date):
        cell = WriteOnlyCell(sheet, value=datetime.combine(value, time()))
        cell.number_format = XLSX_DATE_FORMAT
        return cell
    if isinstance(value, str):
        cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
        cell.data_type = "s"  # openpyxl would take a leading "=" as a formula; a string cell never runs
        return cell
    return WriteOnlyCell(sheet, value=value)


def xlsx_bytes(headers: Sequence, rows: Iterable[Sequence], title: str, timezone: str | ZoneInfo | None = None) -> bytes:
    """One sheet; aware datetimes become date-time cells in ``timezone`` (the event's)."""
    zone = _zone(timezone)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=ILLEGAL_CHARACTERS_RE.sub("", title)[:31] or "Sheet")
    sheet.append([xlsx_cell(sheet, cell, zone) for cell in headers])
    for row in rows:
        sheet.append([xlsx_cell(sheet, cell, zone) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
