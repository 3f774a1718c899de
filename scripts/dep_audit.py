"""Dependency audit (issue 14): pip-audit over requirements.lock, as CI's last step.

Fails (exit 1) when a locked dependency has a known vulnerability. When the vulnerability database cannot
be reached (CI machines have no internet; a PyPI mirror answers "not found" for every package) it says so
and how many dependencies went unchecked, and exits 0: an unreachable database is not a clean bill, and the
output says which it was.

    .venv/bin/python scripts/dep_audit.py [--lock requirements.lock] [--service pypi|osv]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lock", default=str(ROOT / "requirements.lock"))
    ap.add_argument("--service", default="pypi", choices=("pypi", "osv"))
    args = ap.parse_args()
    cmd = [
        sys.executable,
        "-m",
        "pip_audit",
        "--requirement",
        args.lock,
        "--require-hashes",
        "--disable-pip",
        "--vulnerability-service",
        args.service,
        "--format",
        "json",
        "--progress-spinner",
        "off",
    ]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=600, check=False)
    except subprocess.TimeoutExpired:
        print("dependency audit: the vulnerability database did not answer within 10 minutes: NOT CHECKED")
        return 0
    try:
        report = json.loads(done.stdout)
    except json.JSONDecodeError:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        print(
            f"dependency audit: the vulnerability database ({args.service}) is unreachable: NOT CHECKED ({last})"
        )
        return 0
    deps = report.get("dependencies", [])
    skipped = [d for d in deps if d.get("skip_reason")]
    audited = [d for d in deps if not d.get("skip_reason")]
    vulnerable = [d for d in audited if d.get("vulns")]
    for dep in vulnerable:
        for vuln in dep["vulns"]:
            fixes = ", ".join(vuln.get("fix_versions", [])) or "no fixed version yet"
            print(f"VULNERABLE {dep['name']} {dep['version']}: {vuln['id']} (fixed in {fixes})")
    print(
        f"dependency audit ({args.service}): {len(audited)} of {len(deps)} locked dependencies checked, "
        f"{len(vulnerable)} with known vulnerabilities"
        + (
            f"; {len(skipped)} NOT CHECKED (the database does not know them or is unreachable)"
            if skipped
            else ""
        )
    )
    return 1 if vulnerable else 0


if __name__ == "__main__":
    sys.exit(main())
