"""Field validators shared by every form."""

import re
import unicodedata

from flask_babel import lazy_gettext as _l
from wtforms.validators import DataRequired, Email, Length, ValidationError

_LINE_BREAKS = {"\n", "\r", "\t"}


def has_control_characters(text: str, allow_line_breaks: bool = False) -> bool:
    for char in text:
        if allow_line_breaks and char in _LINE_BREAKS:
            continue
        if unicodedata.category(char) in ("Cc", "Cs", "Co"):
            return True
    return False


class NoControlCharacters:
    """Refuse NUL, escape sequences and other invisible control characters."""

    def __init__(self, allow_line_breaks: bool = False):
        self.allow_line_breaks = allow_line_breaks

    def __call__(self, form, field):
        if isinstance(field.data, str) and has_control_characters(field.data, self.allow_line_breaks):
            raise ValidationError(_l("Remove the invisible control characters from this field."))


# Shared instances for the feature forms: one-line text, and text where line breaks are fine.
plain_text = NoControlCharacters()
multiline_text = NoControlCharacters(allow_line_breaks=True)


PHONE_PATTERN = re.compile(r"^\+?[0-9 ()./-]{5,30}$")


def phone_number(form, field):
    if field.data and not PHONE_PATTERN.match(field.data.strip()):
        raise ValidationError(_l("Enter a phone number with digits, for example +36 1 234 5678."))


# WTForms' own messages, worded for our users and translated with the rest of the interface.

def required(message=None):
    return DataRequired(message=message or _l("This field is required."))


def max_length(limit: int):
    return Length(max=limit, message=_l("Use at most %(max)d characters.", max=limit))


def valid_email():
    return Email(check_deliverability=False, message=_l("Enter a valid email address, like name@example.org."))
