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
from functools import lru_cache
from typing import Final, NamedTuple

from anyascii import anyascii

from warden.screening.matcher.generic import GENERIC, PLACES, SECTOR_SYNONYMS
from warden.screening.matcher.legalforms import ABBREVIATIONS, LEGAL_FORM_PHRASES
from warden.screening.matcher.variants import (
    NICKNAMES,
    TEENS,
    TENS,
    UNITS,
    canon,
    fold,
    join_numbers,
    undouble,
    unleet,
)
from warden.screening.matcher.vocab import (
    GENERIC_ORG_WORDS,
    HONORIFICS,
    NUMBER_WORDS,
    PARTICLES,
    STOPWORDS,
    TITLES,
)

LATIN: Final = "latin"
CYRILLIC: Final = "cyrillic"
ABJAD: Final = "abjad"
CJK: Final = "cjk"
HANGUL: Final = "hangul"
KANA: Final = "kana"
OTHER: Final = "other"

_SPLIT: Final = re.compile(r"[^a-z0-9]+")
_DOTTED: Final = re.compile(r"\b(?:[a-z]\.){2,}[a-z]?\.?|\b[a-z]\.[a-z]\b")
_ROMAN: Final = re.compile(r"^(?=[ivxlc]+$)c{0,3}(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$")


# One pattern per script (C scans instead of a Python loop over the characters of every name).
_SCRIPT_PATTERNS: Final = (
    (CYRILLIC, re.compile(r"[\u0400-\u052f]")),
    (ABJAD, re.compile(r"[\u0590-\u07ff\ufb1d-\ufefe]")),
    (HANGUL, re.compile(r"[\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]")),
    (KANA, re.compile(r"[\u3040-\u30ff]")),
    (CJK, re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf\uf900-\ufaff]")),
)
_PATTERN_OF: Final = dict(_SCRIPT_PATTERNS)
_LETTERS: Final = re.compile(r"[^\W\d_]")
_LATIN_LETTERS: Final = re.compile(r"[A-Za-z\u00c0-\u024f\u1e00-\u1eff]")


_FIRST_SCRIPT: Final = re.compile(
    "(?P<cyrillic>[\u0400-\u052f])|(?P<abjad>[\u0590-\u07ff\ufb1d-\ufefe])"
    "|(?P<hangul>[\uac00-\ud7af\u1100-\u11ff\u3130-\u318f])|(?P<kana>[\u3040-\u30ff])"
    "|(?P<cjk>[\u4e00-\u9fff\u3400-\u4dbf\uf900-\ufaff])"
)


def script_of(text: str) -> str:
    """The dominant script of a name, by counting letters."""
    if text.isascii():
        return LATIN
    m = _FIRST_SCRIPT.search(text)
    if m is None:
        # Latin with accents, or a script without a pattern here (Greek, Devanagari...).
        latin = len(_LATIN_LETTERS.findall(text))
        return LATIN if latin * 2 >= len(_LETTERS.findall(text)) else OTHER
    script = m.lastgroup or OTHER
    if script in (KANA, CJK):
        # Japanese names mix kana and kanji: the majority decides.
        kana, cjk = len(_PATTERN_OF[KANA].findall(text)), len(_PATTERN_OF[CJK].findall(text))
        script = KANA if kana > cjk else CJK if cjk > kana else script  # a tie: the first one written
    # Names are written in one script; count only when Latin letters are present too.
    if _LATIN_LETTERS.search(text):
        latin = len(_LATIN_LETTERS.findall(text))
        n = len(_PATTERN_OF[script].findall(text))
        if latin > n:
            return LATIN
    return script


_SYLLABLE: Final = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf\uac00-\ud7af\uf900-\ufaff]")


