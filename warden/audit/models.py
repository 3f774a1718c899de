"""The append-only audit log. Rows are only ever inserted (see services.record); the Merkle tree,
checkpoints and verifier in this app make any later edit, deletion, insertion or reordering detectable."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper


class LeafIndexField(models.BigIntegerField[int, int]):
    """A 64-bit integer that is SQLite's rowid: the type must be spelled exactly "integer" there, which makes
    the primary key the table's own b-tree key (no separate unique index to maintain on every append)."""

    def db_type(self, connection: BaseDatabaseWrapper) -> str | None:
        return "integer" if connection.vendor == "sqlite" else super().db_type(connection)


class AuditEntry(models.Model):
    # seq is the leaf index in the Merkle tree and the primary key: dense, 0-based, assigned from LogHead under
    # its row lock (never a DB sequence, whose rolled-back values would leave gaps); on PostgreSQL at COMMIT or
    # by the background sequencer (pg_sequencer.py).
    # Indexes are few on purpose: each one is written on every append. The case page needs case_id and the
    # object filter needs (object_type, object_id); date, action and actor filters scan backwards from the
    # newest entry, which is fine for an oversight tool. (`at` grows with seq, except that with the background
    # sequencer it is the recording time and may step back by up to one transaction's duration.)
    seq = LeafIndexField(primary_key=True)
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    actor_label = models.CharField(max_length=200)
    action = models.CharField(max_length=80)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    case_id = models.BigIntegerField(null=True, db_index=True)  # lets a case page show its history cheaply
    entry = models.TextField()  # the canonical JSON bytes (UTF-8) that are hashed into the leaf
    leaf_hash = models.CharField(max_length=64)
    # Hashes (32 bytes each, level 1 first) of the complete subtrees that end at this leaf. Written once with
    # the row, they let proofs be answered with O(log n) row look-ups; the verifier recomputes and checks them.
    nodes = models.BinaryField(default=b"")

    class Meta:
        ordering = ["seq"]
        indexes = [models.Index(fields=["object_type", "object_id"])]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"


class LogHead(models.Model):
    """One row (id=1): the log's size and the right edge of its Merkle tree (the compact range).

    Appenders lock this row, so seq stays dense under concurrent writers without an ORDER BY per append, and
    the current root is known without reading the log. It is the writer's working state, not evidence: the
    verifier recomputes it from the entries."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    size = models.BigIntegerField(default=0)
    frontier = models.BinaryField(default=b"")

    def __str__(self) -> str:
        return f"audit log head: {self.size} entries"


class PendingEntry(models.Model):
    """PostgreSQL only: an entry recorded by a transaction that has not committed yet. A trigger at COMMIT gives
    it its seq and moves it into AuditEntry (see pg_sequencer.py), so a row here never outlives its transaction.
    `head` and `tail` are the canonical JSON of the entry before and after the "at" key (without "seq")."""

    actor_id = models.BigIntegerField(null=True)
    actor_label = models.CharField(max_length=200)
    action = models.CharField(max_length=80)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    case_id = models.BigIntegerField(null=True)
    head = models.TextField()
    tail = models.TextField()
    # Left to the background sequencer (settings.AUDIT_SEQUENCER = "background"), with the time it was recorded.
    background = models.BooleanField(default=False, db_default=False)
    at = models.DateTimeField(null=True)

    def __str__(self) -> str:
        return f"pending {self.action}"


class Checkpoint(models.Model):
    """A signed statement "the log of `origin` had `size` entries with this root" (a transparency-dev
    checkpoint in C2SP signed-note form, stored verbatim in `note`)."""

    size = models.BigIntegerField(unique=True)
    root = models.CharField(max_length=64)  # hex; the note carries it base64-encoded
    origin = models.CharField(max_length=200)
    key_id = models.CharField(max_length=8)  # hex of the 4-byte note key hash
    note = models.TextField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["size"]

    def __str__(self) -> str:
        return f"checkpoint {self.size} {self.root[:12]}"
