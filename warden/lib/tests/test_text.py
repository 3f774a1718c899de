from __future__ import annotations

import pytest

from warden.lib.text import humanise


@pytest.mark.parametrize(
    ("key", "words"),
    [
        ("start_initial_checks", "Start initial checks"),
        ("australia_group", "Australia group"),
        ("", ""),
        (None, ""),
    ],
)
def test_machine_keys_read_as_words(key: object, words: str) -> None:
    assert humanise(key) == words
