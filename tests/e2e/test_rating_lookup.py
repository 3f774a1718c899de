"""The exporter rates a goods line with the control-list look-up and picks the destination by name: on a new
application she searches "unmanned" in the line's "Find a rating" box, sees the entries with their text and
lists, clicks "Use" on one, finds the line's rating filled, chooses Norway in the destination picker, saves
the draft and sees Norway on the case page."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in
from warden.cases.models import Case
from warden.testing import PASSWORD, Personas

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_exporter_finds_a_rating_by_words_and_picks_the_destination_by_name(
    personas: Personas, new_page: Any, shot: Any
) -> None:
    alice = new_page()
    sign_in(alice, "alice", PASSWORD)
    alice.get_by_role("link", name="New application").first.click()
    alice.locator("#id_goods-0-description").fill("Reconnaissance drone")

    line = alice.get_by_test_id("goods-line").first
    line.get_by_label("Find a rating").press_sequentially("unmanned", delay=20)
    results = line.get_by_test_id("lookup-results")
    expect(results).to_contain_text("in force on")
    entry = results.locator('[data-testid="lookup-entry"][data-code="ML10.b"]')
    expect(entry).to_contain_text("unmanned aerial vehicles")
    expect(entry).to_contain_text("EU Common Military List")
    expect(entry).to_contain_text("Emerging technology: Unmanned aerial vehicles")
    expect(results.locator('[data-code="9A012"]')).to_contain_text("Wassenaar Arrangement")
    shot(alice, "rating-lookup-01-results")
    # Chosen with the keyboard (Tab to "Use", Enter), as a keyboard user does; a pointer click here was seen
    # to land on the panel behind when the long form scrolled on mousedown (see the closing note of issue 13).
    alice.wait_for_load_state("networkidle")
    use = entry.get_by_role("button", name="Use")
    use.focus()
    use.press("Enter")
    rating = alice.locator("#id_goods-0-rating")
    expect(rating).to_have_value("ML10.b")
    expect(rating).to_be_focused()
    expect(line.get_by_test_id("lookup-results")).to_have_count(0)  # the results close once one is used

    destination = alice.get_by_label("Destination country")
    destination.select_option(label="Norway (NO)")
    expect(destination).to_have_value("NO")
    alice.get_by_label("End use").fill("Border surveillance by the armed forces")
    alice.locator("#id_goods-0-quantity").fill("2")
    alice.locator("#id_goods-0-value_amount").fill("480000")
    alice.locator("#id_parties-0-name").fill("Norwegian Defence Materiel Agency")
    alice.locator("#id_parties-0-country").select_option(label="Norway (NO)")
    shot(alice, "rating-lookup-02-form-filled")
    alice.get_by_role("button", name="Save draft").click()

    expect(alice.get_by_test_id("case-status")).to_have_text("Draft")
    expect(alice.locator("dd", has_text="Norway (NO)").first).to_be_visible()
    case = Case.objects.get(organisation=personas.org_a)
    assert case.destination == "NO"
    assert [g["rating"] for g in case.document["goods"]] == ["ML10.b"]
    shot(alice, "rating-lookup-03-case-page")


def test_a_word_only_in_an_entrys_text_finds_it_with_the_snippet_in_the_goods_line(
    personas: Personas, new_page: Any, shot: Any
) -> None:
    alice = new_page()
    sign_in(alice, "alice", PASSWORD)
    alice.get_by_role("link", name="New application").first.click()
    line = alice.get_by_test_id("goods-line").first
    line.get_by_label("Find a rating").press_sequentially("suppressors calibre", delay=20)
    entry = line.get_by_test_id("lookup-results").locator('[data-testid="lookup-entry"][data-code="ML1"]')
    # The results come by htmx after a 300 ms pause in typing; on a busy machine they take longer.
    expect(entry.get_by_test_id("lookup-snippet")).to_contain_text("suppressors and mounts", timeout=30_000)
    expect(entry.locator("mark")).to_have_text("suppressors")
    shot(alice, "rating-lookup-04-text-snippet")
