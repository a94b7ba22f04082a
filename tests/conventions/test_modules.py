"""The shape of app/: modules small enough to read, and relationships instead of look-ups by id."""

import ast
import re
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app"
MAX_LINES = 450


def modules():
    return sorted(path for path in APP.rglob("*.py") if "translations" not in path.parts)


def test_no_module_is_longer_than_450_lines():
    long = {str(path.relative_to(APP.parent)): count for path in modules()
            if (count := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}, f"split these along their seams (at most {MAX_LINES} lines each)"


def test_the_event_of_a_row_comes_from_its_relationship():
    pattern = re.compile(r"db\.session\.get\(\s*Event\s*,\s*[\w.]*event_id\b")
    findings = [f"{path.relative_to(APP.parent)}:{number}" for path in modules()
                for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1) if pattern.search(line)]
    assert findings == [], "use registration.event (and the other relationships) instead"


def test_imports_are_at_the_top_unless_they_break_a_cycle():
    """An import inside a function hides a dependency; the few that break an import cycle say so."""
    hidden = []
    for path in modules():
        source = path.read_text(encoding="utf-8")
        lines = source.splitlines()
        for node in ast.walk(ast.parse(source)):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for inner in ast.walk(node):
                if isinstance(inner, ast.Import | ast.ImportFrom):
                    said = " ".join(lines[max(inner.lineno - 2, 0):inner.lineno]).lower()
                    if "cycle" not in said:
                        hidden.append(f"{path.relative_to(APP.parent)}:{inner.lineno}")
    assert hidden == [], "move these imports to the top, or say which import cycle they break"
