"""Shape checks for the scanner page's JSON requests (the rules live in the services).

A request of the wrong shape is not a refusal of the door (the page's script never sends
one): it is answered ``400 Bad Request`` by the application's error handlers, like any other.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.exceptions import BadRequest
from wtforms import SearchField, StringField, SubmitField
from wtforms.validators import Length

from app.core.validators import plain_text


@dataclass
class ScanRequest:
    code: str | None = None
    registration_id: int | None = None


def scan_request(payload) -> ScanRequest:
    """``{"code": "<secret or QR URL>"}`` or ``{"registration_id": 12}`` (one-tap from search)."""
    if not isinstance(payload, dict):
        raise BadRequest("JSON object expected")
    code, registration_id = payload.get("code"), payload.get("registration_id")
    if code is not None:
        if not isinstance(code, str) or len(code) > 500:
            raise BadRequest("code must be a string")
        return ScanRequest(code=code)
    if isinstance(registration_id, int) and not isinstance(registration_id, bool) and registration_id > 0:
        return ScanRequest(registration_id=registration_id)
    raise BadRequest("code or registration_id expected")


def undo_request(payload) -> int:
    checkin_id = payload.get("checkin_id") if isinstance(payload, dict) else None
    if not isinstance(checkin_id, int) or isinstance(checkin_id, bool) or checkin_id <= 0:
        raise BadRequest("checkin_id expected")
    return checkin_id


class ScanCodeForm(FlaskForm):
    """The field a hand-held scanner types into (sent by the page's script as JSON)."""

    class Meta:
        csrf = False  # the script sends the CSRF token in the X-CSRFToken header

    code = StringField(
        _l("Badge code"), validators=[plain_text, Length(max=500)],
        description=_l("Scan with a hand-held scanner, or type the code printed under the QR code, then press Enter."),
    )
    submit = SubmitField(_l("Check in"))


class SearchForm(FlaskForm):
    class Meta:
        csrf = False

    q = SearchField(_l("Search by name, organisation or email"), validators=[plain_text, Length(max=100)])
    submit = SubmitField(_l("Search"))
