"""One application and one set of data per database backend for the security tests.

The world: two events. "This" event (running now: it began yesterday, ends tomorrow) has an
organiser, check-in staff, sessions, a track, speakers with a photo, questions, a survey and
participant P1 (confirmed, answered a question, signed up to a session, checked in, invited
to the survey, with mail in the outbox). The "other" event has its own organiser, staff and
participant P2. Objects that organisers may delete exist once per deleting role, so every
role's request finds its own and the order of requests does not change the answers.
"""

import io
import re
import shutil
from dataclasses import dataclass, field
from datetime import timedelta

import pytest

from app import create_app
from app.extensions import db as _db
from config import TestingConfig
from tests.conftest import BACKENDS, TEST_PASSWORD, empty_postgres

ROLES = ("anon", "own", "other", "staff", "staff_other", "org_other", "org", "admin")
LOGINS = {
    "staff": "staff@example.com", "staff_other": "staff.other@example.com",
    "org_other": "organiser.other@example.com", "org": "organiser@example.com", "admin": "admin@example.com",
}
P1 = ("Zebulon", "Quaxtermann", "zebulon.quaxtermann@example.org")
P2 = ("Wilhelmina", "Yarrowfield", "wilhelmina.yarrowfield@example.org")
DELETING_ROLES = ("org", "admin")


@dataclass
class World:
    app: object
    slug: str
    other_slug: str
    own_token: str
    other_token: str
    badge_secret: str
    other_badge_secret: str
    survey_token: str
    other_survey_token: str
    registration_id: int
    other_registration_id: int
    message_id: int
    # argument name -> {role or "*": value}
    ids: dict = field(default_factory=dict)


def jpeg_bytes() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 40), (200, 30, 30)).save(buffer, "JPEG")
    return buffer.getvalue()


