"""Organisers build the agenda: sessions, tracks, copying a day, speakers with photos, sign-up lists."""

import io

from PIL import Image

from tests.agenda.conftest import at, event_day


def session_data(day, **overrides):
    data = {
        "title": "Cluster excellence in Europe",
        "kind": "talk",
        "starts_at": at(day, 10).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": at(day, 11).strftime("%Y-%m-%dT%H:%M"),
        "room": "Hall A",
        "track_id": "",
        "speakers-0": "", "speakers-1": "", "speakers-2": "", "speakers-3": "",
        "capacity": "",
        "description": "What the **label** asks for.",
    }
    data.update(overrides)
    return data


def test_organiser_adds_a_session_shown_on_the_public_agenda(app, client, organiser):
    day = event_day(app, organiser)
    response = client.post(f"/manage/events/{organiser}/agenda/new", data=session_data(day), follow_redirects=True)
    assert "The session was added." in response.get_data(as_text=True)
    page = client.get(f"/events/{organiser}/agenda").get_data(as_text=True)
    assert "Cluster excellence in Europe" in page
    assert "<strong>label</strong>" in page
    assert "10:00" in page and "Hall A" in page


def test_session_outside_the_event_days_or_ending_before_it_starts_is_refused(app, client, organiser):
    day = event_day(app, organiser)
    before = event_day(app, organiser, -3)
    response = client.post(f"/manage/events/{organiser}/agenda/new", data=session_data(
        before, title="Too early"))
    assert response.status_code == 200
    assert "must take place on one of the event" in response.get_data(as_text=True)
    response = client.post(f"/manage/events/{organiser}/agenda/new", data=session_data(
        day, title="Backwards", ends_at=at(day, 9).strftime("%Y-%m-%dT%H:%M")))
    assert "must end after it starts" in response.get_data(as_text=True)
    agenda = client.get(f"/manage/events/{organiser}/agenda").get_data(as_text=True)
    assert "Too early" not in agenda and "Backwards" not in agenda


def test_overlaps_in_the_same_room_or_for_the_same_speaker_are_warnings_not_refusals(app, client, organiser, add_session, add_speaker):
    day = event_day(app, organiser)
    speaker = add_speaker(organiser, "Jürgen Groß")
    add_session(organiser, "First talk", at(day, 10), at(day, 11), room="Hall A", speaker_ids=[speaker])
    response = client.post(f"/manage/events/{organiser}/agenda/new", data=session_data(
        day, title="Second talk", starts_at=at(day, 10, 30).strftime("%Y-%m-%dT%H:%M"), **{"speakers-0": str(speaker)}),
        follow_redirects=True)
    text = response.get_data(as_text=True)
    assert "The session was added." in text
    assert "overlaps &#34;First talk&#34; in Hall A" in text or "overlaps &quot;First talk&quot; in Hall A" in text
    assert "Jürgen Groß is also speaking" in text
    assert "Second talk" in client.get(f"/events/{organiser}/agenda").get_data(as_text=True)


def test_editing_times_moves_the_session_and_raises_its_sequence(app, client, organiser, add_session, db):
    from app.agenda.models import AgendaSession

    day = event_day(app, organiser)
    session_id = add_session(organiser, "Movable", at(day, 10), at(day, 11))
    form = client.get(f"/manage/events/{organiser}/agenda/{session_id}/edit").get_data(as_text=True)
    assert at(day, 10).strftime("%Y-%m-%dT%H:%M") in form  # shown in the event's zone
    response = client.post(f"/manage/events/{organiser}/agenda/{session_id}/edit", data=session_data(
        day, title="Movable", starts_at=at(day, 14).strftime("%Y-%m-%dT%H:%M"), ends_at=at(day, 15).strftime("%Y-%m-%dT%H:%M")))
    assert response.status_code == 302
    session = db.session.get(AgendaSession, session_id)
    assert session.sequence == 1
    assert "14:00" in client.get(f"/events/{organiser}/agenda").get_data(as_text=True)
    # Saving without a change does not bump it.
    client.post(f"/manage/events/{organiser}/agenda/{session_id}/edit", data=session_data(
        day, title="Movable", starts_at=at(day, 14).strftime("%Y-%m-%dT%H:%M"), ends_at=at(day, 15).strftime("%Y-%m-%dT%H:%M")))
    db.session.expire_all()
    assert db.session.get(AgendaSession, session_id).sequence == 1
    client.post(f"/manage/events/{organiser}/agenda/{session_id}/cancel", data={"action": "cancel"})
    db.session.expire_all()
    assert db.session.get(AgendaSession, session_id).sequence == 2
    assert "Cancelled" in client.get(f"/events/{organiser}/agenda").get_data(as_text=True)


