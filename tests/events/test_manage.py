"""Organisers' pages: create, edit, publish, unpublish, archive, clone, team."""

from datetime import UTC, date, datetime, timedelta

import lxml.html
import pytest

from app.extensions import db as _db
from tests.events.helpers import field_error, flashes, text


@pytest.fixture
def organiser(make_user, login):
    make_user(name="Szabó Katalin")
    login()


def events(app):
    from app.events.models import Event

    with app.app_context():
        rows = _db.session.execute(_db.select(Event.slug, Event.title).order_by(Event.id)).all()
        _db.session.remove()
        return [tuple(row) for row in rows]


def get_event(app, slug):
    from app.events.models import Event

    with app.app_context():
        event = _db.session.execute(_db.select(Event).filter_by(slug=slug)).scalar_one()
        _db.session.expunge(event)
        return event


# Creating -------------------------------------------------------------------------------

def test_new_event_form_is_prefilled(client, organiser):
    html = client.get("/manage/events/new").get_data(as_text=True)
    assert 'value="organiser@example.com"' in html  # contact email: the organiser's
    assert 'value="Europe/Budapest"' in html


def test_create_event_makes_a_draft_with_a_transliterated_slug(app, client, organiser, event_form):
    response = client.post("/manage/events/new", data=event_form(title="Győri Mesterkurzus"))
    assert response.status_code == 302
    assert response.headers["Location"] == "/manage/events/gyori-mesterkurzus/"
    assert events(app) == [("gyori-mesterkurzus", "Győri Mesterkurzus")]
    # A draft: hidden from the public, listed for the organiser.
    assert client.get("/manage/").status_code == 200
    assert "Győri Mesterkurzus" in text(client.get("/manage/"))
    assert "Draft" in text(client.get("/manage/"))
    client.post("/logout")
    assert client.get("/events/gyori-mesterkurzus/").status_code == 404


def test_same_title_twice_gets_a_numbered_slug(app, client, organiser, event_form):
    client.post("/manage/events/new", data=event_form(title="Győri Mesterkurzus"))
    response = client.post("/manage/events/new", data=event_form(title="Győri Mesterkurzus"))
    assert response.headers["Location"] == "/manage/events/gyori-mesterkurzus-2/"
    assert [slug for slug, _ in events(app)] == ["gyori-mesterkurzus", "gyori-mesterkurzus-2"]


def test_accented_titles_from_every_language_make_readable_slugs(app, client, organiser, event_form):
    client.post("/manage/events/new", data=event_form(title="Ștefan, Åsa és Iñaki: Gruß!"))
    assert events(app)[0][0] == "stefan-asa-es-inaki-gruss"


def test_chosen_slug_is_used(app, client, organiser, event_form):
    response = client.post("/manage/events/new", data=event_form(slug="gyor-2027"))
    assert response.headers["Location"] == "/manage/events/gyor-2027/"


def test_times_are_read_in_the_event_time_zone(app, client, organiser, event_form):
    client.post("/manage/events/new", data=event_form(
        title="New York Class", timezone="America/New_York", starts_at="2031-01-15T09:00", ends_at="2031-01-15T17:00",
    ))
    event = get_event(app, "new-york-class")
    assert event.starts_at == datetime(2031, 1, 15, 14, 0, tzinfo=UTC)
    assert event.ends_at == datetime(2031, 1, 15, 22, 0, tzinfo=UTC)


