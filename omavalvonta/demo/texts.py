"""Sentences for demo deviations, in Finnish, by type. A description is composed
from an opener, an event and a detail, so that a year of reports reads varied.
No child is ever named: "nuori", "lapsi", "asiakas"."""

from __future__ import annotations

HOME, OPEN, AFTER = "substitute_care", "open_care", "aftercare"
ALL = (HOME, OPEN, AFTER)

OPENERS = {
    HOME: [
        "Iltavuorossa", "Yövuorossa", "Aamuvuorossa", "Viikonloppuna", "Koulupäivän jälkeen",
        "Ruokailun aikana", "Iltatoimien aikana", "Vuoronvaihdon yhteydessä", "Lauantai-iltana",
        "Aamupalalla",
    ],
    OPEN: [
        "Kotikäynnillä", "Perhetapaamisessa", "Koulupalaverin jälkeen", "Iltapäivän tapaamisessa",
        "Puhelinkontaktissa", "Verkostopalaverissa",
    ],
    AFTER: [
        "Asumisen tukikäynnillä", "Virastokäynnin yhteydessä", "Tapaamisessa toimistolla",
        "Iltapäivän tukikäynnillä", "Puhelinkontaktissa",
    ],
}

WHO = {HOME: ["nuori", "lapsi", "yksi nuorista", "nuorin asukkaista"], OPEN: ["asiakas", "nuori", "lapsi"], AFTER: ["asiakas", "nuori aikuinen"]}

LOCATIONS = {
    HOME: [
        "Olohuone", "Keittiö", "Nuoren huone", "Piha", "Käytävä", "Toimisto", "Ruokasali",
        "Kylpyhuone", "Yksikön auto", "Eteinen", "Pihan parkkipaikka", "Harrastusmatka",
    ],
    OPEN: ["Asiakkaan koti", "Tapaamistila", "Toimisto", "Koulu", "Työauto", "Puhelinyhteys"],
    AFTER: ["Asiakkaan asunto", "Toimisto", "Tapaamistila", "Virastokäynti", "Työauto"],
}