class _LatinTable(dict[int, str]):
    """anyascii's table as a str.translate table, lower-cased: anyascii transliterates character by
    character in a Python loop, translate does the same lookups in C. A block of 256 code points is
    read from anyascii when a character of it is first met, as anyascii itself does (its tables are per
    block), so the table holds the transliteration data, never anything of the names seen.
    `syllabic`: Han characters and Hangul blocks are one syllable each, and anyascii would join a
    name's syllables into one word ("xijinping"); this table writes each as a word of its own."""

    def __init__(self, syllabic: bool) -> None:
        super().__init__()
        self.syllabic = syllabic

    def __missing__(self, codepoint: int) -> str:
        base = codepoint & ~0xFF
        for c in range(base, base + 0x100):
            latin = anyascii(chr(c)).lower()
            self[c] = f" {latin} " if self.syllabic and _SYLLABLE.match(chr(c)) else latin
        return self[codepoint]


_LATIN_TABLE: Final = _LatinTable(syllabic=False)
_SYLLABIC_TABLE: Final = _LatinTable(syllabic=True)


def to_latin(text: str) -> str:
    """Transliterate any script to lower-case ASCII."""
    if text.isascii():
        return text.lower()
    text = unicodedata.normalize("NFKC", text)
    return text.translate(_SYLLABIC_TABLE if _SYLLABLE.search(text) else _LATIN_TABLE)


PHONETIC_MAP: Final = str.maketrans(
    {"v": "f", "z": "s", "q": "k", "c": "k", "g": "k", "d": "t", "b": "p", "x": "k"}
)
_FIRST_KEY: Final = dict(zip("vzqcgdbx", "fskkktpk", strict=True))  # PHONETIC_MAP for one character
_REST_BYTES: Final = bytes.maketrans(b"vzqcgdbx", b"fskkktpk")
_DROPPED: Final = b"aeiouyhw'`"
_PHONETIC_REST: Final = str.maketrans(
    {"v": "f", "z": "s", "q": "k", "c": "k", "g": "k", "d": "t", "b": "p", "x": "k"}
    | dict.fromkeys("aeiouyhw'`")
)


@lru_cache(maxsize=200_000)
def phonetic(token: str) -> str:
    """A coarse consonant key: vowels, h, w and y dropped after the first letter, voiced consonants
    merged with unvoiced ones, doubles collapsed. It equates transliteration variants (mohammed /
    muhammad / mhmd, kim / gim, jong / jeong) and abjad renderings that have no vowels. Tokens get the
    key of their transliteration-neutral spelling (variants.fold)."""
    if not token or token.isdigit():
        return token
    t = token
    if "h" in t:
        t = t.replace("ph", "f").replace("ck", "k").replace("kh", "k").replace("sh", "s").replace("ch", "s")
    elif "ck" in t:  # without an h only this one of the five can apply
        t = t.replace("ck", "k")
    if "ou" in t:
        t = t.replace("ou", "u")
    c = t[0]
    first = "a" if c in "aeiouy" else _FIRST_KEY.get(c, c)
    # One translate drops the vowels and merges the consonants (bytes.translate for ASCII: one C pass
    # with deletion, which str.translate's fast path lacks); one pass collapses doubles.
    rest = t[1:]
    rest = (
        rest.encode().translate(_REST_BYTES, _DROPPED).decode()
        if rest.isascii()
        else rest.translate(_PHONETIC_REST)
    )
    return undouble(first + rest)


class Token(NamedTuple):
    # A NamedTuple, not a dataclass: millions are created when an index is built.
    text: str
    weight: float
    kind: str  # "name" | "particle" | "generic" | "place" | "initial" | "number"
    key: str  # phonetic key (of the canonical spelling)
    canon: str = ""  # canonical spelling (transliteration variants and nicknames resolved); "" = none


