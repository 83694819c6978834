"""Demo self-supervision plans: every unit has an approved plan (children's
homes also a good-treatment plan), reviewed on time; one unit's review is
overdue, and the demo unit has a draft in progress. The group programme is
approved and the last follow-up report published.

Drafts, approvals and reviews go through the plans' services. The approval
dates are then moved into the past (history, as the rest of the demo year),
and the section texts of the drafts are written in bulk (fast)."""

from __future__ import annotations

import datetime as dt
import time

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone

from omavalvonta.demo.builder import DEMO_UNIT_NAME
from omavalvonta.notifications.models import DeliveryState, Notification
from omavalvonta.organisation.models import Membership, Role, ServiceType, Unit
from omavalvonta.plans import programme, services
from omavalvonta.plans.models import Plan, PlanKind, PlanSection, PlanVersion

TEXTS = {
    "perustiedot": "{unit} tarjoaa lastensuojelun palveluja hyvinvointialueiden asiakkaille. Toiminta-ajatuksemme on "
    "turvallinen arki, pysyvät aikuiset ja lapsen oma ääni kaikessa, mikä häntä koskee.",
    "vastuuhenkilot": "Vastuuhenkilö vastaa palvelun laadusta ja omavalvonnasta. Esihenkilö vastaa arjen "
    "johtamisesta ja työvuorosuunnittelusta.",
    "laatuvaatimukset": "Toimintaa ohjaavat lastensuojelulaki, sote-valvontalaki, hyvinvointialueiden "
    "palvelukuvaukset ja konsernin laatujärjestelmä. Laatua seurataan poikkeamien, asiakaspalautteen ja "
    "toimintakykymittarin avulla.",
    "vastuu-laadusta": "Laatu on jokaisen työntekijän vastuulla. Esihenkilö käy poikkeamat läpi kuukausittain "
    "työryhmän kanssa ja kahdesti kuukaudessa oman esihenkilönsä kanssa; havainnot kirjataan omavalvontalokiin.",
    "asiakkaan-asema": "Lapsella on nimetty omaohjaaja. Rajoitustoimenpiteet tehdään vain lain sallimin "
    "edellytyksin, kirjataan ja käydään lapsen kanssa läpi. Sosiaaliasiavastaavan yhteystiedot ovat yksikön "
    "ilmoitustaululla.",
    "muistutukset": "Muistutuksen voi tehdä kirjallisesti yksikön vastuuhenkilölle. Siihen vastataan kirjallisesti "
    "kohtuullisessa ajassa, yleensä kuukauden kuluessa.",
    "henkilosto": "Yksikössä työskentelee sosionomeja ja lähihoitajia. Mitoitus on lain mukainen ja sitä "
    "seurataan työvuorolistoista viikoittain. Rikostaustaote tarkistetaan jokaiselta työntekijältä.",
    "yhteistyo": "Teemme tiivistä yhteistyötä lapsen sosiaalityöntekijän, koulun, terveydenhuollon ja "
    "perheen kanssa. Yhteistyöpalaverit pidetään vähintään kolmen kuukauden välein.",
    "toimitilat": "Tilat tarkastetaan vuosittain. Pelastussuunnitelma päivitetään vuosittain ja poistumisharjoitus "
    "pidetään kerran vuodessa.",
    "tietojarjestelmat": "Kriittiset järjestelmät: asiakastietojärjestelmä (kirjaaminen), työvuorosuunnittelu, "
    "sähköposti ja puhelimet. Häiriöistä ilmoitetaan IT-tukeen ja esihenkilölle.",
    "laakehoito": "Yksikön lääkehoitosuunnitelma on hyväksytty ja päivitetään vuosittain. Lääkkeitä jakaa vain "
    "lääkeluvan suorittanut henkilöstö; lääkepoikkeamat ilmoitetaan poikkeamana.",
    "tietosuoja": "Asiakastiedot kirjataan vain asiakastietojärjestelmään. Henkilöstö on suorittanut "
    "tietosuojakoulutuksen. Tietoturvapoikkeamista ilmoitetaan heti tietosuojavastaavalle.",
    "palaute": "Palautetta kysytään lapsilta, vanhemmilta ja sosiaalityöntekijöiltä kolmen kuukauden välein. "
    "Tulokset käsitellään työryhmän kokouksessa.",
    "riskienhallinta": "Riskit arvioidaan vuosittain koko työryhmän kanssa ja aina toiminnan muuttuessa. "
    "Läheltä piti -tilanteet ilmoitetaan poikkeamina.",
    "ilmoittaminen": "Ilmoituksen voi tehdä puhelimella vuoron aikana. Ilmoitukset käsitellään työryhmän "
    "kokouksessa nimettöminä.",
    "riskit-ja-toimenpiteet": "Merkittävimmät riskit ovat uhkaavat tilanteet ja lääkehoidon poikkeamat. "
    "Niihin vastataan koulutuksella ja kaksoistarkistuksella.",
    "valmius": "Yksikössä on valmius- ja jatkuvuussuunnitelma. Varavoima, vesi ja ruoka riittävät 72 tunniksi.",
    "toimeenpano": "Suunnitelma käydään läpi perehdytyksessä ja työryhmän kokouksessa. Se on nähtävillä "
    "yksikön ilmoitustaululla ja verkossa, ja se tarkistetaan vähintään neljän kuukauden välein.",
    # Good treatment
    "periaatteet": "Meillä ketään ei nöyryytetä, uhata tai jätetä yksin. Aikuiset puhuvat rauhallisesti ja "
    "pyytävät anteeksi, jos tekevät väärin.",
    "oikeudet": "Lapset päättävät yhdessä talon säännöistä kuukausittaisessa talokokouksessa.",
    "epaasiallinen-kohtelu": "Kiusaamiseen puututaan heti. Jokainen tilanne käydään läpi asianosaisten kanssa.",
    "rajoitukset": "Tavoitteena on vähentää kiinnipitoja: ennakoimme tilanteita ja puramme ne jälkikäteen "
    "yhdessä lapsen kanssa.",
    "kertominen": "Lapsi voi kertoa huolestaan omaohjaajalle, kenelle tahansa aikuiselle tai "
    "sosiaalityöntekijälleen.",
}
CHILD_TEXT = (
    "Tässä kodissa sinua kohdellaan hyvin. Kukaan ei saa satuttaa, kiusata tai pelotella sinua. "
    "Jos jokin on huonosti, voit kertoa siitä omaohjaajallesi tai kenelle tahansa aikuiselle. "
    "Voit myös soittaa omalle sosiaalityöntekijällesi."
)
PROGRAMME = (
    "Omavalvontaohjelma kuvaa, miten konserni varmistaa palvelujensa laadun, turvallisuuden ja "
    "asianmukaisuuden kaikissa yksiköissä.\n\n"
    "Jokainen työntekijä ilmoittaa havaitsemansa poikkeamat ja epäkohdat. Nimetty käsittelijä käsittelee ne, "
    "päättää korjaavista toimenpiteistä ja kertoo ilmoittajalle, mitä tehtiin.\n\n"
    "Yksiköiden omavalvontasuunnitelmat tarkistetaan vähintään neljän kuukauden välein. Johtoryhmä käsittelee "
    "omavalvonnan seurannan tammi-, touko- ja lokakuussa, ja havainnot ja toimenpiteet julkaistaan."
)


