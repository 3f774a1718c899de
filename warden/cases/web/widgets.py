"""Widgets of the application form. The country picker: a <select> of country names ("Norway (NO)"), sorted
by name, whose values are the ISO codes the document holds, so the exporter picks a name and the form still
posts (and accepts) a two-letter code."""

from __future__ import annotations

from typing import Any

from django import forms

from warden.web.templatetags.warden_tags import COUNTRY_NAMES  # the project's one table of country names


def country_choices() -> list[tuple[str, str]]:
    """(code, "Name (CODE)") for every country Warden names, by name as people look for them."""
    return sorted(
        ((code, f"{name} ({code})") for code, name in COUNTRY_NAMES.items()), key=lambda c: c[1].casefold()
    )


_CHOICES = country_choices()


class CountrySelect(forms.Select):
    """Country names, submitting codes. A value that is not in the list (a draft uploaded with a code Warden
    has no name for, or a typed one refused by the schema) is kept as an option of its own, so redisplaying
    the form never silently changes what the exporter gave; the schema says what is wrong with it."""

    def __init__(self, attrs: dict[str, Any] | None = None, *, empty_label: str = "Choose a country") -> None:
        super().__init__(attrs, choices=[("", empty_label), *_CHOICES])

    def build_attrs(
        self, base_attrs: dict[str, Any], extra_attrs: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        # The CharField under it asks for maxlength, which a <select> does not have.
        attrs = super().build_attrs(base_attrs, extra_attrs)
        attrs.pop("maxlength", None)
        return attrs

    def format_value(self, value: Any) -> list[str]:
        # A code posted in lower case ("no") is the same country.
        return [str(v).strip().upper() for v in super().format_value(value)]

    def optgroups(self, name: str, value: list[str], attrs: dict[str, Any] | None = None) -> Any:
        choices = list(self.choices)
        known = {code for code, _ in choices}
        extra = [(v, f"{v} (not a country code Warden knows)") for v in value if v and v not in known]
        if extra:
            self.choices = [*choices[:1], *extra, *choices[1:]]
        return super().optgroups(name, value, attrs)
