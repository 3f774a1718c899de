"""The normaliser's fast paths give what the plain code they replace gives: anyascii's transliteration
through a translate table, doubled letters collapsed without a template substitution, words split by a
translate table and str.split. Generated text (hypothesis), every script and punctuation."""

from __future__ import annotations

import re
import unicodedata

from anyascii import anyascii
from hypothesis import given, settings
from hypothesis import strategies as st

from warden.screening.matcher import normalise as nm
from warden.screening.matcher.variants import undouble

_WORD_TEXT = st.text(st.characters(blacklist_categories=["Cs"], blacklist_characters="\n\r"), max_size=30)


@settings(max_examples=400, deadline=None)
@given(_WORD_TEXT | st.text("\u4e60\u8fd1\u5e73\uae40\uc815\uc740 Xi-", max_size=12))
def test_transliteration_table_gives_what_anyascii_gives(text: str) -> None:
    plain = unicodedata.normalize("NFKC", text)
    if nm._SYLLABLE.search(plain):
        # Each Han character or Hangul block a word of its own, as the code before the table did.
        plain = nm._SYLLABLE.sub(lambda m: " " + anyascii(m.group(0)) + " ", plain)
    expected = anyascii(plain).lower() if not text.isascii() else text.lower()
    assert nm.to_latin(text) == expected


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="aabbssllmn1\u0436\u0436", max_size=20) | _WORD_TEXT)
def test_doubled_letters_collapse_as_the_regex_did(text: str) -> None:
    assert undouble(text) == re.sub(r"(.)\1+", r"\1", text)


@settings(max_examples=400, deadline=None)
@given(st.text(st.characters(max_codepoint=127), max_size=40))
def test_words_split_as_the_regex_did(text: str) -> None:
    low = text.lower()
    assert low.translate(nm._SEPARATORS).split() == [w for w in re.split(r"[^a-z0-9]+", low) if w]


def _fold_plain(word: str) -> str:
    # variants.fold as it was written before its fast paths: every substitution applied unconditionally.
    from warden.screening.matcher import variants as va

    w = word
    if len(w) < 3 or w.isdigit():
        return w
    w = "h" + w[1:] if w[0] == "x" else w
    w = va._CONSONANTS_RE.sub(va._translit, w)
    w = w[0] + va._VOWELS_RE.sub(va._translit, w[1:]) if w[0] == "j" else va._VOWELS_RE.sub(va._translit, w)
    return re.sub(r"(.)\1+", r"\1", va._FINAL.sub("i", w))


@settings(max_examples=600, deadline=None)
@given(st.text(alphabet="shczjktdxyiaeoupq", max_size=12))
def test_transliteration_folding_is_what_the_plain_substitutions_give(word: str) -> None:
    from warden.screening.matcher.variants import fold

    assert fold.__wrapped__(word) == _fold_plain(word)


def _phonetic_plain(token: str) -> str:
    # normalise.phonetic as it was written before its fast paths.
    if not token or token.isdigit():
        return token
    t = token.replace("ph", "f").replace("ck", "k").replace("kh", "k").replace("sh", "s").replace("ch", "s")
    t = t.replace("ou", "u")
    first = "a" if t[0] in "aeiouy" else t[0].translate(nm.PHONETIC_MAP)
    return re.sub(r"(.)\1+", r"\1", first + t[1:].translate(nm._PHONETIC_REST))


@settings(max_examples=600, deadline=None)
@given(st.text(alphabet="phckshouavzxbgdqyw'`1\u00e9", max_size=12))
def test_phonetic_key_is_what_the_plain_replacements_give(token: str) -> None:
    assert nm.phonetic.__wrapped__(token) == _phonetic_plain(token)