def _people(unit):
    roles = dict(
        Membership.objects.filter(unit=unit, role__in=[Role.SUPERVISOR, Role.RESPONSIBLE_PERSON], user__is_active=True)
        .order_by("role", "user__full_name")
        .values_list("role", "user_id")
    )
    return roles.get(Role.SUPERVISOR), roles.get(Role.RESPONSIBLE_PERSON)


def _write(draft, unit_name):
    sections = list(draft.sections.all())
    for s in sections:
        s.text = TEXTS.get(s.key, "").format(unit=unit_name)
    PlanSection.objects.bulk_update(sections, ["text"])


def _backdate(version, when):
    PlanVersion.objects.filter(pk=version.pk).update(approved_at=when, created_at=when - dt.timedelta(days=3))


def _plan(unit, kind, writer, approver, *, first_on: dt.date, reviews: list[dt.date]) -> None:
    draft = services.plan_draft_start(actor=writer, unit=unit, kind=kind)
    _write(draft, unit.name)
    good = kind == PlanKind.GOOD_TREATMENT
    services.plan_version_details_save(
        actor=writer, version=draft, change_summary="Ensimmäinen versio",
        children_participation=(
            "Suunnitelma tehtiin talokokouksessa, ja jokainen lapsi kävi sen läpi omaohjaajansa kanssa." if good
            else "Lapset ja nuoret kertoivat nuortenkokouksessa, mikä arjessa toimii ja mitä pitäisi muuttaa; "
            "ehdotukset kirjattiin suunnitelman lukuihin."
        ),
        child_friendly_text=CHILD_TEXT if good else "",
    )
    version = services.plan_version_approve(actor=approver, version=draft, change_summary="Ensimmäinen versio")
    _backdate(version, timezone.make_aware(dt.datetime.combine(first_on, dt.time(12))))
    last = first_on
    for day in reviews:
        reviewed = services.plan_review_record(actor=approver, unit=unit, kind=kind,
                                               note="Tarkistettu työryhmän kokouksessa, ei muutoksia.")
        _backdate(reviewed, timezone.make_aware(dt.datetime.combine(day, dt.time(12))))
        last = day
    Plan.objects.filter(unit=unit, kind=kind).update(next_review_due=last + relativedelta(months=4))