# Each event: (sentence with {opener} and {who}, service types it fits, extra fields).
EVENTS = {
    "quality": [
        ("{opener} {who} ei päässyt sovitulle lääkäriajalle, koska kuljetusta ei ollut järjestetty.", ALL, {}),
        ("Hoito- ja kasvatussuunnitelman mukainen viikkopalaveri jäi pitämättä henkilöstövajeen vuoksi.", (HOME,), {}),
        ("Päivittäiset kirjaukset asiakastietojärjestelmään jäivät tekemättä kahdessa vuorossa peräkkäin.", ALL, {}),
        ("{opener} paikalla oli vain yksi ohjaaja, vaikka työvuorosuunnitelman mukaan heitä piti olla kaksi.", (HOME,), {}),
        ("Sosiaalityöntekijälle luvattu väliraportti lähti viikon myöhässä.", ALL, {}),
        ("Tieto nuoren koulupoissaolosta ei siirtynyt vuoronvaihdossa seuraavalle vuorolle.", (HOME,), {}),
        ("Uudella sijaisella ei ollut perehdytyskorttia, eikä hän tuntenut yksikön turvallisuusohjeita.", ALL, {}),
        ("Omaohjaajakeskustelu jäi kuukauden ajan käymättä.", (HOME,), {}),
        ("Yhteisesti sovittua kotiintuloaikaa ei valvottu johdonmukaisesti eri vuoroissa.", (HOME,), {}),
        ("Sovittu tapaaminen peruuntui, eikä asiakkaalle ilmoitettu siitä ajoissa.", (OPEN, AFTER), {}),
        ("Asumisen tukikäynti jäi toteutumatta sovitusti työntekijän sairastumisen vuoksi.", (AFTER,), {}),
        ("Asiakassuunnitelman tavoitteita ei ollut päivitetty sovitussa kolmen kuukauden rytmissä.", ALL, {}),
        ("{opener} {who} jäi ilman lämmintä ateriaa, koska ruokatilaus oli jäänyt tekemättä.", (HOME,), {}),
        ("Palautekysely jäi tekemättä nuorten kanssa, vaikka se oli vuosikellossa tälle kuulle.", ALL, {}),
    ],
    "threat_or_violence": [
        ("{opener} {who} suuttui rajoista ja heitti tuolin kohti ohjaajaa.", (HOME,), {"violence_target": "staff"}),
        ("{opener} {who} uhkasi ohjaajaa väkivallalla, kun pelikonsoli otettiin iltatoimien ajaksi pois.", (HOME,), {"violence_target": "staff"}),
        ("Kaksi nuorta joutui käsirysyyn yhteisessä olohuoneessa.", (HOME,), {"violence_target": "child"}),
        ("{opener} {who} potki ovea ja rikkoi huoneensa ikkunan.", (HOME,), {"violence_target": "property"}),
        ("{opener} {who} löi ohjaajaa käteen tilanteen rauhoittamisen aikana.", (HOME,), {"violence_target": "staff", "injury": True}),
        ("Pihalle tuli tuntematon henkilö, joka vaati päästä tapaamaan nuorta ja käyttäytyi uhkaavasti.", (HOME,), {"violence_target": "other", "police": True}),
        ("{opener} asiakkaan vanhempi käyttäytyi uhkaavasti ja korotti ääntään.", (OPEN,), {"violence_target": "staff"}),
        ("{opener} {who} uhkasi vahingoittaa itseään.", ALL, {"violence_target": "child"}),
        ("{opener} {who} kävi toisen nuoren kimppuun ja tönäisi tämän lattialle.", (HOME,), {"violence_target": "child", "injury": True}),
        ("{opener} {who} sylki ohjaajaa kohti ja haukkui tätä.", (HOME,), {"violence_target": "staff"}),
        ("{opener} asiakas oli päihtynyt ja uhkasi työntekijää.", (AFTER, OPEN), {"violence_target": "staff", "police": True}),
    ],
    "near_miss": [
        ("Lääkekaapin ovi jäi lukitsematta yön ajaksi, mutta kukaan ei ehtinyt käyttää tilannetta hyväksi.", (HOME,), {}),
        ("Keittiön liesi jäi päälle ruoanlaiton jälkeen; seuraava vuoro huomasi sen.", (HOME,), {}),
        ("Yksikön auton takapenkin turvavyö oli rikki, ja {who} oli vähällä matkustaa ilman turvavyötä.", (HOME, OPEN), {}),
        ("Terävät työvälineet jäivät askartelun jälkeen lukitsemattomaan kaappiin.", (HOME,), {}),
        ("Ulko-ovi jäi yöllä raolleen, eikä hälytin ollut päällä.", (HOME,), {}),
        ("Palovaroittimen paristo oli loppunut nuoren huoneessa.", (HOME,), {}),
        ("{opener} {who} oli lähdössä ulos ilman sovittua ilmoitusta; ohjaaja huomasi sen viime hetkellä.", (HOME,), {}),
        ("Portaiden liukuesteet olivat irronneet, ja ohjaaja oli vähällä kaatua.", (HOME,), {}),
        ("{opener} huomattiin, että asiakkaan asunnossa hella oli jäänyt päälle.", (AFTER,), {}),
        ("Työpuhelin oli jäänyt lataamatta, eikä kotikäynnillä olisi saatu apua nopeasti.", (OPEN, AFTER), {}),
        ("Allergiatieto puuttui ruokalistasta, mutta ohjaaja huomasi virheen ennen ruokailua.", (HOME,), {}),
    ],
    "medication": [
        ("Iltalääke jäi antamatta vuoronvaihdon yhteydessä.", (HOME,), {"medication_stage": "giving"}),
        ("{who} sai aamulääkkeen kahteen kertaan.", (HOME,), {"medication_stage": "giving"}),
        ("Dosettiin oli jaettu väärä vahvuus.", (HOME,), {"medication_stage": "dispensing"}),
        ("Lääkkeenanto jäi kirjaamatta lääkelistaan.", (HOME, AFTER), {"medication_stage": "recording"}),
        ("Lääkemuutos ei ollut päivittynyt lääkelistaan uuden reseptin jälkeen.", (HOME,), {"medication_stage": "prescribing"}),
        ("Tarvittaessa otettava lääke annettiin ilman kirjattua syytä.", (HOME,), {"medication_stage": "recording"}),
        ("Viikon lääkkeitä tarkistettaessa huomattiin, että lääkkeitä puuttui.", (HOME,), {"medication_stage": "dispensing"}),
        ("Lääke annettiin kaksi tuntia myöhässä harrastusmatkan vuoksi.", (HOME,), {"medication_stage": "giving"}),
        ("Asiakas kertoi jättäneensä lääkkeensä ottamatta useana päivänä.", (AFTER, OPEN), {"medication_stage": "giving"}),
    ],
    "data_protection": [
        ("Nuorta koskeva raportti lähti sähköpostilla väärälle vastaanottajalle.", ALL,
         {"data_concerned": "Raportti sosiaalityöntekijälle, sähköposti", "personal_data_breach": True}),
        ("Toimiston tietokone jäi lukitsematta, ja nuori näki näytöltä toisen nuoren tietoja.", (HOME,),
         {"data_concerned": "Asiakastietojärjestelmä", "personal_data_breach": True}),
        ("Asiakastietoja sisältävä tuloste löytyi yhteisestä tulostimesta.", ALL,
         {"data_concerned": "Paperituloste, asiakassuunnitelma", "personal_data_breach": True}),
        ("Työpuhelin katosi vuoron aikana.", ALL, {"data_concerned": "Työpuhelin, yhteystiedot ja viestit", "personal_data_breach": True}),
        ("Kirjaus tehtiin vahingossa väärän asiakkaan tietoihin.", ALL,
         {"data_concerned": "Asiakastietojärjestelmä, päivittäiset kirjaukset"}),
        ("Työntekijä sai tietojenkalasteluviestin ja avasi sen liitteen.", ALL,
         {"data_concerned": "Sähköposti, työasema"}),
        ("Yksikön kuvaa, jossa nuori oli tunnistettavissa, jaettiin vahingossa somessa.", (HOME,),
         {"data_concerned": "Yksikön somekanava", "personal_data_breach": True}),
        ("Toimiston arkistokaappi oli jäänyt viikonlopuksi lukitsematta.", ALL, {"data_concerned": "Paperiarkisto"}),
    ],
    "harassment": [
        ("Ohjaaja puhui nuorelle halventavasti muiden nuorten kuullen.", (HOME,), {}),
        ("Työntekijä kommentoi kollegan ulkonäköä asiattomasti vuoron aikana.", ALL, {}),
        ("{opener} {who} kertoi kokeneensa, että häntä kohdeltiin rangaistuksen omaisesti.", (HOME,), {}),
        ("Nuoret kiusasivat yhtä nuorta yhteisessä viestiryhmässä.", (HOME,), {}),
        ("Asiakas lähetti työntekijälle toistuvasti asiattomia viestejä.", (OPEN, AFTER), {}),
        ("Työntekijään kohdistettiin vuoron aikana seksuaalissävytteisiä kommentteja.", ALL, {}),
    ],
    "client_rights": [
        ("Nuoren puhelin otettiin pois ilman rajoituspäätöstä.", (HOME,), {}),
        ("Nuoren huone tarkastettiin ilman, että nuori oli paikalla, eikä tarkastusta kirjattu.", (HOME,), {}),
        ("Yhteydenpitoa vanhempaan rajoitettiin ilman päätöstä.", (HOME,), {}),
        ("Kiinnipidon jälkeinen keskustelu jäi käymättä nuoren kanssa.", (HOME,), {}),
        ("{who} ei ollut saanut tietoa oikeudestaan tehdä muistutus.", ALL, {}),
        ("Nuoren mielipidettä ei kuultu koulunvaihdosta päätettäessä.", ALL, {}),
        ("Rajoituspäätöksen valitusosoitus jäi antamatta nuorelle.", (HOME,), {}),
        ("Asiakkaan toivetta tapaamisajan muuttamisesta ei käsitelty.", (OPEN, AFTER), {}),
    ],
    "grievance": [
        ("Yövuorossa on toistuvasti vain yksi ohjaaja, vaikka nuoria on paljon. Pidän tätä epäkohtana nuorten turvallisuudelle.", (HOME,), {}),
        ("Nuoria rangaistaan toistuvasti viikkorahan menetyksellä, mitä pidän epäasiallisena kohteluna.", (HOME,), {}),
        ("Yksikössä käytetään rajoitustoimenpiteitä ilman päätöksiä ja kirjauksia.", (HOME,), {}),
        ("Perehdyttämättömiä sijaisia on vuorossa yksin, mikä vaarantaa asiakasturvallisuuden.", ALL, {}),
        ("Nuorten terveydenhoitoon liittyviä käyntejä on jäänyt toistuvasti toteutumatta.", ALL, {}),
        ("Lääkehoitosuunnitelma on vanhentunut, eikä vuorossa ole aina lääkeluvallista työntekijää.", (HOME,), {}),
        ("Asiakkaiden tapaamisia on peruttu toistuvasti henkilöstöpulan vuoksi, eikä korvaavia aikoja ole tarjottu.", (OPEN, AFTER), {}),
    ],
}

