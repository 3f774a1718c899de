"""Spelling variants that the edit budget cannot see: transliteration systems, nicknames, digits written
as letters, numbers written as words, acronyms.

Each rule maps a word to a canonical spelling ("canon") used only to decide that two different words are
the same name written two ways; the words themselves are still what is shown and compared for equality.

- Transliteration (Russian, Ukrainian and Belarusian Cyrillic, Arabic): BGN/PCGN, GOST/ISO 9, German and
  French systems write one letter differently: "х" as kh, h or x (x inside a word is ks); "ц" as ts, tz or c; "ю" as yu, iu or ju;
  "я" as ya, ia or ja; "ж" as zh, j or dzh; "щ" as shch or sch; "й" at the end as y, i or j, "ий" as iy, ii,
  ij or y; and doubled letters of Arabic names are often written single (Hassan / Hasan).
- Nicknames: the common English diminutives of given names (Ted / Theodore, Bill / William).
- Digits inside a word written for letters ("I9or Sech1n").
- Numbers written in words ("Brigade Forty-Four" / "Brigade 44").
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import groupby
from typing import Final

# Order matters: longer sequences first.
_TRANSLIT: Final[tuple[tuple[str, str], ...]] = (
    ("shch", "sh"),
    ("sch", "sh"),
    ("tch", "ch"),
    ("dzh", "j"),
    ("zh", "j"),
    ("dj", "j"),
    ("kh", "h"),
    ("x", "ks"),
    ("tz", "c"),
    ("ts", "c"),
    ("ph", "f"),
    ("ou", "u"),
    ("iu", "yu"),
    ("ju", "yu"),
    ("ia", "ya"),
    ("ja", "ya"),
    ("ie", "ye"),
    ("je", "ye"),
    ("q", "k"),
)
# Final "ий" (iy, ii, ij, y) is "i"; final "й" after a vowel (ey, ej, oy, oj) is "i" too.
_TRANSLIT_MAP: Final = dict(_TRANSLIT)
# Two passes, longest sequence first (the order of _TRANSLIT), instead of one replace per rule: the
# consonants, then the vowels, which the consonants' output can form ("zhanna" -> "janna" -> "yanna").
_VOWEL_RULES: Final = ("ou", "iu", "ju", "ia", "ja", "ie", "je")
_CONSONANTS_RE: Final = re.compile("|".join(a for a, _ in _TRANSLIT if a not in _VOWEL_RULES))
_VOWELS_RE: Final = re.compile("|".join(_VOWEL_RULES))


def _translit(m: re.Match[str]) -> str:
    return _TRANSLIT_MAP[m[0]]


_FINAL: Final = re.compile(r"(?:iy|ii|ij|yy|yi|y|(?<=[aeou])j)$")
_DOUBLE: Final = re.compile(r"(.)\1")


def undouble(text: str) -> str:
    """Runs of one letter collapsed to one ("hassan" -> "hasan"): re.sub(r"(.)\1+", r"\1", text) for text
    without line breaks (words never have any). A template substitution costs a Python-level call per
    use in Python 3.11; the search and groupby run in C, and most words have no double letter."""
    if _DOUBLE.search(text) is None:
        return text
    return "".join([k for k, _ in groupby(text)])


def canon(word: str) -> str:
    """The transliteration-neutral spelling of one lower-case ASCII word, nicknames resolved first."""
    return fold(NICKNAMES.get(word, word))


@lru_cache(maxsize=200_000)
def fold(word: str) -> str:
    """The transliteration-neutral spelling of one lower-case ASCII word."""
    w = word
    if len(w) < 3 or w.isdigit():
        return w
    # "х" is written kh, h or x ("Khodorkovsky", "Hodorkovsky", "Xodorkovsky"): one letter here. Inside
    # a word x is the English "ks" ("Alexander" / "Aleksandr"; "Wexler" is not "Wheeler").
    if w[0] == "x":
        w = "h" + w[1:]
    w = _CONSONANTS_RE.sub(_translit, w)
    # The German and Polish j for я, ю, е ("Tatjana") only inside a word: an initial J is the English
    # one far more often ("Jamie" is not "Ami").
    w = w[0] + _VOWELS_RE.sub(_translit, w[1:]) if w[0] == "j" else _VOWELS_RE.sub(_translit, w)
    if w[-1] in "yij":  # every ending _FINAL rewrites ends in one of these
        w = _FINAL.sub("i", w)
    return undouble(w)


# Digits standing for letters inside a word: only between letters, so "B52" or "A320" stay numbers.
_LEET: Final = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "9": "g"})
_LEET_WORD: Final = re.compile(r"[a-z][0-9][a-z]")


def unleet(word: str) -> str:
    if word.isalpha() or word.isdigit() or not _LEET_WORD.search(word):
        return word
    return word.translate(_LEET)


UNITS: Final = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
}
TEENS: Final = {
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
TENS: Final = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fourty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}


def join_numbers(words: list[str]) -> list[str]:
    """ "forty four", "forty 4" and "forty-four" (split earlier) become "44"; single number words become
    digits. Ordinals ("first") are left to the caller's table."""
    out: list[str] = []
    i = 0
    n = len(words)
    while i < n:
        w = words[i]
        if w in TENS:
            value = TENS[w]
            nxt = words[i + 1] if i + 1 < n else ""
            unit = UNITS.get(nxt)
            if unit is None and len(nxt) == 1 and nxt.isdigit():
                unit = int(nxt)
            if unit:
                out.append(str(value + unit))
                i += 2
                continue
            out.append(str(value))
        elif w in TEENS:
            out.append(str(TEENS[w]))
        elif w in UNITS:
            out.append(str(UNITS[w]))
        else:
            out.append(w)
        i += 1
    return out