@transaction.atomic
def build(*, log=print) -> dict:
    started = time.monotonic()
    today = timezone.localdate()
    last_notification = Notification.objects.order_by("-id").values_list("id", flat=True).first() or 0
    units = list(Unit.objects.filter(is_active=True).select_related("region").order_by("name"))
    from omavalvonta.organisation.models import User

    users = {u.pk: u for u in User.objects.filter(memberships__unit__in=units).distinct()}
    plans = 0
    overdue_done = False
    for unit in units:
        writer_id, approver_id = _people(unit)
        if approver_id is None:
            continue
        writer, approver = users.get(writer_id) or users[approver_id], users[approver_id]
        if unit.name != DEMO_UNIT_NAME and not overdue_done:
            # One unit forgot its review: last approved five months ago.
            _plan(unit, PlanKind.SELF_SUPERVISION, writer, approver, first_on=today - relativedelta(months=5), reviews=[])
            overdue_done = True
        else:
            _plan(unit, PlanKind.SELF_SUPERVISION, writer, approver, first_on=today - relativedelta(months=9),
                  reviews=[today - relativedelta(months=5), today - relativedelta(months=1, days=10)])
        plans += 1
        if unit.service_type == ServiceType.SUBSTITUTE_CARE and unit.name == DEMO_UNIT_NAME:
            _plan(unit, PlanKind.GOOD_TREATMENT, writer, approver, first_on=today - relativedelta(months=2), reviews=[])
            plans += 1
        if unit.name == DEMO_UNIT_NAME:
            # A draft in progress: the supervisor is updating the staffing section.
            draft = services.plan_draft_start(actor=writer, unit=unit)
            section = draft.sections.get(key="henkilosto")
            services.plan_section_save(
                actor=writer, section=section,
                text=section.text + " Syksystä alkaen yövuorossa on kaksi ohjaajaa myös viikonloppuisin.",
            )

    director = Membership.objects.filter(role=Role.QUALITY_DIRECTOR, user__is_active=True).select_related("user").first()
    reports = 0
    if director is not None:
        qd = director.user
        draft = programme.programme_draft_save(actor=qd, text=PROGRAMME, change_summary="Ohjelma päivitetty.")
        programme.programme_approve(actor=qd, version=draft)
        # Approved some fifteen weeks ago: the four-monthly review is due in a
        # couple of weeks, on the quality director's home page and calendar.
        type(draft).objects.filter(pk=draft.pk).update(approved_at=timezone.now() - dt.timedelta(days=105))
        start, end = programme.suggested_period(today)
        report = programme.followup_report_create(actor=qd, period_start=start, period_end=end)
        programme.followup_report_findings_save(
            actor=qd, report=report,
            findings="Poikkeamailmoitusten määrä kasvoi, mikä kertoo ilmoittamisen kynnyksen madaltuneen. "
            "Lääkepoikkeamia oli edelleen eniten iltavuorossa.",
            measures="Lääkehoidon kaksoistarkistus otetaan käyttöön kaikissa lastenkodeissa. "
            "Myöhässä olevat suunnitelmien tarkistukset tehdään kuukauden kuluessa.",
        )
        programme.followup_report_approve(actor=qd, report=report)
        programme.followup_report_publish(actor=qd, report=report)
        reports = 1
    # The reminders and approval messages so far are history, as the rest of the
    # demo year is: claimed and marked sent, so the worker starts without a backlog.
    services.plan_reviews_remind()
    Notification.objects.filter(id__gt=last_notification, state=DeliveryState.PENDING).update(
        state=DeliveryState.SENT, sent_at=timezone.now()
    )
    log(f"Plans: {plans} approved plans, one review overdue, one draft; the programme and {reports} follow-up report "
        f"({time.monotonic() - started:.1f} s).")
    return {"plans": plans, "follow-up reports": reports}