DETAILS = {
    "quality": [
        "Asiasta sovittiin uusi aika heti seuraavalle päivälle.",
        "Tilanne on toistunut aiemminkin tässä kuussa.",
        "Nuori oli tilanteesta pettynyt ja kertoi sen ohjaajalle.",
        "",
    ],
    "threat_or_violence": [
        "Tilanne rauhoittui noin kahdessakymmenessä minuutissa.",
        "Paikalla oli kaksi ohjaajaa, ja muut nuoret ohjattiin omiin huoneisiinsa.",
        "Tilanne purettiin nuoren kanssa samana iltana.",
        "Tilanteen taustalla oli riita puhelimen käyttöajasta.",
        "",
    ],
    "near_miss": ["Vahinkoa ei syntynyt.", "Asia korjattiin heti.", "Vastaava tilanne on ollut lähellä aiemminkin.", ""],
    "medication": [
        "Nuoren vointia seurattiin, eikä haittoja havaittu.",
        "Asiasta konsultoitiin päivystävää sairaanhoitajaa.",
        "Virhe huomattiin seuraavan lääkkeenjaon yhteydessä.",
        "",
    ],
    "data_protection": [
        "Vastaanottajaa pyydettiin poistamaan viesti, ja hän vahvisti poiston.",
        "Asiasta ilmoitettiin heti esihenkilölle ja tietosuojavastaavalle.",
        "",
    ],
    "harassment": ["Asiasta keskusteltiin osapuolten kanssa erikseen.", "Tilanteen näki myös toinen työntekijä.", ""],
    "client_rights": ["Asia otettiin puheeksi nuoren kanssa seuraavana päivänä.", "Nuori oli asiasta pahoillaan ja vihainen.", ""],
    "grievance": [
        "Olen ottanut asian puheeksi aiemmin, mutta mikään ei ole muuttunut.",
        "Ilmoitan asiasta sosiaalihuollon valvontalain 29 §:n mukaisesti.",
        "",
    ],
}

