"""Template tags shared by every page: optional partials, accessible fields, navigation, deadlines."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms, template
from django.core.exceptions import NON_FIELD_ERRORS
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from warden.inbox.models import Notification
from warden.legislation.countries_iso import ISO_3166_ALPHA2
from warden.lib.text import humanise
from warden.screening.matcher.countries import _TABLE as _COUNTRY_SPELLINGS

register = template.Library()


@register.simple_tag(takes_context=True)
def include_if_exists(context: template.Context, template_name: str, fallback: str = "") -> SafeString:
    """Render a partial that another domain provides (findings, screening, history), or the fallback text
    while that domain has not shipped it yet, so that the case page never breaks on a missing template."""
    try:
        tpl = get_template(template_name)
    except TemplateDoesNotExist:
        return format_html("{}", fallback)
    request = context.get("request")
    return mark_safe(tpl.render(dict(context.flatten()), request))  # type: ignore[arg-type]  # noqa: S308 - rendered by the template engine


@register.simple_tag
def template_exists(template_name: str) -> bool:
    try:
        get_template(template_name)
    except TemplateDoesNotExist:
        return False
    return True


@register.simple_tag
def field_widget(field: forms.BoundField) -> SafeString:
    """The widget with aria-describedby pointing at its hint and error, and aria-invalid when in error."""
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}_hint")
    if field.errors:
        ids.append(f"{field.auto_id}_error")
    attrs: dict[str, str | bool] = {}
    if ids:
        attrs["aria-describedby"] = " ".join(ids)
    if field.errors:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)


@register.simple_tag
def error_list(
    form_list: Any, form: Any = None, extra: Iterable[tuple[str, str]] | None = None
) -> list[tuple[str, str]]:
    """(anchor, message) for every error of the given forms (a list, and/or one form), for the error summary
    at the top of a page. Missing template variables arrive as "" and are ignored."""
    form_list = list(form_list) if form_list not in (None, "") else []
    if isinstance(form, forms.BaseForm):
        form_list.append(form)
    out: list[tuple[str, str]] = []
    for form in form_list:
        if form is None or not form.is_bound:
            continue
        for message in form.non_field_errors():
            out.append(("", message))
        for name, errs in form.errors.items():
            if name == NON_FIELD_ERRORS:
                continue
            bound = form[name]
            for message in errs:
                label = f"{_where(form)}{bound.label or name}"
                out.append((bound.id_for_label or bound.auto_id, f"{label}: {message}"))
    out.extend(extra or [])
    return out


def _where(form: forms.BaseForm) -> str:
    """ "Goods line 2, " for a field of the goods-1 form, so that the summary says which line is wrong."""
    prefix = form.prefix or ""
    kind, _, index = prefix.partition("-")
    if index.isdigit() and kind in ("goods", "parties"):
        return f"{'Goods line' if kind == 'goods' else 'Party'} {int(index) + 1}, "
    return ""


NAV: dict[str, list[tuple[str, str]]] = {
    "exporter": [
        ("Dashboard", "/"),
        ("Inbox", "/inbox/"),
        ("My applications", "/cases/"),
        ("New application", "/cases/new/"),
        ("Licences", "/licences/"),
        ("Catch-all", "/catch-all/"),
        ("Open licences", "/open-licences/"),
        ("API tokens", "/account/tokens/"),
        ("Search", "/search/"),
    ],
    "licensing_officer": [
        ("Dashboard", "/"),
        ("Inbox", "/inbox/"),
        ("Case queue", "/cases/"),
        ("Screening", "/screening/"),
        ("Licences", "/licences/"),
        ("Open licences", "/open-licences/"),
        ("Reports", "/reports/"),
        ("Region", "/region/"),
        ("Catch-all", "/catch-all/"),
        ("Search", "/search/"),
        ("Interests", "/interests/"),
    ],
    "senior_officer": [
        ("Dashboard", "/"),
        ("Inbox", "/inbox/"),
        ("Case queue", "/cases/"),
        ("Screening", "/screening/"),
        ("Licences", "/licences/"),
        ("End-use checks", "/end-use/"),
        ("Open licences", "/open-licences/"),
        ("Reports", "/reports/"),
        ("Region", "/region/"),
        ("Catch-all", "/catch-all/"),
        ("Search", "/search/"),
        ("Indicators", "/oversight/indicators/"),
        ("Interests", "/interests/"),
    ],
    "adviser": [("Dashboard", "/"), ("Inbox", "/inbox/"), ("Referred cases", "/cases/")],
    "oversight": [
        ("Dashboard", "/"),
        ("Inbox", "/inbox/"),
        ("Cases", "/cases/"),
        ("Licences", "/licences/"),
        ("Screening", "/screening/"),
        ("Audit log", "/audit/"),
        ("Reports", "/reports/"),
        ("Region", "/region/"),
        ("Catch-all", "/catch-all/"),
        ("Committee portal", "/oversight/"),
        ("Search", "/search/"),
    ],
    "policy_officer": [
        ("Dashboard", "/"),
        ("Inbox", "/inbox/"),
        ("Legislation", "/legislation/"),
        ("Country profiles", "/legislation/countries/"),
        ("Cases", "/cases/"),
        ("Denials", "/denials/"),
        ("Catch-all", "/catch-all/"),
        ("Open licences", "/open-licences/"),
        ("Reports", "/reports/"),
        ("Region", "/region/"),
    ],
    "compliance_inspector": [
        ("Dashboard", "/"),
        ("End-use checks", "/end-use/"),
        ("Licences", "/licences/"),
        ("Cases", "/cases/"),
        ("Interests", "/interests/"),
    ],
    # Administrators see no cases (warden.cases.policy), so no case or licence lists: they would be empty.
    "administrator": [
        ("Dashboard", "/"),
        ("Inbox", "/inbox/"),
        ("People", "/people/"),
        ("Audit log", "/audit/"),
    ],
}


@register.simple_tag(takes_context=True)
def nav_items(context: template.Context) -> list[dict[str, Any]]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    path = request.path if request is not None else ""
    items = []
    for label, url in NAV.get(user.role, [("Dashboard", "/")]):
        if url in ("/", "/cases/"):
            # "/cases/" must not light up on "/cases/new/", which has its own entry for exporters.
            current = (
                path == "/" if url == "/" else path.startswith(url) and not path.startswith("/cases/new/")
            )
        elif url == "/legislation/":
            current = path.startswith(url) and not path.startswith("/legislation/countries/")
        else:
            current = path.startswith(url)
        item: dict[str, Any] = {"label": label, "url": url, "current": current}
        if url == "/inbox/":
            item["unread"] = Notification.objects.filter(user=user, read_at__isnull=True).count()
        items.append(item)
    return items


@register.filter
def abs_value(value: int) -> int:
    return abs(value)


@register.filter
def status_badge(obj: Any) -> SafeString:
    return format_html(
        '<span class="badge s-{}" data-testid="status">{}</span>', obj.status, obj.get_status_display()
    )


@register.filter
def humanize(value: str) -> str:
    """ "start_initial_checks" -> "Start initial checks" (action names, sectors, document kinds)."""
    return humanise(value)


def _display_names() -> dict[str, str]:
    """Code -> the everyday English name. The ISO set says which codes are real; the names come from the
    screening matcher's country table (first spelling of each line, e.g. "North Korea"), so that the project
    keeps one list of country names rather than two that drift apart."""
    names: dict[str, str] = {}
    for line in _COUNTRY_SPELLINGS.strip().splitlines():
        code, _, rest = line.partition(" ")
        names[code] = rest.split(";", 1)[0].strip()
    # Kosovo (XK) is not officially assigned but is what lists and officers use.
    return {code: name for code, name in names.items() if code in ISO_3166_ALPHA2 or code == "XK"}


COUNTRY_NAMES: dict[str, str] = _display_names()


@register.filter
def country_name(code: Any) -> str:
    """ "KP" -> "North Korea (KP)": the name for exporters and auditors, the code kept for officers. An
    unknown code is shown as given (never guessed), an empty value stays empty so `|default:"—"` works."""
    text = str(code or "").strip()
    if not text:
        return ""
    name = COUNTRY_NAMES.get(text.upper())
    return f"{name} ({text.upper()})" if name else text
