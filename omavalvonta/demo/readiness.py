"""The demo organisation's readiness: a readiness group with its roles, last
year's readiness exercise recorded and the crisis-communication plan approved
in two versions (the second after the exercise's lessons)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from omavalvonta.audits import readiness_services
from omavalvonta.organisation.models import Membership, Role, Unit

CRISIS_PLAN = {
    "scope": "Suunnitelmaa käytetään, kun konsernia tai yksikköä kohtaa vakava tilanne: tulipalo, pitkä sähkö- tai "
    "vesikatko, vakava väkivaltatilanne, lapsen katoaminen tai tietomurto. Valmiusryhmän puheenjohtaja ottaa "
    "suunnitelman käyttöön.",
    "spokespersons": "Ulospäin viestii valmiusryhmän viestintävastaava, hänen varallaan puheenjohtaja. Yksiköt eivät "
    "anna lausuntoja medialle; ne ohjaavat kysyjät viestintävastaavalle.",
    "staff": "Yksikön esihenkilö kertoo vuorossa oleville heti puhelimitse ja muille tekstiviestillä tunnin sisällä. "
    "Koko henkilöstö saa tiedotteen sähköpostilla saman päivän aikana.",
    "children": "Lapsille kerrotaan omaohjaajan kanssa lapsen ikä ja tilanne huomioiden. Huoltajille ja lapsen "
    "sosiaalityöntekijälle soitetaan saman päivän aikana.",
    "authorities": "Lupaviranomaiselle ja ostavien hyvinvointialueiden yhteyshenkilöille ilmoitetaan vastuuhenkilön "
    "kautta. Poliisi ja pelastuslaitos: 112.",
    "media": "Medialle ei koskaan kerrota lapsen tai työntekijän tietoja. Sosiaalista mediaa seuraa viestintävastaava.",
    "channels": "Soittoketju ja viestipohjat ovat valmiusryhmän yhteisessä kansiossa; yhteystietolista tulostetaan "
    "jokaiseen yksikköön kahdesti vuodessa.",
    "review": "Suunnitelma harjoitellaan valmiusryhmän vuosiharjoituksessa ja katselmoidaan sen jälkeen.",
}


def _first(role, **where):
    m = (
        Membership.objects.filter(role=role, user__is_active=True, **where)
        .select_related("user").order_by("user__full_name", "user_id").first()
    )
    return m.user if m else None


def build(*, director, demo_unit: Unit | None, today: dt.date) -> dict:
    from omavalvonta.audits.models import CrisisPlanVersion, ReadinessMember

    board = _first(Role.MANAGEMENT_GROUP, unit=None, region=None)
    roles = [
        (board, "chair", "Johtaa valmiusryhmää ja päättää suunnitelman käyttöönotosta."),
        (director, "deputy", "Puheenjohtajan varahenkilö; pitää harjoitukset ja suunnitelman ajan tasalla."),
        (_first(Role.REGIONAL_DIRECTOR), "communications", "Viestii medialle ja hyvinvointialueille."),
        (_first(Role.SAFETY_MANAGER, unit=None, region=None), "safety", "Tilat, pelastussuunnitelmat ja turvallisuus."),
        (_first(Role.SUPERVISOR, unit=demo_unit) if demo_unit else None, "member", "Yksiköiden esihenkilöiden yhteyshenkilö."),
    ]
    members = []
    for person, role, duties in roles:
        if person is not None and person not in [m.user for m in members]:
            members.append(readiness_services.readiness_member_add(actor=director, user=person, group_role=role, duties=duties))
    # The group was formed a year and a half ago.
    ReadinessMember.objects.filter(pk__in=[m.pk for m in members]).update(
        added_at=timezone.now() - dt.timedelta(days=540)
    )
    first = readiness_services.crisis_plan_draft_start(actor=director)
    sections = dict(CRISIS_PLAN, channels="Soittoketju on valmiusryhmän yhteisessä kansiossa.")
    readiness_services.crisis_plan_draft_save(actor=director, version=first, sections=sections)
    readiness_services.crisis_plan_approve(actor=director, version=first, review_note="Ensimmäinen versio.")
    CrisisPlanVersion.objects.filter(pk=first.pk).update(
        approved_at=timezone.now() - dt.timedelta(days=420), created_at=timezone.now() - dt.timedelta(days=430)
    )
    # Last year's exercise, and the plan's review after it.
    held_on = today - dt.timedelta(days=300)
    readiness_services.readiness_exercise_record(
        actor=director, held_on=held_on, scenario="Pitkä sähkökatko pakkasella kahdessa yksikössä",
        participants=[m.user for m in members],
        went_well="Soittoketju tavoitti kaikki yksiköt puolessa tunnissa; varavoima riitti lämpöön.",
        to_improve="Viestipohjat puuttuivat, ja yhden yksikön yhteystietolista oli vanha.",
    )
    second = readiness_services.crisis_plan_draft_start(actor=director)
    readiness_services.crisis_plan_draft_save(
        actor=director, version=second, sections=CRISIS_PLAN,
        change_note="Viestipohjat lisättiin ja yhteystietolista tulostetaan yksiköihin kahdesti vuodessa.",
    )
    readiness_services.crisis_plan_approve(
        actor=director, version=second, review_note="Katselmoitu valmiusryhmässä sähkökatkoharjoituksen jälkeen.",
    )
    CrisisPlanVersion.objects.filter(pk=second.pk).update(
        approved_at=timezone.now() - dt.timedelta(days=290), created_at=timezone.now() - dt.timedelta(days=295)
    )
    return {"readiness group members": len(members)}
