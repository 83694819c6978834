"""The product's own functional-capacity instrument ("Arjen askeleet"), written
for Omavalvonta: eight life domains, each on a 0-10 scale, worded for the child
and for the worker. No licensed instrument's text is used; a provider holding a
licence for one enters it as another instrument (data, not code).

`load_default_instrument` creates it once (the data migration and the demo
call it); a later run leaves an existing instrument alone."""

from __future__ import annotations

CODE = "arjen-askeleet"
NAME = {"fi": "Arjen askeleet", "sv": "Vardagens steg", "en": "Everyday steps"}

# (domain, {lang: domain label}, {lang: child's wording}, {lang: worker's wording})
ITEMS = [
    (
        "daily_routines",
        {"fi": "Arjen rutiinit", "sv": "Vardagsrutiner", "en": "Daily routines"},
        {
            "fi": "Miten sinun päiväsi sujuvat: herääminen, syöminen, nukkumaan meno?",
            "sv": "Hur går dina dagar: att vakna, äta och gå och lägga dig?",
            "en": "How do your days go: waking up, eating, going to bed?",
        },
        {
            "fi": "Nuoren unirytmi, ateriat ja päivän rakenne toimivat.",
            "sv": "Den ungas sömnrytm, måltider och dagens struktur fungerar.",
            "en": "The young person's sleep, meals and the shape of the day work.",
        },
    ),
    (
        "school_or_work",
        {"fi": "Koulu tai työ", "sv": "Skola eller arbete", "en": "School or work"},
        {
            "fi": "Miten koulu, opiskelu tai työ sujuu sinulla nyt?",
            "sv": "Hur går det i skolan, med studierna eller på jobbet nu?",
            "en": "How are school, studies or work going for you now?",
        },
        {
            "fi": "Nuori käy koulua, opiskelee tai työskentelee ja saa tarvitsemansa tuen.",
            "sv": "Den unga går i skola, studerar eller arbetar och får det stöd som behövs.",
            "en": "The young person attends school, studies or works and gets the support needed.",
        },
    ),
    (
        "relationships",
        {"fi": "Ihmissuhteet", "sv": "Relationer", "en": "Relationships"},
        {
            "fi": "Onko sinulla ihmisiä, joihin voit luottaa ja joiden kanssa viihdyt?",
            "sv": "Har du människor som du kan lita på och trivs med?",
            "en": "Do you have people you can trust and like being with?",
        },
        {
            "fi": "Nuorella on turvallisia suhteita aikuisiin, perheeseen ja ikätovereihin.",
            "sv": "Den unga har trygga relationer till vuxna, familjen och jämnåriga.",
            "en": "The young person has safe relationships with adults, family and peers.",
        },
    ),
    (
        "emotions_mood",
        {"fi": "Tunteet ja mieliala", "sv": "Känslor och humör", "en": "Emotions and mood"},
        {
            "fi": "Millainen mielesi on ollut viime aikoina?",
            "sv": "Hur har du mått till sinnes på sistone?",
            "en": "How has your mind felt lately?",
        },
        {
            "fi": "Nuori tunnistaa tunteitaan ja saa apua, kun on paha olla.",
            "sv": "Den unga känner igen sina känslor och får hjälp när det känns tungt.",
            "en": "The young person recognises their feelings and gets help when things feel bad.",
        },
    ),
    (
        "behaviour",
        {"fi": "Käyttäytyminen", "sv": "Beteende", "en": "Behaviour"},
        {
            "fi": "Miten pystyt toimimaan niin kuin itse haluat, myös kun suututtaa?",
            "sv": "Hur klarar du att göra som du själv vill, också när du blir arg?",
            "en": "How well can you act the way you want to, even when you are angry?",
        },
        {
            "fi": "Nuoren toiminta on hallittua, ja ristiriidat ratkeavat ilman vahinkoa.",
            "sv": "Den ungas beteende är behärskat och konflikter löses utan skada.",
            "en": "The young person's actions are in control and conflicts resolve without harm.",
        },
    ),
    (
        "independence",
        {"fi": "Itsenäisyyden taidot", "sv": "Självständighet", "en": "Independence skills"},
        {
            "fi": "Kuinka hyvin pärjäät itse: raha-asiat, kauppa, asiointi, oma huone?",
            "sv": "Hur bra klarar du dig själv: pengar, handla, ärenden, ditt rum?",
            "en": "How well do you manage on your own: money, shopping, errands, your room?",
        },
        {
            "fi": "Nuori hallitsee ikätasonsa arjen taitoja ja harjoittelee uusia.",
            "sv": "Den unga behärskar vardagsfärdigheter för sin ålder och övar nya.",
            "en": "The young person has the everyday skills of their age and practises new ones.",
        },
    ),
    (
        "safety",
        {"fi": "Turvallisuus", "sv": "Trygghet", "en": "Safety"},
        {
            "fi": "Kuinka turvalliseksi tunnet olosi täällä ja muualla?",
            "sv": "Hur trygg känner du dig här och på andra ställen?",
            "en": "How safe do you feel here and elsewhere?",
        },
        {
            "fi": "Nuori on turvassa: ei päihteitä, karkailua eikä vaaraa itselle tai muille.",
            "sv": "Den unga är trygg: inga rusmedel, rymningar eller fara för sig själv eller andra.",
            "en": "The young person is safe: no substances, running away or danger to self or others.",
        },
    ),
    (
        "participation",
        {"fi": "Osallisuus", "sv": "Delaktighet", "en": "Participation"},
        {
            "fi": "Kuunnellaanko sinua, ja pääsetkö tekemään asioita, joista pidät?",
            "sv": "Blir du lyssnad på, och får du göra saker du tycker om?",
            "en": "Are you listened to, and do you get to do things you enjoy?",
        },
        {
            "fi": "Nuori vaikuttaa omiin asioihinsa ja osallistuu harrastuksiin tai yhteisöön.",
            "sv": "Den unga påverkar sina egna frågor och deltar i fritid eller gemenskap.",
            "en": "The young person has a say in their own matters and takes part in hobbies or a community.",
        },
    ),
]
LOW = {"fi": "Tosi huonosti", "sv": "Mycket dåligt", "en": "Very badly"}
HIGH = {"fi": "Tosi hyvin", "sv": "Mycket bra", "en": "Very well"}


