"""Every module that contributes `warden` subcommands, named by an import (not looked up by a string through
importlib, which hid these dependencies from import-linter). warden.cli imports this module after
django.setup(), because the CLI modules import models at their top."""

from __future__ import annotations

from types import ModuleType

from warden import core_cli
from warden.accounts import cli as accounts_cli
from warden.audit import cli as audit_cli
from warden.cases import cli as cases_cli
from warden.catchall import cli as catchall_cli
from warden.denials import cli as denials_cli
from warden.enduse import cli as enduse_cli
from warden.inbox import cli as inbox_cli
from warden.legislation import cli as legislation_cli
from warden.licences import cli as licences_cli
from warden.ogl import cli as ogl_cli
from warden.ops import cli as ops_cli
from warden.oversight import cli as oversight_cli
from warden.region import cli as region_cli
from warden.reports import cli as reports_cli
from warden.screening import cli as screening_cli
from warden.transparency import cli as transparency_cli

# The order of `warden --help`; `warden init` runs the audit module's on_init first (see core_cli.init).
MODULES: tuple[ModuleType, ...] = (
    core_cli,
    cases_cli,
    legislation_cli,
    screening_cli,
    audit_cli,
    licences_cli,
    ops_cli,
    denials_cli,
    catchall_cli,
    inbox_cli,
    enduse_cli,
    ogl_cli,
    accounts_cli,
    reports_cli,
    transparency_cli,
    oversight_cli,
    region_cli,
)
