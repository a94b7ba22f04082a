"""Layout at a phone's width (360 px) and a laptop's (1280 px): no horizontal scrolling, and no
visible button, link or field drawn over another one."""

import pytest

from tests.browser import support

WIDTHS = {"360": support.PHONE, "1280": support.DESKTOP}


def check(page, paths, width):
    problems = {}
    page.set_viewport_size(WIDTHS[width])
    for path in paths:
        response = page.goto(path)
        assert response is not None and response.ok, f"{path}: HTTP {response.status if response else '?'}"
        found = support.check_layout(page).problems
        if found:
            problems[path] = found
    assert not problems, "\n".join(f"{path} at {width}px:\n  " + "\n  ".join(found) for path, found in problems.items())


@pytest.mark.parametrize("width", WIDTHS)
def test_public_and_participant_pages(page, demo, width):
    up = demo.upcoming
    check(page, [
        "/", f"/events/{up}/", f"/events/{up}/agenda", f"/events/{up}/speakers/", f"/events/{up}/register", "/login",
        f"/r/{demo.manage_token}", f"/r/{demo.manage_token}/edit", f"/s/{demo.survey_token}",
    ], width)


@pytest.mark.parametrize("width", WIDTHS)
def test_organiser_and_checkin_pages(page, demo, login, width):
    login(page, "organiser@example.com")
    up, past = f"/manage/events/{demo.upcoming}", f"/manage/events/{demo.past}"
    check(page, [
        "/manage/", f"{up}/", f"{up}/edit", f"{up}/registrations", f"{up}/agenda", f"{up}/checkin", f"{past}/attendance",
        f"{past}/survey/results", f"{up}/badges",
    ], width)
