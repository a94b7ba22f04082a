"""Survey fixtures: an event with sessions, participants, and a survey with every kind of question."""

from dataclasses import dataclass, field
from datetime import timedelta

import pytest

from app.extensions import db as _db

EVERY_KIND = [
    # (kind, label, extra)
    ("rating", "How useful was the masterclass?", {"required": True, "section": "Overall"}),
    ("nps", "How likely are you to recommend it?", {"required": True, "section": "Overall"}),
    ("single_choice", "Which day was better?", {"choices": ["Day one", "Day two"], "section": "Programme"}),
    ("multiple_choice", "What did you value?", {"choices": ["Experts", "Networking", "Venue", "Food"],
                                                "min_picks": 2, "max_picks": 3, "section": "Programme"}),
    ("yes_no", "Will you come next year?", {"required": True}),
    ("short_text", "One word for the event", {}),
    ("long_text", "What should we improve?", {"help_text": "Be as specific as you like."}),
    ("session_grid", "Rate the sessions you attended", {}),
]

PARTICIPANTS = [
    ("Győző", "Őze", "gyozo.oze@example.org", "hu"),
    ("Åsa", "Öberg", "asa.oberg@example.org", "en"),
    ("Iñaki", "Muñoz", "inaki.munoz@example.org", "en"),
]


@dataclass
class Setup:
    slug: str
    survey_id: int
    questions: dict  # kind -> id
    sessions: list  # session ids (talk, workshop); the break is not listed
    break_id: int
    registrations: list  # ids, in PARTICIPANTS order
    tokens: dict = field(default_factory=dict)  # registration id -> token

    def q(self, kind: str) -> str:
        return f"q{self.questions[kind]}"


def full_answers(setup: Setup, **overrides) -> dict:
    """Form data answering every question validly."""
    data = {
        setup.q("rating"): "4",
        setup.q("nps"): "9",
        setup.q("single_choice"): "Day one",
        setup.q("multiple_choice"): ["Experts", "Networking"],
        setup.q("yes_no"): "yes",
        setup.q("short_text"): "Inspiring",
        setup.q("long_text"): "More time for consultations.",
        f"{setup.q('session_grid')}_s{setup.sessions[0]}": "5",
        "action": "submit",
    }
    for key, value in overrides.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


@pytest.fixture
def survey_setup(app, make_event):
    """Build an event (over, survey open now), sessions, participants and a survey; tokens via the service."""

    def build(*, anonymous=False, audience="confirmed", invite=True, kinds=EVERY_KIND, participants=PARTICIPANTS,
              language="hu", past=True):
        from app.agenda.models import AgendaSession, SessionKind
        from app.core.models import utcnow
        from app.events import services as events
        from app.registration import services as registrations
        from app.surveys import builder
        from app.surveys.invitations import create_invitation

        slug = make_event(language=language)
        with app.app_context():
            event = events.get_by_slug(slug)
            if past:  # the event took place last week
                event.starts_at = utcnow() - timedelta(days=8)
                event.ends_at = utcnow() - timedelta(days=7)
            start = event.starts_at
            talk = AgendaSession(event_id=event.id, title="Opening talk", kind=SessionKind.TALK,
                                 starts_at=start, ends_at=start + timedelta(hours=1))
            workshop = AgendaSession(event_id=event.id, title="Workshop: =cluster impact", kind=SessionKind.WORKSHOP,
                                     starts_at=start + timedelta(hours=2), ends_at=start + timedelta(hours=3))
            pause = AgendaSession(event_id=event.id, title="Coffee break", kind=SessionKind.BREAK,
                                  starts_at=start + timedelta(hours=1), ends_at=start + timedelta(hours=2))
            _db.session.add_all([talk, workshop, pause])
            regs = []
            for first, last, email, lang in participants:
                result = registrations.register(
                    event, registrations.Registrant(first_name=first, last_name=last, email=email, language=lang,
                                                    organisation="Klaszter Kft."),
                    registrations.Consents(privacy=True), by_organiser=True, send_email=False,
                )
                regs.append(result.registration)
            survey = builder.save_survey(
                event, title="Tell us how it went", introduction="Thank **you**!",
                opens_at=utcnow() - timedelta(days=1), closes_at=utcnow() + timedelta(days=13),
                anonymous=anonymous, audience=audience,
            )
            questions = {}
            for kind, label, extra in kinds:
                question = builder.save_question(survey, None, builder.QuestionChanges(kind=kind, label=label, **extra))
                questions[kind] = question.id
            tokens = {}
            if invite:
                for registration in regs:
                    _invitation, token = create_invitation(survey, registration)
                    tokens[registration.id] = token
            _db.session.commit()
            setup = Setup(slug=slug, survey_id=survey.id, questions=questions, sessions=[talk.id, workshop.id],
                          break_id=pause.id, registrations=[r.id for r in regs], tokens=tokens)
            _db.session.remove()
            return setup

    return build


@pytest.fixture
def organiser(client, make_user, login):
    """The test client logged in as the event's organiser."""
    def do():
        login()
        return client
    return do


FIVE = [
    ("Győző", "Őze", "gyozo.oze@example.org", "hu"),
    ("Åsa", "Öberg", "asa.oberg@example.org", "en"),
    ("Iñaki", "Muñoz", "inaki.munoz@example.org", "en"),
    ("Ștefan", "Țurcanu", "stefan.turcanu@example.org", "en"),
    ("Helmut", "Gruß", "helmut.gruss@example.org", "en"),
]


def known_answers(setup: Setup) -> list[dict]:
    """Five responses whose aggregates are worked out by hand in the tests."""
    grid = setup.q("session_grid")
    talk, workshop = setup.sessions
    rows = [
        ("5", "10", "Day one", ["Experts", "Networking"], "yes", "Inspiring", "More consultations.", {talk: "5", workshop: "5"}),
        ("4", "9", "Day one", ["Experts", "Venue"], "yes", '=HYPERLINK("http://evil.example")', "", {talk: "4", workshop: "5"}),
        ("4", "9", "Day two", ["Experts", "Networking", "Food"], "no", "", "Longer lunch.", {talk: "3"}),
        ("2", "7", "Day one", ["Networking", "Venue"], "yes", "+cmd", "", {}),
        ("1", "3", "Day two", None, "no", "-2", "@risk", {}),
    ]
    forms = []
    for rating, nps, single, multiple, yes_no, short, long, sessions in rows:
        data = {setup.q("rating"): rating, setup.q("nps"): nps, setup.q("single_choice"): single,
                setup.q("yes_no"): yes_no, setup.q("short_text"): short, setup.q("long_text"): long, "action": "submit"}
        if multiple:
            data[setup.q("multiple_choice")] = multiple
        for session_id, value in sessions.items():
            data[f"{grid}_s{session_id}"] = value
        forms.append(data)
    return forms


def submit_known_answers(client, setup: Setup, count: int | None = None) -> None:
    for registration_id, data in list(zip(setup.registrations, known_answers(setup), strict=False))[:count]:
        response = client.post(f"/s/{setup.tokens[registration_id]}", data=data)
        assert response.status_code == 302, response.get_data(as_text=True)
