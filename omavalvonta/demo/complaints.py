"""Demo complaints (muistutukset): in the demo unit one complaint answered in
time, with the action it led to, and one whose written answer is late (on its
handler's home page, escalated by the quality calendar). Recorded through the
services, as a person's form would."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from omavalvonta.complaints import services
from omavalvonta.demo.builder import DEMO_UNIT_NAME, LOGIN_EMAIL
from omavalvonta.notifications.models import DeliveryState, Notification
from omavalvonta.organisation.models import Role, Unit, User
from omavalvonta.yearclock.duties import duties_remind_and_escalate


@transaction.atomic
def build(*, log=print, today: dt.date | None = None) -> dict:
    today = today or timezone.localdate()
    unit = Unit.objects.filter(name=DEMO_UNIT_NAME).first()
    supervisor = User.objects.filter(email=LOGIN_EMAIL[Role.SUPERVISOR]).first()
    responsible = User.objects.filter(email=LOGIN_EMAIL[Role.RESPONSIBLE_PERSON]).first()
    employee = User.objects.filter(email=LOGIN_EMAIL[Role.EMPLOYEE]).first()
    if unit is None or supervisor is None or responsible is None:
        return {}
    last = Notification.objects.order_by("-id").values_list("id", flat=True).first() or 0
    answered = services.complaint_register(
        actor=supervisor, unit=unit, received_on=today - dt.timedelta(days=50), received_via="letter",
        complainant_kind="guardian", complainant_name="Sari Esimerkki", complainant_contact="Koivukuja 3, 33100 Tampere",
        subject="Äiti kokee, ettei hänelle kerrottu ajoissa lapsen kotilomien muutoksista.",
        handler=responsible, today=today,
    )
    services.complaint_answer(
        actor=responsible, complaint=answered, answered_on=today - dt.timedelta(days=33),
        answer_summary="Pahoittelimme viivettä. Kotilomien muutoksista ilmoitetaan jatkossa huoltajalle "
        "samana päivänä, ja omaohjaaja soittaa viikoittain.",
        today=today,
    )
    if employee is not None:
        services.complaint_action_create(
            actor=responsible, complaint=answered, title="Kotilomien muutokset huoltajalle samana päivänä: ohje tiimille",
            owner=employee, due_date=today + dt.timedelta(days=14),
        )
    services.complaint_register(
        actor=supervisor, unit=unit, received_on=today - dt.timedelta(days=40), received_via="in_person",
        complainant_kind="child", complainant_name="Nuori Esimerkki", complainant_contact="",
        subject="Nuori kokee, että hänen puhelimensa otettiin iltaisin pois ilman perusteluja.",
        handler=supervisor, today=today,
    )
    # The late answer's reminder and escalation are history, as the rest of the demo
    # year is: claimed and marked sent, so the worker starts without a backlog.
    while duties_remind_and_escalate():
        pass
    Notification.objects.filter(id__gt=last, state=DeliveryState.PENDING).update(
        state=DeliveryState.SENT, sent_at=timezone.now()
    )
    log("  complaints: one answered in time, one late")
    return {"complaints": 2}
