"""The integrity indicators' thresholds, read from data/indicators.yaml (law and policy as data: each value
carries the reason it is set where it is). Validated on load, so a bad edit fails loudly and says where."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

DATA = Path(__file__).resolve().parent / "data" / "indicators.yaml"


class ThresholdError(ValueError):
    """The indicators file is malformed: the message names the indicator and the key."""


@dataclass(frozen=True)
class Threshold:
    key: str
    value: Any
    reason: str


@dataclass(frozen=True)
class IndicatorDef:
    id: str
    title: str
    basis: str
    thresholds: dict[str, Threshold]

    def value(self, key: str) -> Any:
        return self.thresholds[key].value


REQUIRED: dict[str, tuple[str, ...]] = {
    "overrules": ("min_decisions", "share"),
    "concentration": ("min_cases", "share"),
    "split_applications": ("window_days", "value", "currency", "min_applications"),
    "repeated_rfis": ("requests_per_case", "min_cases"),
    "late_decisions": ("min_late", "share"),
    "pre_embargo_licences": ("window_days",),
}


def parse(doc: Any, *, where: str = "indicators.yaml") -> dict[str, IndicatorDef]:
    if not isinstance(doc, dict) or doc.get("format") != "warden.indicators/1":
        raise ThresholdError(f"{where}: format must be warden.indicators/1")
    out: dict[str, IndicatorDef] = {}
    for i, raw in enumerate(doc.get("indicators") or []):
        ident = str(raw.get("id", ""))
        if ident not in REQUIRED:
            raise ThresholdError(f"{where}: indicators[{i}] has an unknown id {ident!r}")
        values: dict[str, Threshold] = {}
        for key, spec in (raw.get("thresholds") or {}).items():
            if not isinstance(spec, dict) or "value" not in spec or not str(spec.get("reason", "")).strip():
                raise ThresholdError(f"{where}: {ident}.thresholds.{key} needs a value and a reason")
            values[key] = Threshold(key=key, value=spec["value"], reason=str(spec["reason"]))
        missing = [k for k in REQUIRED[ident] if k not in values]
        if missing:
            raise ThresholdError(f"{where}: {ident} is missing the thresholds {', '.join(missing)}")
        out[ident] = IndicatorDef(
            id=ident, title=str(raw.get("title", ident)), basis=str(raw.get("basis", "")), thresholds=values
        )
    absent = [k for k in REQUIRED if k not in out]
    if absent:
        raise ThresholdError(f"{where}: no definition for {', '.join(absent)}")
    return out


@cache
def definitions() -> dict[str, IndicatorDef]:
    return parse(yaml.safe_load(DATA.read_text(encoding="utf-8")), where=str(DATA.name))