IMMEDIATE = {
    "quality": ["Sovittiin korvaava aika.", "Asia kirjattiin raporttiin ja kerrottiin seuraavalle vuorolle.", "Esihenkilölle ilmoitettiin puhelimitse."],
    "threat_or_violence": [
        "Tilanne rauhoitettiin sanallisesti, ja muut nuoret siirrettiin turvaan.",
        "Kutsuttiin lisäapua naapuriyksiköstä.",
        "Tehtiin jälkipuinti työvuorossa olleiden kanssa.",
        "Rikottu ikkuna peitettiin ja kiinteistöhuolto tilattiin.",
    ],
    "near_miss": ["Korjattiin heti.", "Laitettiin tilalle uusi ja tarkistettiin muut.", "Ohjeistettiin vuorossa olevat."],
    "medication": [
        "Soitettiin päivystävälle sairaanhoitajalle ja toimittiin ohjeen mukaan.",
        "Nuoren vointia seurattiin illan ja yön ajan.",
        "Lääkelista tarkistettiin ja korjattiin.",
    ],
    "data_protection": [
        "Pyydettiin vastaanottajaa poistamaan viesti.",
        "Vaihdettiin salasanat ja ilmoitettiin IT-tukeen.",
        "Ilmoitettiin tietosuojavastaavalle.",
        "Tuloste hävitettiin tietoturvallisesti.",
    ],
    "harassment": ["Keskusteltiin asianosaisten kanssa.", "Ilmoitettiin esihenkilölle.", "Nuorta tuettiin ja kuultiin."],
    "client_rights": ["Puhelin palautettiin nuorelle.", "Keskusteltiin nuoren kanssa ja pahoiteltiin.", "Tehtiin puuttuva kirjaus."],
    "grievance": ["", "Olen keskustellut asiasta vuorossa olleiden kanssa."],
}

