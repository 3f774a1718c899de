"""Core subcommands: init, serve, demo (demo data itself lives in the warden.demo package)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from rich.console import Console


def init(out: Console | None = None) -> None:
    """Create or migrate the database and load bundled reference data. Idempotent."""
    from django.conf import settings
    from django.core.management import call_command

    from warden.cli import _cli_modules

    out = out or Console(stderr=True)
    Path(settings.DATA_DIR).mkdir(parents=True, exist_ok=True)
    Path(settings.UPLOAD_DIR).mkdir(parents=True, exist_ok=True)
    out.print(
        f"[bold]Database[/]: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]} "
        f"{settings.DATABASES['default']['NAME']}"
    )
    call_command("migrate", interactive=False, verbosity=0)
    out.print("Migrations applied.")
    # The audit log's signing key and witness come first: every later step writes audit entries, and each
    # commit that does signs a checkpoint, which needs the key to exist already.
    for mod in sorted(_cli_modules(), key=lambda m: m.__name__ != "warden.audit.cli"):
        hook = getattr(mod, "on_init", None)
        if hook is not None:
            hook(out)


def _cmd_init(args: argparse.Namespace) -> int:
    init()
    return 0


def _static_fingerprint() -> str:
    """Names, sizes and modification times of every static source file (app static folders and
    STATICFILES_DIRS): a change in any of them changes this."""
    import hashlib

    from django.contrib.staticfiles.finders import get_finders

    seen: list[str] = []
    for finder in get_finders():
        for path, storage in finder.list([]):
            st = os.stat(storage.path(path))
            seen.append(f"{path}\0{st.st_size}\0{st.st_mtime_ns}")
    return hashlib.sha256("\n".join(sorted(seen)).encode()).hexdigest()


def _collect_static_if_changed(env: dict[str, str]) -> None:
    """collectstatic (hashing and compressing every file takes ~15 s) only when the sources changed since the
    last collection, recorded in a stamp file in STATIC_ROOT."""
    import subprocess
    from pathlib import Path

    from django.conf import settings

    stamp = Path(settings.STATIC_ROOT) / ".warden-collected"
    fingerprint = _static_fingerprint()
    if stamp.exists() and stamp.read_text() == fingerprint and (stamp.parent / "staticfiles.json").exists():
        return
    subprocess.run([sys.executable, "-m", "django", "collectstatic", "--noinput", "-v0"], env=env, check=True)
    stamp.write_text(fingerprint)


def serve(*, host: str, port: int, workers: int, task_worker: bool = True) -> int:
    """Production server: gunicorn sync workers (measured faster than ASGI for sync Django views), persistent
    DB connections (CONN_MAX_AGE in settings) and static files collected once and served by WhiteNoise
    (compressed, content-hashed names, far-future cache headers). Beside it runs one django-tasks database
    worker, so background work (law-change impact runs, what-if, re-screening after a list import, periodic
    audit checkpoints) makes progress, and on PostgreSQL with WARDEN_AUDIT_SEQUENCER=background the audit
    sequencer; they all stop together."""
    import signal
    import subprocess

    from django.conf import settings

    env = dict(os.environ, WARDEN_SERVE_STATIC="1")  # hashed, compressed static files served by WhiteNoise
    _collect_static_if_changed(env)
    gunicorn = [
        sys.executable, "-m", "gunicorn", "warden.config.wsgi:application",
        "--bind", f"{host}:{port}",
        "--workers", str(workers),
        "--worker-class", "sync",
        "--timeout", "60",
    ]  # fmt: skip
    if settings.DEBUG:
        # Without the flag gunicorn formats no access-log line at all (/dev/null still formats each one).
        gunicorn += ["--access-logfile", "-"]
    children = [subprocess.Popen(gunicorn, env=env)]
    if task_worker:
        # `warden worker`: db_worker under a lock per worker, so a task of one killed is taken over.
        children.append(subprocess.Popen([sys.executable, "-m", "warden.cli", "worker"], env=env))
        # Work recorded durably but perhaps never queued (a crash right after a list import or a law change
        # committed): queue it for the worker. A short-lived child, so the server starts without waiting.
        children.append(subprocess.Popen([sys.executable, "-m", "warden.cli", "resume"], env=env))
    from django.db import connection

    if connection.vendor == "postgresql" and settings.AUDIT_SEQUENCER == "background":
        # Writers leave their audit entries for this process to number (warden/audit/sequencer.py).
        children.append(subprocess.Popen([sys.executable, "-m", "warden.cli", "audit", "sequencer"], env=env))

    def stop(signum: int, frame: object) -> None:
        for child in children:
            if child.poll() is None:
                child.terminate()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    # The server's life is gunicorn's: when it exits (or we are told to stop) the task worker goes too.
    status = children[0].wait()
    stop(signal.SIGTERM, None)
    for child in children[1:]:
        child.wait(timeout=30)
    return status


def _cmd_serve(args: argparse.Namespace) -> int:
    return serve(host=args.host, port=args.port, workers=args.workers, task_worker=not args.no_worker)


def _cmd_resume(args: argparse.Namespace) -> int:
    from warden.ops.worker import resume  # dead workers' task rows, then the durable work

    lines = resume()
    for line in lines:
        print(line)
    if not lines:
        print("Nothing pending.")
    return 0


def _cmd_demo(args: argparse.Namespace) -> int:
    out = Console(stderr=True)
    init(out)
    from warden import demo  # after init(): the demo package imports the models

    logins = demo.load_demo(out=out, cases=args.cases)
    url = f"http://{args.host}:{args.port}/"
    out.print(f"\n[bold green]Warden demo is ready[/] at [link={url}]{url}[/link]")
    out.print("Log in as any of these (password for all: [bold]" + demo.DEMO_PASSWORD + "[/]):")
    for username, role in logins:
        out.print(f"  {username:<22} {role}")
    if args.no_serve:
        return 0
    return serve(host=args.host, port=args.port, workers=args.workers, task_worker=not args.no_worker)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("init", help="create or migrate the database and load reference data (idempotent)")
    p.set_defaults(func=_cmd_init)
    p = sub.add_parser(
        "resume",
        help="queue background work left pending by a crash (re-screens, impact runs, dead workers' tasks)",
    )
    p.set_defaults(func=_cmd_resume)

    cpus = os.cpu_count() or 2
    for name, helptext, func in (
        ("serve", "run the production web server (gunicorn)", _cmd_serve),
        ("demo", "init, load a demo caseload and users for every role, then serve", _cmd_demo),
    ):
        p = sub.add_parser(name, help=helptext)
        p.add_argument("--host", default=os.environ.get("WARDEN_HOST", "127.0.0.1"))
        p.add_argument("--port", type=int, default=int(os.environ.get("WARDEN_PORT", "8000")))
        p.add_argument(
            "--workers", type=int, default=int(os.environ.get("WARDEN_WORKERS", str(2 * cpus + 1)))
        )
        p.add_argument("--no-worker", action="store_true", help="do not start the background task worker")
        if name == "demo":
            p.add_argument("--cases", type=int, default=300, help="number of demo cases (default 300)")
            p.add_argument("--no-serve", action="store_true", help="load the demo and exit")
        p.set_defaults(func=func)
