"""requirements.lock pins every dependency of pyproject.toml (and of the dev extra) with its hashes, so
`make` installs exactly what was reviewed (`pip install --require-hashes`)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _name(requirement: str) -> str:
    return re.split(r"[\[<>=!~; ]", requirement, maxsplit=1)[0].lower().replace("_", "-").replace(".", "-")


def _locked() -> dict[str, tuple[str, int]]:
    """name -> (version, number of hashes)"""
    text = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    out: dict[str, tuple[str, int]] = {}
    for block in re.split(r"\n(?=[A-Za-z0-9])", text):
        m = re.match(r"([A-Za-z0-9_.\-]+)==([^\s\\]+)", block)
        if m:
            out[_name(m.group(1))] = (m.group(2), block.count("--hash=sha256:"))
    return out


def test_every_declared_dependency_is_pinned_with_hashes() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = [*project["dependencies"], *project["optional-dependencies"]["dev"]]
    locked = _locked()
    missing = [r for r in declared if _name(r) not in locked]
    assert not missing, f"not in requirements.lock (run `make lock`): {missing}"
    unhashed = [n for n, (_, hashes) in locked.items() if hashes == 0]
    assert not unhashed, f"pinned without a hash: {unhashed}"


def test_the_build_tools_are_locked_and_current() -> None:
    locked = _locked()
    for tool, minimum in (("setuptools", 75), ("wheel", 0), ("pip", 0)):
        if tool == "pip" and tool not in locked:
            continue  # pip comes with the venv; the lock pins what it installs
        version = locked[tool][0]
        assert int(version.split(".")[0]) >= minimum, f"{tool} {version} is older than {minimum}"


def test_the_pip_installed_first_is_the_pip_of_the_lock() -> None:
    """The venv rule installs requirements-pip.lock before requirements.lock: the two must name one pip, with
    the same hashes, or the first step would install a pip the lock never reviewed."""
    first = (ROOT / "requirements-pip.lock").read_text(encoding="utf-8")
    lock = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    block = re.search(r"^pip==\S+ \\\n(?:\s+--hash=\S+(?: \\)?\n)+", lock, re.M)
    assert block is not None, "requirements.lock pins no pip"
    assert block.group(0).strip() in first, (
        "requirements-pip.lock differs from the pip entry of requirements.lock"
    )
