"""CSV and Excel files that are safe to open: the one place exports are written from.

A cell starting with ``=``, ``+``, ``-``, ``@`` (or a tab or carriage return) is a formula
to Excel and LibreOffice; text that participants typed must never run, so such a cell gets
a leading apostrophe. CSV files start with a byte-order mark so Excel reads UTF-8 and keeps
accented names intact.
"""

import csv
import io
from collections.abc import Iterable, Sequence

from openpyxl import Workbook

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def csv_text(headers: Sequence, rows: Iterable[Sequence]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([neutralise(cell) for cell in headers])
    writer.writerows([neutralise(cell) for cell in row] for row in rows)
    return "\ufeff" + buffer.getvalue()


def csv_bytes(headers: Sequence, rows: Iterable[Sequence]) -> bytes:
    return csv_text(headers, rows).encode("utf-8")


def xlsx_bytes(headers: Sequence, rows: Iterable[Sequence], title: str) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31] or "Sheet")
    sheet.append([neutralise(cell) for cell in headers])
    for row in rows:
        sheet.append([neutralise(cell) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