def test_speakers_are_kept_in_order(app, client, organiser, add_speaker):
    day = event_day(app, organiser)
    first, second = add_speaker(organiser, "Zoé Zimmer"), add_speaker(organiser, "Ádám Abel")
    client.post(f"/manage/events/{organiser}/agenda/new", data=session_data(
        day, title="Panel", kind="panel", **{"speakers-0": str(first), "speakers-1": str(second)}))
    page = client.get(f"/events/{organiser}/agenda").get_data(as_text=True)
    assert page.index("Zoé Zimmer") < page.index("Ádám Abel")


def test_tracks_with_colour_and_copy_a_day(app, client, organiser, add_session):
    response = client.post(f"/manage/events/{organiser}/agenda/tracks", data={"name": "Workshops", "colour": "#6a329f"},
                           follow_redirects=True)
    assert "The track was added." in response.get_data(as_text=True)
    bad = client.post(f"/manage/events/{organiser}/agenda/tracks", data={"name": "Bad", "colour": "purple"})
    assert "Choose a colour like #2a6f97." in bad.get_data(as_text=True)
    day, day2 = event_day(app, organiser), event_day(app, organiser, 1)
    add_session(organiser, "Morning coffee", at(day, 9), at(day, 9, 30), kind="break", room="Foyer")
    add_session(organiser, "Cancelled thing", at(day, 12), at(day, 13), cancelled=True)
    response = client.post(f"/manage/events/{organiser}/agenda/copy-day",
                           data={"source": day.isoformat(), "target": day2.isoformat()}, follow_redirects=True)
    assert "1 sessions were copied." in response.get_data(as_text=True)
    page = client.get(f"/events/{organiser}/agenda").get_data(as_text=True)
    assert page.count('<h3 class="session-title">Morning coffee</h3>') == 2
    assert page.count('<h3 class="session-title">Cancelled thing</h3>') == 1
    same = client.post(f"/manage/events/{organiser}/agenda/copy-day", data={"source": day.isoformat(), "target": day.isoformat()})
    assert "Choose a different day" in same.get_data(as_text=True)


def test_outsiders_cannot_manage_the_agenda(app, client, organiser, make_user, login):
    client.post("/logout")
    make_user("other@example.com")
    login("other@example.com")
    assert client.get(f"/manage/events/{organiser}/agenda").status_code == 403
    assert client.get(f"/manage/events/{organiser}/speakers").status_code == 403


