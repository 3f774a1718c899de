"""Cross-domain flows: every orchestration that crosses apps, one module each, readable top to bottom.

submission (submit -> screen -> assess), amendment (answer or document -> re-screen -> re-assess),
decisions (a match decision -> re-assess -> apply elsewhere),
rescreening (list import -> record the owed re-screen -> re-screen -> re-assess), reassessment (an input changed -> a new assessment
version). The flows sit above the domains (docs/architecture.md): they import the domain services and the
views, API, CLI and tasks call them. No signal, no ready() wiring. A few domain services still call a flow
from inside a function (listed as known debt in pyproject.toml's import-linter contract).
"""
