"""Demo retention: the table at its defaults (no setting of the DPO's: the
page shows each default with its source), and this month's destruction run
proposed for the data-protection officer to preview. What falls due in the
demo is the delivered notifications of more than a year ago (the outbox keeps
one year), so the history gets a few of them."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone, translation

from omavalvonta.notifications.models import DeliveryState, Notification
from omavalvonta.organisation import access_people
from omavalvonta.organisation.models import Membership, Role
from omavalvonta.privacy import notices, retention

OLD_MESSAGES = 8


@transaction.atomic
def build(*, log=print, now: dt.datetime | None = None) -> dict:
    now = now or timezone.now()
    people = list(
        Membership.objects.filter(role__in=(Role.SUPERVISOR, Role.EMPLOYEE), user__is_active=True)
        .order_by("pk").values_list("user_id", flat=True)[:OLD_MESSAGES]
    )
    old = []
    for i, person_id in enumerate(people):
        sent = now - dt.timedelta(days=400 + 9 * i)
        old.append(Notification(
            recipient_id=person_id, kind="demo.old_reminder", subject="Muistutus: tiimipalaveri huomenna",
            body="Tiimipalaveri pidetään huomenna klo 13.", state=DeliveryState.SENT, created_at=sent, sent_at=sent,
            next_attempt_at=sent,
        ))
    Notification.objects.bulk_create(old)
    last_notification = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    run = retention.propose(today=timezone.localdate(now))
    # The DPO's notice of the run is in the product (the bell); the worker starts
    # without a backlog to mail.
    Notification.objects.filter(pk__gt=last_notification, state=DeliveryState.PENDING).update(
        state=DeliveryState.SENT, sent_at=now
    )
    items = run.items.count() if run else 0
    log(f"  retention: a destruction run of {items} records proposed")
    published = _notices()
    log(f"  privacy notices: {published} published, one register left as a draft")
    return {"records in the proposed destruction run": items, "privacy notices published": published}


NOTICE_FI = (
    "Rekisterinpitäjä: Demo Lastensuojelu Oy, Esimerkkikatu 1, 00100 Helsinki.\n\n"
    "Tietosuojavastaava: tietosuoja@omavalvonta.example.\n\n"
    "Käsittelyn tarkoitus ja peruste: {what} Peruste on lakisääteinen velvoite (sosiaali- ja terveydenhuollon "
    "valvontalaki 741/2023, lastensuojelulaki 417/2007).\n\n"
    "Säilytys: tiedot säilytetään säilytystaulukon aikojen mukaan ja hävitetään sen jälkeen lokiin kirjaten.\n\n"
    "Oikeutesi: voit pyytää pääsyä tietoihisi, niiden oikaisua tai käsittelyn rajoittamista ja tehdä valituksen "
    "tietosuojavaltuutetulle."
)
NOTICE_SV = (
    "Personuppgiftsansvarig: Demo Barnskydd Ab, Exempelgatan 1, 00100 Helsingfors.\n\n"
    "Dataskyddsombud: tietosuoja@omavalvonta.example.\n\n"
    "Ändamål och grund: {what} Grunden är en lagstadgad skyldighet (lagen om tillsyn över social- och hälsovården "
    "741/2023, barnskyddslagen 417/2007).\n\n"
    "Lagring: uppgifterna sparas enligt lagringstabellen och förstörs därefter med en loggpost.\n\n"
    "Dina rättigheter: du kan begära tillgång till dina uppgifter, rättelse eller begränsning av behandlingen och "
    "klaga hos dataombudsmannen."
)


def _notices() -> int:
    """Every register's notice published but the last, left as a draft for the DPO to finish."""
    dpo = access_people.people_holding((Role.DATA_PROTECTION_OFFICER,), organisation_wide=True).first()
    if dpo is None:
        return 0
    def text(template, register, language):
        with translation.override(language):
            return template.format(what=str(register.what))

    for register in notices.REGISTERS[:-1]:
        notices.notice_draft_save(actor=dpo, key=register.key, text_fi=text(NOTICE_FI, register, "fi"),
                                  text_sv=text(NOTICE_SV, register, "sv"))
        notices.notice_publish(actor=dpo, key=register.key)
    last = notices.REGISTERS[-1]
    notices.notice_draft_save(actor=dpo, key=last.key, text_fi=text(NOTICE_FI, last, "fi"), text_sv="")
    return len(notices.REGISTERS) - 1
