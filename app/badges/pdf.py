"""Badge PDFs: one A6 badge per page, or four A6 badges on A4 sheets with cut marks.

Names are set in DejaVu Sans (shipped in ``static/fonts`` with its licence), which covers
every European Latin letter; the fonts are embedded (subset) in every PDF. The QR code is
drawn as vector squares, so it stays sharp at any print size.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path

import qrcode
from flask_babel import gettext as _
from qrcode.constants import ERROR_CORRECT_M
from reportlab.lib.colors import HexColor, white
from reportlab.lib.pagesizes import A4, A6
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from app.badges.services import ROLE_COLOURS, ROLE_LABELS, Badge
from app.core import i18n
from app.events.models import Event

FONT_DIR = Path(__file__).resolve().parents[2] / "static" / "fonts"
REGULAR = "BadgeSans"
BOLD = "BadgeSans-Bold"

BADGE_W, BADGE_H = A6  # 105 x 148 mm
MARGIN = 6 * mm  # nothing is printed closer to the badge's edge: printers and cutters need room
INK = HexColor("#1b1f24")
MUTED = HexColor("#545d68")
CUT_MARK = 5 * mm


@cache
def register_fonts() -> tuple[str, str]:
    pdfmetrics.registerFont(TTFont(REGULAR, str(FONT_DIR / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, str(FONT_DIR / "DejaVuSans-Bold.ttf")))
    return REGULAR, BOLD


def fit_text(text: str, font: str, max_width: float, sizes: Iterable[float], max_lines: int) -> tuple[float, list[str]]:
    """The largest size at which ``text`` fits ``max_lines`` lines of ``max_width``.

    Tries each size first on one line, then wrapped; when even the smallest size does not fit
    (one very long word), the size shrinks until the widest line fits: text never overflows.
    """
    text = " ".join(text.split())
    if not text:
        return 0, []
    sizes = list(sizes)
    for size in sizes:
        lines = simpleSplit(text, font, size, max_width)
        if len(lines) <= max_lines and all(pdfmetrics.stringWidth(line, font, size) <= max_width for line in lines):
            return size, lines
    size = sizes[-1]
    lines = simpleSplit(text, font, size, max_width)
    if len(lines) > max_lines:
        lines = lines[: max_lines - 1] + [" ".join(lines[max_lines - 1:])]
    widest = max(pdfmetrics.stringWidth(line, font, size) for line in lines)
    if widest > max_width:
        size = size * max_width / widest
    return size, lines


# The standard lets an encoder use any of the eight masks, and every decoder reads them all.
# Scoring all eight (what qrcode does by default) costs six times as long as drawing the badge;
# mask 3 is the one that scoring picks most often for our URLs, so it is used for every badge.
QR_MASK_PATTERN = 3


def qr_modules(data: str) -> list[list[bool]]:
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0, mask_pattern=QR_MASK_PATTERN)
    code.add_data(data)
    code.make(fit=True)
    return code.get_matrix()


def draw_qr(canvas: Canvas, data: str, x: float, y: float, size: float) -> None:
    """The QR code as vector squares (horizontal runs merged), lower-left corner at (x, y)."""
    matrix = qr_modules(data)
    count = len(matrix)
    module = size / count
    path = canvas.beginPath()
    for row_index, row in enumerate(matrix):
        top = y + size - (row_index + 1) * module
        start = None
        for col, dark in enumerate([*row, False]):
            if dark and start is None:
                start = col
            elif not dark and start is not None:
                path.rect(x + start * module, top, (col - start) * module, module)
                start = None
    canvas.setFillColor(INK)
    canvas.drawPath(path, fill=1, stroke=0)


def draw_lines(canvas: Canvas, lines: list[str], font: str, size: float, centre_x: float, top: float, leading=1.15) -> float:
    """Centred lines from ``top`` downwards; returns the y below the last line."""
    canvas.setFont(font, size)
    y = top
    for line in lines:
        y -= size
        canvas.drawCentredString(centre_x, y, line)
        y -= size * (leading - 1)
    return y


class BadgeHeader:
    """What every badge of one event shares, computed once per PDF."""

    def __init__(self, event: Event):
        register_fonts()
        self.title_size, self.title_lines = fit_text(event.title, BOLD, BADGE_W - 2 * MARGIN, (13, 12, 11, 10, 9), 2)
        self.dates = i18n.date_range(event.starts_at, event.ends_at, event.timezone)
        self.dates_size, self.dates_lines = fit_text(self.dates, REGULAR, BADGE_W - 2 * MARGIN, (9, 8, 7), 1)
        self.role_labels = {role: str(label) for role, label in ROLE_LABELS.items()}
        self.countries: dict[str, str] = {}

    def country(self, code: str) -> str:
        if code not in self.countries:
            self.countries[code] = i18n.country_name(code)
        return self.countries[code]


def draw_badge(canvas: Canvas, badge: Badge, header: BadgeHeader, x: float = 0, y: float = 0) -> None:
    """One A6 badge with its lower-left corner at (x, y)."""
    width = BADGE_W - 2 * MARGIN
    centre = x + BADGE_W / 2
    top = y + BADGE_H - MARGIN

    canvas.setFillColor(MUTED)
    below = draw_lines(canvas, header.title_lines, BOLD, header.title_size, centre, top)
    below = draw_lines(canvas, header.dates_lines, REGULAR, header.dates_size, centre, below - 1 * mm)
    canvas.setStrokeColor(HexColor("#d5dbe1"))
    canvas.setLineWidth(0.5)
    canvas.line(x + MARGIN, below - 1.5 * mm, x + BADGE_W - MARGIN, below - 1.5 * mm)

    # The name: as large as fits, on one line if it can, wrapped otherwise; never wider than the badge.
    name_size, name_lines = fit_text(badge.display_name, BOLD, width, (28, 26, 24, 22, 20, 18), 1)
    if len(name_lines) > 1 or name_size < 18:
        name_size, name_lines = fit_text(badge.display_name, BOLD, width, (24, 22, 20, 18, 16, 14, 12, 11, 10), 3)
    canvas.setFillColor(INK)
    below = draw_lines(canvas, name_lines, BOLD, name_size, centre, below - 7 * mm, leading=1.1)

    if badge.organisation:
        size, lines = fit_text(badge.organisation, REGULAR, width, (13, 12, 11, 10, 9, 8), 2)
        below = draw_lines(canvas, lines, REGULAR, size, centre, below - 2.5 * mm)
    country = header.country(badge.country) if badge.country else ""
    if country:
        canvas.setFillColor(MUTED)
        size, lines = fit_text(country, REGULAR, width, (10, 9, 8), 1)
        draw_lines(canvas, lines, REGULAR, size, centre, below - 1.5 * mm)

    # Role band at the bottom, the QR code above it.
    band_h = 13 * mm
    band_y = y + MARGIN
    canvas.setFillColor(HexColor(ROLE_COLOURS[badge.role]))
    canvas.roundRect(x + MARGIN, band_y, width, band_h, 2 * mm, stroke=0, fill=1)
    label = header.role_labels[badge.role].upper()
    size, lines = fit_text(label, BOLD, width - 4 * mm, (18, 16, 14, 12, 10), 1)
    canvas.setFillColor(white)
    canvas.setFont(BOLD, size)
    canvas.drawCentredString(centre, band_y + (band_h - size * 0.72) / 2, lines[0])

    if badge.secret:
        qr_size = 40 * mm
        qr_y = band_y + band_h + 6 * mm
        draw_qr(canvas, badge.url, centre - qr_size / 2, qr_y, qr_size)
        canvas.setFillColor(MUTED)
        canvas.setFont(REGULAR, 6.5)
        secret = badge.secret
        canvas.drawCentredString(centre, band_y + band_h + 2.2 * mm, " ".join(secret[i:i + 9] for i in range(0, len(secret), 9)))


def _canvas(buffer, pagesize, event: Event) -> Canvas:
    canvas = Canvas(buffer, pagesize=pagesize, pageCompression=1)
    canvas.setTitle(_("Badges: %(event)s", event=event.title))
    canvas.setAuthor(_("Masterclass"))
    canvas.setCreator(_("Masterclass"))
    return canvas


@i18n.in_event_language
def single_badge_pdf(event: Event, badge: Badge) -> bytes:
    """One A6 page: the participant's own badge."""
    header = BadgeHeader(event)
    buffer = io.BytesIO()
    canvas = _canvas(buffer, A6, event)
    draw_badge(canvas, badge, header)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def draw_cut_marks(canvas: Canvas) -> None:
    """Marks where the guillotine cuts: the middle of each edge, and a cross in the centre."""
    page_w, page_h = A4
    mid_x, mid_y = page_w / 2, page_h / 2
    canvas.setStrokeColor(INK)
    canvas.setLineWidth(0.3)
    canvas.line(mid_x, page_h, mid_x, page_h - CUT_MARK)
    canvas.line(mid_x, 0, mid_x, CUT_MARK)
    canvas.line(0, mid_y, CUT_MARK, mid_y)
    canvas.line(page_w, mid_y, page_w - CUT_MARK, mid_y)
    canvas.line(mid_x - CUT_MARK / 2, mid_y, mid_x + CUT_MARK / 2, mid_y)
    canvas.line(mid_x, mid_y - CUT_MARK / 2, mid_x, mid_y + CUT_MARK / 2)


@i18n.in_event_language
def sheets_pdf(event: Event, badges: list[Badge], progress: Callable[[int], None] | None = None) -> bytes:
    """A4 portrait sheets, four A6 badges each (two by two), in the order given, with cut marks."""
    header = BadgeHeader(event)
    buffer = io.BytesIO()
    canvas = _canvas(buffer, A4, event)
    page_w, page_h = A4
    offset_y = (page_h / 2 - BADGE_H) / 2  # A4 is 297 mm: half a millimetre to share
    slots = [(0, page_h / 2 + offset_y), (page_w / 2, page_h / 2 + offset_y), (0, offset_y), (page_w / 2, offset_y)]
    if not badges:
        canvas.setFont(REGULAR, 12)
        canvas.drawString(MARGIN * 3, page_h - MARGIN * 3, _("No badges match the filter."))
        canvas.showPage()
    for start in range(0, len(badges), 4):
        for (x, y), badge in zip(slots, badges[start:start + 4], strict=False):
            draw_badge(canvas, badge, header, x, y)
            if progress:
                progress(1)
        draw_cut_marks(canvas)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()
