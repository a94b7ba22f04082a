"""Browser tests: Playwright for Python driving the system's Chromium against a live server.

* The browser is Debian's ``/usr/bin/chromium`` (CI installs it in ``.ci/run``); Playwright never
  downloads one. Without it these tests are skipped, and only then.
* The live server is werkzeug in a thread on 127.0.0.1 and a free port, with real CSRF protection
  and mail going to the loopback SMTP server of the ``smtp_server`` fixture.
* SQLite only: what these tests add is the browser's view of the pages (markup, scripts, layout,
  accessibility); the database behaviour behind every page is already proven on PostgreSQL by the
  rest of the suite. Running them twice would double the slowest part of CI for no new evidence,
  so ``database_uri`` is overridden here without the PostgreSQL parameter.
"""

import shutil

import pytest

from tests.browser import support


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: runs in headless Chromium against a live server (SQLite only)")


def pytest_collection_modifyitems(config, items):
    missing = not support.CHROMIUM.exists()
    skip = pytest.mark.skip(reason=f"{support.CHROMIUM} is not installed (apt-get install chromium)")
    for item in items:
        if "tests/browser/" in item.nodeid.replace("\\", "/") and item.get_closest_marker("browser") is None:
            item.add_marker(pytest.mark.browser)
        if missing and item.get_closest_marker("browser"):
            item.add_marker(skip)


@pytest.fixture
def database_uri(tmp_path, sqlite_template):
    """SQLite only (see the module docstring): a copy of the migrated template database."""
    path = tmp_path / "browser.db"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


@pytest.fixture(scope="session")
def playwright_driver():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright_driver):
    browser = support.launch(playwright_driver)
    yield browser
    browser.close()


@pytest.fixture
def live_app(app_factory, smtp_server):
    # Mail leaves as in production: queued in the outbox, delivered by a thread after the response.
    return app_factory(WTF_CSRF_ENABLED=True, MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_server.port, MAIL_DELIVER_IN_BACKGROUND=True)


@pytest.fixture
def live_server(live_app):
    server = support.LiveServer(live_app)
    live_app.config["BASE_URL"] = server.url
    server.start()
    yield server
    server.stop()


@pytest.fixture
def demo(live_app):
    return support.load_demo(live_app)


class PageProblems:
    """JavaScript errors and Content-Security-Policy refusals seen while a test ran."""

    def __init__(self, page):
        self.errors = []
        page.on("pageerror", lambda error: self.errors.append(f"page error: {error}"))
        page.on("console", self._console)

    def _console(self, message):
        text = message.text
        if message.type == "error" and ("Content Security Policy" in text or "Refused to" in text):
            self.errors.append(f"CSP: {text}")


@pytest.fixture
def context(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport=support.DESKTOP, locale="en-GB", accept_downloads=True)
    context.set_default_timeout(10_000)
    yield context
    context.close()


@pytest.fixture
def page(context):
    """A page with the site's real Content-Security-Policy; a test fails on any script error or CSP refusal."""
    page = context.new_page()
    problems = PageProblems(page)
    yield page
    assert not problems.errors, "\n".join(problems.errors)


@pytest.fixture
def axe_page(browser, live_server):
    """A page for axe-core: ``bypass_csp`` lets Playwright add axe's script tag to pages whose CSP
    (rightly) refuses inline scripts; nothing of the page itself changes."""
    context = browser.new_context(base_url=live_server.url, viewport=support.DESKTOP, locale="en-GB", bypass_csp=True)
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def log_in(page, email, password=support.DEMO_PASSWORD):
    page.goto("/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/login" not in url)


@pytest.fixture
def login():
    return log_in
