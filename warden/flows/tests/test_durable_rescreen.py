"""A list import that is killed right after it commits leaves its re-screen recorded: the cases show
"screened against an older list" and `warden lists rescreen` (or the next start) finishes the work.

The crash is real: a separate process imports the list with the inline re-screen and dies (os._exit) the
moment the import has committed, before any case is re-screened."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

SETUP = textwrap.dedent(
    """
    import django, os, sys
    django.setup()
    from django.core.management import call_command
    call_command("migrate", interactive=False, verbosity=0)
    from pathlib import Path
    from warden.flows import submission
    from warden.flows.tests.support import KOMID, TANGUN, import_un
    from warden.legislation import services as legislation
    from warden.testing import make_personas, sample_application
    legislation.load_bundled()
    p = make_personas()
    tmp = Path(sys.argv[1])
    import_un(tmp, {"komid": "Pyongyang"}, name="v1", rescreen="inline")
    clean = sample_application()["parties"][0]
    for parties in ([KOMID], [clean, TANGUN], [clean]):
        submission.submit_application(actor=p.exporter, document=sample_application(parties=parties))
    """
)

CRASH = textwrap.dedent(
    """
    import django, os, sys
    django.setup()
    from pathlib import Path
    from warden.flows import rescreening
    from warden.flows.tests.support import import_un
    # Killed the moment the import has committed: the inline re-screen never starts.
    rescreening.run_pending = lambda **kw: os._exit(137)
    import_un(Path(sys.argv[1]), {"komid": "Pyongyang", "tangun": "Pyongyang"}, name="v2", rescreen="inline")
    print("not reached")
    """
)

STATE = textwrap.dedent(
    """
    import django, json
    django.setup()
    from warden.cases.models import Case
    from warden.flows.rescreening import stale_lists
    from warden.legislation.services import latest_assessment
    from warden.screening.models import ListVersion, RescreenJob
    out = {
        "current": [str(v) for v in ListVersion.objects.filter(is_current=True)],
        "jobs": list(RescreenJob.objects.order_by("pk").values_list("state", flat=True)),
        "cases": {},
    }
    for c in Case.objects.order_by("pk"):
        ca = latest_assessment(c)
        out["cases"][c.reference] = {
            "stale": [str(s) for s in stale_lists(c)],
            "version": ca.version, "cause": ca.cause, "caused_by": ca.caused_by,
            "recommendation": ca.recommendation,
        }
    print(json.dumps(out))
    """
)


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=300, check=False
    )


def test_a_crash_after_the_import_commits_is_finished_by_warden_lists_rescreen(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "WARDEN_DATABASE_URL"}  # its own SQLite file
    env.update(
        WARDEN_DATA_DIR=str(tmp_path / "data"),
        DJANGO_SETTINGS_MODULE="warden.config.settings",
        PYTHONPATH=str(ROOT),
        WARDEN_TASKS_IMMEDIATE="0",
    )
    (tmp_path / "data").mkdir()
    done = _run(env, "-c", SETUP, str(tmp_path))
    assert done.returncode == 0, done.stderr
    crashed = _run(env, "-c", CRASH, str(tmp_path))
    assert crashed.returncode == 137 and "not reached" not in crashed.stdout, crashed.stderr

    state = json.loads(_run(env, "-c", STATE).stdout)
    assert state["current"] == ["un-sc v2"] and state["jobs"] == ["done", "pending"]
    for ref, c in state["cases"].items():  # every open case is visibly behind until the job has run
        assert c["stale"] == ["un-sc: screened against version 1, current is version 2"], ref
        assert c["version"] == 1 and c["cause"] == "submit"

    # `warden serve` starts `warden resume`, which queues the pending job for the task worker.
    resume = _run(env, "-m", "warden.cli", "resume")
    assert resume.returncode == 0 and "1 pending re-screen job(s) queued" in resume.stdout, resume.stderr

    rescreen = _run(env, "-m", "warden.cli", "lists", "rescreen")
    assert rescreen.returncode == 0, rescreen.stderr
    assert "3 open case(s) re-screened and re-assessed, 1 new match(es) raised" in rescreen.stdout
    assert "1 pending re-screen job(s) finished" in rescreen.stdout

    state = json.loads(_run(env, "-c", STATE).stdout)
    assert state["jobs"] == ["done", "done"]
    komid, tangun, clean = state["cases"].values()
    assert all(c["stale"] == [] for c in state["cases"].values())
    # Each case was re-assessed against v2; only Tangun's findings changed (a new listing).
    for c in (komid, tangun, clean):
        assert (c["version"], c["cause"], c["caused_by"]) == (2, "list_import", "list import un-sc v2")
    assert tangun["recommendation"] == "refuse" and clean["recommendation"] != "refuse"

    again = _run(env, "-m", "warden.cli", "lists", "rescreen")  # nothing left to do
    assert "0 open case(s) re-screened" in again.stdout
