"""Erasure needs a deliberate confirmation: a ticked box, sent with the CSRF token."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField
from wtforms.validators import DataRequired


class EraseRegistrationForm(FlaskForm):
    confirm = BooleanField(
        _l("I understand that my registration and personal data will be deleted, and that this cannot be undone."),
        validators=[DataRequired(message=_l("Tick the box to confirm."))],
    )


class EraseEventForm(FlaskForm):
    confirm = BooleanField(
        _l("Delete the names, contact details and answers of every participant of this event. This cannot be undone."),
        validators=[DataRequired(message=_l("Tick the box to confirm."))],
    )