INVALID = [
    ("ends_at", {"ends_at": "2030-01-01T08:00", "starts_at": "2030-01-01T09:00"}, "The event must end after it starts."),
    (
        "registration_closes_at",
        {"starts_at": "2030-01-01T09:00", "ends_at": "2030-01-02T17:00", "registration_closes_at": "2030-01-03T09:00"},
        "Registration cannot close after the event ends.",
    ),
    (
        "registration_closes_at",
        {"registration_opens_at": "2029-12-01T09:00", "registration_closes_at": "2029-11-01T09:00",
         "starts_at": "2030-01-01T09:00", "ends_at": "2030-01-02T17:00"},
        "Registration must close after it opens.",
    ),
    ("contact_email", {"contact_email": "not an email"}, "Invalid email address."),
    ("timezone", {"timezone": "Europe/Gotham"}, "Choose a time zone from the list, for example Europe/Budapest."),
    ("capacity", {"capacity": "0"}, "Number must be between 1 and 100000."),
    ("capacity", {"capacity": "thirty"}, "Not a valid integer value. Number must be between 1 and 100000."),
    ("title", {"title": "x" * 201}, "Field cannot be longer than 200 characters."),
    ("title", {"title": ""}, "This field is required."),
    ("title", {"title": "   "}, "This field is required."),
    ("slug", {"slug": "Not A Slug!"}, "Use lower-case letters, digits and single hyphens only."),
    ("starts_at", {"starts_at": "tomorrow"}, "Not a valid datetime value."),
    ("starts_at", {"starts_at": ""}, "This field is required."),
]


@pytest.mark.parametrize("field, overrides, message", INVALID, ids=[f"{f}:{m[:30]}" for f, _, m in INVALID])
def test_invalid_input_is_refused_beside_the_field_and_nothing_is_saved(app, client, organiser, event_form, field, overrides, message):
    response = client.post("/manage/events/new", data=event_form(**overrides))
    assert response.status_code == 200
    assert field_error(response, field) == message
    assert "Please correct the following:" in text(response)
    assert events(app) == []


def test_duplicate_slug_is_refused_and_nothing_is_saved(app, client, organiser, event_form, make_event):
    make_event(title="Győri Mesterkurzus")
    response = client.post("/manage/events/new", data=event_form(title="Other", slug="gyori-mesterkurzus"))
    assert field_error(response, "slug") == "Another event already uses this web address."
    assert events(app) == [("gyori-mesterkurzus", "Győri Mesterkurzus")]


def test_several_mistakes_are_all_shown_at_once(app, client, organiser, event_form, make_event):
    make_event(title="Taken")
    response = client.post("/manage/events/new", data=event_form(
        slug="taken", starts_at="2030-01-02T09:00", ends_at="2030-01-01T09:00",
    ))
    assert field_error(response, "slug") == "Another event already uses this web address."
    assert field_error(response, "ends_at") == "The event must end after it starts."
    assert len(events(app)) == 1


def test_a_refused_form_keeps_what_was_typed(client, organiser, event_form):
    response = client.post("/manage/events/new", data=event_form(title="Keep me", capacity="0"))
    assert 'value="Keep me"' in response.get_data(as_text=True)


# Editing --------------------------------------------------------------------------------

def test_edit_form_shows_local_times_and_saves_changes(app, client, organiser, make_event, event_form):
    slug = make_event(timezone="America/New_York", starts_at="2031-03-02T09:30", ends_at="2031-03-02T17:00")
    html = client.get(f"/manage/events/{slug}/edit").get_data(as_text=True)
    assert 'value="2031-03-02T09:30"' in html  # the wall-clock time typed, not UTC
    response = client.post(f"/manage/events/{slug}/edit", data=event_form(
        title="Győri Mesterkurzus 2031", slug=slug, timezone="America/New_York",
        starts_at="2031-03-02T10:00", ends_at="2031-03-02T18:00", capacity="",
    ))
    assert response.status_code == 302
    event = get_event(app, slug)
    assert event.title == "Győri Mesterkurzus 2031"
    assert event.capacity is None
    assert event.starts_at == datetime(2031, 3, 2, 15, 0, tzinfo=UTC)


def test_edit_can_change_the_slug(app, client, organiser, make_event, event_form):
    slug = make_event()
    response = client.post(f"/manage/events/{slug}/edit", data=event_form(slug="gyor-2031"))
    assert response.headers["Location"] == "/manage/events/gyor-2031/"
    assert client.get("/events/gyor-2031/").status_code == 200
    assert client.get(f"/events/{slug}/").status_code == 404


