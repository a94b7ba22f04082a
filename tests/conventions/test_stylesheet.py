"""Every colour of the stylesheets comes from a custom property defined once in ``:root``.

A new rule that needs a colour names a variable (``color: var(--warn)``); a new colour is one
line in ``:root``. Section headings say what the section is for, not which issue added it.
"""

import re
from pathlib import Path

import pytest

CSS_DIR = Path(__file__).resolve().parents[2] / "static" / "css"
STYLESHEETS = sorted(CSS_DIR.rglob("*.css"))
RAW_COLOUR = re.compile(r"#[0-9a-fA-F]{3,8}\b|\b(?:rgba?|hsla?|hwb|lab|lch|oklab|oklch|color)\(", re.IGNORECASE)
ROOT_BLOCK = re.compile(r":root\s*\{(?P<body>[^}]*)\}")
DEFINITION = re.compile(r"^\s*(--[\w-]+)\s*:")


def without_comments(css: str) -> str:
    # Keep the line count, so the line numbers of the findings are the file's.
    return re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"), css, flags=re.DOTALL)


def test_there_are_stylesheets():
    assert STYLESHEETS, CSS_DIR


@pytest.mark.parametrize("path", STYLESHEETS, ids=lambda p: p.name)
def test_colours_only_in_root_variables(path):
    css = without_comments(path.read_text(encoding="utf-8"))
    allowed_lines: set[int] = set()
    defined: dict[str, int] = {}
    duplicates = []
    for block in ROOT_BLOCK.finditer(css):
        first_line = css.count("\n", 0, block.start("body")) + 1
        for offset, line in enumerate(block.group("body").split("\n")):
            match = DEFINITION.match(line)
            if match:
                allowed_lines.add(first_line + offset)
                if match.group(1) in defined:
                    duplicates.append(match.group(1))
                defined[match.group(1)] = first_line + offset
    findings = [
        f"{path.name}:{number}: {line.strip()}"
        for number, line in enumerate(css.split("\n"), start=1)
        if number not in allowed_lines and RAW_COLOUR.search(line)
    ]
    assert findings == [], "raw colours outside the :root variables; add a variable in :root and use var(--name)"
    assert duplicates == [], "a custom property defined twice in :root"


@pytest.mark.parametrize("path", STYLESHEETS, ids=lambda p: p.name)
def test_every_variable_used_is_defined(path):
    css = without_comments(path.read_text(encoding="utf-8"))
    defined = {match.group(1) for block in ROOT_BLOCK.finditer(css) for line in block.group("body").split("\n")
               if (match := DEFINITION.match(line))}
    # var(--name, fallback) may name a property set elsewhere (a style on the element): those carry a fallback.
    used = set(re.findall(r"var\((--[\w-]+)\)", css))
    assert used - defined == set()


@pytest.mark.parametrize("path", STYLESHEETS, ids=lambda p: p.name)
def test_section_headings_say_what_not_which_issue(path):
    comments = re.findall(r"/\*.*?\*/", path.read_text(encoding="utf-8"), flags=re.DOTALL)
    assert [comment for comment in comments if re.search(r"\bissue\s*#?\d+", comment, re.IGNORECASE)] == []
