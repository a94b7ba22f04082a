"""Dependencies: every package named in requirements*.txt is pinned, and the lock files that
`make` installs (with --require-hashes) agree with them. After changing a requirements file,
`make lock` regenerates the lock files; this test fails until then.
"""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAIRS = [("requirements.txt", "requirements.lock"), ("requirements-dev.txt", "requirements-dev.lock")]
REQUIREMENT = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?\s*(?P<op>==|>=|<=|~=|!=|<|>)?\s*(?P<version>[^\s;#]*)")


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def requirements(path: Path) -> dict[str, tuple[str | None, str]]:
    found = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line or line.startswith("-"):
            continue
        match = REQUIREMENT.match(line)
        assert match, (path.name, line)
        found[canonical(match.group("name"))] = (match.group("op"), match.group("version"))
    return found


def locked(path: Path) -> dict[str, str]:
    text = path.read_text(encoding="utf-8")
    pins = {}
    for block in re.split(r"\n(?=\S)", text):
        match = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)", block)
        if match:
            assert "--hash=sha256:" in block, (path.name, match.group(1))
            pins[canonical(match.group(1))] = match.group(2)
    return pins


@pytest.mark.parametrize(("source", "lock"), PAIRS)
def test_requirements_are_pinned_and_locked(source, lock):
    wanted = requirements(ROOT / source)
    assert [name for name, (op, _version) in wanted.items() if op != "=="] == [], f"{source}: pin every package with =="
    pins = locked(ROOT / lock)
    # The dev lock holds the runtime packages too (requirements-dev.txt includes requirements.txt).
    assert {name: version for name, (_op, version) in wanted.items() if pins.get(name) != version} == {}, \
        f"{lock} is out of date: run `make lock`"


def test_dev_lock_holds_the_runtime_lock():
    runtime, dev = locked(ROOT / "requirements.lock"), locked(ROOT / "requirements-dev.lock")
    assert {name: version for name, version in runtime.items() if dev.get(name) != version} == {}


def test_makefile_installs_from_the_lock_files():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for _source, lock in PAIRS:
        assert f"--require-hashes -r {lock}" in makefile
