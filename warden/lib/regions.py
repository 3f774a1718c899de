"""The regions the dashboard groups destinations by: the EU annual report's (COARM) regions, as data.

Each region lists its ISO 3166-1 alpha-2 codes; a code in none of them counts under "Other" (never dropped),
so a new or disputed territory still shows in every total. Membership follows the EU report's grouping as
of the 2020s (the UK among "Other European countries" after 2020)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Region:
    slug: str  # what the filter takes, e.g. "middle-east"
    name: str
    codes: frozenset[str]


def _r(slug: str, name: str, codes: str) -> Region:
    return Region(slug, name, frozenset(codes.split()))


REGIONS: tuple[Region, ...] = (
    _r("north-africa", "North Africa", "DZ EG LY MA TN EH"),
    _r(
        "sub-saharan-africa",
        "Sub-Saharan Africa",
        "AO BJ BW BF BI CM CV CF TD KM CG CD CI DJ GQ ER SZ ET GA GM GH GN GW KE LS LR MG MW ML MR MU YT MZ "
        "NA NE NG RE RW SH ST SN SC SL SO ZA SS SD TZ TG UG ZM ZW",
    ),
    _r("north-america", "North America", "US CA GL PM BM"),
    _r(
        "central-america-caribbean",
        "Central America and the Caribbean",
        "AG AI AW BS BB BZ BQ CR CU CW DM DO SV GD GP GT HT HN JM MQ MX MS NI PA PR BL KN LC MF VC SX TT TC "
        "VG VI KY",
    ),
    _r("south-america", "South America", "AR BO BR CL CO EC FK GF GY PY PE SR UY VE GS"),
    _r("central-asia", "Central Asia", "KZ KG TJ TM UZ"),
    _r("north-east-asia", "North East Asia", "CN HK MO JP KP KR MN TW"),
    _r("south-east-asia", "South East Asia", "BN KH ID LA MY MM PH SG TH TL VN"),
    _r("south-asia", "South Asia", "AF BD BT IN MV NP PK LK IO"),
    _r(
        "eu",
        "European Union Member States",
        "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE",
    ),
    _r(
        "other-europe",
        "Other European countries",
        "AL AD AM AZ BY BA FO GE GI GG IS IM JE XK LI MD MC ME MK NO RU SM RS CH TR UA GB VA AX SJ",
    ),
    _r("middle-east", "Middle East", "BH IR IQ IL JO KW LB OM PS QA SA SY AE YE"),
    _r(
        "oceania",
        "Oceania",
        "AS AU CK FJ PF GU KI MH FM NR NC NZ NU NF MP PW PG PN WS SB TK TO TV UM VU WF CX CC HM AQ BV TF",
    ),
)
OTHER = Region("other", "Other", frozenset())
BY_SLUG: dict[str, Region] = {r.slug: r for r in (*REGIONS, OTHER)}
_OF_CODE: dict[str, Region] = {code: r for r in REGIONS for code in r.codes}


def region_of(code: str) -> Region:
    """The region of destination `code` ("Other" for a code no region lists)."""
    return _OF_CODE.get(code.upper(), OTHER)
