"""Templates ask the model, never compare a status with a string.

``registration.may_attend`` or ``registration.status == RegistrationStatus.CONFIRMED`` in Python;
in a template the predicate (``{% if registration.is_active %}``), so a renamed or added status
cannot leave a page behind.
"""

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
QUOTED = r"""(?:"[^"]*"|'[^']*')"""
STATUS_LITERAL = re.compile(
    rf"""\bstatus\s*(?:==|!=)\s*{QUOTED}"""  # status == "confirmed"
    rf"""|{QUOTED}\s*(?:==|!=)\s*[\w.]*\bstatus\b"""  # "confirmed" == registration.status
    rf"""|\bstatus\s+(?:not\s+)?in\s*[(\[]\s*{QUOTED}"""  # status in ("pending", "waitlisted")
)
JINJA = re.compile(r"{%.*?%}|{{.*?}}", re.DOTALL)


def test_no_status_compared_with_a_string_in_templates():
    findings = []
    for path in sorted(TEMPLATES.rglob("*.html")) + sorted(TEMPLATES.rglob("*.txt")):
        source = path.read_text(encoding="utf-8")
        for block in JINJA.finditer(source):
            if STATUS_LITERAL.search(block.group(0)):
                line = source.count("\n", 0, block.start()) + 1
                findings.append(f"{path.relative_to(TEMPLATES)}:{line}: {block.group(0)[:120]}")
    assert findings == [], "ask the model (a predicate such as registration.is_active) instead"