def load_default_instrument(*, Instrument, InstrumentVersion, Item, now) -> bool:
    """Create the default instrument with one published version, once. The model
    classes are passed in so a data migration can use its historical models.
    Returns whether it was created."""
    if Instrument.objects.filter(code=CODE).exists():
        return False
    instrument = Instrument.objects.create(code=CODE, name_fi=NAME["fi"], name_sv=NAME["sv"], name_en=NAME["en"])
    version = InstrumentVersion.objects.create(instrument=instrument, number=1, status="published", published_at=now)
    Item.objects.bulk_create(
        Item(
            version=version,
            order=i,
            domain=domain,
            **{f"domain_{lang}": label for lang, label in labels.items()},
            **{f"child_{lang}": text for lang, text in child.items()},
            **{f"worker_{lang}": text for lang, text in worker.items()},
            **{f"low_{lang}": text for lang, text in LOW.items()},
            **{f"high_{lang}": text for lang, text in HIGH.items()},
            age_min=7,
            age_max=25,
        )
        for i, (domain, labels, child, worker) in enumerate(ITEMS, start=1)
    )
    return True


def ensure_default_instrument() -> bool:
    """`load_default_instrument` with the current models: for the demo, and for
    tests after a transactional test has flushed the migration's rows."""
    from django.utils import timezone

    from omavalvonta.outcomes.models import Instrument, InstrumentVersion, Item

    return load_default_instrument(Instrument=Instrument, InstrumentVersion=InstrumentVersion, Item=Item, now=timezone.now())
