"""What the matcher takes and gives: list entries (with their names, weak aliases marked), queries and hits.

Plain records, kept out of the compiled modules (warden.screening.matcher.COMPILED): EntryName is a str
subclass, which mypyc cannot compile, and the records cross process boundaries in a batch (pickled).
"""

from __future__ import annotations

from dataclasses import dataclass, field


class EntryName(str):
    """One name of an entry as the list gives it (a str, so it goes wherever a name does). `weak`: the
    list marks it as a weak alias (UN QUALITY "Low", UK AliasStrength weak or "Low", EU strong="false",
    FtM weakAlias): matched, but scored as weak (at most WEAK_CAP, below certainty), because lists give
    such names as leads, not as identification."""

    weak: bool

    def __new__(cls, name: str, weak: bool = False) -> EntryName:
        obj = super().__new__(cls, name)
        obj.weak = weak
        return obj

    @property
    def name(self) -> str:
        return str(self)


@dataclass
class Entry:
    """One list entry as the matcher sees it. `key` is the caller's identifier for it. `names` may mix
    plain strings and EntryName records; after construction it holds strings and `weak` every name
    that is weak (given as EntryName(..., weak=True) or in `weak` directly)."""

    key: str
    names: list[str]
    kind: str = "any"  # person | organisation | any
    countries: frozenset[str] = frozenset()
    dobs: tuple[str, ...] = ()
    identifiers: frozenset[str] = frozenset()
    weak: frozenset[str] = frozenset()  # weak aliases: matched, but capped below certainty

    def __post_init__(self) -> None:
        # A name given both as a weak alias and as a strong one is strong.
        weak = {str(n) for n in self.names if isinstance(n, EntryName) and n.weak}
        weak -= {str(n) for n in self.names if not (isinstance(n, EntryName) and n.weak)}
        self.names = [str(n) for n in self.names]
        if weak:
            self.weak = self.weak | weak

    def name_records(self) -> list[EntryName]:
        return [EntryName(n, n in self.weak) for n in self.names]


@dataclass
class Query:
    name: str
    kind: str = "any"
    aliases: tuple[str, ...] = ()
    country: str | None = None
    dob: str | None = None
    identifiers: tuple[str, ...] = ()


@dataclass
class Hit:
    entry: Entry
    score: float
    name_score: float
    query_name: str
    matched_name: str
    features: dict[str, object] = field(default_factory=dict)
    explanation: str = ""
