from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectChoice, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from app.auth.models import ROLE_LABELS, Role
from app.core.validators import plain_text


class LoginForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[plain_text, DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])
    submit = SubmitField(_l("Log in"))


class TeamMemberForm(FlaskForm):
    email = EmailField(
        _l("Email"),
        validators=[plain_text, DataRequired(), Length(max=254), Email(check_deliverability=False)],
    )
    role = SelectField(
        _l("Role"),
        choices=[SelectChoice(role, ROLE_LABELS[role]) for role in Role],
        default=Role.STAFF,
    )
    submit = SubmitField(_l("Add to team"))


class AccountForm(FlaskForm):
    name = StringField(_l("Name"), validators=[plain_text, Length(max=200)])
    locale = SelectField(
        _l("Interface language"),
        choices=[SelectChoice("hu", "Magyar"), SelectChoice("en", "English")],
    )
    submit = SubmitField(_l("Save"))


class PasswordForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=200)])
    new_password = PasswordField(
        _l("New password"),
        description=_l("At least 10 characters. Every other session of yours is logged out."),
        validators=[DataRequired(), Length(min=10, max=200, message=_l("Use 10 to 200 characters."))],
    )
    confirm = PasswordField(
        _l("New password again"),
        validators=[DataRequired(), EqualTo("new_password", message=_l("The two passwords differ."))],
    )
    submit = SubmitField(_l("Change password"))


class LogoutOthersForm(FlaskForm):
    submit = SubmitField(_l("Log out everywhere else"))


class ResetRequestForm(FlaskForm):
    email = EmailField(
        _l("Email"),
        validators=[plain_text, DataRequired(), Length(max=254), Email(check_deliverability=False)],
    )
    submit = SubmitField(_l("Email me a link"))


class ResetPasswordForm(FlaskForm):
    new_password = PasswordField(
        _l("New password"),
        description=_l("At least 10 characters. Every session of yours is logged out."),
        validators=[DataRequired(), Length(min=10, max=200, message=_l("Use 10 to 200 characters."))],
    )
    confirm = PasswordField(
        _l("New password again"),
        validators=[DataRequired(), EqualTo("new_password", message=_l("The two passwords differ."))],
    )
    submit = SubmitField(_l("Set the new password"))
