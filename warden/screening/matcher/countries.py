"""Country names as sanctions lists write them, mapped to ISO 3166-1 alpha-2 codes.

The UN list writes "Iran (Islamic Republic of)" and "Democratic People's Republic of Korea", the UK list
"North Korea" and "Russia", the US list "Korea, North" and "Burma", the EU list the code itself. Country
evidence compares codes, so every spelling is mapped here. Pure data and one lookup function; a name not
in the table gives None (no evidence) rather than a guess.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Final

from anyascii import anyascii

# "CODE Name; variant; variant" per line. Names are matched after folding (see _fold), so case, accents,
# punctuation and a leading "the" do not matter here.
_TABLE: Final = """
AD Andorra
AE United Arab Emirates; UAE; U.A.E.; Emirates
AF Afghanistan; Islamic Emirate of Afghanistan; Islamic Republic of Afghanistan
AG Antigua and Barbuda
AI Anguilla
AL Albania
AM Armenia
AO Angola
AQ Antarctica
AR Argentina
AS American Samoa
AT Austria
AU Australia
AW Aruba
AX Aland Islands
AZ Azerbaijan
BA Bosnia and Herzegovina; Bosnia-Herzegovina; Bosnia
BB Barbados
BD Bangladesh
BE Belgium
BF Burkina Faso
BG Bulgaria
BH Bahrain
BI Burundi
BJ Benin
BL Saint Barthelemy
BM Bermuda
BN Brunei; Brunei Darussalam
BO Bolivia; Bolivia (Plurinational State of); Plurinational State of Bolivia
BQ Bonaire, Sint Eustatius and Saba; Caribbean Netherlands
BR Brazil
BS Bahamas; The Bahamas
BT Bhutan
BV Bouvet Island
BW Botswana
BY Belarus; Byelorussia; Republic of Belarus
BZ Belize
CA Canada
CC Cocos (Keeling) Islands; Cocos Islands
CD Democratic Republic of the Congo; Congo (Democratic Republic); Congo, Democratic Republic of the; Congo, Democratic Republic of; DR Congo; DRC; Congo-Kinshasa; Congo (Kinshasa); Zaire
CF Central African Republic; CAR
CG Congo; Republic of the Congo; Congo, Republic of the; Congo (Republic); Congo-Brazzaville; Congo (Brazzaville)
CH Switzerland
CI Cote d'Ivoire; Ivory Coast
CK Cook Islands
CL Chile
CM Cameroon
CN China; People's Republic of China; PRC; China, People's Republic of
CO Colombia
CR Costa Rica
CU Cuba
CV Cabo Verde; Cape Verde
CW Curacao
CX Christmas Island
CY Cyprus
CZ Czechia; Czech Republic
DE Germany; Federal Republic of Germany
DJ Djibouti
DK Denmark
DM Dominica
DO Dominican Republic
DZ Algeria
EC Ecuador
EE Estonia
EG Egypt; Arab Republic of Egypt
EH Western Sahara
ER Eritrea
ES Spain
ET Ethiopia
FI Finland
FJ Fiji
FK Falkland Islands; Falkland Islands (Malvinas)
FM Micronesia; Micronesia (Federated States of); Federated States of Micronesia
FO Faroe Islands
FR France
GA Gabon
GB United Kingdom; United Kingdom of Great Britain and Northern Ireland; UK; Great Britain; Britain; England; Scotland; Wales; Northern Ireland
GD Grenada
GE Georgia
GF French Guiana
GG Guernsey
GH Ghana
GI Gibraltar
GL Greenland
GM Gambia; The Gambia
GN Guinea
GP Guadeloupe
GQ Equatorial Guinea
GR Greece
GS South Georgia and the South Sandwich Islands
GT Guatemala
GU Guam
GW Guinea-Bissau
GY Guyana
HK Hong Kong; Hong Kong SAR; Hong Kong, China; Hong Kong Special Administrative Region of China
HM Heard Island and McDonald Islands
HN Honduras
HR Croatia
HT Haiti
HU Hungary
ID Indonesia
IE Ireland
IL Israel
IM Isle of Man
IN India
IO British Indian Ocean Territory
IQ Iraq
IR Iran; Iran (Islamic Republic of); Islamic Republic of Iran; Iran, Islamic Republic of; Persia
IS Iceland
IT Italy
JE Jersey
JM Jamaica
JO Jordan
JP Japan
KE Kenya
KG Kyrgyzstan; Kyrgyz Republic
KH Cambodia
KI Kiribati
KM Comoros
KN Saint Kitts and Nevis; St Kitts and Nevis
KP North Korea; Democratic People's Republic of Korea; DPRK; D.P.R.K.; Korea, North; Korea, Democratic People's Republic of; Korea (North); Korea DPR; DPR Korea
KR South Korea; Republic of Korea; Korea, South; Korea, Republic of; Korea (South)
KW Kuwait
KY Cayman Islands
KZ Kazakhstan
LA Laos; Lao People's Democratic Republic; Lao PDR
LB Lebanon
LC Saint Lucia; St Lucia
LI Liechtenstein
LK Sri Lanka
LR Liberia
LS Lesotho
LT Lithuania
LU Luxembourg
LV Latvia
LY Libya; Libyan Arab Jamahiriya; State of Libya
MA Morocco
MC Monaco
MD Moldova; Republic of Moldova; Moldova, Republic of
ME Montenegro
MF Saint Martin
MG Madagascar
MH Marshall Islands
MK North Macedonia; Macedonia; The former Yugoslav Republic of Macedonia; Republic of North Macedonia
ML Mali
MM Myanmar; Burma; Myanmar (Burma)
MN Mongolia
MO Macao; Macau; Macao SAR
MP Northern Mariana Islands
MQ Martinique
MR Mauritania
MS Montserrat
MT Malta
MU Mauritius
MV Maldives
MW Malawi
MX Mexico
MY Malaysia
MZ Mozambique
NA Namibia
NC New Caledonia
NE Niger
NF Norfolk Island
NG Nigeria
NI Nicaragua
NL Netherlands; Kingdom of the Netherlands; Holland
NO Norway
NP Nepal
NR Nauru
NU Niue
NZ New Zealand
OM Oman
PA Panama
PE Peru
PF French Polynesia
PG Papua New Guinea
PH Philippines
PK Pakistan
PL Poland
PM Saint Pierre and Miquelon
PN Pitcairn
PR Puerto Rico
PS Palestine; State of Palestine; Occupied Palestinian Territories; Palestinian Territories; Palestinian Territory, Occupied; West Bank; Gaza; Gaza Strip; West Bank and Gaza
PT Portugal
PW Palau
PY Paraguay
QA Qatar
RE Reunion
RO Romania
RS Serbia; Republic of Serbia
RU Russia; Russian Federation
RW Rwanda
SA Saudi Arabia; Kingdom of Saudi Arabia
SB Solomon Islands
SC Seychelles
SD Sudan; Republic of the Sudan
SE Sweden
SG Singapore
SH Saint Helena; Saint Helena, Ascension and Tristan da Cunha
SI Slovenia
SJ Svalbard and Jan Mayen
SK Slovakia; Slovak Republic
SL Sierra Leone
SM San Marino
SN Senegal
SO Somalia; Federal Republic of Somalia
SR Suriname
SS South Sudan
ST Sao Tome and Principe
SV El Salvador
SX Sint Maarten
SY Syria; Syrian Arab Republic
SZ Eswatini; Swaziland
TC Turks and Caicos Islands
TD Chad
TF French Southern Territories
TG Togo
TH Thailand
TJ Tajikistan
TK Tokelau
TL Timor-Leste; East Timor
TM Turkmenistan
TN Tunisia
TO Tonga
TR Turkey; Turkiye; Republic of Turkiye
TT Trinidad and Tobago
TV Tuvalu
TW Taiwan; Taiwan, Province of China; Chinese Taipei
TZ Tanzania; United Republic of Tanzania; Tanzania, United Republic of
UA Ukraine
UG Uganda
UM United States Minor Outlying Islands
US United States; United States of America; USA; U.S.A.; US; U.S.
UY Uruguay
UZ Uzbekistan
VA Holy See; Vatican; Vatican City; Holy See (Vatican City State)
VC Saint Vincent and the Grenadines; St Vincent and the Grenadines
VE Venezuela; Venezuela (Bolivarian Republic of); Bolivarian Republic of Venezuela
VG British Virgin Islands; Virgin Islands, British
VI United States Virgin Islands; Virgin Islands, U.S.
VN Viet Nam; Vietnam
VU Vanuatu
WF Wallis and Futuna
WS Samoa
XK Kosovo
YE Yemen; Republic of Yemen
YT Mayotte
ZA South Africa
ZM Zambia
ZW Zimbabwe
"""

_NOISE: Final = re.compile(r"[^a-z0-9]+")


def _fold(text: str) -> str:
    words = _NOISE.sub(" ", anyascii(text).lower().replace("'", "").replace(".", "")).split()
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def _build() -> tuple[dict[str, str], frozenset[str]]:
    names: dict[str, str] = {}
    codes: set[str] = set()
    for line in _TABLE.strip().splitlines():
        code, _, rest = line.partition(" ")
        codes.add(code)
        for name in rest.split(";"):
            folded = _fold(name)
            if folded in names and names[folded] != code:
                raise ValueError(f"country name {name!r} maps to both {names[folded]} and {code}")
            names[folded] = code
    return names, frozenset(codes)


_TABLES = _build()
NAMES: Final = _TABLES[0]
CODES: Final = _TABLES[1]


@lru_cache(maxsize=4096)
def country_code(value: str | None) -> str | None:
    """The ISO 3166-1 alpha-2 code for a code or a country name as lists write it, else None."""
    if not value or not value.strip():
        return None
    raw = value.strip()
    if len(raw) == 2 and raw.upper() in CODES:
        return raw.upper()
    folded = _fold(raw)
    if folded in NAMES:
        return NAMES[folded]
    # "Iran (Islamic Republic of)" -> "Iran"; "Korea, Democratic People's Republic of" -> reordered.
    bare = _fold(re.sub(r"\([^)]*\)", " ", raw))
    if bare in NAMES:
        return NAMES[bare]
    head, comma, tail = raw.partition(",")
    if comma:
        swapped = _fold(f"{tail} {head}")
        if swapped in NAMES:
            return NAMES[swapped]
    return None
