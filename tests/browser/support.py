"""What the browser tests and the screenshot script share: the system Chromium, a live server, axe-core.

Chromium comes from the machine's package manager (Debian's ``chromium``, installed by ``.ci/run``);
Playwright is only the driver and never downloads a browser of its own.
"""

from __future__ import annotations

import os
import re
import threading
from dataclasses import dataclass
from pathlib import Path

from werkzeug.serving import make_server

os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
# Without the networking flags Chromium calls Google's services, which the closed network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 740}


def launch(playwright):
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)


class LiveServer:
    """The application served by werkzeug on 127.0.0.1 and a free port, in a thread."""

    def __init__(self, app):
        self.app = app
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.port = self.server.server_port
        self.url = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, name="live-server", daemon=True)

    def start(self) -> LiveServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


# ---- axe-core ---------------------------------------------------------------------------------

SERIOUS = ("serious", "critical")
# WCAG 2.0, 2.1 and 2.2 at levels A and AA (2.2's target size included), and axe's best practices.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def run_axe(page) -> list[dict]:
    """Inject axe-core (from node_modules, installed by ``npm ci``) and return its violations."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async (AXE_TAGS) => {
            const r = await axe.run(document, {resultTypes: ['violations'], runOnly: {type: 'tag', values: AXE_TAGS}});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary}))}));
        }""",
        AXE_TAGS,
    )
    return result


def serious_violations(page) -> list[dict]:
    return [violation for violation in run_axe(page) if violation["impact"] in SERIOUS]


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['impact']}: {violation['id']} — {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    {node['target']}: {node['summary']}")
    return "\n".join(lines)


# ---- layout -------------------------------------------------------------------------------------

LAYOUT_SCRIPT = """() => {
    const scroller = document.scrollingElement;
    const controls = [...document.querySelectorAll('a[href], button, input, select, textarea, summary')]
      .filter(el => {
        if (el.type === 'hidden') return false;
        const style = getComputedStyle(el);
        if (style.visibility === 'hidden' || style.display === 'none') return false;
        const box = el.getBoundingClientRect();
        if (box.width < 2 || box.height < 2) return false;
        // visually hidden helpers (skip link parked off screen, clipped labels)
        if (box.right < 0 || box.bottom < 0) return false;
        return el.checkVisibility ? el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true}) : true;
      });
    // one box per line fragment: a link that wraps onto two lines is two boxes, not their union
    const boxes = controls.flatMap(el => [...el.getClientRects()].filter(r => r.width >= 2 && r.height >= 2).map(r =>
      ({el, left: r.left + scrollX, top: r.top + scrollY, right: r.right + scrollX, bottom: r.bottom + scrollY})));
    const name = el => (el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + ' "'
      + (el.innerText || el.value || el.getAttribute('aria-label') || '').trim().slice(0, 40) + '"');
    const overlaps = [];
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i], b = boxes[j];
        if (a.el === b.el || a.el.contains(b.el) || b.el.contains(a.el)) continue;
        // a label wrapping its input, or a control inside a summary, is one control
        if (a.el.closest('label') && a.el.closest('label') === b.el.closest('label')) continue;
        const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        if (w > 2 && h > 2) overlaps.push(name(a.el) + ' overlaps ' + name(b.el));
      }
    }
    // the outermost elements that reach past the window's right edge, to say what to fix
    const past = el => el.getBoundingClientRect().right > window.innerWidth + 1;
    const label = el => el.tagName.toLowerCase() + [...el.classList].map(c => '.' + c).join('');
    const wide = [...document.body.querySelectorAll('*')].filter(el => past(el) && !past(el.parentElement)).map(label);
    return {scrollWidth: scroller.scrollWidth, innerWidth: window.innerWidth,
            overlaps: [...new Set(overlaps)].slice(0, 10), wide: wide.slice(0, 5)};
}"""


@dataclass
class Layout:
    scroll_width: int
    inner_width: int
    overlaps: list[str]
    wide: list[str]

    @property
    def problems(self) -> list[str]:
        found = list(self.overlaps)
        if self.scroll_width > self.inner_width:
            found.insert(0, f"horizontal scrolling: {self.scroll_width}px of content in a {self.inner_width}px window"
                            f" (widest: {', '.join(self.wide)})")
        return found


def check_layout(page) -> Layout:
    measured = page.evaluate(LAYOUT_SCRIPT)
    return Layout(measured["scrollWidth"], measured["innerWidth"], measured["overlaps"], measured["wide"])


# ---- mail ---------------------------------------------------------------------------------------

def message_text(message) -> str:
    part = message.get_body(preferencelist=("plain",))
    return part.get_content() if part is not None else ""


def links_in(message, prefix: str) -> list[str]:
    return re.findall(re.escape(prefix) + r"[^\s\"'<>)]+", message_text(message))


# ---- demo data ----------------------------------------------------------------------------------

DEMO_PASSWORD = "correct horse battery"


@dataclass
class Demo:
    """The demo events (``flask demo``) plus the private links a test cannot read from the database."""

    past: str
    upcoming: str
    manage_token: str
    survey_token: str
    badge_secret: str
    password: str = DEMO_PASSWORD


def load_demo(app, password: str = DEMO_PASSWORD, *, reopen_survey: bool = True) -> Demo:
    """Load the demo, register one participant on the upcoming event (their manage link) and, with
    ``reopen_survey``, reopen the past event's survey for one participant who has not answered
    (their survey link; otherwise the link shows the survey's closed page)."""
    from datetime import timedelta

    from app import demo
    from app.core.models import utcnow
    from app.core.tokens import hash_token, new_token
    from app.events import services as events
    from app.extensions import db
    from app.registration import questions as registration_questions
    from app.registration import services as registrations
    from app.surveys import builder as surveys
    from app.surveys.models import SurveyInvitation

    with app.app_context():
        demo.load_demo(password)
        upcoming = events.get_by_slug(demo.UPCOMING_SLUG)
        answers = {question.id: question.choices[0] for question in registration_questions.active_questions(upcoming) if question.required}
        result = registrations.register(
            upcoming,
            registrations.Registrant("Åsa", "Öberg", "asa.oberg@example.com", "Skåne Food Innovation Network", "Cluster manager", "SE",
                                     language="en"),
            registrations.Consents(privacy=True, photo=True), answers=answers, send_email=False,
        )
        from app.badges import services as badges

        badge_secret = result.registration.badge_secret or badges.issue_badge_secret(result.registration)
        survey = surveys.get_survey(events.get_by_slug(demo.PAST_SLUG))
        if reopen_survey:
            survey.opens_at = utcnow() - timedelta(days=1)
            survey.closes_at = utcnow() + timedelta(days=30)
        invitation = db.session.execute(
            db.select(SurveyInvitation).filter_by(survey_id=survey.id, submitted_at=None).order_by(SurveyInvitation.id)
        ).scalars().first()
        survey_token = new_token()
        invitation.token_hash = hash_token(survey_token)
        db.session.commit()
        demo_links = Demo(demo.PAST_SLUG, demo.UPCOMING_SLUG, result.token, survey_token, badge_secret, password)
        db.session.remove()
    return demo_links
