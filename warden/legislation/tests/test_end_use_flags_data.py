"""Reference data that keys on a declared end use must name a flag the application form can carry."""

from __future__ import annotations

from typing import Any

from warden.legislation.tests.support import errors_after


def test_a_national_rule_with_an_unknown_end_use_flag_is_refused(bundle: dict[str, Any]) -> None:
    def change(b: dict[str, Any]) -> None:
        b["national_rules"]["rules"][0]["when"]["end_use_flags"] = ["wmd", "espionage"]

    errors = errors_after(bundle, change)
    assert any("national_rules.yaml" in e and "'espionage'" in e for e in errors), errors
    assert not any("'wmd'" in e for e in errors)
