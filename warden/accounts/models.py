"""Organisations, teams and people. A user's role decides what they may see and do (see policy.py)."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models


class Role(models.TextChoices):
    EXPORTER = "exporter", "Exporter"
    LICENSING_OFFICER = "licensing_officer", "Licensing officer"
    ADVISER = "adviser", "Adviser (consulted department)"
    SENIOR_OFFICER = "senior_officer", "Senior officer"
    POLICY_OFFICER = "policy_officer", "Policy officer"
    # End-use control (issue 13): records delivery verifications and post-shipment checks (warden.enduse).
    COMPLIANCE_INSPECTOR = "compliance_inspector", "Compliance inspector"
    OVERSIGHT = "oversight", "Oversight (read-only)"
    ADMINISTRATOR = "administrator", "Administrator"


AUTHORITY_ROLES = frozenset(
    {
        Role.LICENSING_OFFICER,
        Role.ADVISER,
        Role.SENIOR_OFFICER,
        Role.POLICY_OFFICER,
        Role.COMPLIANCE_INSPECTOR,
        Role.OVERSIGHT,
        Role.ADMINISTRATOR,
    }
)


class Organisation(models.Model):
    """An exporter (a company applying for licences) or the authority itself."""

    class Kind(models.TextChoices):
        EXPORTER = "exporter", "Exporter"
        AUTHORITY = "authority", "Licensing authority"

    name = models.CharField(max_length=300)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.EXPORTER)
    country = models.CharField(max_length=2, default="GB")
    registration_number = models.CharField(max_length=100, blank=True)
    address = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    """A team of the authority. Advisers belong to a consulted department (foreign affairs, defence,
    intelligence...); cases are referred to a team, and only that team's advisers see them."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    is_advisory = models.BooleanField(default=False)

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    role = models.CharField(max_length=30, choices=Role.choices, default=Role.EXPORTER)
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT)
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.PROTECT)

    @property
    def is_exporter(self) -> bool:
        return self.role == Role.EXPORTER

    @property
    def is_authority(self) -> bool:
        return self.role in AUTHORITY_ROLES

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username


class TokenScope(models.TextChoices):
    """What a token may do. `read` opens GET (and HEAD/OPTIONS) only; `write` allows every method the
    user's role allows. Stored space-separated in ApiToken.scopes ("read" or "read write")."""

    READ = "read", "Read only"
    WRITE = "write", "Read and write"


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class ApiToken(models.Model):
    """A bearer token for an exporter's own systems. Only its SHA-256 is stored; the token is shown once.

    `expires_at` None means never: tokens made before expiry existed (migration 0003) keep working until
    revoked; every new one expires (services.create_api_token, 1..365 days, 90 by default)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    # Older tokens could do everything their user may: the migration gives them "read write".
    scopes = models.CharField(max_length=40, default="read write")

    @property
    def scope_list(self) -> list[str]:
        return self.scopes.split()

    @property
    def can_write(self) -> bool:
        return TokenScope.WRITE in self.scope_list

    def allows(self, method: str) -> bool:
        return method.upper() in SAFE_METHODS or self.can_write

    @staticmethod
    def digest_of(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @staticmethod
    def generate() -> str:
        return "wdn_" + secrets.token_urlsafe(32)


class LoginFailure(models.Model):
    """Failed logins, counted per username and client address for throttling."""

    username = models.CharField(max_length=150, db_index=True)
    ip = models.GenericIPAddressField(null=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)


class ResetLinkSent(models.Model):
    """A password reset link mailed to `user`, counted so that nobody can flood a mailbox through the public
    reset page (warden.accounts.passwords.MAX_LINKS_PER_HOUR)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(auto_now_add=True, db_index=True)


class InterestDeclaration(models.Model):
    """An officer's declared interest in an exporter (a shareholding, a relative employed there, a former
    employer...). While it holds, Warden refuses to let the officer act on that exporter's cases
    (warden.accounts.interests, asked by cases.policy.refusal). Rows are never deleted: ending an interest sets
    `ends_on`, so the declaration history stays readable next to its audit entries."""

    officer = models.ForeignKey(User, on_delete=models.PROTECT, related_name="interests")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="declared_interests"
    )
    starts_on = models.DateField()
    ends_on = models.DateField(
        null=True, blank=True
    )  # last day the interest holds (inclusive); None: ongoing
    reason = models.TextField()
    declared_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-starts_on", "-pk"]
        indexes = [models.Index(fields=["officer", "organisation"], name="interest_officer_org")]

    def __str__(self) -> str:
        return f"{self.officer.username} in {self.organisation.name}"


class LoginCounter(models.Model):
    """Recent failed sign-ins for one account (any address) or one address (any account): the lock-out's
    gate (warden.accounts.throttle). One row per key, so reserving an attempt is a single conditional UPDATE
    that the database serialises: concurrent guesses cannot all read "below the limit" and all proceed."""

    class Kind(models.TextChoices):
        ACCOUNT = "account", "Account"
        ADDRESS = "address", "Network address"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    key = models.CharField(max_length=150)
    count = models.PositiveIntegerField(default=0)
    last_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="login_counter_unique_key")]
