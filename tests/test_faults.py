"""kill -9 mid-write, then restart as an operator would (`warden resume`, the worker drains its queue): nothing
half-written stays behind, interrupted work finishes, the audit log verifies.

The smoke version of bench/faults.py (which kills at random moments, repeatedly): here each process kills
itself with SIGKILL at a chosen point inside the real code path (after a list's entries are written but before
the import commits, after the first case of a re-screen, at the first progress step of a law-change run), so
the kill always lands mid-work and the test needs no timing. One SQLite data directory from `warden demo`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from _faultprobe import CHECK  # noqa: E402
from faults import Law, Warden, check  # noqa: E402

UN_LIST = ROOT / "tests" / "data" / "lists" / "un-consolidated-2020-03-20-excerpt.xml"
EU_LIST = ROOT / "tests" / "data" / "lists" / "eu-fsf-2018-12-21-excerpt.xml"
NO_ACKS: dict[str, Any] = {"submitted": [], "decided": {}}

# Run in a child with the data directory's environment; KILL_AT names where it SIGKILLs itself.
KILLED = r"""
import os, signal, sys
import django
django.setup()
def die(*a, **k):
    os.kill(os.getpid(), signal.SIGKILL)
where = sys.argv[1]
if where == "import":  # the entries are written, the transaction not committed yet
    from pathlib import Path
    from warden.flows import rescreening
    from warden.lib.actors import system
    from warden.screening.models import ListEntry
    write = ListEntry.objects.bulk_create
    ListEntry.objects.bulk_create = lambda *a, **k: (write(*a, **k), die())
    rescreening.import_list(actor=system("fault test"), list_name="eu-fsf", fmt="eu-fsf-xml",
                            path=Path(sys.argv[2]), rescreen="inline")
elif where == "rescreen":  # the first case re-screened and committed, the others not
    from warden.flows import rescreening
    from warden.lib.actors import system
    once = rescreening.rescreen_case
    rescreening.rescreen_case = lambda **k: (once(**k), die())
    rescreening.run_pending(actor=system("fault test"))
elif where == "law":  # the revision and its run committed; the run claimed, then its executor dies
    from pathlib import Path
    from warden.flows import law_change
    from warden.legislation import impact
    from warden.legislation.loader import read_bundle
    from warden.legislation.models import RevisionSource
    from warden.lib.actors import system
    rev, _ = law_change.load_reference(actor=system("fault test"), bundle=read_bundle(Path(sys.argv[2])),
                                       source=RevisionSource.UPLOAD, note="fault test", impact="none")
    law_change.execute(impact.change_run_for(rev), on_progress=die)
elif where == "worker":  # the worker claimed the queued re-screen; it dies after the first case
    from warden.flows import rescreening
    from warden.ops.worker import run_worker
    once = rescreening.rescreen_case
    rescreening.rescreen_case = lambda **k: (once(**k), die())
    run_worker(["--batch", "--no-startup-delay", "--interval", "0.1"])
elif where == "whatif":  # a what-if recorded and claimed, then its executor dies at its first progress step
    from pathlib import Path
    from warden.flows import law_change
    from warden.legislation import impact
    from warden.legislation.loader import read_bundle
    from warden.lib.actors import system
    run = impact.create_what_if(actor=system("fault test"), bundle=read_bundle(Path(sys.argv[2])), years=3)
    law_change.execute(run, on_progress=die)
"""

PROBE = r"""
import json
import django
django.setup()
from django_tasks_db.models import DBTaskResult
from warden.legislation.models import ImpactRun
from warden.screening.models import ListVersion, RescreenJob
print(json.dumps({"versions": ListVersion.objects.count(),
                  "tasks": {str(t.pk): t.status for t in DBTaskResult.objects.all()},
                  "pending_jobs": RescreenJob.objects.filter(state="pending").count(),
                  "runs": {r.pk: r.status for r in ImpactRun.objects.filter(kind="change")},
                  "what_ifs": {r.pk: r.status for r in ImpactRun.objects.filter(kind="what_if")}}))
