"""Compile the matcher's hot modules with mypyc into warden/screening/matcher/_build/ (`make matcher`).

    python scripts/build_matcher.py [--check]

The modules (warden.screening.matcher.COMPILED) are mypy-strict typed Python; mypyc turns them into C
extensions that give the same scores (warden/screening/tests/test_compiled_matcher.py holds them to the
Python source on generated names). The extensions go to _build/ with a stamp of the sources' digest; the
package uses them only while that digest matches (warden/screening/matcher/__init__.py), so an edited
module runs as Python until it is built again. Needs gcc and the Python headers. `--check`: exit 1 when
the build is missing or stale, 0 when it is current (nothing is built).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from warden.screening import matcher  # noqa: E402  (no Django: the matcher is pure)

# One shared library for the group (mypyc's cross-module calls stay native), named inside the package
# so that it is found along the package's __path__ like the modules.
GROUP = "warden.screening.matcher._compiled"


def build() -> None:
    # Imported here: only the build needs mypyc and setuptools, the matcher itself does not.
    from mypyc.build import mypycify
    from setuptools import setup

    package = Path(matcher.__file__).parent
    digest = matcher.source_digest()
    with tempfile.TemporaryDirectory(prefix="warden-mypyc-") as tmp:
        # mypyc writes its C files under ./build of the current directory: run it from the checkout with
        # paths relative to it, as the module names come from the paths.
        os.chdir(ROOT)
        paths = [str((package / f"{m}.py").relative_to(ROOT)) for m in matcher.COMPILED]
        modules = mypycify(paths, opt_level="3", group_name=GROUP, target_dir=str(Path(tmp) / "c"))
        setup(
            name="warden-matcher-compiled",
            ext_modules=modules,
            script_args=["-q", "build_ext", "--build-lib", str(Path(tmp) / "lib"), "--build-temp", tmp],
        )
        built = Path(tmp) / "lib" / "warden" / "screening" / "matcher"
        out = matcher.BUILD_DIR
        if out.exists():
            shutil.rmtree(out)
        out.mkdir()
        for so in sorted(built.glob("*.so")):
            shutil.copy2(so, out / so.name)
    (out / ".gitignore").write_text("*\n")
    # The stamp last: a build that failed half-way leaves no stamp, so the Python modules run.
    matcher.STAMP.write_text(digest + "\n")
    print(f"compiled {', '.join(matcher.COMPILED)} into {out.relative_to(ROOT)}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="only say whether the build is current")
    args = ap.parse_args()
    if args.check:
        current = matcher.compiled_is_current()
        print("compiled matcher: " + ("current" if current else "missing or older than its sources"))
        return 0 if current else 1
    build()
    return 0


if __name__ == "__main__":
    sys.exit(main())