def build_world(app) -> World:
    from app.agenda import services as agenda
    from app.agenda import signups as agenda_signups
    from app.agenda import speakers as agenda_speakers
    from app.auth import services as accounts
    from app.auth.models import Role
    from app.checkin import services as checkin
    from app.core.models import utcnow
    from app.events import services as events
    from app.mail.models import OutboxMessage
    from app.registration import details as registration_details
    from app.registration import questions as registration_questions
    from app.registration import services as registrations
    from app.surveys import builder as surveys
    from app.surveys.invitations import create_invitation

    now = utcnow().replace(second=0, microsecond=0)
    with app.app_context():
        users = {role: accounts.create_user(email, TEST_PASSWORD, name=role, is_admin=role == "admin")
                 for role, email in LOGINS.items()}
        extras = {role: accounts.create_user(f"extra.{role}@example.com", TEST_PASSWORD, name=f"extra {role}")
                  for role in DELETING_ROLES}

        def event(title, organiser):
            values = {
                "title": title, "slug": "", "summary": "", "description": "", "venue_name": "Hall", "venue_address": "",
                "timezone": "Europe/Budapest", "starts_at": None, "ends_at": None, "language": "en", "capacity": 30,
                "registration_opens_at": None, "registration_closes_at": None, "contact_email": "info@example.com",
                "privacy_notice": "We keep your data for a year.", "retention_days": 30, "requires_approval": False,
            }
            created = events.save_event(None, events.EventChanges(values | {
                "starts_at": (now - timedelta(days=1)).replace(tzinfo=None), "ends_at": (now + timedelta(days=1)).replace(tzinfo=None),
            }), creator=organiser)
            events.set_status(created, "published")
            return created

        this = event("Security Masterclass", users["org"])
        other = event("Other Masterclass", users["org_other"])
        _db.session.flush()
        # Times as stored: make sure "now" is inside both events whatever the zone conversions did.
        for item in (this, other):
            item.starts_at, item.ends_at = now - timedelta(days=1), now + timedelta(days=1)
        accounts.add_team_member(this, LOGINS["staff"], Role.STAFF)
        accounts.add_team_member(other, LOGINS["staff_other"], Role.STAFF)
        members = {role: accounts.add_team_member(this, extras[role].email, Role.STAFF) for role in DELETING_ROLES}

        question = registration_questions.save_question(this, None, {"kind": "short_text", "label": "Your cluster?", "required": False})
        spare_questions = {role: registration_questions.save_question(this, None, {"kind": "short_text", "label": f"Spare {role}"})
                           for role in DELETING_ROLES}
        track = agenda.save_track(this, None, "Main track", "#2a6f97")
        spare_tracks = {role: agenda.save_track(this, None, f"Track {role}", "#aa3300") for role in DELETING_ROLES}
        local_start = this.local(now).replace(tzinfo=None) + timedelta(hours=2)

        def session(title, **extra):
            created, _warnings = agenda.save_session(this, None, agenda.SessionChanges(
                title=title, kind="workshop", starts_at=local_start, ends_at=local_start + timedelta(hours=1), **extra))
            return created

        main_session = session("Cluster workshop", track_id=track.id, capacity=20)
        spare_sessions = {role: session(f"Session {role}") for role in DELETING_ROLES}
        speaker = agenda_speakers.save_speaker(this, None, agenda_speakers.SpeakerChanges(name="Åsa Öberg", photo=jpeg_bytes()))
        spare_speakers = {
            role: agenda_speakers.save_speaker(this, None, agenda_speakers.SpeakerChanges(name=f"Speaker {role}", photo=jpeg_bytes()))
            for role in DELETING_ROLES
        }

        def register(target, person):
            first, last, email = person
            return registrations.register(
                target, registrations.Registrant(first_name=first, last_name=last, email=email, organisation="Quax Ltd",
                                                 phone="+36 1 234 5678", country="HU"),
                registrations.Consents(privacy=True, photo=True), by_organiser=True,
            )

        own = register(this, P1)
        registration_details.update_details(own.registration, registrations.Registrant(*P1, organisation="Quax Ltd", country="HU"),
                                     {question.id: "Quaxtermann cluster"})
        agenda_signups.sign_up(own.registration, main_session)
        checkin.admit(this, own.registration, by=users["staff"])
        theirs = register(other, P2)

        def survey_for(target, registration):
            survey = surveys.save_survey(target, title="Feedback", opens_at=now - timedelta(days=1),
                                         closes_at=now + timedelta(days=13), audience="confirmed")
            survey_question = surveys.save_question(survey, None, surveys.QuestionChanges(kind="short_text", label="One word"))
            _invitation, token = create_invitation(survey, registration)
            return survey, survey_question, token

        survey, survey_question, survey_token = survey_for(this, own.registration)
        spare_survey_questions = {
            role: surveys.save_question(survey, None, surveys.QuestionChanges(kind="short_text", label=f"Spare {role}"))
            for role in DELETING_ROLES
        }
        _other_survey, _q, other_survey_token = survey_for(other, theirs.registration)
        _db.session.flush()
        message_id = _db.session.execute(
            _db.select(OutboxMessage.id).filter_by(registration_id=own.registration.id).limit(1)
        ).scalar_one()

        def per_role(main, spares):
            values = {"*": main.id}
            values.update({role: spare.id for role, spare in spares.items()})
            return values

        world = World(
            app=app, slug=this.slug, other_slug=other.slug, own_token=own.token, other_token=theirs.token,
            badge_secret=own.registration.badge_secret, other_badge_secret=theirs.registration.badge_secret,
            survey_token=survey_token, other_survey_token=other_survey_token,
            registration_id=own.registration.id, other_registration_id=theirs.registration.id, message_id=message_id,
            ids={
                "session_id": per_role(main_session, spare_sessions),
                "track_id": per_role(track, spare_tracks),
                "speaker_id": per_role(speaker, spare_speakers),
                "question_id": per_role(question, spare_questions),
                "member_id": {"*": members["org"].id, **{role: member.id for role, member in members.items()}},
                "survey_question_id": per_role(survey_question, spare_survey_questions),
            },
        )
        _db.session.commit()
        _db.session.remove()
    return world


@pytest.fixture(scope="module", params=BACKENDS)
def world(request, tmp_path_factory):
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("security") / "world.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        uri = f"sqlite:///{path}"
    else:
        uri = request.getfixturevalue("postgres_uri")
    # A test module may set WORLD_CONFIG (CSRF on, for instance).
    settings = {"MAIL_SUPPRESS_SEND": True, **getattr(request.module, "WORLD_CONFIG", {})}
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=uri, **settings)
    if uri.startswith("postgresql"):
        empty_postgres(app)
    world = build_world(app)
    yield world
    with app.app_context():
        _db.session.remove()
        _db.engine.dispose()


def csrf_token_of(page: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page) or re.search(r'name="csrf-token" content="([^"]+)"', page)
    return match.group(1) if match else ""


def login_client(app, email):
    client = app.test_client()
    token = csrf_token_of(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"email": email, "password": TEST_PASSWORD, "csrf_token": token})
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


@pytest.fixture(scope="module")
def clients(world):
    return {role: login_client(world.app, LOGINS[role]) if role in LOGINS else world.app.test_client() for role in ROLES}
