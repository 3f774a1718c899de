"""Small text helpers shared by the apps' templates and presentation code."""

from __future__ import annotations


def humanise(value: object) -> str:
    """ "start_initial_checks" -> "Start initial checks": a machine key shown to people who never see the code
    (action names, sectors, document kinds, reference keys without a label of their own)."""
    text = str(value or "").replace("_", " ").strip()
    return text[:1].upper() + text[1:]
