"""One clock: every "today" in Warden is the configured time zone's calendar day (warden.lib.clock), and no
module reads the server's own clock another way."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.test import override_settings
from django.utils import timezone

from warden.lib import clock

WARDEN = Path(__file__).resolve().parents[2]
OTHER_CLOCKS = re.compile(
    r"\bdate\.today\(|\bdatetime\.now\(|\bdatetime\.today\(|\butcnow\(|\btimezone\.localdate\(|\btime\.localtime\("
)


def test_no_module_reads_today_except_through_the_clock() -> None:
    offenders = [
        f"{path.relative_to(WARDEN.parent)}:{n}: {line.strip()}"
        for path in sorted([*WARDEN.rglob("*.py"), *(WARDEN.parent / "bench").rglob("*.py")])
        if path != WARDEN / "lib" / "clock.py"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if OTHER_CLOCKS.search(line)
    ]
    assert offenders == [], "use warden.lib.clock.today()/local_date()/now():\n" + "\n".join(offenders)


def test_the_rules_engine_reads_no_clock_at_all() -> None:
    for path in sorted((WARDEN / "rules").rglob("*.py")):
        imports = [
            ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.startswith(("from ", "import "))
        ]
        assert not [ln for ln in imports if "clock" in ln or "django" in ln], path


def _at(monkeypatch: pytest.MonkeyPatch, moment: dt.datetime) -> None:
    monkeypatch.setattr(timezone, "now", lambda: moment)


def test_today_is_the_london_day_just_after_midnight_utc_in_summer(monkeypatch: pytest.MonkeyPatch) -> None:
    # 23:30 UTC on 30 June is 00:30 BST on 1 July: the authority's day has already turned.
    _at(monkeypatch, dt.datetime(2026, 6, 30, 23, 30, tzinfo=dt.UTC))
    assert clock.today() == dt.date(2026, 7, 1)
    assert clock.local_date(dt.datetime(2026, 6, 30, 23, 30, tzinfo=dt.UTC)) == dt.date(2026, 7, 1)


def test_today_is_the_utc_day_in_london_in_winter(monkeypatch: pytest.MonkeyPatch) -> None:
    _at(monkeypatch, dt.datetime(2026, 12, 31, 23, 30, tzinfo=dt.UTC))
    assert clock.today() == dt.date(2026, 12, 31)


def test_today_follows_the_configured_time_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    moment = dt.datetime(2026, 7, 1, 2, 0, tzinfo=dt.UTC)  # 22:00 on 30 June in New York, 12:00 in Sydney
    _at(monkeypatch, moment)
    with override_settings(TIME_ZONE="America/New_York"):
        assert clock.today() == dt.date(2026, 6, 30)
    with override_settings(TIME_ZONE="Australia/Sydney"):
        assert clock.today() == dt.date(2026, 7, 1)
    assert clock.now() == moment


def test_travel_moves_the_clock_and_djangos_auto_now_only_inside_the_block() -> None:
    import threading

    moment = dt.datetime(2020, 3, 1, 9, 0, tzinfo=dt.UTC)
    seen_elsewhere: list[dt.datetime] = []
    with clock.travel(moment) as travel:
        assert clock.now() == moment and timezone.now() == moment  # auto_now fields read timezone.now
        travel.now = moment + dt.timedelta(days=1)
        assert clock.today() == dt.date(2020, 3, 2)
        other = threading.Thread(target=lambda: seen_elsewhere.append(clock.now()))
        other.start()
        other.join()
    assert seen_elsewhere[0] > moment + dt.timedelta(days=300)  # another thread keeps the real time
    assert clock.now() > moment + dt.timedelta(days=300)  # and the block's end restores it here


def test_travel_refuses_a_naive_moment() -> None:
    with pytest.raises(ValueError, match="aware"), clock.travel(dt.datetime(2026, 3, 1)):  # noqa: DTZ001
        pass
