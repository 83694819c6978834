"""Word lists for the demo organisation: common Finnish first names and surnames
(combined at random, so no name belongs to a real, specific person), the real
cities of each region, fictional street names, unit names and job titles.

Everything reachable by e-mail or phone is fictional: addresses use the reserved
`.example` domain and no phone numbers are generated at all."""

from __future__ import annotations

from dataclasses import dataclass

# Common Finnish given names (population statistics, both generations of staff).
FIRST_NAMES_F = [
    "Aino", "Anna", "Anne", "Anni", "Eeva", "Elina", "Ella", "Emilia", "Emma", "Essi",
    "Hanna", "Heidi", "Helmi", "Henna", "Iida", "Jenni", "Johanna", "Julia", "Kaisa", "Katja",
    "Katri", "Laura", "Leena", "Liisa", "Maija", "Mari", "Maria", "Marika", "Minna", "Noora",
    "Outi", "Paula", "Pia", "Piia", "Riikka", "Saara", "Salla", "Sanna", "Sara", "Satu",
    "Suvi", "Taru", "Tiina", "Tuija", "Tuuli", "Veera", "Venla", "Milla", "Jonna", "Krista",
]
FIRST_NAMES_M = [
    "Aapo", "Aleksi", "Antti", "Ari", "Eero", "Eetu", "Elias", "Hannu", "Harri", "Heikki",
    "Ilkka", "Jani", "Jari", "Joni", "Jukka", "Juha", "Juho", "Jussi", "Kalle", "Kari",
    "Lauri", "Markku", "Marko", "Matti", "Mikko", "Niko", "Olli", "Otto", "Pekka", "Petri",
    "Risto", "Sami", "Santeri", "Simo", "Teemu", "Timo", "Toni", "Tuomas", "Valtteri", "Veli",
]

SURNAMES = [
    "Ahonen", "Anttila", "Eskola", "Hakala", "Halonen", "Hämäläinen", "Heikkilä", "Heikkinen",
    "Heinonen", "Hiltunen", "Hirvonen", "Honkanen", "Huttunen", "Hyvönen", "Jokinen", "Järvinen",
    "Kallio", "Karjalainen", "Kauppinen", "Keränen", "Kettunen", "Kinnunen", "Koivisto", "Kokkonen",
    "Korhonen", "Koskinen", "Laaksonen", "Lahtinen", "Laine", "Laitinen", "Lehtinen", "Lehtonen",
    "Leinonen", "Leppänen", "Lindholm", "Manninen", "Mattila", "Miettinen", "Mustonen", "Mäkelä",
    "Mäkinen", "Nieminen", "Niemi", "Nurmi", "Ojala", "Peltonen", "Pesonen", "Pitkänen",
    "Rantanen", "Räsänen", "Saarinen", "Salminen", "Salo", "Salonen", "Savolainen", "Seppälä",
    "Sirola", "Suominen", "Tuominen", "Turunen", "Vainio", "Väisänen", "Virtanen", "Vuorinen",
]


@dataclass(frozen=True)
class RegionSpec:
    name: str
    county: str
    county_domain: str  # fictional, under .example
    cities: tuple[tuple[str, str], ...]  # (city, postal code prefix)
    neighbours: tuple[str, ...]
    homes: int  # children's homes
    open_care: int
    aftercare: int


REGIONS = [
    RegionSpec(
        "Pirkanmaa", "Pirkanmaan hyvinvointialue", "pirha.example",
        (("Tampere", "331"), ("Nokia", "374"), ("Ylöjärvi", "334"), ("Kangasala", "362"),
         ("Lempäälä", "378"), ("Valkeakoski", "376"), ("Sastamala", "382"), ("Pirkkala", "339"),
         ("Orivesi", "356")),
        ("Kanta-Häme", "Satakunta", "Etelä-Pohjanmaa"),
        7, 2, 2,
    ),
    RegionSpec(
        "Varsinais-Suomi", "Varsinais-Suomen hyvinvointialue", "varha.example",
        (("Turku", "201"), ("Salo", "241"), ("Kaarina", "207"), ("Raisio", "212"), ("Naantali", "211"),
         ("Loimaa", "322"), ("Uusikaupunki", "239"), ("Lieto", "213")),
        ("Satakunta", "Kanta-Häme"),
        6, 2, 1,
    ),
    RegionSpec(
        "Kanta-Häme", "Kanta-Hämeen hyvinvointialue", "omahame.example",
        (("Hämeenlinna", "131"), ("Riihimäki", "117"), ("Forssa", "301"), ("Janakkala", "142"),
         ("Hattula", "138"), ("Loppi", "127")),
        ("Pirkanmaa", "Varsinais-Suomi"),
        4, 1, 1,
    ),
    RegionSpec(
        "Satakunta", "Satakunnan hyvinvointialue", "satakunta-hva.example",
        (("Pori", "281"), ("Rauma", "261"), ("Ulvila", "284"), ("Kankaanpää", "387"),
         ("Huittinen", "328"), ("Eura", "271"), ("Harjavalta", "292")),
        ("Pirkanmaa", "Varsinais-Suomi"),
        5, 1, 1,
    ),
    RegionSpec(
        "Etelä-Pohjanmaa", "Etelä-Pohjanmaan hyvinvointialue", "hyvaep.example",
        (("Seinäjoki", "601"), ("Lapua", "621"), ("Kauhava", "622"), ("Kurikka", "613"),
         ("Alavus", "635"), ("Ilmajoki", "608"), ("Kauhajoki", "618")),
        ("Pirkanmaa", "Satakunta"),
        4, 1, 2,
    ),
]

