"""Name normalisation: transliteration to Latin, tokens, legal forms, stopwords and phonetic keys.

Pure Python (no Django). Transliteration uses anyascii (ISC licence, self-contained tables for every
script, no ICU), with two corrections of our own: Han and Hangul are split per syllable so that
"习近平" becomes "xi jin ping" rather than one token, and the script of the original is remembered,
because names from abjads (Arabic, Persian, Hebrew) lose their vowels and are compared by consonant
skeleton instead of spelling.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from anyascii import anyascii

from warden.screening.matcher.vocab import (
    ABBREVIATIONS,
    GENERIC_ORG_WORDS,
    LEGAL_FORM_PHRASES,
    NUMBER_WORDS,
    PARTICLES,
    STOPWORDS,
    TITLES,
)

LATIN, CYRILLIC, ABJAD, CJK, HANGUL, KANA, OTHER = (
    "latin",
    "cyrillic",
    "abjad",
    "cjk",
    "hangul",
    "kana",
    "other",
)

_SPLIT = re.compile(r"[^a-z0-9]+")
_DOTTED = re.compile(r"\b(?:[a-z]\.){2,}[a-z]?\.?|\b[a-z]\.[a-z]\b")
_ROMAN = re.compile(r"^(?=[ivxlc]+$)c{0,3}(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$")


def script_of(text: str) -> str:
    """The dominant script of a name, by counting letters."""
    if text.isascii():
        return LATIN
    counts: dict[str, int] = {}
    for ch in text:
        if not ch.isalpha():
            continue
        o = ord(ch)
        if o < 0x250 or 0x1E00 <= o < 0x1F00:
            s = LATIN
        elif 0x400 <= o < 0x530:
            s = CYRILLIC
        elif 0x590 <= o < 0x800 or 0xFB1D <= o < 0xFEFF:
            s = ABJAD
        elif 0xAC00 <= o < 0xD7B0 or 0x1100 <= o < 0x1200 or 0x3130 <= o < 0x3190:
            s = HANGUL
        elif 0x3040 <= o < 0x3100:
            s = KANA
        elif 0x4E00 <= o < 0xA000 or 0x3400 <= o < 0x4DC0 or 0xF900 <= o < 0xFB00:
            s = CJK
        else:
            s = OTHER
        counts[s] = counts.get(s, 0) + 1
    if not counts:
        return LATIN
    return max(counts.items(), key=lambda kv: kv[1])[0]


def _syllabic(text: str) -> str:
    # Han characters and Hangul blocks are one syllable each; anyascii joins them into one word.
    out = []
    for ch in text:
        o = ord(ch)
        if 0x4E00 <= o < 0xA000 or 0x3400 <= o < 0x4DC0 or 0xAC00 <= o < 0xD7B0 or 0xF900 <= o < 0xFB00:
            out.append(" " + anyascii(ch) + " ")
        else:
            out.append(ch)
    return "".join(out)


def to_latin(text: str) -> str:
    """Transliterate any script to lower-case ASCII."""
    if text.isascii():
        return text.lower()
    text = unicodedata.normalize("NFKC", text)
    text = _syllabic(text)
    return anyascii(text).lower()


PHONETIC_MAP = str.maketrans({"v": "f", "z": "s", "q": "k", "c": "k", "g": "k", "d": "t", "b": "p", "x": "k"})


@lru_cache(maxsize=200_000)
def phonetic(token: str) -> str:
    """A coarse consonant key: vowels, h, w and y dropped after the first letter, voiced consonants
    merged with unvoiced ones, doubles collapsed. It equates transliteration variants (mohammed /
    muhammad / mhmd, kim / gim, jong / jeong) and abjad renderings that have no vowels."""
    if not token or token.isdigit():
        return token
    t = token.replace("ph", "f").replace("ck", "k").replace("kh", "k").replace("sh", "s").replace("ch", "s")
    t = t.replace("ou", "u").replace("j", "j")
    first = "a" if t[0] in "aeiouy" else t[0].translate(PHONETIC_MAP)
    rest = [ch.translate(PHONETIC_MAP) for ch in t[1:] if ch not in "aeiouyhw'`"]
    out = [first]
    for ch in rest:
        if ch != out[-1]:
            out.append(ch)
    return "".join(out)


class Token(NamedTuple):
    # A NamedTuple, not a dataclass: millions are created when an index is built.
    text: str
    weight: float
    kind: str  # "name" | "particle" | "generic" | "initial" | "number"
    key: str  # phonetic key


@dataclass
class NormName:
    original: str
    script: str
    tokens: tuple[Token, ...]
    legal_forms: tuple[str, ...] = ()
    joined: str = ""
    comparable: str = ""  # all tokens, space-joined, for exact comparison
    native: tuple[str, ...] = field(default=())  # tokens in the original non-Latin script
    keyset: frozenset[str] = frozenset()  # phonetic keys, for the scorer's quick rejection
    has_initial: bool = False
    texts: tuple[str, ...] = ()


def _strip_dots(latin: str) -> str:
    # "u.s." -> "us", "g.m.b.h." -> "gmbh", "p.l.c." -> "plc", "j.-c." stays initials
    return _DOTTED.sub(lambda m: m.group(0).replace(".", ""), latin)


def _replace_phrases(words: list[str], phrases: dict[tuple[str, ...], str]) -> tuple[list[str], list[str]]:
    """Strip legal-form phrases from both ends of the name (longest first, repeatedly), returning the
    remaining words and the forms found. Only the ends: "Bank of ... AS" has a form, "Ali As Sayed" in
    the middle of a name does not."""
    found: list[str] = []
    changed = True
    while changed and len(words) > 1:
        changed = False
        for length in (6, 5, 4, 3, 2, 1):
            if length < len(words) and tuple(words[-length:]) in phrases:
                found.append(phrases[tuple(words[-length:])])
                words = words[:-length]
                changed = True
                break
            if length < len(words) and tuple(words[:length]) in phrases:
                found.append(phrases[tuple(words[:length])])
                words = words[length:]
                changed = True
                break
    return words, found


def _native_tokens(text: str, script: str) -> tuple[str, ...]:
    if script in (CJK, HANGUL, KANA):
        return tuple(ch for ch in text if ch.isalpha())
    if script in (ABJAD, CYRILLIC, OTHER):
        return tuple(w for w in re.split(r"[^\w]+", unicodedata.normalize("NFKC", text).casefold()) if w)
    return ()


@lru_cache(maxsize=400_000)
def normalise(name: str, kind: str = "any") -> NormName:
    """Normalise one name. `kind` is "person", "organisation" or "any"; it decides whether titles or
    legal forms are expected, but both are recognised either way, because lists are not consistent."""
    script = script_of(name)
    latin = to_latin(name)
    latin = latin.replace("&", " and ").replace("'", "").replace("`", "").replace("\u2019", "")
    latin = _strip_dots(latin)
    words = [w for w in _SPLIT.split(latin) if w]
    words = [ABBREVIATIONS.get(w, w) for w in words]
    words = [x for w in words for x in w.split()]
    words, forms = _replace_phrases(words, LEGAL_FORM_PHRASES)
    if not words and forms:
        # The whole name was a legal form ("Company"): keep the words rather than nothing.
        words = [f for f in forms]
        forms = []
    tokens: list[Token] = []
    for i, w in enumerate(words):
        if w in TITLES and len(words) > 1 and i == 0:
            continue
        if w in STOPWORDS and len(words) > 1:
            continue
        w = NUMBER_WORDS.get(w, w)
        if w.isdigit() or (_ROMAN.match(w) and kind != "person" and len(w) <= 4 and i > 0):
            tokens.append(Token(w, 0.3, "number", w))
        elif w in PARTICLES:
            tokens.append(Token(PARTICLES[w], 0.3, "particle", PARTICLES[w]))
        elif len(w) == 1:
            tokens.append(Token(w, 0.5, "initial", w))
        elif w in GENERIC_ORG_WORDS:
            tokens.append(Token(w, 0.5, "generic", phonetic(w)))
        else:
            tokens.append(Token(w, 1.0, "name", phonetic(w)))
    if tokens and all(t.kind == "particle" for t in tokens):
        tokens = [Token(t.text, 1.0, "name", t.key) for t in tokens]
    texts = [t.text for t in tokens]
    return NormName(
        original=name,
        script=script,
        tokens=tuple(tokens),
        legal_forms=tuple(forms),
        joined="".join(texts),
        comparable=" ".join(texts),
        native=_native_tokens(name, script) if script != LATIN else (),
        keyset=frozenset(t.key for t in tokens if len(t.key) >= 2),
        has_initial=any(t.kind == "initial" for t in tokens),
        texts=tuple(texts),
    )