def test_edit_keeping_the_same_slug_is_not_a_duplicate(client, organiser, make_event, event_form):
    slug = make_event()
    response = client.post(f"/manage/events/{slug}/edit", data=event_form(slug=slug, summary="New summary"))
    assert response.status_code == 302


@pytest.mark.parametrize("field, overrides, message", INVALID[:8], ids=[f"{f}:{m[:30]}" for f, _, m in INVALID[:8]])
def test_invalid_edit_changes_nothing(app, client, organiser, make_event, event_form, field, overrides, message):
    slug = make_event()
    before = get_event(app, slug)
    response = client.post(f"/manage/events/{slug}/edit", data=event_form(slug=slug, summary="Changed", **overrides))
    assert field_error(response, field) == message
    after = get_event(app, slug)
    assert (after.summary, after.starts_at, after.ends_at, after.capacity, after.timezone) == (
        before.summary, before.starts_at, before.ends_at, before.capacity, before.timezone
    )


def test_edit_to_a_taken_slug_is_refused(app, client, organiser, make_event, event_form):
    make_event(title="Taken")
    slug = make_event(title="Mine")
    response = client.post(f"/manage/events/{slug}/edit", data=event_form(title="Mine", slug="taken"))
    assert field_error(response, "slug") == "Another event already uses this web address."
    assert ("mine", "Mine") in events(app)


# Publishing -----------------------------------------------------------------------------

def test_publish_shows_the_event_on_the_home_page(client, organiser, make_event):
    slug = make_event(publish=False, title="Soproni Masterclass")
    assert "Soproni Masterclass" not in text(client.get("/"))
    response = client.post(f"/manage/events/{slug}/status", data={"action": "publish"})
    assert response.status_code == 302
    assert "Soproni Masterclass" in text(client.get("/"))
    client.post("/logout")
    assert "Soproni Masterclass" in text(client.get("/"))
    assert client.get(f"/events/{slug}/").status_code == 200


def test_unpublish_hides_the_event_from_the_public_but_not_from_the_team(app, client, organiser, make_event):
    slug = make_event(title="Soproni Masterclass", language="en")
    client.post(f"/manage/events/{slug}/status", data={"action": "unpublish"})
    team_view = client.get(f"/events/{slug}/")
    assert team_view.status_code == 200
    assert "Draft: only the event's team can see this page." in text(team_view)

    public = app.test_client()
    assert public.get(f"/events/{slug}/").status_code == 404
    assert "Soproni Masterclass" not in text(public.get("/"))


def test_archive_keeps_the_page_public_and_closes_registration(app, client, organiser, make_event):
    slug = make_event(title="Soproni Masterclass", language="en")
    client.post(f"/manage/events/{slug}/status", data={"action": "archive"})
    assert "Archived" in text(client.get("/manage/"))
    public = app.test_client().get(f"/events/{slug}/")
    assert public.status_code == 200
    assert "Registration closed" in text(public)


def test_each_status_shows_its_label_and_its_buttons(client, organiser, make_event):
    """The label comes from the model (one mapping for the overview and the list of events)."""
    slug = make_event(publish=False, title="Soproni Masterclass")
    buttons = {"Draft": ["Publish"], "Published": ["Unpublish", "Archive"], "Archived": ["Publish again"]}
    for action, label in ((None, "Draft"), ("publish", "Published"), ("archive", "Archived")):
        if action:
            client.post(f"/manage/events/{slug}/status", data={"action": action})
        dashboard = lxml.html.fromstring(client.get(f"/manage/events/{slug}/").get_data(as_text=True))
        assert [span.text_content() for span in dashboard.xpath('//p[@class="meta"]/span[contains(@class, "badge")]')] == [label]
        assert [button.text_content() for button in dashboard.xpath('//div[@class="page-head"]//button')] == buttons[label]
        listing = lxml.html.fromstring(client.get("/manage/").get_data(as_text=True))
        assert [span.text_content() for span in listing.xpath('//td/span[contains(@class, "badge")]')] == [label]