class NormName:
    """A normalised name. A plain class with slots: one is built for every distinct name screened."""

    __slots__ = (
        "original",
        "script",
        "tokens",
        "legal_forms",
        "joined",
        "comparable",
        "_native",
        "keyset",
        "has_initial",
        "texts",
    )

    def __init__(
        self,
        original: str,
        script: str,
        tokens: tuple[Token, ...],
        legal_forms: tuple[str, ...] = (),
        native: tuple[str, ...] | None = None,
    ) -> None:
        self.original = original
        self.script = script
        self.tokens = tokens
        self.legal_forms = legal_forms
        # The tokens' columns in one C call (attribute access on a NamedTuple is a Python-level lookup).
        texts, _, kinds, keys, canons = zip(*tokens, strict=True) if tokens else ((), (), (), (), ())
        self.texts = texts
        self.joined = "".join(texts)
        self.comparable = " ".join(texts)  # all tokens, space-joined, for exact comparison
        self._native = native  # tokens in the original non-Latin script, worked out when first asked
        # For the scorer's quick rejection: keys, and canons (a nickname has another key than its name).
        self.keyset = frozenset([k for k in keys if len(k) >= 2] + ["~" + c for c in canons if c])
        self.has_initial = "initial" in kinds

    @property
    def native(self) -> tuple[str, ...]:
        """The words (CJK, Hangul, Kana: the characters) in the original non-Latin script; () for Latin.
        Lazy: only a comparison of two names in one non-Latin script reads them."""
        if self._native is None:
            self._native = _native_tokens(self.original, self.script) if self.script != LATIN else ()
        return self._native

    def __repr__(self) -> str:
        return f"NormName({self.original!r}, {self.comparable!r}, forms={self.legal_forms})"


def _strip_dots(latin: str) -> str:
    # "u.s." -> "us", "g.m.b.h." -> "gmbh", "p.l.c." -> "plc", "j.-c." stays initials
    return _DOTTED.sub(lambda m: m.group(0).replace(".", ""), latin)


_FORM_FIRST: Final = frozenset(p[0] for p in LEGAL_FORM_PHRASES)
_FORM_LAST: Final = frozenset(p[-1] for p in LEGAL_FORM_PHRASES)


def _replace_phrases(words: list[str], phrases: dict[tuple[str, ...], str]) -> tuple[list[str], list[str]]:
    """Strip legal-form phrases from both ends of the name (longest first, repeatedly), returning the
    remaining words and the forms found. Only the ends: "Bank of ... AS" has a form, "Ali As Sayed" in
    the middle of a name does not."""
    found: list[str] = []
    changed = True
    while changed and len(words) > 1 and (words[-1] in _FORM_LAST or words[0] in _FORM_FIRST):
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


_NON_WORD: Final = re.compile(r"[^\w]+")


def _native_tokens(text: str, script: str) -> tuple[str, ...]:
    if script in (CJK, HANGUL, KANA):
        return tuple(_LETTERS.findall(text))
    if script in (ABJAD, CYRILLIC, OTHER):
        return tuple([w for w in _NON_WORD.split(unicodedata.normalize("NFKC", text).casefold()) if w])
    return ()


_PUNCT: Final = str.maketrans(
    {"&": " and ", "'": None, "`": None, "\u2019": None, "\u2018": None, "\u02bc": None}
)
# Every ASCII character that is not [a-z0-9] to a space: for lower-case ASCII text,
# text.translate(_SEPARATORS).split() is [w for w in _SPLIT.split(text) if w].
_SEPARATORS: Final = "".join(c if "a" <= c <= "z" or "0" <= c <= "9" else " " for c in map(chr, range(128)))
_NUMBERISH: Final = frozenset(UNITS) | frozenset(TEENS) | frozenset(TENS)


_ABD: Final = ("abdul", "abdel", "abdal", "abdoul")


@lru_cache(maxsize=100_000)
def _word(w: str) -> tuple[str, ...]:
    """One split word as the words it stands for: digits for letters undone, abbreviations expanded,
    sector words in one spelling. Cached: names share their words."""
    w = unleet(w)
    if w.startswith(_ABD):  # one C call for the common case of none
        for prefix in _ABD:
            # "Abdulrahman" is "Abd al-Rahman" written as one word (not "Abdullah": too short a rest).
            if w.startswith(prefix) and len(w) - len(prefix) >= 4:
                return ("abdul", *_word(w[len(prefix) :]))
    out = ABBREVIATIONS.get(w, w)
    if " " not in out:
        return (SECTOR_SYNONYMS.get(out, out),)
    return tuple([SECTOR_SYNONYMS.get(x, x) for x in out.split()])


