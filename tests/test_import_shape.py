"""The shape import-linter cannot see (docs/architecture.md, "Layers").

grimp reads imports anywhere in a module, so an import inside a function that goes up a layer already breaks
`lint-imports`. What it cannot see: `importlib.import_module` (a string, not an import) and the imports that
sit inside functions only to be late. Both are counted here against the figures measured when the layering
was written down (issue 11): the counts may only go down. Lower a figure when you remove one.
"""

from __future__ import annotations

import ast
import pathlib

WARDEN = pathlib.Path(__file__).resolve().parent.parent / "warden"

# Measured 2026-12-03 (issue 11): 4 files used importlib (legislation's two now import screening and
# licences, which sit below it); 72 imports of another app inside functions, then 71 (audit policy), 65 (case
# screens moved to cases/web/), 63 (match decision flow), 60 (assessment versions' vocabulary in legislation),
# 59 (amendment flow), 58 (list import flow), 56 (re-screen task with its flow). importlib: 2 files listed (cli.py
# loading the subcommands; core_cli.py no longer used it), then none (warden/cli_commands.py imports each CLI module).
# Then 36: the hook registry gone (screening and legislation ready() and the gate's late imports), the law-change,
# re-assessment and re-screen flows importing the layers below them at the top.
IMPORTLIB_FILES: set[str] = set()
# 36, plus the seven routers of issue 13 (accounts, casework, catch-all, end use, licences, amendments, open
# licences) that warden.config.api mounts inside _mount(), where every router is imported by design.
LOCAL_CROSS_APP_IMPORTS = 43


def _sources() -> list[pathlib.Path]:
    return [
        p
        for p in WARDEN.rglob("*.py")
        if "tests" not in p.relative_to(WARDEN).parts and "migrations" not in p.relative_to(WARDEN).parts
    ]


def _app(path: pathlib.Path) -> str:
    return path.relative_to(WARDEN).parts[0].removesuffix(".py")


def _local_cross_app_imports(path: pathlib.Path) -> list[str]:
    found: list[str] = []
    app = _app(path)

    def walk(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inner = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            module = child.module or "" if isinstance(child, ast.ImportFrom) else ""
            if in_function and module.startswith("warden.") and module.split(".")[1] != app:
                found.append(f"{path.relative_to(WARDEN)}:{child.lineno} {module}")
            walk(child, inner)

    walk(ast.parse(path.read_text()), False)
    return found


def test_no_new_module_is_loaded_through_importlib() -> None:
    users = {
        str(p.relative_to(WARDEN))
        for p in _sources()
        if "importlib" in p.read_text() and "import importlib" in p.read_text()
    }
    assert users <= IMPORTLIB_FILES, f"importlib dodges the layering: {sorted(users - IMPORTLIB_FILES)}"


def test_imports_of_another_app_inside_functions_do_not_grow() -> None:
    local = [hit for p in _sources() for hit in _local_cross_app_imports(p)]
    assert len(local) <= LOCAL_CROSS_APP_IMPORTS, "\n".join(local)
