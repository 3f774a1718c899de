"""PostgreSQL: entries get their place in the log when their transaction commits, not when they are recorded.

Why: a dense, commit-ordered seq needs one lock on the log head. Taken at record() time (as on SQLite, where the
database lock serialises writers anyway), it is held through the rest of the business transaction, the client's
own work and the COMMIT round trip, so every state-changing transaction in Warden queues behind the slowest one
that has written an entry: 1,000-1,600 appends/s however many workers there are.

Here record() only INSERTs the entry's fields into audit_pendingentry (an unlogged table: its rows never outlive
their transaction). A DEFERRABLE INITIALLY DEFERRED constraint trigger fires at COMMIT, inside the server: it
locks the head row, numbers the entry, builds its canonical text with the commit timestamp and the seq, hashes
it (RFC 6962 leaf), updates the compact range, inserts the audit_auditentry row and deletes the pending row. The
head lock is then held only from that point to the end of the commit, with no client round trip inside it.

Guarantees are unchanged: the entry commits if and only if the change does (a failed trigger fails the COMMIT);
seq is dense and in commit order (the next committer waits for the head lock); a rolled-back transaction never
fires the trigger. The verifier recomputes everything from audit_auditentry as before.

The client sends the canonical JSON of the entry without "at" and "seq", split in two where "at" belongs (keys
sort as action, actor, actor_id, at, case, data, object, seq), so the text built here is byte-for-byte what
warden.lib.canonical would produce for the whole entry.
"""

from __future__ import annotations

# The trigger's name, for SET CONSTRAINTS (tests sequence immediately, see services.record).
TRIGGER = "audit_pendingentry_sequence"

# Compact-range append: pop one 32-byte hash per trailing 1 bit of the size, hashing node = H(0x01||left||node),
# and keep the nodes completed on the way (stored with the leaf, as merkle.CompactRange.append returns them).
_APPEND_BODY = """
        node := leaf; s := n;
        WHILE s & 1 = 1 LOOP
            flen := length(f);
            node := sha256('\\x01'::bytea || substring(f FROM flen - 31 FOR 32) || node);
            f := substring(f FROM 1 FOR flen - 32);
            nodes := nodes || node;
            s := s >> 1;
        END LOOP;
        f := f || node;
"""

# Lock the head row (to the end of the transaction) and read the log's size and compact range into n and f.
_LOCK_HEAD = """SELECT size, frontier INTO n, f FROM audit_loghead WHERE id = 1 FOR UPDATE;
    IF NOT FOUND THEN
        PERFORM audit_create_head();
        SELECT size, frontier INTO n, f FROM audit_loghead WHERE id = 1 FOR UPDATE;
    END IF;"""


def _number_row(row: str, at: str) -> str:
    """plpgsql giving the pending row `row` the seq n: its canonical text (with `at` and n), its leaf hash, the
    subtree hashes it completes (moving the compact range f on), and its audit_auditentry row. The commit
    trigger and the background sequencer both use it, so both write byte-identical entries."""
    return f"""
    txt := {row}.head || '"at":"' || to_char({at} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"')
        || '",' || {row}.tail || '"seq":' || n || '}}';
    leaf := sha256('\\x00'::bytea || convert_to(txt, 'UTF8'));
    nodes := ''::bytea;
    {_APPEND_BODY}
    INSERT INTO audit_auditentry
        (seq, at, actor_id, actor_label, action, object_type, object_id, case_id, entry, leaf_hash, nodes)
        VALUES (n, {at}, {row}.actor_id, {row}.actor_label, {row}.action, {row}.object_type, {row}.object_id,
                {row}.case_id, txt, encode(leaf, 'hex'), nodes);"""