def test_unknown_status_action_changes_nothing(app, client, organiser, make_event):
    slug = make_event(publish=False)
    response = client.post(f"/manage/events/{slug}/status", data={"action": "delete"}, follow_redirects=True)
    assert "Unknown action." in flashes(response)
    assert get_event(app, slug).status == "draft"


# Cloning --------------------------------------------------------------------------------

@pytest.fixture
def full_event(app, make_event):
    """An event with agenda, speakers, questions, a survey and registrations."""
    from app.agenda.models import AgendaSession, SessionSpeaker, Speaker, Track
    from app.events.models import Event
    from app.registration import services as registrations
    from app.registration.models import Question
    from app.surveys.models import Survey, SurveyQuestion

    slug = make_event(starts_at="2030-09-25T09:00", ends_at="2030-09-26T17:00", registration_closes_at="2030-09-21T17:00")
    with app.app_context():
        event = _db.session.execute(_db.select(Event).filter_by(slug=slug)).scalar_one()
        track = Track(event_id=event.id, name="Plenary")
        speaker = Speaker(event_id=event.id, name="Åsa Öberg", country="SE")
        _db.session.add_all([track, speaker])
        _db.session.flush()
        session = AgendaSession(
            event_id=event.id, title="Welcome", track_id=track.id,
            starts_at=datetime(2030, 9, 25, 7, 30, tzinfo=UTC), ends_at=datetime(2030, 9, 25, 8, 15, tzinfo=UTC),
        )
        session.speaker_links = [SessionSpeaker(speaker_id=speaker.id)]
        _db.session.add(session)
        _db.session.add(Question(event_id=event.id, kind="short_text", label="Dietary needs"))
        survey = Survey(event_id=event.id, title="How was it?")
        survey.questions = [SurveyQuestion(kind="rating", label="Overall")]
        _db.session.add(survey)
        registrations.register(
            event, registrations.Registrant(first_name="Győző", last_name="Őze", email="oze@example.org"),
            registrations.Consents(privacy=True), by_organiser=True, send_email=False,
        )
        _db.session.commit()
    return slug


def rows(app, slug):
    from app.agenda.models import AgendaSession, SessionSpeaker, Speaker, Track
    from app.events.models import Event
    from app.registration.models import Question, Registration
    from app.surveys.models import Survey, SurveyQuestion

    with app.app_context():
        event = _db.session.execute(_db.select(Event).filter_by(slug=slug)).scalar_one()

        def count(query):
            return len(_db.session.execute(query).all())

        result = {
            "tracks": count(_db.select(Track).filter_by(event_id=event.id)),
            "speakers": count(_db.select(Speaker).filter_by(event_id=event.id)),
            "sessions": count(_db.select(AgendaSession).filter_by(event_id=event.id)),
            "speaker links": count(_db.select(SessionSpeaker).join(AgendaSession).where(AgendaSession.event_id == event.id)),
            "questions": count(_db.select(Question).filter_by(event_id=event.id)),
            "surveys": count(_db.select(Survey).filter_by(event_id=event.id)),
            "survey questions": count(_db.select(SurveyQuestion).join(Survey).where(Survey.event_id == event.id)),
            "registrations": count(_db.select(Registration).filter_by(event_id=event.id)),
        }
        session_start = _db.session.execute(_db.select(AgendaSession.starts_at).filter_by(event_id=event.id)).scalar()
        _db.session.remove()
        return result, event, session_start


