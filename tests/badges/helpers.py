"""Arranging registrations and reading badge PDFs back, for the badge and check-in tests."""

import io
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pypdfium2
import zxingcpp
from pypdf import PdfReader

from app.extensions import db
from app.registration import services as registrations
from tests.conftest import local_input

NAMES = [
    ("Győző", "Őze", "Pannon Autóipari Klaszter", "HU"),
    ("Ștefan", "Țurcanu", "Universitatea Tehnică Cluj-Napoca", "RO"),
    ("Åsa", "Öberg", "Vinnova", "SE"),
    ("Iñaki", "Muñoz", "Cluster GAIA", "ES"),
    ("Helmut", "Gruß", "Automotive Cluster Oberösterreich", "AT"),
    ("Łukasz", "Żółć", "Polish Cluster Association", "PL"),
]


def today_event_overrides(days: int = 2) -> dict:
    """Event form values for an event that runs today (event-local), so check-ins count for a day of it."""
    zone = ZoneInfo("Europe/Budapest")
    start = datetime.now(zone).replace(hour=0, minute=5, second=0, microsecond=0)
    end = start + timedelta(days=days - 1, hours=23, minutes=50)
    return {"starts_at": local_input(start), "ends_at": local_input(end), "capacity": ""}


def register(app, slug, first, last, organisation="", country="", *, email=None):
    """A registration made through the service; returns (registration id, manage token, badge secret)."""
    from app.events.services import get_by_slug

    with app.app_context():
        event = get_by_slug(slug)
        email = email or f"{first}.{last}.{slug}@example.org".lower().replace(" ", "")
        result = registrations.register(
            event,
            registrations.Registrant(first_name=first, last_name=last, email=email, organisation=organisation, country=country),
            registrations.Consents(privacy=True), by_organiser=True, send_email=False,
        )
        registration, token = result.registration, result.token
        db.session.commit()
        return registration.id, token, registration.badge_secret


def set_status(app, registration_id, status):
    from app.registration.models import Registration

    with app.app_context():
        db.session.get(Registration, registration_id).status = status
        db.session.commit()


def pdf_text(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def embedded_fonts(data: bytes) -> set[str]:
    """Names of the fonts whose program is embedded in the PDF."""
    names = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for font in fonts.values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            targets = [d.get_object() for d in descendants] if descendants else [font]
            for target in targets:
                descriptor = target.get("/FontDescriptor")
                if descriptor is not None and any(k in descriptor.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                    names.add(str(target["/BaseFont"]))
    return names


def decode_qr_codes(data: bytes, scale: float = 3) -> list[list[str]]:
    """Every QR code on every page, read by ZXing (C++) from a pdfium rendering of the page."""
    pages = []
    document = pypdfium2.PdfDocument(data)
    try:
        for index in range(len(document)):
            image = document[index].render(scale=scale).to_pil()
            found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
            pages.append([code.text for code in found])
    finally:
        document.close()
    return pages


def now_utc():
    return datetime.now(UTC)
