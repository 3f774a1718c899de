"""The pure name matcher (no Django), and where its compiled build is used.

The hot modules (COMPILED) can be compiled by mypyc into C extensions (`make matcher`, run by the venv
step; scripts/build_matcher.py), which score the same as the Python source, several times faster. The
extensions are kept in _build/, not beside the sources, and that folder is put in front of this package's
__path__ only when the digest of the sources it was built from matches the sources now: an edited module
then runs as Python instead of as the stale build. WARDEN_PURE_MATCHER=1 forces the Python modules.
"""

from __future__ import annotations

import hashlib
import os
import sysconfig
from pathlib import Path

# The modules mypyc compiles: normalising and scoring a pair, the score bound, the index's query path
# and its evidence. Not the records (a str subclass, which mypyc cannot compile) nor the batch (processes).
COMPILED = (
    "variants",
    "normalise",
    "score",
    "bound",
    "index",
    "evidence",
    # Word lists and tables: compiled so that the modules above read their Final constants natively.
    "vocab",
    "legalforms",
    "generic",
    "countries",
)
BUILD_DIR = Path(__file__).with_name("_build")
STAMP = BUILD_DIR / "SOURCES"


def source_digest() -> str:
    """A digest of every module of the package (compiled code may inline another module's constants) and
    of the Python version it is built for."""
    h = hashlib.sha256(sysconfig.get_config_var("EXT_SUFFIX").encode())
    for path in sorted(Path(__file__).parent.glob("*.py")):
        h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def compiled_is_current() -> bool:
    try:
        return STAMP.read_text().strip() == source_digest()
    except OSError:
        return False


USING_COMPILED = os.environ.get("WARDEN_PURE_MATCHER", "") != "1" and compiled_is_current()
if USING_COMPILED:
    # Submodules are looked up along __path__, in order: the extensions in _build/ are found first.
    __path__.insert(0, str(BUILD_DIR))
