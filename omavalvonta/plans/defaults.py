"""The default section templates, shipped with the product and editable by the
quality director. The structure follows Valvira's regulation 1/2024 on the
content of a self-supervision plan (1 provider and unit, 2 client safety,
3 risk management, 4 implementation, publication, follow-up and updating).
Headings and guidance are in Finnish: they are the organisation's document
content, not the user interface."""

# (key, number, title, guidance, required, live_fact)
SELF_SUPERVISION = [
    ("perustiedot", "1.1", "Palveluntuottajan ja palveluyksikön perustiedot",
     "Järjestelmä täyttää palveluntuottajan ja yksikön tiedot, palvelut ja asiakaspaikat. Kuvaa lisäksi yksikön "
     "toiminta-ajatus ja kenelle palvelu on tarkoitettu.", True, "unit_details"),
    ("vastuuhenkilot", "1.2", "Vastuuhenkilöt",
     "Järjestelmä hakee yksikön nimetyt vastuuhenkilöt ja heidän yhteystietonsa. Kerro tarvittaessa vastuunjaosta.",
     True, "responsible_persons"),
    ("laatuvaatimukset", "2.1", "Palveluiden laadulliset edellytykset",
     "Mitkä laatuvaatimukset palvelua ohjaavat (lainsäädäntö, hyvinvointialueen sopimus, laatujärjestelmä) "
     "ja miten niiden toteutuminen varmistetaan arjessa.", True, ""),
    ("vastuu-laadusta", "2.2", "Vastuu palveluiden laadusta",
     "Kuka vastaa laadusta yksikössä ja miten johto seuraa sitä (kokousrakenne, omavalvontaloki).", True, ""),
    ("asiakkaan-asema", "2.3", "Asiakkaan asema ja oikeudet",
     "Miten lapsen oikeudet, osallisuus ja itsemääräämisoikeus toteutuvat; rajoitustoimenpiteiden käytön "
     "periaatteet ja kirjaaminen; sosiaaliasiavastaavan yhteystiedot.", True, ""),
    ("muistutukset", "2.4", "Muistutusten, kanteluiden ja palautteen käsittely",
     "Miten muistutus tehdään ja käsitellään, kuka vastaa ja missä ajassa vastataan.", True, ""),
    ("henkilosto", "2.5", "Henkilöstö ja henkilöstön riittävyyden seuranta",
     "Järjestelmä kokoaa henkilöstön määrän sekä voimassa olevat luvat ja koulutukset lukuina (ei nimiä). "
     "Kuvaa henkilöstön rakenne, mitoitus, perehdytys, täydennyskoulutus, rikostaustaotteiden tarkistaminen ja "
     "miten riittävyyttä seurataan vuoroittain.", True, "staffing"),
    ("yhteistyo", "2.6", "Monialainen yhteistyö ja palvelun koordinointi",
     "Yhteistyö lapsen sosiaalityöntekijän, koulun, terveydenhuollon ja muiden toimijoiden kanssa.", True, ""),
    ("toimitilat", "2.7", "Toimitilat ja välineet",
     "Tilat, turvallisuus, esteettömyys, siivous ja huolto; pelastussuunnitelma.", True, ""),
    ("tietojarjestelmat", "2.8", "Laitteet ja tietojärjestelmät",
     "Järjestelmä hakee yksikön kriittiset tietojärjestelmät kriittisyysjärjestyksessä (jos ne on kirjattu "
     "valmius- ja jatkuvuussuunnitelmaan). Kuvaa käytössä olevat laitteet ja miten häiriöt ilmoitetaan.",
     True, "information_systems"),
    ("laakehoito", "2.9", "Lääkehoitosuunnitelma",
     "Järjestelmä liittää lääkehoitosuunnitelman, pelastussuunnitelman, poistumisturvallisuusselvityksen ja muiden "
     "seurattujen asiakirjojen voimassa olevat versiot ja seuraavat tarkistuspäivät. Kerro, missä lääkehoitosuunnitelma "
     "on, ja miten lääkeluvat ja lääkepoikkeamat hoidetaan.",
     True, "documents"),
    ("tietosuoja", "2.10", "Asiakastiedon käsittely ja tietosuoja",
     "Asiakastietojen kirjaaminen, käsittely ja säilytys; tietosuojavastaava; tietoturvapoikkeamien ilmoittaminen.",
     True, ""),
    ("palaute", "2.11", "Asiakaspalautteen kerääminen ja hyödyntäminen",
     "Järjestelmä kokoaa kuluvan neljänneksen palautteiden määrät ja suositteluindeksin. Kerro, miten palautetta "
     "kerätään lapsilta, vanhemmilta ja sosiaalityöntekijöiltä ja miten se muuttaa toimintaa.",
     True, "feedback"),
    ("vaikuttavuus", "2.12", "Vaikuttavuus: lasten toimintakyvyn muutos",
     "Järjestelmä kokoaa, kuinka monen lapsen toimintakyky on luotettavasti parantunut, pysynyt ennallaan tai "
     "heikentynyt ensimmäisestä mittauksesta ja kuinka moni mittaus tehtiin ajallaan (alle viiden lapsen ryhmiä ei "
     "näytetä). Kerro, mitä yksikkö tekee tulosten perusteella.", True, "effectiveness"),
    ("riskienhallinta", "3.1", "Riskienhallinnan periaatteet",
     "Miten riskejä tunnistetaan ja arvioidaan (riskienarviointi, läheltä piti -tilanteet) ja kuka vastaa.",
     True, ""),
    ("ilmoittaminen", "3.2", "Epäkohtien ja puutteiden ilmoittaminen ja käsittely",
     "Järjestelmä kertoo, miten epäkohta ilmoitetaan (Sote-valvontalaki 29 §) ja miten ilmoitukset käsitellään. "
     "Lisää yksikön omat käytännöt.", True, "reporting"),
    ("riskit-ja-toimenpiteet", "3.3", "Ajankohtaiset riskit ja korjaavat toimenpiteet",
     "Järjestelmä kokoaa yksikön poikkeamat riskitasoittain ja korjaavien toimenpiteiden tilanteen. "
     "Kuvaa merkittävimmät riskit ja miten niihin on vastattu.", True, "risks"),
    ("ostopalvelut", "3.4", "Ostopalvelut ja alihankinta",
     "Jos yksikkö käyttää ostopalveluja tai alihankintaa, miten niiden laatua valvotaan.", False, ""),
    ("valmius", "3.5", "Valmius- ja jatkuvuudenhallinta",
     "Varautuminen häiriötilanteisiin, 72 tunnin omatoiminen varautuminen ja harjoitukset.", True, ""),
    ("toimeenpano", "4", "Toimeenpano, julkaiseminen, seuranta ja päivittäminen",
     "Miten henkilöstö perehtyy suunnitelmaan, missä se on nähtävillä ja miten sitä päivitetään "
     "vähintään neljän kuukauden välein.", True, ""),
]