def jpeg_with_exif() -> bytes:
    image = Image.new("RGB", (1600, 1200), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    exif[0x8825] = {2: (47.0, 29.0, 0.0)}  # GPS latitude
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def test_speaker_photo_is_decoded_resized_and_stripped_of_exif(app, client, organiser):
    original = jpeg_with_exif()
    assert b"SecretCam" in original
    response = client.post(f"/manage/events/{organiser}/speakers/new", data={
        "name": "Ștefan Țurcanu", "honorific": "Prof.", "organisation": "UTCN", "role": "Professor", "country": "RO",
        "bio": "Researches *clusters*.", "email": "stefan.private@example.com", "website": "https://example.org",
        "links": "https://social.example/@stefan", "photo": (io.BytesIO(original), "portrait.jpg"),
    }, content_type="multipart/form-data", follow_redirects=True)
    assert "The speaker was added." in response.get_data(as_text=True)
    listing = client.get(f"/events/{organiser}/speakers/").get_data(as_text=True)
    assert "Ștefan Țurcanu" in listing
    photo_url = listing.split('class="speaker-photo" src="')[1].split('"')[0].replace("&amp;", "&")
    photo = client.get(photo_url)
    assert photo.status_code == 200 and photo.mimetype == "image/jpeg"
    assert b"SecretCam" not in photo.data
    stored = Image.open(io.BytesIO(photo.data))
    assert stored.format == "JPEG" and max(stored.size) == 600
    assert not stored.getexif()
    assert client.get(photo_url, headers={"If-None-Match": photo.headers["ETag"]}).status_code == 304


def test_a_file_that_is_not_an_image_is_refused_beside_the_field(app, client, organiser):
    response = client.post(f"/manage/events/{organiser}/speakers/new", data={
        "name": "Fake Photo", "photo": (io.BytesIO(b"<?php echo 'hi'; ?>"), "portrait.jpg"),
    }, content_type="multipart/form-data")
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="photo-error"' in text and "must be a JPEG, PNG or WebP" in text
    assert "Fake Photo" not in client.get(f"/manage/events/{organiser}/speakers").get_data(as_text=True)
    gif = io.BytesIO()
    Image.new("RGB", (10, 10)).save(gif, "GIF")
    response = client.post(f"/manage/events/{organiser}/speakers/new", data={
        "name": "Gif Photo", "photo": (io.BytesIO(gif.getvalue()), "portrait.png"),
    }, content_type="multipart/form-data")
    assert "must be a JPEG, PNG or WebP" in response.get_data(as_text=True)


def test_png_with_transparency_is_accepted(app, client, organiser):
    png = io.BytesIO()
    Image.new("RGBA", (300, 200), (0, 0, 255, 0)).save(png, "PNG")
    response = client.post(f"/manage/events/{organiser}/speakers/new", data={
        "name": "Transparent", "photo": (io.BytesIO(png.getvalue()), "p.png"),
    }, content_type="multipart/form-data", follow_redirects=True)
    assert "The speaker was added." in response.get_data(as_text=True)


def test_signups_list_and_csv_for_organisers(app, client, organiser, add_session, add_registration):
    session_id = add_session(organiser, "Workshop: measuring impact", capacity=10, kind="workshop")
    _, token = add_registration(organiser, email="eva@example.org", first_name="Éva", last_name="=cmd|calc")
    client.post(f"/r/{token}/sessions/{session_id}", data={"action": "signup"})
    page = client.get(f"/manage/events/{organiser}/agenda/{session_id}/signups").get_data(as_text=True)
    assert "eva@example.org" in page and "1 of 10 seats taken" in page
    csv_response = client.get(f"/manage/events/{organiser}/agenda/{session_id}/signups.csv")
    assert csv_response.mimetype == "text/csv"
    text = csv_response.get_data(as_text=True)
    assert "eva@example.org" in text and "Éva" in text
    assert "'=cmd|calc" in text  # no formula injection into spreadsheets


def test_signups_list_counts_the_seats_of_those_who_may_attend_and_marks_the_others(app, client, organiser, add_session,
                                                                                   add_registration, db):
    from app.registration.models import Registration

    session_id = add_session(organiser, "Workshop: measuring impact", capacity=10, kind="workshop")
    for email in ("eva@example.org", "gyozo@example.org"):
        _, token = add_registration(organiser, email=email)
        client.post(f"/r/{token}/sessions/{session_id}", data={"action": "signup"})
    with app.app_context():
        db.session.execute(db.select(Registration).filter_by(email="gyozo@example.org")).scalar_one().status = "waitlisted"
        db.session.commit()
    page = client.get(f"/manage/events/{organiser}/agenda/{session_id}/signups").get_data(as_text=True)
    assert "1 of 10 seats taken" in page and "gyozo@example.org" in page
    assert page.count("reg-waitlisted") == 1 and "reg-confirmed" not in page


def test_session_with_sign_ups_cannot_be_deleted_only_cancelled(app, client, organiser, add_session, add_registration):
    session_id = add_session(organiser, "Consultation", capacity=3, kind="consultation")
    _, token = add_registration(organiser)
    client.post(f"/r/{token}/sessions/{session_id}", data={"action": "signup"})
    response = client.post(f"/manage/events/{organiser}/agenda/{session_id}/delete", follow_redirects=True)
    assert "cancel it instead" in response.get_data(as_text=True)
    empty = add_session(organiser, "Nobody here")
    response = client.post(f"/manage/events/{organiser}/agenda/{empty}/delete", follow_redirects=True)
    assert "The session was deleted." in response.get_data(as_text=True)


def test_speaker_linked_to_a_registration_by_email(app, client, organiser, add_registration, db):
    from app.agenda.models import Speaker

    registration_id, _ = add_registration(organiser, email="speaker@example.org")
    response = client.post(f"/manage/events/{organiser}/speakers/new", data={
        "name": "Nobody", "registration_email": "unknown@example.org"})
    assert "Nobody registered for this event with that email address." in response.get_data(as_text=True)
    response = client.post(f"/manage/events/{organiser}/speakers/new", data={
        "name": "Jürgen Groß", "registration_email": "Speaker@Example.org"}, follow_redirects=True)
    assert "The speaker was added." in response.get_data(as_text=True)
    speaker = db.session.execute(db.select(Speaker).filter_by(name="Jürgen Groß")).scalar_one()
    assert speaker.registration_id == registration_id
    assert "speaker@example.org" in client.get(f"/manage/events/{organiser}/speakers/{speaker.id}/edit").get_data(as_text=True)


def test_renaming_a_speaker_or_track_bumps_the_sequence_of_their_sessions(app, client, organiser, add_session, add_speaker, db):
    from app.agenda import services
    from app.agenda.models import AgendaSession
    from app.events.services import get_by_slug

    speaker = add_speaker(organiser, "Old Name")
    with app.app_context():
        track = services.save_track(get_by_slug(organiser), None, "Plenary", "#0b5394")
        db.session.commit()
        track_id = track.id
    session_id = add_session(organiser, "Talk", speaker_ids=[speaker], track_id=track_id)
    client.post(f"/manage/events/{organiser}/speakers/{speaker}/edit", data={"name": "New Name"})
    db.session.expire_all()
    assert db.session.get(AgendaSession, session_id).sequence == 1
    client.post(f"/manage/events/{organiser}/agenda/tracks/{track_id}/edit", data={"name": "Main hall", "colour": "#0b5394"})
    db.session.expire_all()
    assert db.session.get(AgendaSession, session_id).sequence == 2
    assert "New Name" in client.get(f"/events/{organiser}/calendar.ics").get_data(as_text=True)


def test_removing_a_photo(app, client, organiser, db):
    from app.agenda.models import Speaker

    png = io.BytesIO()
    Image.new("RGB", (50, 50), (0, 128, 0)).save(png, "PNG")
    response = client.post(f"/manage/events/{organiser}/speakers/new", data={
        "name": "Photo Person", "photo": (io.BytesIO(png.getvalue()), "p.png")}, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)
    assert 'class="speaker-photo" src=' in client.get(f"/events/{organiser}/speakers/").get_data(as_text=True)
    speaker_id = db.session.execute(db.select(Speaker.id).filter_by(name="Photo Person")).scalar_one()
    client.post(f"/manage/events/{organiser}/speakers/{speaker_id}/edit", data={"name": "Photo Person", "remove_photo": "y"},
                content_type="multipart/form-data")
    assert 'class="speaker-photo" src=' not in client.get(f"/events/{organiser}/speakers/").get_data(as_text=True)
    assert client.get(f"/events/{organiser}/speakers/{speaker_id}/photo.jpg").status_code == 404


def test_agenda_script_is_served_from_our_own_static_folder(client):
    with client.get("/static/js/agenda.js") as response:
        assert response.status_code == 200 and b"data-agenda-filter" in response.data
