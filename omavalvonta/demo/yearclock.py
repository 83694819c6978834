"""Demo quality calendar and risk registers: the default duties of the group,
a year of their occurrences in every unit (the past half year mostly done, a few
late), and a few risks per unit with one assessment session in the demo unit.

Fast: templates, risks and the assessment go through the services; the past
occurrences (which the services only ever generate forward) are bulk-inserted
with the fields completion writes, as history."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone, translation

from omavalvonta.audits import services as audit_services
from omavalvonta.demo.builder import DEMO_UNIT_NAME
from omavalvonta.notifications.models import DeliveryState, Notification
from omavalvonta.organisation.models import Membership, Role, Unit
from omavalvonta.risks import services as risk_services
from omavalvonta.yearclock import reminders as calendar_reminders, services as calendar_services
from omavalvonta.yearclock.models import Occurrence, OccurrenceState

PAST_MONTHS = 6

RISKS = [
    ("client_safety", "Nuoren karkaaminen yöaikaan", 3, 3, "Yövalvonta, ovihälyttimet, karkaamistilanteiden toimintaohje."),
    ("client_safety", "Lääkkeiden jakovirhe", 2, 3, "Kaksoistarkistus, lääkehoitosuunnitelma, lääkeluvat voimassa."),
    ("staff_safety", "Uhkaava tai väkivaltainen tilanne", 3, 3, "Turvallisuuskoulutus, hälytyspainikkeet, jälkipuinti."),
    ("premises", "Liukas piha talvella", 3, 1, "Hiekoitus ja lumityöt huoltoyhtiöltä, tarkistus aamuvuorossa."),
    ("information_systems", "Asiakastietojärjestelmän katkos", 2, 2, "Paperiset varalomakkeet, tärkeimmät tiedot tulostettuna."),
    ("continuity", "Äkillinen henkilöstöpula", 3, 2, "Sijaislista, yhteistyö alueen muiden yksiköiden kanssa."),
]


def _first(role, unit=None, region=None):
    m = (
        Membership.objects.filter(role=role, user__is_active=True, unit=unit, region=region)
        .select_related("user")
        .order_by("user__full_name", "user_id")
        .first()
    )
    return m.user if m else None


def _months_back(today: dt.date, count: int) -> list[tuple[int, int]]:
    year, month = today.year, today.month
    out = []
    for _ in range(count):
        month -= 1
        if month == 0:
            year, month = year - 1, 12
        out.append((year, month))
    return out


@transaction.atomic
def build(*, log=print, seed: int = 2026) -> dict:
    rng = random.Random(seed)
    today = timezone.localdate()
    last_notification = Notification.objects.order_by("-id").values_list("id", flat=True).first() or 0
    director = _first(Role.QUALITY_DIRECTOR)
    if director is None:
        return {}
    with translation.override("fi"):
        templates = calendar_services.obligation_templates_install_defaults(actor=director)
    resolver = calendar_services.OwnerResolver()
    units = list(Unit.objects.filter(is_active=True).only("pk", "region_id", "name"))
    history = []
    for template in templates:
        for year, month in _months_back(today, PAST_MONTHS):
            for due in template.due_dates_in(year, month):
                for unit in units:
                    owner_id = resolver.owner_id(template.owner_role, unit)
                    late = rng.random() < 0.08
                    done_on = due - dt.timedelta(days=rng.randint(0, 12))
                    history.append(
                        Occurrence(
                            template=template, unit=unit, due_date=due, owner_id=owner_id,
                            state=OccurrenceState.OPEN if late else OccurrenceState.DONE,
                            completed_at=None if late else timezone.make_aware(dt.datetime.combine(done_on, dt.time(14))),
                            completed_by_id=None if late else owner_id,
                            evidence_note="" if late else "Tehty ja kirjattu tiimipalaverin muistioon.",
                        )
                    )
    Occurrence.objects.bulk_create(history, ignore_conflicts=True, batch_size=1000)

    risks = 0
    demo_unit = next((u for u in units if u.name == DEMO_UNIT_NAME), None)
    for unit in units:
        supervisor = _first(Role.SUPERVISOR, unit=unit) or director
        chosen = RISKS if unit is demo_unit else rng.sample(RISKS, 2)
        made = []
        for category, title, likelihood, consequence, controls in chosen:
            made.append(
                risk_services.risk_create(
                    actor=director, unit=unit, category=category, title=title, likelihood=likelihood,
                    consequence=consequence, controls=controls, owner=supervisor if supervisor != director else None,
                    next_review=today + dt.timedelta(days=rng.randint(30, 300)),
                )
            )
            risks += 1
        if unit is demo_unit:
            staff = [m.user for m in Membership.objects.filter(unit=unit).select_related("user")[:5]]
            assessment = risk_services.risk_assessment_create(
                actor=director, unit=unit, held_on=today - dt.timedelta(days=40), participants=staff, risks=made,
                summary="Käytiin läpi yksikön riskit. Karkaamisriskiin lisätään yökierrosten kirjaus.",
            )
            if supervisor is not None:
                risk_services.risk_assessment_action_create(
                    actor=director, assessment=assessment, title="Yökierrosten kirjaus omavalvontalokiin",
                    owner=supervisor, due_date=today + dt.timedelta(days=20),
                )
    if demo_unit is not None:
        _audits_and_continuity(director, demo_unit, today)
    _security_plan(director, today)
    # The compliance register: tracked documents (one late) and purchased-service partners.
    from omavalvonta.demo import documents as demo_documents

    demo_documents.build(director, units, demo_unit, today)

    # The job's reminders and escalations so far are history, as the rest of the
    # demo year is: claimed (never sent again) and marked sent, so the worker
    # starts without a backlog.
    calendar_reminders.obligations_remind_and_escalate()
    Notification.objects.filter(id__gt=last_notification, state=DeliveryState.PENDING).update(
        state=DeliveryState.SENT, sent_at=timezone.now()
    )
    log(f"Quality calendar: {len(templates)} duties, {len(history)} past occurrences; {risks} risks.")
    return {"quality calendar duties": len(templates), "risks": risks}


CRITERIA = """Omavalvontasuunnitelma on päivitetty viimeisen neljän kuukauden aikana
Jokainen työntekijä on perehdytetty ja perehdytyskortti on allekirjoitettu
Poikkeamat käsitellään tiimipalaverissa kuukauden sisällä
Lääkehoitosuunnitelma on ajan tasalla ja lääkeluvat voimassa
Asiakaspalautteen tulokset käsitellään neljännesvuosittain
Rikostaustaotteet on tarkistettu kaikilta lasten kanssa työskenteleviltä"""


def _audits_and_continuity(director, unit, today):
    """A checklist, a self-assessment and an internal audit with a finding in the
    demo unit, and its continuity: systems, plan and a drill."""
    supervisor = _first(Role.SUPERVISOR, unit=unit)
    checklist = audit_services.checklist_save(
        actor=director, title="Laatujärjestelmän vaatimukset", criteria_text=CRITERIA,
        description="Konsernin laatujärjestelmän keskeiset vaatimukset yksiköille.",
    )
    results = ["met", "met", "partly", "met", "not_met", "met"]
    criteria = list(checklist.criteria.all())
    assessment = audit_services.self_assessment_create(
        actor=director,
        unit=unit,
        checklist=checklist,
        held_on=today - dt.timedelta(days=60),
        answers={
            c.pk: (r, "Palautetta ei ole käsitelty syksyllä." if r == "not_met" else "") for c, r in zip(criteria, results, strict=False)
        },
        summary="Pääosin kunnossa; palautteiden käsittely vaatii rytmin.",
    )
    audit = audit_services.audit_create(
        actor=director, unit=unit, kind="internal", held_on=today - dt.timedelta(days=45), auditor="Konsernin laatutiimi",
        summary="Sisäinen auditointi: dokumentaatio hyvällä tasolla.",
    )
    audit_services.finding_add(actor=director, audit=audit, kind="strength", text="Poikkeamat käsitellään viikoittain.")
    finding = audit_services.finding_add(
        actor=director, audit=audit, kind="nonconformity", text="Lääkejääkaapin lämpötilaseuranta puuttuu kahdelta viikolta."
    )
    if supervisor is not None:
        audit_services.finding_action_create(
            actor=director, finding=finding, title="Lämpötilaseurannan kuittaus iltavuoron tehtävälistaan",
            owner=supervisor, due_date=today + dt.timedelta(days=14),
        )
    systems = [
        (1, "Asiakastietojärjestelmä", "Paperiset kirjauslomakkeet, kirjaukset järjestelmään katkoksen jälkeen", "8 tuntia"),
        (2, "Lääkitystiedot ja lääkelistat", "Tulostetut lääkelistat lääkekaapissa, päivitys viikoittain", "2 tuntia"),
        (3, "Puhelimet ja hälytykset", "Varapuhelin ja paperinen yhteystietolista toimistossa", "1 tunti"),
    ]
    for position, name, fallback, outage in systems:
        audit_services.critical_system_save(
            actor=director, unit=unit, name=name, position=position, owner=supervisor, fallback=fallback,
            tolerable_outage=outage,
        )
    audit_services.continuity_plan_save(
        actor=director, unit=unit,
        threats="Sähkökatko, vesikatko, tietoliikennekatko, henkilöstön äkillinen poissaolo, tulipalo.",
        preparedness="Vettä 6 l/hlö, säilykeruokaa ja lääkkeet kolmeksi päiväksi, taskulamput ja paristot, lämpöpeitot.",
        contacts="Vuorovastaava johtaa, esihenkilö tiedottaa aluejohtajalle ja hyvinvointialueelle.",
    )
    staff = [m.user for m in Membership.objects.filter(unit=unit).select_related("user")[:4]]
    audit_services.drill_record(
        actor=director, unit=unit, held_on=today - dt.timedelta(days=20), scenario="Sähkökatko iltavuorossa",
        participants=staff, lessons="Taskulamppuja lisättiin jokaiseen kerrokseen; yhteystietolista päivitettiin.",
    )
    return assessment


SECURITY_PLAN = {
    "scope": "Suunnitelma koskee konsernin kaikkia yhtiöitä ja yksiköitä sekä vuokratyöntekijöitä. Tietoturvasta "
             "vastaa laatujohtaja yhdessä tietosuojavastaavan kanssa; jokaisella tietojärjestelmällä on nimetty pääkäyttäjä.",
    "systems": "Käytössä ovat asiakastietojärjestelmä, työvuorosuunnittelu, henkilöstöhallinto ja taloushallinto "
               "sekä työasemat ja M365. Asiakastietojärjestelmä täyttää olennaiset vaatimukset.",
    "access": "Käyttöoikeudet myönnetään roolin ja yksikön mukaan. Esihenkilö pyytää oikeudet perehdytyksen alussa "
              "ja ne poistetaan työsuhteen päättyessä samana päivänä.",
    "logs": "Tietosuojavastaava käy lokit läpi kuukausittain ja aina, kun asiakas pyytää tietoa tietojensa käsittelystä.",
    "training": "Jokainen uusi työntekijä käy tietosuojan ja tietoturvan perehdytyksen perehdytyskortin mukaan.",
    "incidents": "Tietoturvapoikkeamasta ilmoitetaan heti esihenkilölle ja tietosuojavastaavalle; poikkeama kirjataan "
                 "poikkeamana ja tarvittavat ilmoitukset viranomaisille tehdään määräajassa.",
    "continuity": "Yksiköiden valmius- ja jatkuvuussuunnitelmissa kuvataan varamenettelyt ja siedettävät katkot.",
    "review": "Suunnitelma katselmoidaan vähintään kerran vuodessa ja aina tietojärjestelmien tai lainsäädännön muuttuessa.",
}


def _security_plan(director, today):
    """The information-security plan: last year's approved version and this
    year's annual review with a change, so that the comparison shows it."""
    from omavalvonta.audits.models import SecurityPlanVersion

    first = audit_services.security_plan_draft_start(actor=director)
    audit_services.security_plan_draft_save(actor=director, version=first, sections=SECURITY_PLAN)
    audit_services.security_plan_approve(actor=director, version=first, review_note="Ensimmäinen versio.")
    SecurityPlanVersion.objects.filter(pk=first.pk).update(
        approved_at=timezone.now() - dt.timedelta(days=330), created_at=timezone.now() - dt.timedelta(days=340)
    )
    second = audit_services.security_plan_draft_start(actor=director)
    sections = dict(SECURITY_PLAN, logs=SECURITY_PLAN["logs"] + " Poikkeavista lukukerroista kysytään lukijalta syy.")
    audit_services.security_plan_draft_save(
        actor=director, version=second, sections=sections, change_note="Lokien seurantaan lisättiin poikkeavien lukujen selvitys.",
    )
    audit_services.security_plan_approve(
        actor=director, version=second,
        review_note=f"Vuosikatselmus {today:%d.%m.%Y} tietosuojavastaavan ja pääkäyttäjien kanssa.",
    )
