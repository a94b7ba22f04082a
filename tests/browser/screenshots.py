"""Screenshots of the key pages for the README: ``make screenshots`` (or ``python -m tests.browser.screenshots``).

Serves the demo data (``flask demo``) from a throw-away SQLite database and photographs each page
in the system's Chromium at 1280 px, a few also at 360 px, into docs/screenshots/*.png.
"""

import argparse
import sys
import tempfile
from pathlib import Path

from tests.browser import support

OUT = support.ROOT / "docs" / "screenshots"
MAX_HEIGHT = 1800  # px of page per picture: enough to show the page, small enough to keep the PNG light


def build_app(database: Path):
    from flask_migrate import upgrade

    from app import create_app
    from config import TestingConfig

    # Mail stays in the outbox: nothing is delivered while the pictures are taken.
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{database}", WTF_CSRF_ENABLED=True,
                     MAIL_DELIVER_IN_BACKGROUND=False)
    with app.app_context():
        upgrade()
    return app


def shoot(page, name: str, out: Path, *, full_page: bool = True) -> Path:
    path = out / f"{name}.png"
    if full_page:
        height = min(page.evaluate("document.scrollingElement.scrollHeight"), MAX_HEIGHT)
        page.screenshot(path=str(path), full_page=True, clip={"x": 0, "y": 0, "width": page.viewport_size["width"], "height": height})
    else:  # what the screen shows, e.g. the full-screen check-in answer
        page.screenshot(path=str(path))
    return shrink(path)


def shrink(path: Path) -> Path:
    """A 256-colour palette keeps text and flat colours crisp at about a third of the size."""
    from PIL import Image

    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    small.save(path, optimize=True)
    return path


def english(page) -> None:
    """Public pages follow the event's language (Hungarian here); press the visible switch once."""
    switch = page.locator(".language-switch button[value=en]")
    if switch.count():
        switch.click()
        page.wait_for_load_state()


def log_in(page, email, password):
    page.goto("/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/login" not in url)


def check_in_answer(page, slug, name):
    page.goto(f"/manage/events/{slug}/checkin")
    page.locator("#q").fill(name)
    page.locator("#search-results li", has_text=name).locator("button").click()
    page.locator("#answer:not([hidden])").wait_for()


def take(out: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    taken = []
    with tempfile.TemporaryDirectory() as folder:
        app = build_app(Path(folder) / "screenshots.db")
        demo = support.load_demo(app, reopen_survey=False)  # the 2018 survey stays closed, as in the demo
        server = support.LiveServer(app).start()
        app.config["BASE_URL"] = server.url
        up = demo.upcoming
        try:
            with sync_playwright() as driver:
                browser = support.launch(driver)
                for viewport, suffix in ((support.DESKTOP, "1280"), (support.PHONE, "360")):
                    phone = suffix == "360"
                    visitor = browser.new_context(base_url=server.url, viewport=viewport, locale="en-GB")
                    page = visitor.new_page()
                    page.goto(f"/events/{up}/")
                    if phone:
                        taken.append(shoot(page, f"event-{suffix}-hu", out))
                    english(page)
                    taken.append(shoot(page, f"event-{suffix}", out))
                    if not phone:
                        page.goto(f"/events/{up}/agenda")
                        taken.append(shoot(page, f"agenda-{suffix}", out))
                    page.goto(f"/events/{up}/register")
                    taken.append(shoot(page, f"register-{suffix}", out))
                    if not phone:
                        page.goto(f"/r/{demo.manage_token}")
                        taken.append(shoot(page, f"manage-link-{suffix}", out))
                    visitor.close()

                    staff = browser.new_context(base_url=server.url, viewport=viewport, locale="en-GB")
                    page = staff.new_page()
                    log_in(page, "organiser@example.com", demo.password)
                    if not phone:
                        page.goto(f"/manage/events/{demo.past}/")
                        taken.append(shoot(page, f"dashboard-{suffix}", out))
                        page.goto(f"/manage/events/{up}/registrations")
                        taken.append(shoot(page, f"registrations-{suffix}", out))
                        page.goto(f"/manage/events/{demo.past}/survey/results")
                        taken.append(shoot(page, f"survey-results-{suffix}", out))
                    check_in_answer(page, up, "Hegedűs" if phone else "Öberg")
                    taken.append(shoot(page, f"checkin-answer-{suffix}", out, full_page=False))
                    staff.close()
                browser.close()
        finally:
            server.stop()
            with app.app_context():
                from app.extensions import db

                db.engine.dispose()
    return taken


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help="folder for the PNG files (default: docs/screenshots)")
    args = parser.parse_args(argv)
    if not support.CHROMIUM.exists():
        print(f"{support.CHROMIUM} is missing: apt-get install chromium", file=sys.stderr)
        return 1
    for path in take(args.out):
        print(f"{path.relative_to(support.ROOT) if path.is_relative_to(support.ROOT) else path}  {path.stat().st_size // 1024} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