INSTALL = [
    "ALTER TABLE audit_pendingentry SET UNLOGGED",
    f"""
CREATE OR REPLACE FUNCTION audit_create_head() RETURNS void LANGUAGE plpgsql AS $$
-- The head row from the entries already stored (a new database, or one emptied by `flush`).
DECLARE
    f bytea := ''::bytea; n bigint := 0; leaf bytea; node bytea; nodes bytea; s bigint; flen int; r record;
BEGIN
    PERFORM pg_advisory_xact_lock(7264001);
    PERFORM 1 FROM audit_loghead WHERE id = 1;
    IF FOUND THEN RETURN; END IF;  -- another writer created it while we waited
    FOR r IN SELECT leaf_hash FROM audit_auditentry ORDER BY seq LOOP
        leaf := decode(r.leaf_hash, 'hex'); nodes := ''::bytea;
        {_APPEND_BODY}
        n := n + 1;
    END LOOP;
    INSERT INTO audit_loghead (id, size, frontier) VALUES (1, n, f);
END
$$;
""",
    f"""
CREATE OR REPLACE FUNCTION audit_sequence() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    n bigint; f bytea; at timestamptz; txt text; leaf bytea; node bytea; nodes bytea := ''::bytea;
    s bigint; flen int;
BEGIN
    {_LOCK_HEAD}
    at := clock_timestamp();  -- after the lock, so "at" never decreases along seq
    {_number_row("NEW", "at")}
    UPDATE audit_loghead SET size = n + 1, frontier = f WHERE id = 1;
    DELETE FROM audit_pendingentry WHERE id = NEW.id;
    RETURN NULL;
END
$$;
""",
    f"""
CREATE CONSTRAINT TRIGGER {TRIGGER} AFTER INSERT ON audit_pendingentry
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION audit_sequence();
""",
]

# --- background sequencing (migration 0007) -----------------------------------------------------------------
# A deployment with many concurrent writers can leave the numbering to a sequencer process instead
# (settings.AUDIT_SEQUENCER = "background"): record() inserts its pending row with background = true and the
# recording time, the trigger's WHEN clause skips such rows, and `warden audit sequencer` (started by
# `warden serve`) calls audit_sequence_pending() every few milliseconds, which numbers up to max_rows committed
# pending rows in id order under one head lock, as Trillian's sequencer integrates its queue in batches. A
# writer's transaction then takes no lock at all; the price is that an entry reaches the log a few
# milliseconds after its commit, and that its "at" is when it was recorded, so "at" may step back by up to one
# transaction's duration along seq.
BACKGROUND_INSTALL = [
    f"DROP TRIGGER IF EXISTS {TRIGGER} ON audit_pendingentry",
    f"""
CREATE CONSTRAINT TRIGGER {TRIGGER} AFTER INSERT ON audit_pendingentry
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NOT NEW.background) EXECUTE FUNCTION audit_sequence();
""",
    f"""
CREATE OR REPLACE FUNCTION audit_sequence_pending(max_rows int) RETURNS int LANGUAGE plpgsql AS $$
DECLARE
    n bigint; f bytea; p record; txt text; leaf bytea; node bytea; nodes bytea; s bigint; flen int;
    ids bigint[] := '{{}}';
BEGIN
    {_LOCK_HEAD}
    -- Only committed rows are visible; one that commits meanwhile waits for the next call.
    FOR p IN SELECT * FROM audit_pendingentry WHERE background ORDER BY id LIMIT max_rows LOOP
        {_number_row("p", "p.at")}
        n := n + 1;
        ids := ids || p.id;
    END LOOP;
    IF cardinality(ids) > 0 THEN
        UPDATE audit_loghead SET size = n, frontier = f WHERE id = 1;
        DELETE FROM audit_pendingentry WHERE id = ANY(ids);  -- exactly these: others may have committed since
    END IF;
    RETURN cardinality(ids);
END
$$;
""",
]

BACKGROUND_UNINSTALL = [
    "DROP FUNCTION IF EXISTS audit_sequence_pending(int)",
    f"DROP TRIGGER IF EXISTS {TRIGGER} ON audit_pendingentry",
    INSTALL[-1],
]

UNINSTALL = [
    f"DROP TRIGGER IF EXISTS {TRIGGER} ON audit_pendingentry",
    "DROP FUNCTION IF EXISTS audit_sequence()",
    "DROP FUNCTION IF EXISTS audit_create_head()",
]
