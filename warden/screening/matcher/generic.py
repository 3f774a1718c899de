"""Generic words of organisation names: the vocabulary that many unrelated bodies share.

A ministry, a state bank or a national company is often listed under a name made only of such words:
the UN lists the DPRK's "MINISTRY OF NATIONAL DEFENCE" (KPe.054), and nearly every state has a body of
that name. Such a name identifies nothing without the country; the index therefore marks a match that
rests only on these words (`NameResult.generic_only`) and weighs the country of both sides heavily.

Three classes, all lower-case ASCII as normalise produces them (after ABBREVIATIONS):
- GENERIC: words of an organisation's function, sector or form ("ministry", "defense", "bank").
- STATE_BODY: words that make a name a body of a state ("ministry", "armed forces", "government").
- PLACES: country names in one word, their adjectives and their common endonyms ("poland", "polish",
  "rossiya"); the country names come from countries.py so that the two never disagree.
SECTOR_SYNONYMS maps a sector word to one spelling ("airlines" -> "air": Mahan Air ~ Mahan Airlines).
"""

from __future__ import annotations

from typing import Final

from warden.screening.matcher.countries import NAMES as _COUNTRY_NAMES


def words(text: str) -> frozenset[str]:
    """A word list written as running text, one or more words a line."""
    return frozenset(text.split())


STATE_BODY: Final = words(
    """
    ministry ministries minister department government governmental state federal republic
    armed forces force army navy naval military police gendarmerie guard guards corps command
    directorate bureau administration authority commission committee council agency office service
    inspectorate intelligence security defense customs treasury parliament assembly court prosecutor
    """
)

GENERIC: Final = words(
    """
    group groups holding holdings international national global trading trade services service
    systems system industries industry industrial enterprises enterprise organization organizations
    foundation trust fund partners partnership capital management bank banking investment investments
    finance financial technology technologies solutions association institute center development
    engineering manufacturing import export commercial general united products factory plant works
    company corporation firm agency office department ministry committee council society union
    federation network media energy oil gas petroleum shipping marine maritime logistics transport
    construction consulting research science scientific academy university school limited new first
    north south east west central europe european asia asian america american africa african middle
    world co defense people peoples popular democratic republic state states government governmental
    federal royal armed forces force army navy naval military police guard guards security
    intelligence economic economy affairs foreign interior internal external justice health education
    culture agriculture commerce bureau directorate administration authority commission corps command
    headquarters staff division unit air aviation aerospace space electronics electronic electric
    electrical power chemical chemicals machinery machine machines equipment materials materiel metal
    metals mining steel supply supplies procurement production manufacture instrument instruments
    making building construction technical reserve savings cooperative joint venture post railway
    railways telecommunications communications service public social special main higher supreme
    """
)

# Adjectives and endonyms of countries most often named in list entries; every one-word English country
# name from countries.py is added below.
_DEMONYMS: Final = """
    afghan albanian algerian american angolan argentine argentinian armenian australian austrian
    azerbaijani bahraini belarusian belgian bolivian bosnian brazilian british bulgarian burmese
    cambodian canadian chilean chinese colombian congolese croatian cuban cypriot czech danish dutch
    egyptian emirati eritrean estonian ethiopian finnish french georgian german ghanaian greek
    hungarian indian indonesian iranian iraqi irish israeli italian ivorian japanese jordanian kazakh
    kenyan korean kuwaiti kyrgyz lao latvian lebanese liberian libyan lithuanian malaysian malian
    mexican moldovan mongolian moroccan myanmar nepalese nigerian norwegian omani pakistani palestinian
    panamanian peruvian philippine polish portuguese qatari romanian russian rwandan saudi serbian
    singaporean slovak slovenian somali sudanese swedish swiss syrian taiwanese tajik tanzanian thai
    tunisian turkish turkmen ugandan ukrainian uzbek venezuelan vietnamese yemeni zimbabwean
    rossiya rossii rossiiskaya rossiiskoi rossiyskaya rossiyskoy rossiiskii russkii russkaya
    ukrainy ukraina belarus belarusi deutschland polska persia iran irana chosun choson joseon hanguk
    misr sham korea
"""

PLACES: Final = words(_DEMONYMS) | frozenset(n for n in _COUNTRY_NAMES if " " not in n and n.isalpha())

SECTOR_SYNONYMS: Final[dict[str, str]] = {
    "airlines": "air",
    "airline": "air",
    "airways": "air",
    "aircompany": "air",
    "industry": "industries",
    "industrial": "industries",
    "technologies": "technology",
    "holding": "holdings",
    "investments": "investment",
    "service": "services",
    "system": "systems",
    "enterprise": "enterprises",
    "groups": "group",
    "organizations": "organization",
    "chemicals": "chemical",
    "machines": "machinery",
    "machine": "machinery",
    "instruments": "instrument",
    "metals": "metal",
    "supplies": "supply",
    "railways": "railway",
    "ministries": "ministry",
    "guards": "guard",
    "forces": "force",
    "peoples": "people",
    "electronic": "electronics",
}
