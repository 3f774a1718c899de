"""Reading a warden.ogl/1 YAML file (the shipped one by default) for warden.ogl.services.load."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from warden.accounts.actors import Actor
from warden.lib.errors import InvalidInput
from warden.lib.safe_json import unstorable_data
from warden.ogl import services

SHIPPED = Path(__file__).parent / "data" / "open_general_licences.yaml"


def parse(text: str, *, filename: str) -> Any:
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark is not None else ""
        raise InvalidInput(f"{filename}{where}: not YAML ({getattr(exc, 'problem', exc)})") from None
    except ValueError as exc:  # a whole number beyond Python's int-from-text limit (4,300 digits)
        raise InvalidInput(f"{filename}: not readable ({str(exc)[:200]})") from None
    except RecursionError:  # brackets nested thousands deep
        raise InvalidInput(f"{filename}: nested too deep to read") from None
    # NaN, infinity, NUL, !!binary: refused here, naming where, before any of it reaches a column.
    problem = unstorable_data(document)
    if problem:
        raise InvalidInput(f"{filename}: {problem}")
    return document


def load_file(*, actor: Actor, path: Path = SHIPPED) -> services.LoadResult:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"{path}: cannot be read ({exc})") from None
    return services.load(actor=actor, document=parse(text, filename=path.name), filename=path.name)