PROPOSALS = {
    "quality": ["Kuljetukset varmistetaan viikkopalaverissa.", "Vuoronvaihtoon yhteinen tarkistuslista.", "Sijaisille lyhyt perehdytysmateriaali."],
    "threat_or_violence": [
        "Ennakoidaan iltatoimien tilanteita paremmin ja sovitaan yhteiset rajat.",
        "MAPA-kertauskoulutus koko tiimille.",
        "Iltaan kaksi ohjaajaa myös viikonloppuisin.",
    ],
    "near_miss": ["Lukitusten tarkistus vuoronvaihdon listalle.", "Kuukausittainen turvallisuuskierros."],
    "medication": ["Kaksoistarkistus lääkkeenjakoon.", "Lääkkeenanto kuitataan heti.", "Lääkelupien päivitys sijaisille."],
    "data_protection": ["Sähköpostin vastaanottaja tarkistetaan aina kahdesti.", "Näytönlukitus automaattiseksi.", "Tietosuojakoulutus tiimille."],
    "harassment": ["Yhteiset pelisäännöt puhetavasta.", "Työnohjaus tiimille."],
    "client_rights": ["Rajoitustoimenpiteiden kertauskoulutus.", "Nuorten kanssa läpi heidän oikeutensa."],
    "grievance": ["Henkilöstömitoitus tarkistettava.", "Rajoituskäytännöt läpi koko tiimin kanssa."],
}

CONTRIBUTING = [
    "Vuorossa oli tavallista vähemmän henkilökuntaa.",
    "Tieto ei kulkenut vuoronvaihdossa.",
    "Ohje oli olemassa, mutta sitä ei ollut käyty läpi sijaisten kanssa.",
    "Kiireinen ilta ja useampi samanaikainen tilanne.",
    "Uusi työntekijä ei ollut vielä saanut perehdytystä tähän.",
    "Nuoren tilanne oli kiristynyt jo päivän aikana.",
    "Järjestelmän käyttö oli epäselvää.",
]

ANALYSES = [
    "Tilanne olisi ollut ennakoitavissa; tarvitaan yhteinen toimintatapa.",
    "Kyseessä oli yksittäinen virhe, mutta prosessissa on aukko, joka korjataan.",
    "Juurisyy on vuoronvaihdon tiedonkulussa.",
    "Toimittiin ohjeen mukaan, mutta ohje ei kata tätä tilannetta.",
    "Samankaltaisia ilmoituksia on tullut aiemmin, joten asia viedään aluejohtajan katselmointiin.",
]

