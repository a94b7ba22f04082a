"""Rules that are stated once: the sessions a registrant may choose, refusals reported together,
the words for each state, and the organiser's "Send now" only where a retry makes sense."""

from datetime import timedelta

import pytest

from app.core.domain import DomainError, FieldErrors
from app.extensions import db
from tests.registration.conftest import form_data, manage_path

SLUG = "gyori-mesterkurzus"


def _event(app):
    from app.events import services as events

    return events.get_by_slug(SLUG)


def test_the_form_offers_exactly_the_sessions_open_for_sign_up(client, make_event, app):
    """The registration form asks ``AgendaSession.open_for_sign_up``: no started, cancelled or seatless session."""
    from app.agenda.models import AgendaSession
    from app.core.models import utcnow

    make_event(capacity="5")
    with app.app_context():
        event = _event(app)
        later, now = event.starts_at + timedelta(hours=1), utcnow()

        def session(title, starts_at, **values):
            return AgendaSession(event_id=event.id, title=title, kind="workshop", starts_at=starts_at,
                                 ends_at=starts_at + timedelta(hours=1), **values)

        db.session.add_all([
            session("Open workshop", later, capacity=3),
            session("Cancelled workshop", later, capacity=3, cancelled=True),
            session("Talk without seats", later),
            session("Workshop in progress", now - timedelta(minutes=10), capacity=3),
        ])
        db.session.commit()
        offered = {item.title for item in db.session.execute(db.select(AgendaSession)).scalars() if item.open_for_sign_up(now)}
        db.session.remove()
    assert offered == {"Open workshop"}
    page = client.get(f"/events/{SLUG}/register").get_data(as_text=True)
    assert "Open workshop" in page and "3 seats left" in page
    assert not any(title in page for title in ("Cancelled workshop", "Talk without seats", "Workshop in progress"))


def test_register_refuses_a_missing_consent_and_every_unfit_answer_at_once(make_event, app):
    from app.registration import questions, services

    make_event()
    with app.app_context():
        event = _event(app)
        colour = questions.save_question(event, None, {"kind": "single_choice", "label": "Colour", "choices": "Red\nBlue",
                                                       "required": True})
        why = questions.save_question(event, None, {"kind": "short_text", "label": "Why?", "required": True})
        with pytest.raises(FieldErrors) as refused:
            services.register(event, services.Registrant("Győző", "Őze", "gyozo@example.org"),
                              services.Consents(privacy=False), answers={colour.id: "Green"}, send_email=False)
        assert isinstance(refused.value, DomainError)
        assert [(error.field, str(error.message)) for error in refused.value.errors] == [
            ("privacy_consent", "Please agree to the privacy notice to register."),
            (colour.field_name, "Choose one of the options."),
            (why.field_name, "Please answer this question."),
        ]
        db.session.rollback()
        db.session.remove()


def test_update_details_refuses_a_taken_address_and_an_unfit_answer_together(make_event, app):
    from app.registration import details, questions, services

    make_event()
    with app.app_context():
        event = _event(app)
        colour = questions.save_question(event, None, {"kind": "single_choice", "label": "Colour", "choices": "Red\nBlue"})
        people = [services.register(event, services.Registrant("Győző", f"Őze {n}", f"p{n}@example.org"),
                                    services.Consents(privacy=True), send_email=False).registration for n in (1, 2)]
        db.session.commit()
        with pytest.raises(FieldErrors) as refused:
            details.update_details(people[0], services.Registrant("Győző", "Őze", "p2@example.org"), {colour.id: "Green"})
        assert {error.field for error in refused.value.errors} == {colour.field_name, "email"}
        db.session.rollback()
        db.session.remove()


def test_participant_edit_shows_the_refusal_beside_its_field(client, make_event, register_form, outbox):
    make_event()
    client.post(f"/events/{SLUG}/register", data=register_form(email="other@example.org"))
    client.post(f"/events/{SLUG}/register", data=register_form())
    path = manage_path(outbox()[-1][3])
    response = client.post(f"{path}/edit", data=form_data(email="other@example.org"))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="email-error">This email address cannot be used here.' in page


def test_every_state_has_its_words(client, make_event, login, app):
    from app.registration.manage_views import STATUS_FILTERS
    from app.registration.models import STATUS_LABELS, RegistrationStatus

    assert set(STATUS_LABELS) == set(RegistrationStatus) == set(STATUS_FILTERS)
    make_event()
    login()
    page = client.get(f"/manage/events/{SLUG}/registrations").get_data(as_text=True)
    for status in RegistrationStatus:
        assert f'<option value="{status}"' in page
        assert f"{STATUS_FILTERS[status]} (0)" in page


def test_send_now_only_for_a_failed_or_retried_message(client, make_event, register_form, login, app):
    from app.mail.models import OutboxMessage, OutboxStatus

    make_event()
    for email in ("a@example.org", "b@example.org", "c@example.org"):
        client.post(f"/events/{SLUG}/register", data=register_form(email=email))
    with app.app_context():
        first, second, third = db.session.execute(db.select(OutboxMessage).order_by(OutboxMessage.id)).scalars()
        first.status, first.attempts = OutboxStatus.FAILED, 5
        second.status, second.attempts = OutboxStatus.QUEUED, 1
        third.status, third.attempts = OutboxStatus.QUEUED, 0
        ids = (first.id, second.id, third.id)
        db.session.commit()
        db.session.remove()
    login()
    page = client.get(f"/manage/events/{SLUG}/emails").get_data(as_text=True)
    retry = [f"/emails/{message_id}/retry" in page for message_id in ids]
    assert retry == [True, True, False]


def test_a_registration_no_longer_active_cannot_be_edited_by_any_caller(make_event, app):
    """The rule is the service's, not only the edit page's: a cancelled registration stays as it was."""
    from app.registration import details, services

    make_event()
    with app.app_context():
        event = _event(app)
        person = services.register(event, services.Registrant("Győző", "Őze", "oze@example.org"),
                                   services.Consents(privacy=True), send_email=False).registration
        services.cancel(person)
        db.session.commit()
        with pytest.raises(DomainError, match="no longer active"):
            details.update_registration(person, services.Registrant("Gyula", "Őze", "oze@example.org"), {},
                                        photo=False, future_events=False)
        db.session.rollback()
        assert db.session.get(type(person), person.id).first_name == "Győző"
        db.session.remove()