def acronym(texts: tuple[str, ...]) -> str:
    """The initials of a name of 2 to 6 parts ("islamic revolutionary guard corps" -> "irgc")."""
    if not 2 <= len(texts) <= 6:
        return ""
    return "".join(t[0] for t in texts)


# Common English diminutives, each to one full form. Kept to unambiguous pairs.
_NICK_GROUPS: Final = """
william: bill billy will willy liam
robert: bob bobby rob robbie
richard: dick rick ricky rich richie
james: jim jimmy jamie
john: jack johnny jon
jonathan: jonny
joseph: joe joey
thomas: tom tommy
theodore: ted teddy theo
edward: ed eddie ned
charles: charlie chuck chas
michael: mike mikey mick mickey
christopher: chris kit
nicholas: nick nicky
anthony: tony
daniel: dan danny
david: dave davy
stephen: steve stevie
matthew: matt
andrew: andy drew
alexander: alex sasha
alexandra: sandra
benjamin: ben benny benji
samuel: sam sammy
patrick: pat paddy
peter: pete
timothy: tim timmy
kenneth: ken kenny
lawrence: larry
gerald: gerry jerry
harold: harry hal
henry: hank
francis: frank frankie
frederick: fred freddie
albert: bert
ronald: ron ronnie
donald: don donnie
douglas: doug
gregory: greg
jeffrey: jeff
leonard: leo len lenny
raymond: ray
vincent: vince vinny
zachary: zach zack
elizabeth: liz lizzie beth betty betsy eliza
margaret: maggie meg peggy
katherine: kate katie kathy
catherine: cathy
jennifer: jenny jen
susan: sue susie
deborah: debbie deb
rebecca: becky
patricia: patty trish
victoria: vicky
christine: chris
jacqueline: jackie
dmitry: dima
vladimir: volodya vova
alexey: alyosha lyosha
sergey: seryozha
mikhail: misha
nikolai: kolya
ivan: vanya
yevgeny: zhenya
anatoly: tolya
"""


def _nicknames() -> dict[str, str]:
    table: dict[str, str] = {}
    for line in _NICK_GROUPS.strip().splitlines():
        full, _, short = line.partition(":")
        for s in short.split():
            # A diminutive of two full names ("ted": theodore, edward) maps to neither.
            table[s] = "" if s in table and table[s] != full else full
    return {k: v for k, v in table.items() if v}


NICKNAMES: Final[dict[str, str]] = _nicknames()
