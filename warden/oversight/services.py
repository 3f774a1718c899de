"""State changes of the oversight side: saved searches and committee notes. Each is one service function
with an actor, checked against policy.py, in one transaction with its audit entry."""

from __future__ import annotations

import hashlib

from django.db import transaction

from warden.accounts.actors import Actor
from warden.accounts.models import User
from warden.audit.services import record
from warden.cases.models import Case
from warden.lib import clock
from warden.lib.errors import InvalidInput, NotPermitted
from warden.oversight import policy
from warden.oversight.models import CommitteeNote, SavedSearch

# The pages a saved search may point at: a saved search is a bookmark, never a redirect to anywhere.
SAVABLE_PATHS = ("/search/", "/oversight/decisions/", "/oversight/indicators/")
MAX_NOTE = 20_000


@transaction.atomic(durable=True)
def save_search(*, actor: Actor, name: str, path: str, query: str) -> SavedSearch:
    """Save (or replace, under the same name) `actor`'s search `path?query`."""
    if not policy.can_search(actor):
        raise NotPermitted("Sign in to save a search")
    name = (name or "").strip()
    if not name:
        raise InvalidInput("Give the search a name", field="name")
    if len(name) > 120:
        raise InvalidInput("A search name has at most 120 characters", field="name")
    if path not in SAVABLE_PATHS:
        raise InvalidInput(f"Only these pages can be saved: {', '.join(SAVABLE_PATHS)}", field="path")
    query = "&".join(p for p in (query or "").lstrip("?").split("&") if p and not p.startswith("page="))
    if len(query) > 1000:
        raise InvalidInput("The search is too long to save (1,000 characters at most)", field="query")
    saved, _ = SavedSearch.objects.update_or_create(
        owner_id=actor.pk,
        name=name,
        defaults={"path": path, "query": query, "created_at": clock.now()},
    )
    record(actor=actor, action="oversight.search_saved", target=saved, data={"name": name, "path": path})
    return saved


@transaction.atomic(durable=True)
def delete_search(*, actor: Actor, search: SavedSearch) -> None:
    if search.owner_id != getattr(actor, "pk", None):
        raise NotPermitted("You can only delete your own saved searches")
    record(actor=actor, action="oversight.search_deleted", target=search, data={"name": search.name})
    search.delete()


@transaction.atomic(durable=True)
def add_committee_note(*, actor: Actor, text: str, case: Case | None = None) -> CommitteeNote:
    """The committee notes something, on `case` or in general. The audit entry holds the note's digest, not
    its text and not the case: administrators browse the log, and the committee's notes are its own (the
    digest still proves later that a note was not changed). No case id either, so the note never appears in
    the case's history that officers read."""
    if not policy.can_keep_notes(actor):
        raise NotPermitted("Only the oversight committee keeps committee notes")
    if not isinstance(actor, User):
        raise NotPermitted("Only a member of the committee writes its notes")
    text = (text or "").strip()
    if not text:
        raise InvalidInput("Write the note first", field="text")
    if len(text) > MAX_NOTE:
        raise InvalidInput(f"A note has at most {MAX_NOTE:,} characters", field="text")
    note = CommitteeNote.objects.create(author=actor, case=case, text=text, at=clock.now())
    record(
        actor=actor,
        action="oversight.note_added",
        target=note,
        data={"sha256": hashlib.sha256(text.encode()).hexdigest()},
    )
    return note
