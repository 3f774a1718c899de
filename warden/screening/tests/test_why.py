"""The "Why" of a match reads as a sentence built from the stored features and explanation, with the
feature list kept beside it."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from warden.flows import rescreening as list_import
from warden.flows import submission
from warden.lib.actors import system
from warden.screening.models import Match
from warden.screening.presentation import match_why, why
from warden.testing import sample_application

FIXTURES = Path(__file__).parent / "fixtures"


def test_an_alias_with_variant_spellings_and_the_same_country() -> None:
    w = why(
        features={"name": 0.9111, "country": "match", "date_of_birth": None, "identifier": None},
        explanation="query 'harakat al shabab al mujahideen' vs 'HARAKAT AL-SHABAAB AL-MUJAAHIDIIN': alignment: "
        "'harakat'='harakat', 'al'='al', 'al'='al', 'shabab'~'shabaab' 0.88, 'mujahideen'~'mujaahidiin' 0.80; "
        "country match (SO / SO)",
        listed_name="AL-SHABAAB",
        matched_name="HARAKAT AL-SHABAAB AL-MUJAAHIDIIN",
    )
    assert w.sentence == (
        "Name matches alias 'HARAKAT AL-SHABAAB AL-MUJAAHIDIIN' (5 of 5 parts, 2 spelt differently), "
        "same country (SO)."
    )
    assert "'shabab' ≈ 'shabaab' (spelling 0.88)" in w.details
    assert "Country: SO (party) / SO (listed)" in w.details


def test_a_person_with_a_missing_part_a_close_birth_date_and_another_country() -> None:
    w = why(
        features={"name": 0.84, "country": "mismatch", "date_of_birth": "close", "identifier": None},
        explanation="query 'abdulhai salek' vs 'ABDUL HAI SALEK': alignment: 'salek'='salek'; extra: abdulhai; "
        "date of birth close (1961-02-01 / 1960); country mismatch (AF / IR, SY)",
        listed_name="ABDUL HAI SALEK",
        matched_name="ABDUL HAI SALEK",
    )
    assert w.sentence == (
        "Name matches the listed name (1 of 2 parts), different country (AF; listed: IR, SY), "
        "date of birth within 1 year."
    )
    assert "Parts on one side only: abdulhai" in w.details
    assert "Date of birth: 1961-02-01 (party) / 1960 (listed)" in w.details


def test_exact_joined_and_identifier_only_matches() -> None:
    exact = why(
        features={"name": 1.0, "country": None, "date_of_birth": "match", "identifier": None},
        explanation="query 'green pine associated' vs 'GREEN PINE ASSOCIATED CORPORATION': 'green pine associated' "
        "= 'GREEN PINE ASSOCIATED CORPORATION' (exact after normalisation)",
        listed_name="Green Pine Associated Corporation",
        matched_name="GREEN PINE ASSOCIATED CORPORATION",
    )
    assert exact.sentence == "Name matches the listed name exactly, same date of birth."
    joined = why(
        features={"name": 1.0, "country": "mismatch", "date_of_birth": None, "identifier": None},
        explanation="query 'nam chon gang trading' vs 'NAMCHONGANG TRADING': joined: "
        "'namchongangtrading'='namchongangtrading'; country mismatch (TR / KP)",
        listed_name="NAMCHONGANG TRADING",
        matched_name="NAMCHONGANG TRADING",
    )
    assert joined.sentence == (
        "Name matches the listed name when spaces are ignored, different country (TR; listed: KP)."
    )
    by_id = why(
        features={"name": 0.0, "country": None, "date_of_birth": None, "identifier": "match"},
        explanation="query 'ocean star' vs 'OCEAN MARITIME': none: no parts aligned; identifier equal",
        listed_name="OCEAN MARITIME",
        matched_name="OCEAN MARITIME",
    )
    assert by_id.sentence == "Same identifier as listed 'OCEAN MARITIME'."
    assert "Identifier: equal" in by_id.details


def test_an_explanation_in_an_unknown_form_falls_back_to_the_features() -> None:
    w = why(
        features={"name": 0.8765, "country": "match", "date_of_birth": None, "identifier": None},
        explanation="something the matcher wrote in another year",
        listed_name="X",
        matched_name="Y",
    )
    assert w.sentence == "Name resembles alias 'Y' (similarity 0.88), same country."
    assert w.explanation == "something the matcher wrote in another year"


@pytest.mark.django_db
def test_the_queue_and_case_page_say_why_in_words_and_keep_the_features(personas) -> None:  # type: ignore[no-untyped-def]
    list_import.import_list(
        actor=system("test"), list_name="un-sc", fmt="un-xml", path=FIXTURES / "un.xml", rescreen="none"
    )
    party = {
        "role": "end_user",
        "type": "person",
        "sector": "individual",
        "name": "Salek, Abdulhai",
        "country": "AF",
    }
    case = submission.submit_application(
        actor=personas.exporter, document=sample_application(parties=[party])
    )
    match = Match.objects.select_related("entry").get(case=case)
    sentence = match_why(match).sentence
    assert sentence.startswith("Name matches") and "parts" in sentence
    c = Client()
    c.force_login(personas.officer)
    for url in (reverse("screening:queue"), reverse("cases:detail", args=[case.pk])):
        html = c.get(url).content.decode()
        assert f'<span data-testid="why">{sentence}</span>' in html.replace("&#x27;", "'")
        assert "<summary>Matched features</summary>" in html
        assert "<td>query &#x27;" not in html  # the machine text is no longer the cell itself
