"""The append-only audit log. Rows are only ever inserted (see services.record); the Merkle tree,
checkpoints and verifier in this app make any later edit, deletion, insertion or reordering detectable."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AuditEntry(models.Model):
    # seq is the leaf index in the Merkle tree: dense, 0-based, assigned under a lock (never a DB sequence,
    # whose rolled-back values would leave gaps).
    seq = models.BigIntegerField(unique=True)
    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    actor_label = models.CharField(max_length=200)
    action = models.CharField(max_length=80, db_index=True)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    case_id = models.BigIntegerField(null=True, db_index=True)  # lets a case page show its history cheaply
    entry = models.TextField()  # the canonical JSON bytes (UTF-8) that are hashed into the leaf
    leaf_hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["seq"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"
