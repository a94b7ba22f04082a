"""The participant's own changes to their registration: details, answers, optional consents.

Every refusal is reported at once (a ``FieldErrors``), each beside its field.
"""

from flask_babel import lazy_gettext as _l

from app.core.domain import FieldErrors
from app.core.models import utcnow
from app.extensions import db
from app.registration.errors import RegistrationError
from app.registration.models import Registration
from app.registration.questions import check_answers, save_answers
from app.registration.services import Registrant, find_by_email


def update_details(registration: Registration, registrant: Registrant, answers: dict[int, object]) -> None:
    """The participant's own changes to their details and answers; every refusal at once."""
    event = registration.event
    errors = []
    try:
        check_answers(event, answers)
    except FieldErrors as unfit:
        errors.extend(unfit.errors)
    email = registrant.email.strip().lower()
    if email != registration.email and find_by_email(event, email) is not None:
        errors.append(RegistrationError(_l("This email address cannot be used here."), "email"))
    FieldErrors.raise_if_any(errors)
    registration.first_name = registrant.first_name.strip()
    registration.last_name = registrant.last_name.strip()
    registration.email = email
    registration.organisation = registrant.organisation.strip()
    registration.job_title = registrant.job_title.strip()
    registration.country = registrant.country.strip().upper()
    registration.phone = registrant.phone.strip()
    save_answers(registration, answers)
    db.session.flush()


def set_optional_consents(registration: Registration, photo: bool, future_events: bool, public_list: bool = False) -> None:
    now = utcnow()
    registration.consent_photo_at = (registration.consent_photo_at or now) if photo else None
    registration.consent_future_events_at = (registration.consent_future_events_at or now) if future_events else None
    registration.consent_public_list_at = (registration.consent_public_list_at or now) if public_list else None
    db.session.flush()


def update_registration(
    registration: Registration, registrant: Registrant, answers: dict[int, object], *, photo: bool, future_events: bool
) -> None:
    """The participant's edit page: details, answers and the optional consents, saved together."""
    if not registration.is_active:
        raise RegistrationError(_l("This registration is no longer active, so it cannot be changed."))
    update_details(registration, registrant, answers)
    set_optional_consents(registration, photo, future_events)
