"""The demo's export stories: destination, end user, goods, the consulted departments and the outcome each
would have (approve, approve with conditions, refuse with the criteria and why)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Scenario:
    destination: str
    end_user: tuple[str, str, str]  # name, sector, address
    goods: tuple[tuple[str, str, int, int, str], ...]  # description, rating, quantity, amount, currency
    end_use: str
    outcome: str  # approve | conditions | refuse
    criteria: tuple[str, ...] = ()
    teams: tuple[str, ...] = ("foreign-affairs",)
    consignee: tuple[str, str] | None = None  # name, sector
    why: str = ""


SCENARIOS: list[Scenario] = [
    Scenario(
        "NO",
        ("Norwegian Defence Materiel Agency", "armed_forces", "Kjeller, Norway"),
        (
            ("Main rotor blade set", "ML10.d", 4, 1250000, "EUR"),
            ("Tail rotor gearbox", "ML10.d", 2, 310000, "EUR"),
        ),
        "Replacement parts for the armed forces' transport helicopter fleet",
        "approve",
        teams=("defence",),
        consignee=("Kjeller Aero Services AS", "commercial"),
    ),
    Scenario(
        "US",
        ("US Army Contracting Command", "armed_forces", "Redstone Arsenal, Alabama"),
        (("Fire control computer", "ML5.b", 12, 2400000, "USD"),),
        "Integration into vehicle-mounted fire control systems",
        "approve",
        teams=("defence",),
    ),
    Scenario(
        "AU",
        ("Department of Defence, Capability Acquisition and Sustainment Group", "government", "Canberra"),
        (("Thermal imaging weapon sight", "ML15.c", 150, 900000, "AUD"),),
        "Equipment for army infantry units",
        "approve",
        teams=("defence",),
    ),
    Scenario(
        "JP",
        ("Japan Ground Self-Defense Force", "armed_forces", "Tokyo"),
        (("Radar signal processor modules", "ML11.a", 30, 1800000, "JPY"),),
        "Spares for air defence radar",
        "approve",
        teams=("defence",),
    ),
    Scenario(
        "PL",
        ("Polish Armaments Group", "government", "Radom, Poland"),
        (("Armoured vehicle suspension units", "ML6.a", 40, 2100000, "EUR"),),
        "Upgrade of infantry fighting vehicles",
        "approve",
        teams=("defence",),
    ),
    Scenario(
        "UA",
        ("Ministry of Defence of Ukraine", "armed_forces", "Kyiv"),
        (
            ("Counter-UAS jamming system", "ML11.a", 20, 3100000, "EUR"),
            ("Body armour plates", "ML13.d", 4000, 1600000, "EUR"),
        ),
        "Self-defence of the armed forces",
        "conditions",
        teams=("foreign-affairs", "defence"),
    ),
    Scenario(
        "IN",
        ("Bharat Dynamics Limited", "government", "Hyderabad, India"),
        (("Missile seeker test equipment", "ML4.c", 3, 780000, "GBP"),),
        "Production test line for surface-to-air missiles",
        "conditions",
        teams=("foreign-affairs", "defence"),
    ),
    Scenario(
        "IN",
        ("Tata Consultancy Services", "commercial", "Mumbai, India"),
        (("Network encryption appliances", "5A002.a", 60, 420000, "GBP"),),
        "Securing a bank's inter-branch network",
        "approve",
        teams=("intelligence",),
    ),
    Scenario(
        "AE",
        ("UAE Armed Forces General Headquarters", "armed_forces", "Abu Dhabi"),
        (("Military communications radios", "ML11.a", 300, 4500000, "USD"),),
        "Communications for the land forces",
        "conditions",
        teams=("foreign-affairs", "intelligence"),
    ),
    Scenario(
        "SA",
        ("Royal Saudi Land Forces", "armed_forces", "Riyadh"),
        (("155 mm artillery ammunition", "ML4.a", 5000, 9000000, "USD"),),
        "Stockpile replenishment",
        "refuse",
        ("EU-CP:2", "EU-CP:6", "ATT:7"),
        teams=("foreign-affairs", "defence"),
        why="clear risk of use in violation of humanitarian law",
    ),
    Scenario(
        "SA",
        ("Saudi Arabian Military Industries", "government", "Riyadh"),
        (("Aircraft maintenance tooling", "ML10.g", 25, 650000, "GBP"),),
        "Maintenance of training aircraft",
        "conditions",
        teams=("foreign-affairs",),
    ),
    Scenario(
        "LY",
        ("Libyan National Army Logistics Directorate", "non_state_armed_group", "Benghazi"),
        (("Assault rifles", "ML1.a", 800, 1200000, "USD"),),
        "Equipping security units",
        "refuse",
        ("EU-CP:1", "ATT:6.1"),
        teams=("foreign-affairs", "intelligence"),
        why="UN arms embargo (UNSCR 1970 (2011))",
    ),
    Scenario(
        "KP",
        ("Korea Mining Development Trading Corporation", "government", "Pyongyang"),
        (("CNC machine tools", "2B001.a", 6, 700000, "EUR"),),
        "Industrial machining",
        "refuse",
        ("EU-CP:1",),
        teams=("intelligence",),
        why="UN sanctions; the end user is a designated entity (KOMID)",
    ),
    Scenario(
        "RU",
        ("Uralvagonzavod", "government", "Nizhny Tagil, Russia"),
        (("Tank fire-control thermal cameras", "ML15.c", 40, 1900000, "EUR"),),
        "Upgrade of main battle tanks",
        "refuse",
        ("EU-CP:1", "EU-CP:4"),
        teams=("foreign-affairs", "intelligence"),
        why="EU arms embargo on Russia (Council Decision 2014/512/CFSP)",
    ),
    Scenario(
        "CN",
        ("Shenzhen Longwei Electronics Co.", "commercial", "Shenzhen, China"),
        (("High-speed analogue-to-digital converters", "3A001.a", 2000, 380000, "USD"),),
        "Telecommunications base stations",
        "refuse",
        ("EU-CP:7",),
        teams=("intelligence",),
        why="risk of diversion to military end use",
    ),
    Scenario(
        "TR",
        ("Turkish Aerospace Industries", "government", "Ankara"),
        (("UAV flight control computers", "9A012.b", 10, 1400000, "EUR"),),
        "Production of unmanned aerial vehicles",
        "conditions",
        teams=("foreign-affairs", "defence"),
    ),
    Scenario(
        "BR",
        ("Polícia Federal", "police", "Brasília"),
        (("Surveillance camera systems", "6A003.b", 80, 300000, "EUR"),),
        "Border surveillance",
        "conditions",
        teams=("foreign-affairs",),
    ),
    Scenario(
        "SG",
        ("Jurong Speciality Chemicals Pte Ltd", "commercial", "Singapore"),
        (("Thiodiglycol", "1C350.b", 2000, 90000, "SGD"),),
        "Manufacture of inks and dyes",
        "refuse",
        ("EU-CP:7", "EU-CP:1"),
        teams=("intelligence",),
        why="chemical weapons precursor with an unverified end user",
    ),
    Scenario(
        "CH",
        ("armasuisse", "government", "Bern"),
        (("Training simulators", "ML14", 2, 2600000, "CHF"),),
        "Pilot training",
        "approve",
        teams=("defence",),
    ),
    Scenario(
        "KR",
        ("Hanwha Aerospace", "commercial", "Changwon, Republic of Korea"),
        (("Gas turbine engine components", "ML10.d", 120, 3300000, "USD"),),
        "Engines for self-propelled howitzers",
        "approve",
        teams=("defence",),
    ),
    Scenario(
        "EG",
        ("Egyptian Ministry of Interior", "police", "Cairo"),
        (("Riot control vehicles", "ML6.b", 12, 2800000, "USD"),),
        "Public order policing",
        "refuse",
        ("EU-CP:2", "ATT:7"),
        teams=("foreign-affairs",),
        why="clear risk of use for internal repression",
    ),
    Scenario(
        "ID",
        ("PT Pindad", "government", "Bandung, Indonesia"),
        (("Small arms ammunition production machinery", "ML18.a", 2, 1100000, "EUR"),),
        "Ammunition production",
        "conditions",
        teams=("foreign-affairs", "defence"),
    ),
    Scenario(
        "IL",
        ("Israel Ministry of Defense", "armed_forces", "Tel Aviv"),
        (("Combat aircraft components", "ML10.d", 50, 1700000, "USD"),),
        "Aircraft maintenance",
        "refuse",
        ("EU-CP:2", "ATT:6.3"),
        teams=("foreign-affairs",),
        why="clear risk of serious violations of international humanitarian law",
    ),
    Scenario(
        "SE",
        ("Försvarets materielverk (FMV)", "government", "Stockholm"),
        (("Naval radar spare parts", "ML11.a", 18, 540000, "SEK"),),
        "Maintenance of naval radar",
        "approve",
        teams=("defence",),
    ),
    # Parties written differently from an entry of the bundled sample UN list (screening/data/demo-un.xml),
    # so that the demo's case pages and screening queue have real matches to review.
    Scenario(
        "CN",
        ("Dalian Haixing Machinery Trading Co., Ltd.", "commercial", "Dalian, China"),
        (("Five-axis machining centre", "2B001.b", 2, 950000, "EUR"),),
        "Resale to a machine shop",
        "refuse",
        ("EU-CP:1", "EU-CP:7"),
        teams=("intelligence",),
        consignee=("Green Pine Associated Corp.", "commercial"),  # listed: GREEN PINE ASSOCIATED CORPORATION
        why="UN sanctions: the consignee is a designated entity (Green Pine)",
    ),
    Scenario(
        "AE",
        ("Ryonbong General Corporation of Korea", "commercial", "Dubai, United Arab Emirates"),
        (("Marine diesel engine spares", "ML9.c", 8, 300000, "USD"),),
        "Maintenance of merchant vessels",
        "refuse",
        ("EU-CP:1",),
        teams=("intelligence",),
        why="UN sanctions: the end user is a designated entity (Korea Ryonbong General Corporation)",
    ),
    Scenario(
        "TR",
        ("Shahid Hemat Industries Group", "government", "Tehran"),
        (("Solid rocket motor casings", "ML4.c", 20, 1400000, "EUR"),),
        "Stated as research use",
        "refuse",
        ("EU-CP:1", "EU-CP:7"),
        teams=("intelligence", "defence"),
        consignee=("Nam Chon Gang Trading", "commercial"),  # listed: NAMCHONGANG TRADING CORPORATION
        why="UN sanctions: end user and consignee are designated entities",
    ),
    Scenario(
        "SO",
        ("Harakat al-Shabab al-Mujahideen", "non_state_armed_group", "Mogadishu"),
        (("Off-road vehicles with weapon mounts", "ML6.a", 10, 250000, "USD"),),
        "Stated as security for a logistics company",
        "refuse",
        ("EU-CP:1", "ATT:6.1"),
        teams=("foreign-affairs", "intelligence"),
        why="UN sanctions and arms embargo: the end user is a designated group (Al-Shabaab)",
    ),
]

CONDITIONS = [
    "No re-export without the prior written consent of the licensing authority.",
    "Delivery verification certificate to be provided within 90 days of each shipment.",
    "The goods may only be used by the end user named in the licence and for the stated end use.",
]