GOOD_TREATMENT = [
    ("periaatteet", "1", "Hyvän kohtelun periaatteet yksikössämme",
     "Mitä hyvä kohtelu tarkoittaa juuri tässä kodissa – lasten omin sanoin, jos mahdollista.", True, ""),
    ("oikeudet", "2", "Lasten oikeudet ja osallisuus arjessa",
     "Järjestelmä kokoaa yksikön lasten viikko- ja kuukausikokoukset ja niiden aiheet viimeisen neljän kuukauden "
     "ajalta. Kerro, miten lapset vaikuttavat arjen sääntöihin, omiin asioihinsa ja yhteisiin päätöksiin.",
     True, "childrens_meetings"),
    ("epaasiallinen-kohtelu", "3", "Epäasiallisen kohtelun ehkäisy ja siihen puuttuminen",
     "Miten kiusaamista, väkivaltaa ja epäasiallista kohtelua ehkäistään ja miten niihin puututaan.", True, ""),
    ("rajoitukset", "4", "Rajoitustoimenpiteiden vähentäminen",
     "Järjestelmä kokoaa yksikön rajoitustoimenpiteet lajeittain viimeisen vuoden ajalta. Kerro, miten "
     "rajoitustoimenpiteitä vältetään ja miten niistä keskustellaan lapsen kanssa jälkikäteen.", True, "restrictions"),
    ("kertominen", "5", "Miten lapsi voi kertoa huolestaan",
     "Kenelle lapsi voi kertoa, miten asia käsitellään ja miten lapsen sosiaalityöntekijään saa yhteyden.",
     True, "reporting"),
]

DEFAULTS = {"self_supervision": SELF_SUPERVISION, "good_treatment": GOOD_TREATMENT}