# Tree and nature names for the children's homes (26 needed, a few to spare).
HOME_NAMES = [
    "Koivikko", "Pihlaja", "Kataja", "Vaahtera", "Tammi", "Lehmus", "Haapa", "Paju", "Leppä",
    "Kuusikko", "Männikkö", "Tuomi", "Saarni", "Jalava", "Kanerva", "Kielo", "Sinivuokko",
    "Kaisla", "Kallio", "Niitty", "Lähde", "Kaarna", "Sammal", "Varpu", "Puolukka", "Mustikka",
    "Lakka", "Kelo", "Ruska", "Virta",
]

STREETS = [
    "Koivukuja", "Pihlajatie", "Rantapolku", "Myllykatu", "Kirkkotie", "Puistokatu", "Metsätie",
    "Harjutie", "Peltokuja", "Kivikatu", "Lehtotie", "Niittykuja", "Tervakatu", "Ahotie",
    "Kaskitie", "Vanha maantie", "Urheilutie", "Koulukatu", "Rinnetie", "Hakatie",
]

# Job titles (staff of a unit); weighted by how common they are.
EMPLOYEE_TITLES_HOME = [
    ("ohjaaja", 40), ("sosionomi", 18), ("lähihoitaja", 12), ("sairaanhoitaja", 6),
    ("yhteisöpedagogi", 6), ("ohjaaja (sijainen)", 6), ("ohjaaja (vuokratyö)", 4),
    ("ohjaaja (opiskelija)", 3), ("psykiatrinen sairaanhoitaja", 3), ("kasvatusohjaaja", 2),
]
EMPLOYEE_TITLES_OPEN = [
    ("sosiaaliohjaaja", 30), ("perhetyöntekijä", 25), ("sosionomi", 15), ("perheterapeutti", 8),
    ("psykiatrinen sairaanhoitaja", 6), ("nuorisotyöntekijä", 6), ("ohjaaja (sijainen)", 4),
]
EMPLOYEE_TITLES_AFTER = [
    ("jälkihuollon ohjaaja", 35), ("sosiaaliohjaaja", 25), ("sosionomi", 15),
    ("asumisohjaaja", 10), ("ohjaaja (sijainen)", 4),
]
SUPERVISOR_TITLE = "yksikön esihenkilö"
RESPONSIBLE_TITLES = ["vastaava sosiaalityöntekijä", "palvelupäällikkö", "vastaava ohjaaja"]
ORG_TITLES = {
    "regional_director": "aluejohtaja",
    "quality_director": "laatujohtaja",
    "rehabilitation_director": "kuntoutusjohtaja",
    "safety_manager": "työsuojelupäällikkö",
    "hr_director": "henkilöstöjohtaja",
    "data_protection_officer": "tietosuojavastaava",
    "administrator": "järjestelmän pääkäyttäjä",
}
MANAGEMENT_TITLES = ["toimitusjohtaja", "talousjohtaja", "palvelujohtaja"]

_ASCII = str.maketrans({"ä": "a", "ö": "o", "å": "a", "é": "e", " ": "-"})


def ascii_slug(text: str) -> str:
    """'Etelä-Pohjanmaa' -> 'etela-pohjanmaa' (e-mail local parts and slugs)."""
    return text.lower().translate(_ASCII)


def weighted(rng, pairs):
    """Pick from [(value, weight), ...] with `rng`."""
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights, k=1)[0]
