"""Instruction counts for bench/web_pages.py --instructions: a figure that does not move with the machine's load.

Wall and CPU time on a shared two-core machine drift by 2x with the other jobs on it; the number of instructions
a request executes does not. The script re-runs itself under `valgrind --tool=callgrind --instr-atstart=no`
(so Django's start-up runs uninstrumented), and brackets each page's requests with Callgrind's client requests
(start instrumentation, zero, dump with a label), through a tiny C shim compiled here, since the client
requests are inline-assembly macros in <valgrind/callgrind.h> that Python cannot issue itself. Needs valgrind,
its headers and a C compiler (`apt-get install valgrind gcc`).
"""

from __future__ import annotations

import ctypes
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

_SHIM = r"""
#include <valgrind/callgrind.h>
void cg_start(void) { CALLGRIND_START_INSTRUMENTATION; }
void cg_stop(void) { CALLGRIND_STOP_INSTRUMENTATION; }
void cg_zero(void) { CALLGRIND_ZERO_STATS; }
void cg_dump(const char *label) { CALLGRIND_DUMP_STATS_AT(label); }
"""


def missing() -> str:
    """What is missing to count instructions here, or "" when everything is."""
    if shutil.which("valgrind") is None:
        return "valgrind is not installed (apt-get install valgrind)"
    if not Path("/usr/include/valgrind/callgrind.h").exists():
        return "<valgrind/callgrind.h> is missing (the valgrind package ships it)"
    if shutil.which("cc") is None:
        return "no C compiler (cc) to build the client-request shim"
    return ""


class Shim:
    """The client requests, callable from Python inside the process valgrind runs."""

    def __init__(self, workdir: Path) -> None:
        source, library = workdir / "cgshim.c", workdir / "cgshim.so"
        source.write_text(_SHIM)
        subprocess.run(["cc", "-shared", "-fPIC", "-O1", "-o", str(library), str(source)], check=True)
        self._lib = ctypes.CDLL(str(library))

    def start(self) -> None:
        self._lib.cg_start()
        self._lib.cg_zero()

    def dump(self, label: str) -> None:
        """Write the instructions since start() (or the last dump) under `label`, and zero the counter."""
        self._lib.cg_dump(label.encode())

    def stop(self) -> None:
        self._lib.cg_stop()


def run_under_callgrind(argv: list[str]) -> dict[str, int]:
    """Run `python argv...` under callgrind and return {label: instructions} from its labelled dumps."""
    out = Path(tempfile.mkdtemp(prefix="warden-callgrind-"))
    cmd = [
        "valgrind",
        "--tool=callgrind",
        "--instr-atstart=no",
        f"--callgrind-out-file={out}/callgrind.out.%p",
        sys.executable,
        *argv,
    ]
    subprocess.run(cmd, check=True, stderr=subprocess.DEVNULL)
    counts: dict[str, int] = {}
    for dump in sorted(out.glob("callgrind.out.*.*"), key=lambda p: int(p.suffix[1:])):
        text = dump.read_text(errors="replace")
        label = re.search(r"^desc: Trigger: Client Request: (.*)$", text, re.M)
        total = re.search(r"^totals: (\d+)", text, re.M)
        if label and total:
            counts[label.group(1)] = int(total.group(1))
    shutil.rmtree(out, ignore_errors=True)
    return counts
