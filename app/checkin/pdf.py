"""Sign-in sheets for the funder: one section per event day, with a signature column."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from babel.dates import format_date
from flask_babel import get_locale
from flask_babel import gettext as _
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from app.badges.pdf import BOLD, REGULAR, register_fonts
from app.badges.services import display_name
from app.checkin.services import Attendance
from app.core import i18n
from app.events.models import Event

PAGE = landscape(A4)
MARGIN = 14 * mm


def numbered_canvas(header_text: str, venue_text: str):
    """A canvas that writes the event header and "Page n of N" once the page count is known."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages = []

        def showPage(self):  # noqa: N802 (reportlab's name)
            self._pages.append(dict(self.__dict__))
            self._startPage()  # type: ignore[attr-defined]  # reportlab's own, not in its stubs

        def save(self):
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._decorate(total)
                super().showPage()
            super().save()

        def _decorate(self, total: int) -> None:
            width, height = PAGE
            self.setFont(BOLD, 11)
            self.drawString(MARGIN, height - 10 * mm, header_text)
            self.setFont(REGULAR, 8.5)
            self.drawString(MARGIN, height - 14.5 * mm, venue_text)
            self.setStrokeColor(HexColor("#d5dbe1"))
            self.line(MARGIN, height - 16.5 * mm, width - MARGIN, height - 16.5 * mm)
            self.setFont(REGULAR, 8.5)
            self.drawRightString(width - MARGIN, 8 * mm, _("Page %(page)d of %(pages)d", page=self._pageNumber, pages=total))  # type: ignore[attr-defined]

    return NumberedCanvas


@i18n.in_event_language
def attendance_pdf(event: Event, data: Attendance) -> bytes:
    register_fonts()
    buffer = io.BytesIO()
    dates = i18n.date_range(event.starts_at, event.ends_at, event.timezone)
    header = f"{event.title} · {dates}"
    venue = ", ".join(part for part in (event.venue_name, event.venue_address) if part)
    document = SimpleDocTemplate(
        buffer, pagesize=PAGE, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=22 * mm, bottomMargin=15 * mm,
        title=_("Attendance sheets: %(event)s", event=event.title), author=_("Masterclass"),
    )
    heading = ParagraphStyle("heading", fontName=BOLD, fontSize=14, leading=18, spaceAfter=2 * mm)
    small = ParagraphStyle("small", fontName=REGULAR, fontSize=8.5, leading=11, textColor=HexColor("#545d68"))
    cell = ParagraphStyle("cell", fontName=REGULAR, fontSize=9.5, leading=12)
    cell_bold = ParagraphStyle("cell_bold", parent=cell, fontName=BOLD)

    def text(value: str, style=cell) -> Paragraph:
        return Paragraph(escape(value), style)

    story: list[Flowable] = []
    for index, day in enumerate(data.days):
        if index:
            story.append(PageBreak())
        day_text = format_date(day, "full", locale=get_locale() or "en")
        story.append(text(_("Sign-in sheet · %(day)s", day=day_text), heading))
        story.append(text(_(
            "Participants sign to confirm their attendance on this day. Checked in: %(count)d of %(total)d.",
            count=data.total(day), total=len(data.rows)), small))
        story.append(Spacer(1, 4 * mm))
        rows: list[list[Paragraph | str]] = [[text(_("No."), cell_bold), text(_("Name"), cell_bold), text(_("Organisation"), cell_bold),
                 text(_("Country"), cell_bold), text(_("Checked in"), cell_bold), text(_("Signature"), cell_bold)]]
        for number, (registration, checkins) in enumerate(data.rows, start=1):
            checkin = checkins.get(day)
            rows.append([
                str(number),
                text(display_name(registration.first_name, registration.last_name, registration.country)),
                text(registration.organisation),
                text(i18n.country_name(registration.country)),
                i18n.local_time(checkin.checked_in_at, event.timezone) if checkin else "",
                "",
            ])
        table = Table(rows, colWidths=[12 * mm, 62 * mm, 75 * mm, 35 * mm, 22 * mm, None], repeatRows=1)
        table.setStyle(TableStyle([
            ("FONT", (0, 0), (-1, -1), REGULAR, 9.5),
            ("GRID", (0, 0), (-1, -1), 0.4, HexColor("#8a939c")),
            ("BACKGROUND", (0, 0), (-1, 0), HexColor("#e8eef4")),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("ROWBACKGROUNDS", (0, 1), (-1, -1), [HexColor("#ffffff"), HexColor("#f6f8fa")]),
            ("TOPPADDING", (0, 1), (-1, -1), 5),
            ("BOTTOMPADDING", (0, 1), (-1, -1), 5),
        ]))
        story.append(table)
    if not data.days:
        story.append(text(_("This event has no days."), heading))
    document.build(story, canvasmaker=numbered_canvas(header, venue))
    return buffer.getvalue()