def test_clone_copies_the_programme_but_never_registrations(app, client, organiser, full_event):
    page = client.get(f"/manage/events/{full_event}/clone")
    assert 'value="Győri Mesterkurzus (copy)"' in page.get_data(as_text=True)
    response = client.post(f"/manage/events/{full_event}/clone", data={"title": "Győri Mesterkurzus 2031", "start_date": "2031-09-24"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/manage/events/gyori-mesterkurzus-2031/edit"

    original, source, source_start = rows(app, full_event)
    copied, copy, copy_start = rows(app, "gyori-mesterkurzus-2031")
    assert original["registrations"] == 1
    assert copied == {**original, "registrations": 0}
    shift = timedelta(days=(date(2031, 9, 24) - date(2030, 9, 25)).days)
    assert copy.starts_at == source.starts_at + shift
    assert copy.ends_at == source.ends_at + shift
    assert copy.registration_closes_at == source.registration_closes_at + shift
    assert copy_start == source_start + shift
    assert copy.status == "draft"
    assert copy.title == "Győri Mesterkurzus 2031"
    # The copy is the cloner's to manage, and a draft the public cannot see.
    assert client.get("/manage/events/gyori-mesterkurzus-2031/edit").status_code == 200
    assert app.test_client().get("/events/gyori-mesterkurzus-2031/").status_code == 404


def test_clone_needs_a_title_and_a_date(app, client, organiser, make_event):
    slug = make_event()
    response = client.post(f"/manage/events/{slug}/clone", data={"title": "", "start_date": "someday"})
    assert field_error(response, "title") == "This field is required."
    assert field_error(response, "start_date") == "Not a valid date value."
    assert len(events(app)) == 1


# Team -----------------------------------------------------------------------------------

def test_add_team_member_by_email(client, organiser, make_event, make_user):
    slug = make_event()
    make_user("staff@example.com", name="Tóth Bence")
    response = client.post(f"/manage/events/{slug}/team", data={"email": "Staff@Example.com", "role": "staff"}, follow_redirects=True)
    assert "staff@example.com is on the team." in flashes(response)
    assert "Tóth Bence" in text(response)


def test_adding_an_unknown_email_says_so_beside_the_field(client, organiser, make_event):
    slug = make_event()
    response = client.post(f"/manage/events/{slug}/team", data={"email": "nobody@example.com", "role": "staff"})
    assert response.status_code == 200
    assert field_error(response, "email") == "No account uses this email. Ask a site administrator to create one first."


def test_adding_a_bad_email_or_role_is_refused(client, organiser, make_event):
    slug = make_event()
    response = client.post(f"/manage/events/{slug}/team", data={"email": "not an email", "role": "staff"})
    assert field_error(response, "email") == "Invalid email address."
    response = client.post(f"/manage/events/{slug}/team", data={"email": "organiser@example.com", "role": "owner"})
    assert field_error(response, "role") == "Not a valid choice."


def member_id(app, email):
    from app.auth.models import EventMember, User

    with app.app_context():
        return _db.session.execute(_db.select(EventMember.id).join(User).where(User.email == email)).scalar_one()


def test_remove_team_member(app, client, organiser, make_event, make_user):
    slug = make_event()
    make_user("staff@example.com", name="Tóth Bence")
    client.post(f"/manage/events/{slug}/team", data={"email": "staff@example.com", "role": "staff"})
    response = client.post(f"/manage/events/{slug}/team/{member_id(app, 'staff@example.com')}/remove", follow_redirects=True)
    assert "Removed from the team." in flashes(response)
    assert "Tóth Bence" not in text(response)


def test_last_organiser_cannot_be_removed(app, client, organiser, make_event):
    slug = make_event()
    response = client.post(f"/manage/events/{slug}/team/{member_id(app, 'organiser@example.com')}/remove", follow_redirects=True)
    assert "An event needs at least one organiser." in flashes(response)
    assert client.get(f"/manage/events/{slug}/team").status_code == 200  # still on the team


def test_member_of_another_event_cannot_be_removed_through_this_one(app, client, organiser, make_event, make_user):
    mine = make_event(title="Mine")
    make_event(title="Theirs", organiser="other@example.com")
    response = client.post(f"/manage/events/{mine}/team/{member_id(app, 'other@example.com')}/remove", follow_redirects=True)
    assert "This person is not on the team." in flashes(response)
