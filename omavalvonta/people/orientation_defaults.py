"""The orientation cards a provider starts with: one per role, version 1,
published. Each item has its theme, its target day (days from the start: 0 the
first shift, 7 the first week, 30 the first month) and whether the newcomer
acknowledges reading it. The content follows the provider's orientation
practice (issue 18); the quality director edits it as new versions. Loaded by
migration 0004; `ensure_default_cards` loads it again for the demo and for
tests after a transactional test has flushed the migration's rows."""

from __future__ import annotations

import datetime as dt

ALL = ("instructor", "supervisor", "hourly", "student", "agency")
LEADS = ("supervisor",)
STAFF = ("instructor", "supervisor", "hourly")

# theme, target day, acknowledged, roles, fi, sv, en
ITEMS = [
    ("unit", 0, False, ALL, "Yksikön tilat, avaimet ja hätäpoistumistiet",
     "Enhetens lokaler, nycklar och nödutgångar", "The unit's premises, keys and emergency exits"),
    ("unit", 0, False, ALL, "Lapset ja heidän päivärytminsä",
     "Barnen och deras dagsrytm", "The children and their daily rhythm"),
    ("safety", 0, True, ALL, "Turvallisuus- ja pelastussuunnitelma luettu",
     "Säkerhets- och räddningsplanen läst", "Safety and rescue plan read"),
    ("safety", 7, False, ALL, "Uhka- ja väkivaltatilanteiden toimintaohje ja hälytykset",
     "Anvisningar och larm vid hot- och våldssituationer", "Instructions and alarms for threat and violence"),
    ("medication", 7, True, STAFF, "Lääkehoitosuunnitelma luettu", "Läkemedelsplanen läst", "Medication plan read"),
    ("medication", 30, False, STAFF, "Lääkkeiden jako ja kirjaaminen ohjatusti",
     "Att dela ut och dokumentera läkemedel under handledning", "Giving and recording medication under guidance"),
    ("data_protection", 0, True, ALL, "Vaitiolovelvollisuus ja salassapitositoumus",
     "Tystnadsplikt och sekretessförbindelse", "Duty of confidentiality and the non-disclosure undertaking"),
    ("data_protection", 7, True, ALL, "Tietosuoja- ja tietoturvaohje luettu",
     "Anvisningen om dataskydd och informationssäkerhet läst", "Data-protection and information-security instruction read"),
    ("plans", 7, True, ALL, "Yksikön omavalvontasuunnitelma luettu",
     "Enhetens plan för egenkontroll läst", "The unit's self-supervision plan read"),
    ("plans", 7, True, ALL, "Hyvän kohtelun suunnitelma luettu", "Planen för gott bemötande läst",
     "The good-treatment plan read"),
    ("systems", 0, False, ALL, "Tunnukset asiakastietojärjestelmään ja Omavalvontaan",
     "Inloggningar till klientdatasystemet och Omavalvonta", "Accounts for the client records system and Omavalvonta"),
    ("systems", 7, False, STAFF, "Päivittäinen kirjaaminen asiakastietojärjestelmään",
     "Daglig dokumentation i klientdatasystemet", "Daily recording in the client records system"),
    ("quality", 7, False, ALL, "Poikkeamien ja epäkohtien ilmoittaminen",
     "Att anmäla avvikelser och missförhållanden", "Reporting deviations and shortcomings"),
    ("quality", 30, False, STAFF, "Laatujärjestelmä, vuosikello ja yksikön kokoukset",
     "Kvalitetssystemet, årshjulet och enhetens möten", "The quality system, the yearly calendar and the unit's meetings"),
    ("quality", 30, False, LEADS, "Esihenkilön tehtävät: työvuorot, perehdytykset ja omavalvonnan seuranta",
     "Förmannens uppgifter: arbetsskift, introduktioner och uppföljning av egenkontrollen",
     "The supervisor's duties: shifts, orientations and following self-supervision"),
    ("unit", 30, False, ("student",), "Harjoittelun tavoitteet ja ohjaajan tapaamiset",
     "Praktikens mål och möten med handledaren", "The placement's goals and meetings with the mentor"),
]


def load_default_cards(OrientationCard, CardItem) -> None:
    for role in ALL:
        card, created = OrientationCard.objects.get_or_create(
            for_role=role, version=1, defaults={"published_at": dt.datetime(2026, 1, 1, tzinfo=dt.UTC)}
        )
        if not created:
            continue
        CardItem.objects.bulk_create(
            [
                CardItem(card=card, theme=theme, target_day=day, needs_ack=ack, text=fi, text_sv=sv, text_en=en, order=i)
                for i, (theme, day, ack, roles, fi, sv, en) in enumerate(ITEMS)
                if role in roles
            ]
        )


def ensure_default_cards() -> None:
    from omavalvonta.people.models import CardItem, OrientationCard

    if not OrientationCard.objects.exists():
        load_default_cards(OrientationCard, CardItem)