ACTION_TITLES = {
    "quality": ["Päivitetään vuoronvaihdon tarkistuslista", "Käydään kuljetusten sopiminen läpi tiimipalaverissa", "Laaditaan sijaisille tiivis perehdytyskortti"],
    "threat_or_violence": ["Järjestetään MAPA-kertauskoulutus", "Sovitaan iltatoimien yhteiset rajat nuorten kanssa", "Lisätään toinen ohjaaja iltavuoroon viikonloppuisin"],
    "near_miss": ["Lisätään lukitusten tarkistus vuoronvaihdon listalle", "Tehdään turvallisuuskierros ja korjaukset"],
    "medication": ["Otetaan käyttöön kaksoistarkistus lääkkeenjaossa", "Päivitetään lääkehoitosuunnitelma", "Tarkistetaan sijaisten lääkeluvat"],
    "data_protection": ["Tietosuojan kertauskoulutus tiimille", "Otetaan automaattinen näytönlukitus käyttöön", "Päivitetään sähköpostin lähetysohje"],
    "harassment": ["Sovitaan tiimin yhteiset puhetavan pelisäännöt", "Järjestetään työnohjaus"],
    "client_rights": ["Kerrataan rajoitustoimenpiteiden päätös- ja kirjauskäytäntö", "Käydään nuorten oikeudet läpi yhteisökokouksessa"],
    "grievance": ["Tarkistetaan yövuoron henkilöstömitoitus", "Selvitetään rajoituskäytännöt ja korjataan kirjaukset", "Laaditaan korjaava suunnitelma ja raportoidaan hyvinvointialueelle"],
}

ANSWERS = {
    "quality": "Kiitos ilmoituksesta. Kävimme tilanteen läpi ja sovimme toimintatavan, jolla vastaava ei toistu.",
    "threat_or_violence": "Kiitos ilmoituksesta ja hyvästä toiminnasta tilanteessa. Tilanne on purettu, ja sovimme ennakoivista toimista.",
    "near_miss": "Kiitos, että huomasit ja ilmoitit. Puute on korjattu ja tarkistus lisätty rutiineihin.",
    "medication": "Kiitos ilmoituksesta. Lääkehoidon käytäntö on tarkistettu ja kaksoistarkistus otettu käyttöön.",
    "data_protection": "Kiitos ilmoituksesta. Tietosuojavastaava on arvioinut tapahtuman, ja tarvittavat toimet on tehty.",
    "harassment": "Kiitos ilmoituksesta. Asia on käsitelty osapuolten kanssa, ja tilannetta seurataan.",
    "client_rights": "Kiitos ilmoituksesta. Asia on korjattu nuoren kanssa, ja käytäntö kerrataan koko tiimin kanssa.",
    "grievance": "Kiitos epäkohtailmoituksesta. Asia on ilmoitettu hyvinvointialueelle, ja korjaavat toimenpiteet on käynnistetty.",
}
ANSWER_ENDINGS = [
    "Käsittelemme asian myös seuraavassa tiimipalaverissa.",
    "Seuraamme tilannetta seuraavan kuukauden ajan.",
    "Päivitetty ohje on kuitattavana kaikilla.",
    "",
]

COMPLETION_NOTES = [
    "Tehty ja käyty läpi tiimipalaverissa.",
    "Ohje päivitetty ja kuitattu koko tiimiltä.",
    "Toteutettu; vaikutusta seurataan seuraavassa katselmoinnissa.",
    "Koulutus pidetty, poissaolijat kuittasivat materiaalin.",
]

EFFECTIVENESS_EVIDENCE = [
    "Vastaavia ilmoituksia ei ole tullut kuukauden aikana.",
    "Tarkistuslista on käytössä kaikissa vuoroissa; pistokokeissa puutteita ei löytynyt.",
    "Tiimipalaverissa todettiin, että uusi käytäntö toimii. Seurantaa jatketaan.",
    "Ilmoituksia tuli yksi, lievempi kuin aiemmin. Käytäntö kerrataan vielä sijaisten kanssa.",
]

REOPEN_REASONS = [
    "Tilanne toistui, eivätkä sovitut toimenpiteet riittäneet.",
    "Aluejohtajan katselmoinnissa todettiin, että juurisyyn selvitys on kesken.",
    "Nuoren sosiaalityöntekijä pyysi lisäselvitystä.",
]

