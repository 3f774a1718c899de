"""Plug-in points of the case workflow. Other domains register here from their AppConfig.ready(), so
that cases does not import them (screening and the criteria engine depend on cases, not the reverse).

ON_SUBMIT hooks run inside the submit transaction, in priority order (lower first): screening (10)
runs before the assessment (20), which reads the screening matches. Each hook has the signature
    hook(*, case: Case, actor: User) -> None
and writes its own audit entries through warden.audit.services.record.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Hook = Callable[..., None]
_ON_SUBMIT: list[tuple[int, str, Hook]] = []


def on_submit(priority: int, name: str) -> Callable[[Hook], Hook]:
    def register(func: Hook) -> Hook:
        if not any(n == name for _, n, _ in _ON_SUBMIT):
            _ON_SUBMIT.append((priority, name, func))
            _ON_SUBMIT.sort(key=lambda item: (item[0], item[1]))
        return func

    return register


def run_on_submit(*, case: Any, actor: Any) -> None:
    for _, _, func in _ON_SUBMIT:
        func(case=case, actor=actor)
