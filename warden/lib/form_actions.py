"""One shape for the actions a page offers on an object (a case, a licence): what the button says, which form
asks for the input, and the step that calls the service and returns the sentence shown afterwards. The
case page (warden.cases.web.case_actions) and the licence page (warden.licences.licence_actions) both
describe their actions with it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

Target = TypeVar("Target")
FormType = TypeVar("FormType")


@dataclass(frozen=True)
class FormAction(Generic[Target, FormType]):
    label: str  # the heading / button text
    form: FormType  # the form class that asks for the input
    run: Callable[[Any, Target, dict[str, Any]], str]  # (actor, target, cleaned data) -> success message
    danger: bool = False  # drawn as a destructive button
    hint: str = ""  # a line of guidance above the form
