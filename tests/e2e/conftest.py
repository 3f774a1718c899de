"""Playwright in Debian's chromium against pytest-django's live server.

Every test here is marked `browser` (run with `pytest -m browser`). The browser is launched once per session;
each test gets a fresh context (no shared cookies). Screenshots go to var/screenshots/."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# Playwright's sync API runs an event loop in this thread; Django refuses ORM calls from a thread with a
# running loop unless told that it is safe (it is: the test thread is the only user of its connection).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).parent == here:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian chromium is not installed at /usr/bin/chromium")
    from playwright.sync_api import expect, sync_playwright

    # expect() waits 5 s by default, less than a page takes on a loaded 2-core CI machine; the actions' own
    # timeout (10 s, below) was already set for that. Waiting longer never makes a failing assertion pass.
    expect.set_options(timeout=15_000)

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield b
        b.close()


@pytest.fixture
def new_page(browser: Any, live_server: Any) -> Iterator[Any]:
    """A factory of pages, one browser context each (so several users can be signed in at once)."""
    contexts = []

    def make() -> Any:
        ctx = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
        ctx.set_default_timeout(10_000)
        contexts.append(ctx)
        return ctx.new_page()

    yield make
    for ctx in contexts:
        ctx.close()


@pytest.fixture
def shot() -> Any:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page: Any, name: str) -> Path:
        path = SCREENSHOTS / f"{re.sub(r'[^a-z0-9_-]+', '-', name.lower())}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


def sign_in(page: Any, username: str, password: str) -> None:
    page.goto("/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def open_action(page: Any, name: str) -> Any:
    """Open the case page's action `name` (its form loads with htmx when it was not rendered open)."""
    box = page.get_by_test_id(f"action-{name}")
    if box.get_attribute("open") is None:
        box.locator("summary").click()
    return box


def csrf_post(page: Any, url: str, form: dict[str, str]) -> Any:
    """POST from the signed-in page's session with a valid CSRF token, as a crafted request would (used to
    show that a refusal is enforced by the server, not only by a missing button)."""
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    return page.request.post(
        url, form=form, headers={"X-CSRFToken": token, "Referer": page.url}, max_redirects=0
    )
