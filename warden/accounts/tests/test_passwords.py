"""A person changes their password (knowing the current one; other sessions signed out) or resets a forgotten
one through an e-mailed link that works once and expires; the reset page never tells who has an account."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import mail
from django.test import Client
from django.utils import timezone

from warden.accounts import passwords
from warden.accounts.models import ResetLinkSent, User
from warden.audit.models import AuditEntry
from warden.lib.errors import Conflict, InvalidInput, NotPermitted
from warden.testing import PASSWORD, Personas

pytestmark = pytest.mark.django_db

NEW = "Violet-Tandem-Orchard-48"


def _signed_in(user: User) -> Client:
    c = Client()
    assert c.login(username=user.username, password=PASSWORD)
    return c


def _change(c: Client, current: str, one: str, two: str | None = None):  # type: ignore[no-untyped-def]
    form = {"current_password": current, "new_password1": one, "new_password2": one if two is None else two}
    return c.post("/account/password/", form)


def test_changing_the_password_keeps_this_session_and_signs_out_the_others(personas: Personas) -> None:
    here, elsewhere = _signed_in(personas.exporter), _signed_in(personas.exporter)
    r = _change(here, PASSWORD, NEW)
    assert r.status_code == 302
    assert "Your password is changed" in here.get(r["Location"]).content.decode()
    assert here.get("/").status_code == 200
    assert elsewhere.get("/").status_code == 302  # to the sign-in page
    personas.exporter.refresh_from_db()
    assert personas.exporter.check_password(NEW)
    assert Client().login(username="alice", password=NEW) and not Client().login(
        username="alice", password=PASSWORD
    )
    entry = AuditEntry.objects.get(action="user.password_change")
    assert entry.actor_label == "alice" and NEW not in entry.entry and PASSWORD not in entry.entry
    assert personas.exporter.password not in entry.entry


@pytest.mark.parametrize(
    ("current", "one", "two", "message"),
    [
        ("wrong-password", NEW, None, "Your current password is not right"),
        (PASSWORD, NEW, NEW + "x", "The two new passwords differ"),
        (PASSWORD, "short", None, "This password is too short"),
        (PASSWORD, "password123", None, "This password is too common"),
        (PASSWORD, PASSWORD, None, "must differ from the current one"),
    ],
)
def test_a_refused_change_says_why_at_the_field_and_changes_nothing(
    personas: Personas, current: str, one: str, two: str | None, message: str
) -> None:
    r = _change(_signed_in(personas.exporter), current, one, two)
    assert r.status_code == 400
    assert message in r.content.decode().replace("&#x27;", "'")
    personas.exporter.refresh_from_db()
    assert personas.exporter.check_password(PASSWORD)
    assert not AuditEntry.objects.filter(action="user.password_change").exists()


def test_nobody_changes_another_persons_password_this_way(personas: Personas) -> None:
    with pytest.raises(NotPermitted):
        passwords.change_password(actor=personas.admin, user=personas.exporter, current=PASSWORD, new=NEW)
    assert Client().get("/account/password/").status_code == 302  # sign in first


def _ask(who: str) -> str:
    r = Client().post("/account/reset/", {"who": who})
    assert r.status_code == 302 and r["Location"] == "/account/reset/sent/"
    page = Client().get(r["Location"]).content.decode()
    return re.sub(r'"X-CSRFToken": "[^"]*"', "", page)  # the one part that differs per visitor


def _link() -> str:
    assert len(mail.outbox) == 1
    return re.search(r"http://testserver(/account/reset/\S+/)", mail.outbox[0].body).group(1)  # type: ignore[union-attr]


def test_the_reset_page_answers_the_same_whether_or_not_the_account_exists(personas: Personas) -> None:
    User.objects.filter(pk=personas.exporter.pk).update(email="alice@northbridge.example")
    User.objects.filter(pk=personas.exporter_b.pk).update(email="bob@southgate.example", is_active=False)
    answers = {_ask(who) for who in ("alice", "ALICE@northbridge.example", "nobody", "bob", "carol")}
    assert len(answers) == 1
    # Only the active account with an address got mail (twice: once by username, once by address).
    assert [m.to for m in mail.outbox] == [["alice@northbridge.example"], ["alice@northbridge.example"]]
    assert AuditEntry.objects.filter(action="user.password_reset_sent").count() == 2


def test_the_link_sets_a_new_password_once(personas: Personas) -> None:
    User.objects.filter(pk=personas.exporter.pk).update(email="alice@northbridge.example")
    _ask("alice")
    link = _link()
    assert "Set the password" in Client().get(link).content.decode()
    r = Client().post(link, {"new_password1": NEW, "new_password2": NEW})
    assert r.status_code == 302 and r["Location"] == "/login/"
    assert Client().login(username="alice", password=NEW)
    entry = AuditEntry.objects.get(action="user.password_reset")
    assert entry.actor_label == "alice" and NEW not in entry.entry
    assert link.split("/")[-2] not in entry.entry  # nor the token
    # Used: the same link no longer works, for reading or for setting.
    again = Client().get(link)
    assert again.status_code == 400 and "This link no longer works" in again.content.decode()
    assert (
        Client()
        .post(link, {"new_password1": "Another-Fine-Phrase-77", "new_password2": "Another-Fine-Phrase-77"})
        .status_code
        == 400
    )
    assert Client().login(username="alice", password=NEW)


def test_the_link_expires(personas: Personas, monkeypatch: pytest.MonkeyPatch, settings) -> None:  # type: ignore[no-untyped-def]
    User.objects.filter(pk=personas.exporter.pk).update(email="alice@northbridge.example")
    _ask("alice")
    link = _link()
    # The generator's own clock (naive local time, as Django's _now reads it), moved past the timeout.
    later = PasswordResetTokenGenerator()._now() + dt.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60)
    monkeypatch.setattr(PasswordResetTokenGenerator, "_now", lambda self: later)
    r = Client().post(link, {"new_password1": NEW, "new_password2": NEW})
    assert r.status_code == 400 and "This link no longer works" in r.content.decode()
    personas.exporter.refresh_from_db()
    assert personas.exporter.check_password(PASSWORD)


def test_a_weak_password_through_the_link_is_refused_and_the_link_still_works(personas: Personas) -> None:
    User.objects.filter(pk=personas.exporter.pk).update(email="alice@northbridge.example")
    _ask("alice")
    link = _link()
    r = Client().post(link, {"new_password1": "short", "new_password2": "short"})
    assert r.status_code == 400 and "This password is too short" in r.content.decode()
    assert Client().post(link, {"new_password1": NEW, "new_password2": NEW}).status_code == 302


@pytest.mark.parametrize(
    "path",
    [
        "/account/reset/Mw/nonsense-token/",
        "/account/reset/!!!/x/",
        "/account/reset/OTk5OTk5/abc-def/",
        "/account/reset/OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5/abc-def/",
        "/account/reset/LTE/abc-def/",
    ],
)
def test_a_forged_link_is_refused_without_an_error_page(personas: Personas, path: str) -> None:
    r = Client().get(path)
    assert r.status_code == 400 and "This link no longer works" in r.content.decode()


def test_an_empty_reset_request_is_asked_again(personas: Personas) -> None:
    r = Client().post("/account/reset/", {"who": "  "})
    assert r.status_code == 400 and "Username or e-mail address" in r.content.decode()
    assert not mail.outbox


def test_a_reset_sent_to_an_account_without_an_address_is_refused(personas: Personas) -> None:
    with pytest.raises(InvalidInput, match="no e-mail address"):
        passwords.send_reset_link(actor=personas.admin, user=personas.exporter, site="https://w.example")
    assert not mail.outbox


def test_a_mail_server_failure_is_explained_and_still_answers_the_same(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    User.objects.filter(pk=personas.exporter.pk).update(email="alice@northbridge.example")

    def down(*args: object, **kwargs: object) -> None:
        raise ConnectionRefusedError("connection refused")

    monkeypatch.setattr(passwords, "send_mail", down)
    assert _ask("alice") == _ask("nobody")
    personas.exporter.refresh_from_db()
    with pytest.raises(Conflict, match="could not be sent"):
        passwords.send_reset_link(actor=personas.admin, user=personas.exporter, site="https://w.example")
    assert not AuditEntry.objects.filter(action="user.password_reset_sent").exists()


def test_at_most_three_links_an_hour_reach_one_mailbox(personas: Personas) -> None:
    User.objects.filter(pk=personas.exporter.pk).update(email="alice@northbridge.example")
    answers = {_ask("alice") for _ in range(5)}
    assert len(answers) == 1 and len(mail.outbox) == 3
    personas.exporter.refresh_from_db()
    with pytest.raises(Conflict, match="3 reset links in the last hour"):
        passwords.send_reset_link(actor=personas.admin, user=personas.exporter, site="https://w.example")
    assert AuditEntry.objects.filter(action="user.password_reset_sent").count() == 3
    ResetLinkSent.objects.update(at=timezone.now() - dt.timedelta(minutes=61))
    passwords.send_reset_link(actor=personas.admin, user=personas.exporter, site="https://w.example")
    assert len(mail.outbox) == 4
