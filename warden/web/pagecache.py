"""A per-process cache of rendered pages (the queue, the case page), keyed so that it can never show stale
or someone else's content.

Every key holds:
- the viewer: user id, names, role, team, organisation and active flag (a page is only ever served to the
  user it was rendered for; permissions are still checked on every request before the cache is consulted);
- what the content depends on, read with one cheap query per request: the case's version and its latest
  audit entry for a case page (every change to a case, its goods, parties, documents, requests, referrals,
  advice, notes, screening, assessment or licence writes an audit entry with the case id in the same
  transaction: docs/style.md), or the latest audit entry and the highest case id anywhere for the queue;
- today's date (deadlines count working days from today), the language and the full path;
- a process-local generation, bumped by any model save or delete in this process (changes made outside
  the services in the same process, as tests do, are never served stale either).

Pages are rendered with a placeholder instead of the CSRF token, which is put back per request, so forms in a
cached page carry the reader's own token; pages with messages (shown once) are never cached. WARDEN_PAGE_CACHE=0 turns the cache off; PAGE_CACHE_ENTRIES bounds it.
"""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from warden.audit.models import AuditEntry
from warden.cases.models import Case
from warden.lib import clock
from warden.web import fastdb

# Random per process, so that no user input can contain it by chance or design.
CSRF_PLACEHOLDER = "csrf" + secrets.token_hex(16)

_lock = threading.Lock()
_entries: OrderedDict[Hashable, str] = OrderedDict()
_generation = 0


def enabled() -> bool:
    return bool(getattr(settings, "PAGE_CACHE", True))


def _bump(sender: Any, **kwargs: Any) -> None:
    global _generation
    if sender is Session:  # sessions are saved on logins and messages; no page body shows them
        return
    if getattr(sender, "page_cache_exempt", False):  # e.g. oversight's notes: no cached page shows them
        return
    with _lock:
        _generation += 1


post_save.connect(_bump, dispatch_uid="warden.web.pagecache.save")
post_delete.connect(_bump, dispatch_uid="warden.web.pagecache.delete")
m2m_changed.connect(_bump, dispatch_uid="warden.web.pagecache.m2m")


def clear() -> None:
    with _lock:
        _entries.clear()


def viewer_key(user: Any) -> tuple[Any, ...]:
    """Everything about the reader a page shows or its permissions depend on (the header names them)."""
    team, org = user.team, user.organisation
    return (
        user.pk,
        user.role,
        user.is_active,
        user.username,
        user.first_name,
        user.last_name,
        user.team_id,
        team.name if team else None,
        user.organisation_id,
        org.name if org else None,
    )


def common_key(request: HttpRequest) -> tuple[Any, ...]:
    return (
        _generation,
        viewer_key(request.user),
        clock.today(),
        translation.get_language(),
        request.get_full_path(),
    )


def case_marker(case_id: int) -> int:
    """The seq of the case's latest audit entry (-1 if none)."""
    rows = fastdb.fetch_rows(f"SELECT MAX(seq) FROM {fastdb.table(AuditEntry)} WHERE case_id = %s", [case_id])
    value = rows[0][0]
    return -1 if value is None else int(value)


def global_marker() -> tuple[int, int]:
    """(latest audit seq, highest case id): any audited change anywhere, or a case created without one."""
    # Reads (audit.record_read: oversight opening cases) change no page: skipping them keeps a committee's
    # reading from re-rendering everyone's queue. Newest-first with LIMIT 1 stops at the first non-read entry.
    audit = fastdb.table(AuditEntry)
    rows = fastdb.fetch_rows(
        f"SELECT (SELECT seq FROM {audit} WHERE action NOT LIKE 'read%%' ORDER BY seq DESC LIMIT 1), "
        f"(SELECT MAX(id) FROM {fastdb.table(Case)})",
        [],
    )
    seq, top = rows[0]
    return (-1 if seq is None else int(seq), -1 if top is None else int(top))


def page(request: HttpRequest, key: tuple[Any, ...], render: Callable[[str], str]) -> HttpResponse:
    """The page for `key` (see the module docstring), rendered by `render(csrf_token)` on a miss. A request
    with messages to show (after an action) is rendered afresh and not stored: messages are shown once."""
    storage = getattr(request, "_messages", None)
    if storage is not None and len(storage):
        return HttpResponse(render(csrf_token(request)))
    return HttpResponse(html(request, key, render))


def html(request: HttpRequest, key: tuple[Any, ...], render: Callable[[str], str]) -> SafeString:
    """The HTML for `key`, rendered by `render(placeholder)` on a miss, with this request's CSRF token."""
    full = (key, common_key(request))
    html = None
    if enabled():
        with _lock:
            html = _entries.get(full)
            if html is not None:
                _entries.move_to_end(full)
    if html is None:
        html = render(CSRF_PLACEHOLDER)
        if enabled():
            with _lock:
                _entries[full] = html
                while len(_entries) > int(getattr(settings, "PAGE_CACHE_ENTRIES", 500)):
                    _entries.popitem(last=False)
    if CSRF_PLACEHOLDER in html:
        html = html.replace(CSRF_PLACEHOLDER, csrf_token(request))
    return mark_safe(html)  # noqa: S308 - rendered by the template engine (autoescaped)


def csrf_token(request: HttpRequest) -> str:
    """One masked CSRF token per response. The template context's own token is lazy and masks afresh at each
    use (three on a page: the body's forms, the header's sign-out form, htmx's header), which cost more than
    serving a cached body; one token per response is as safe (masking guards against reading a secret across
    many responses, BREACH)."""
    token = getattr(request, "_warden_csrf_token", None)
    if token is None:
        token = get_token(request)
        request._warden_csrf_token = token  # type: ignore[attr-defined]
    return token