"""


@pytest.fixture(scope="module")
def warden(tmp_path_factory: pytest.TempPathFactory) -> Warden:
    w = Warden(tmp_path_factory.mktemp("faults"), "", 0)
    w.run("demo", "--no-serve", "--cases", "3")
    return w


def killed(w: Warden, *args: str) -> int:
    return subprocess.run([sys.executable, "-c", KILLED, *args], env=w.env, capture_output=True).returncode


def after_restart(w: Warden) -> tuple[str, list[str]]:
    """`warden resume` and a worker draining the queue; what resume said and any broken invariant."""
    said = w.run("resume").stdout
    w.drain()
    return said, check(w, NO_ACKS)


def test_a_list_import_killed_before_commit_leaves_no_version_and_nothing_owed(warden: Warden) -> None:
    before = warden.python(PROBE)
    assert killed(warden, "import", str(EU_LIST)) == -9
    said, problems = after_restart(warden)
    assert problems == []
    after = warden.python(PROBE)
    assert after["versions"] == before["versions"]  # absent, not half there
    assert after["pending_jobs"] == 0


def test_a_rescreen_killed_after_its_first_case_is_finished_by_resume(warden: Warden) -> None:
    warden.run("lists", "import", "--no-rescreen", "--format", "un-xml", str(UN_LIST))
    assert warden.python(PROBE)["pending_jobs"] == 1
    assert killed(warden, "rescreen") == -9
    said, problems = after_restart(warden)
    assert "pending re-screen job(s) queued" in said
    assert problems == []  # includes: no open case screened against an older list
    assert warden.python(PROBE)["pending_jobs"] == 0


def test_a_task_row_left_running_by_a_killed_worker_is_failed_by_resume_and_its_job_done(
    warden: Warden,
) -> None:
    warden.run("lists", "import", "--no-rescreen", "--format", "un-xml", str(UN_LIST))
    warden.run("resume")  # queues the re-screen the import owes: a task row for the worker
    assert killed(warden, "worker") == -9
    running = [t for t, status in warden.python(PROBE)["tasks"].items() if status == "RUNNING"]
    assert len(running) == 1  # what the kill leaves: nothing in django-tasks ever changes it
    said, problems = after_restart(warden)
    assert f"({running[0]}) was abandoned by dead worker" in said
    assert "pending re-screen job(s) queued" in said  # the durable job behind it, queued again
    assert problems == []  # includes: no task row RUNNING, no open case screened against an older list
    after = warden.python(PROBE)
    assert after["tasks"][running[0]] == "FAILED" and after["pending_jobs"] == 0


def test_a_task_row_of_a_live_worker_is_left_alone_by_resume(warden: Warden) -> None:
    """The lock is what tells them apart: a worker that holds it is running its task."""
    code = (
        "import django, json\ndjango.setup()\n"
        "from django_tasks_db.models import DBTaskResult\n"
        "from warden.flows.rescreening import rescreen_open_cases_task\n"
        "from warden.lib import runlock\nfrom warden.lib.actors import system\nfrom warden.ops import worker\n"
        "wid = worker.new_worker_id()\nres = rescreen_open_cases_task.enqueue()\n"
        "DBTaskResult.objects.filter(pk=res.id).update(status='RUNNING', worker_ids=[wid])\n"
        "with runlock.held(worker.lock_name(wid)):\n"
        "    done, _ = worker.reclaim_stale_tasks(actor=system('test'))\n"
        "status = DBTaskResult.objects.get(pk=res.id).status\n"
        "DBTaskResult.objects.filter(pk=res.id).delete()\n"
        "print(json.dumps({'reclaimed': len(done), 'status': status}))"
    )
    assert warden.python(code) == {"reclaimed": 0, "status": "RUNNING"}


def test_a_law_change_run_killed_mid_run_is_restarted_by_resume_and_finishes(warden: Warden) -> None:
    law = Law(warden.data_dir)
    directory = law.next()[-1]
    assert killed(warden, "law", directory) == -9
    runs = warden.python(PROBE)["runs"]
    abandoned = max(runs, key=int)
    assert runs[abandoned] == "running"  # what the kill leaves: nobody will ever finish it by itself
    said, problems = after_restart(warden)
    assert f"impact run #{abandoned} was abandoned mid-run" in said
    assert problems == []  # includes: every law-change run done, `warden audit verify` exits 0
    assert warden.python(PROBE)["runs"][abandoned] == "done"


def test_a_what_if_run_killed_mid_run_is_restarted_by_resume_and_finishes(warden: Warden) -> None:
    directory = Law(warden.data_dir).next()[-1]
    assert killed(warden, "whatif", directory) == -9
    runs = warden.python(PROBE)["what_ifs"]
    abandoned = max(runs, key=int)
    assert runs[abandoned] == "running"
    said, problems = after_restart(warden)
    assert f"what-if impact run #{abandoned} was abandoned mid-run" in said
    assert problems == []
    assert warden.python(PROBE)["what_ifs"][abandoned] == "done"


def test_the_checks_notice_a_half_written_list_version(warden: Warden) -> None:
    """The probe is not vacuous: a version with fewer entries than it records is reported."""
    warden.python(
        "import django, json\ndjango.setup()\nfrom warden.screening.models import ListEntry\n"
        "e = ListEntry.objects.order_by('pk').last()\nListEntry.objects.filter(pk=e.pk).delete()\n"
        "print(json.dumps({}))"
    )
    problems = warden.python(CHECK.replace("ACKED", repr(str(_acks(warden)))))["problems"]
    assert any("entries stored" in p for p in problems)


def _acks(w: Warden) -> Path:
    path = w.data_dir / "no-acks.json"
    path.write_text('{"submitted": [], "decided": {}}')
    return path
