from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectChoice, SelectField, SubmitField
from wtforms.validators import DataRequired, Email, Length

from app.auth.models import Role


class LoginForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])
    submit = SubmitField(_l("Log in"))


class TeamMemberForm(FlaskForm):
    email = EmailField(
        _l("Email"),
        validators=[DataRequired(), Length(max=254), Email(check_deliverability=False)],
    )
    role = SelectField(
        _l("Role"),
        choices=[SelectChoice(Role.ORGANISER, _l("Organiser")), SelectChoice(Role.STAFF, _l("Check-in staff"))],
        default=Role.STAFF,
    )
    submit = SubmitField(_l("Add to team"))