# Why a responsible person closed a § 29 grievance before its action was done.
UNCORRECTED_CLOSE_REASONS = [
    "Korjaus odottaa kiinteistön omistajan remonttia; seuranta jatkuu toimenpiteen kautta.",
    "Henkilöstön lisäys alkaa seuraavan rekrytoinnin jälkeen; toimenpide on aikataulutettu.",
]

MEDICATION_SUBSTANCES = [
    "melatoniini", "metyylifenidaatti", "ketiapiini", "sertraliini", "astmalääke (inhalaattori)",
    "ibuprofeeni", "aripipratsoli", "risperidoni", "lisdeksamfetamiini", "essitalopraami",
]


def compose_description(rng, kind: str, service_type: str):
    """(description, location, immediate_actions, improvement_proposal, extra fields)."""
    events = [e for e in EVENTS[kind] if service_type in e[1]] or EVENTS[kind]
    text, _types, extra = rng.choice(events)
    opener = rng.choice(OPENERS[service_type])
    who = rng.choice(WHO[service_type])
    sentence = text.format(opener=opener, who=who)
    sentence = sentence[0].upper() + sentence[1:]
    detail = rng.choice(DETAILS[kind])
    description = f"{sentence} {detail}".strip()
    extra = dict(extra)
    if kind == "medication":
        extra["medication_substance"] = rng.choice(MEDICATION_SUBSTANCES)
    if kind == "threat_or_violence":
        extra.setdefault("injury", rng.random() < 0.12)
        extra.setdefault("police", rng.random() < 0.04)  # the handler records it (informed parties)
        extra["restraint_used"] = service_type == HOME and rng.random() < 0.18
    immediate = rng.choice(IMMEDIATE[kind])
    proposal = rng.choice(PROPOSALS[kind]) if rng.random() < 0.6 else ""
    location = rng.choice(LOCATIONS[service_type])
    return description, location, immediate, proposal, extra


def compose_answer(rng, kind: str) -> str:
    return f"{ANSWERS[kind]} {rng.choice(ANSWER_ENDINGS)}".strip()


COUNTY_SUMMARIES = {
    "grievance": "Työntekijä on tehnyt sosiaalihuollon valvontalain 29 §:n mukaisen epäkohtailmoituksen. "
    "Asia on otettu käsittelyyn, tilanne on arvioitu ja korjaavat toimenpiteet on käynnistetty.",
}
DEFAULT_COUNTY_SUMMARY = (
    "Tilanteessa asiakasturvallisuus vaarantui vakavasti. Välittömät toimet tehtiin heti, asiakkaan vointia "
    "seurataan ja tapahtuman selvitys sekä korjaavat toimenpiteet ovat käynnissä."
)
AUTHORITY_SUMMARY = (
    "Korjaavat toimenpiteet on päätetty, mutta niitä ei ole saatu toteutettua sovitussa ajassa "
    "henkilöstöpulan vuoksi. Tilannetta seurataan viikoittain."
)


def county_summary(kind: str) -> str:
    return COUNTY_SUMMARIES.get(kind, DEFAULT_COUNTY_SUMMARY)

# Who was informed (deviations' informed parties): the police's row.
INFORMED_POLICE_BY = "Yövuoron ohjaaja soitti hätänumeroon"
INFORMED_POLICE_NOTE = "Partio kävi paikalla ja kirjasi tapahtuman."

# The handling questions: the outside party, and the one proposal to change an instruction.
OUTSIDE_PARTY = "Työterveyshuolto"
PROPOSAL_INSTRUCTION = "Vuoronvaihdon raportointiohje"
PROPOSAL_TEXT = (
    "Tilanne olisi voitu ennakoida, jos tieto olisi kulkenut vuoronvaihdossa. Ehdotan, että ohjeeseen lisätään "
    "lyhyt tarkistuslista: lähtevä ja tuleva ohjaaja käyvät yhdessä läpi nuorten voinnin, lääkityksen ja sovitut asiat."
)