@lru_cache(maxsize=200_000)
def _token(w: str, person: bool, org: bool, later: bool, many: bool) -> Token | None:
    """The token of one word, None when it is not compared. `later`: not the name's first word;
    `many`: the name has more than one word. Cached: names share their words."""
    # A single letter of a person's name is an initial ("A. Nazarbayev"), not the article "a".
    letter = person and len(w) == 1 and w not in ("y", "e", "i")
    if many and ((not later and (w in TITLES or w in HONORIFICS)) or w in STOPWORDS) and not letter:
        return None
    w = NUMBER_WORDS.get(w, w)
    if w.isdigit() or (later and not person and len(w) <= 4 and _ROMAN.match(w)):
        return Token(w, 0.3, "number", w, "")
    if w in PARTICLES and not letter:
        p = PARTICLES[w]
        return Token(p, 0.3, "particle", p, "")
    if len(w) == 1:
        return Token(w, 0.5, "initial", w, "")
    if later and w in HONORIFICS:
        return Token(w, 0.3, "particle", w, "")
    # The key is that of the transliteration-neutral spelling; the canon resolves nicknames too.
    folded = fold(w)
    key = phonetic(folded)
    spelling = canon(w) if w in NICKNAMES else folded  # canon(w) without a second lookup
    if w in GENERIC or w in GENERIC_ORG_WORDS:
        return Token(w, 0.5, "generic", key, spelling)
    if org and w in PLACES:
        return Token(w, 0.5, "place", key, spelling)
    return Token(w, 1.0, "name", key, spelling)


@lru_cache(maxsize=400_000)
def normalise(name: str, kind: str = "any") -> NormName:
    """Normalise one name. `kind` is "person", "organisation" or "any"; it decides whether titles or
    legal forms are expected, but both are recognised either way, because lists are not consistent."""
    if name.isascii():
        script = LATIN
        latin = name.lower()
    else:
        script = script_of(name)
        latin = to_latin(name)
    if script == ABJAD:
        # anyascii writes hamza and ayn as ' and ` ("l'sd" for الأسد, "`bd" for عبد): both carry a vowel.
        latin = latin.replace("'", "a").replace("`", "a")
    # The text is lower-case ASCII here; most names have no ampersand or apostrophe to translate.
    if "'" in latin or "&" in latin or "`" in latin:
        latin = latin.translate(_PUNCT)
    if "." in latin:
        latin = _strip_dots(latin)
    words: list[str] = []
    # What _SPLIT splits on, made spaces by a one-to-one table (C's fast path), then str.split.
    for w in latin.translate(_SEPARATORS).split():
        words.extend(_word(w))
    if not _NUMBERISH.isdisjoint(words):
        words = join_numbers(words)
    if script == ABJAD:
        # Arabic writes the article attached (الأسد, "l'sd" once transliterated): split it off.
        words = [x for w in words for x in (("al", w[1:]) if len(w) >= 3 and w[0] == "l" else (w,))]
    words, forms = _replace_phrases(words, LEGAL_FORM_PHRASES)
    if not words and forms:
        # The whole name was a legal form ("Company"): keep the words rather than nothing.
        words = list(forms)
        forms = []
    person = kind == "person"
    org = kind == "organisation"
    many = len(words) > 1
    tokens = [t for i, w in enumerate(words) if (t := _token(w, person, org, i > 0, many)) is not None]
    if tokens and all([t[2] == "particle" for t in tokens]):  # t[2]: the kind
        tokens = [Token(t.text, 1.0, "name", t.key, t.text) for t in tokens]
    return NormName(
        name,
        script,
        tuple(tokens),
        tuple(forms),
        None if script != LATIN else (),
    )
