"""The organiser's badge print options: shape only."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectChoice, SelectField, SubmitField

from app.badges.services import ROLE_LABELS, BadgeRole


class BadgePrintForm(FlaskForm):
    role = SelectField(
        _l("Role"),
        choices=[SelectChoice("", _l("Every role"))] + [SelectChoice(role, ROLE_LABELS[role]) for role in BadgeRole],
        default="",
    )
    not_printed = BooleanField(_l("Only badges not printed yet"))
    submit = SubmitField(_l("Download badges (PDF)"))
