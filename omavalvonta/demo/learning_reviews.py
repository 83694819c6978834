"""Demo learning reviews (learning): in the demo unit, one review completed
from a medication deviation, its summary shared with every unit (the staff
asked to acknowledge it, the facilitator already has), and one open review
the supervisor facilitates with the employee taking part. Played through the
services, then back-dated."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone, translation

from omavalvonta.demo.builder import DEMO_UNIT_NAME, LOGIN_EMAIL
from omavalvonta.deviations.models import Deviation
from omavalvonta.learning import selectors, services
from omavalvonta.learning.models import LearningReview, LearningSummary
from omavalvonta.notifications.models import DeliveryState, Notification
from omavalvonta.organisation.models import Role, Unit, User

COMPLETED_ANSWERS = {
    "expected": "Iltalääkkeet jaetaan klo 20 ja jako kirjataan heti lääkelistaan.",
    "happened": "Vuoronvaihdossa kumpikin ohjaaja luuli toisen jakaneen lääkkeet; jako jäi tekemättä.",
    "why_differed": "Vuoronvaihdon raportissa ei käyty lääkkeitä läpi, ja kirjaus tehtiin vasta vuoron lopuksi.",
    "helped": "Yövuoro huomasi puuttuvan kirjauksen ja soitti heti päivystävälle sairaanhoitajalle.",
    "learned": "Lääkkeet ovat vuoronvaihdon raportin ensimmäinen asia, ja jako kirjataan heti jaon jälkeen.",
}
SUMMARY = (
    "Vuoronvaihdossa lääkkeenjako voi jäädä tekemättä, kun kumpikin vuoro olettaa toisen hoitaneen sen. "
    "Käykää lääkkeet läpi vuoronvaihdon raportin ensimmäisenä asiana ja kirjatkaa jako heti jaon jälkeen."
)


def _login(role) -> User:
    return User.objects.get(email=LOGIN_EMAIL[role])


@transaction.atomic
def build(*, log=print, now: dt.datetime | None = None) -> dict:
    now = now or timezone.now()
    unit = Unit.objects.get(name=DEMO_UNIT_NAME)
    director, supervisor, employee = (
        _login(Role.QUALITY_DIRECTOR), _login(Role.SUPERVISOR), _login(Role.EMPLOYEE)
    )
    # Reports from before the completed review was opened (six weeks ago).
    reports = list(
        Deviation.objects.filter(unit=unit, submitted_at__lt=now - dt.timedelta(days=45))
        .order_by("-submitted_at").values_list("pk", "kind")[:40]
    )
    medication = next((pk for pk, kind in reports if kind == "medication"), reports[0][0] if reports else None)
    other = next((pk for pk, _kind in reports if pk != medication), None)
    first_new = (Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    due = timezone.localdate(now) + dt.timedelta(days=14)
    with translation.override("fi"):
        origin = f"deviation:{medication}" if medication else ""
        suggested = selectors.origin_resolve(origin, actor=director) if origin else None
        done = services.review_open(
            actor=director, unit=unit, title="Lääkkeenjako vuoronvaihdossa", facilitator=supervisor,
            participants=[employee], due_date=due, deviation_ids=suggested["deviation_ids"] if suggested else [],
            origin=origin if suggested else "",
        )
        services.review_answers_save(actor=supervisor, review=done, answers=COMPLETED_ANSWERS)
        services.review_action_add(
            actor=supervisor, review=done, unit=unit, title="Lääkkeet vuoronvaihdon raportin ensimmäiseksi kohdaksi",
            owner=supervisor, due_date=due,
        )
        summary = services.review_complete(actor=supervisor, review=done, summary=SUMMARY)
        services.summary_share(actor=director, summary=summary)
        asked = services.summary_requests_make()  # the worker's job, run at once for the demo
        services.summary_acknowledge(actor=supervisor, summary=summary)
        open_review = services.review_open(
            actor=director, unit=unit, title="Illan levottomuus ja kiinnipidot", facilitator=supervisor,
            participants=[employee], due_date=timezone.localdate(now) + dt.timedelta(days=10),
            deviation_ids=[other] if other else [],
        )
        services.review_answers_save(
            actor=supervisor, review=open_review,
            answers={"expected": "Ilta rauhoittuu yhteisen iltapalan jälkeen.",
                     "happened": "Kolmena iltana peräkkäin tilanne kärjistyi ennen iltapalaa."},
        )
    # Back-dated: opened six weeks ago, completed four and shared three weeks ago.
    LearningReview.objects.filter(pk=done.pk).update(
        opened_at=now - dt.timedelta(days=42), completed_at=now - dt.timedelta(days=28),
        due_date=timezone.localdate(now) - dt.timedelta(days=27),
    )
    LearningSummary.objects.filter(pk=summary.pk).update(
        written_at=now - dt.timedelta(days=28), shared_at=now - dt.timedelta(days=21)
    )
    LearningReview.objects.filter(pk=open_review.pk).update(opened_at=now - dt.timedelta(days=5))
    # The e-mails of this history have gone out (the in-app messages stay unread).
    Notification.objects.filter(pk__gte=first_new, state=DeliveryState.PENDING).update(
        state=DeliveryState.SENT, sent_at=now, attempts=1
    )
    log(f"  learning reviews: 1 completed (its summary shared, {asked} asked to acknowledge), 1 open")
    return {"learning reviews": 2}
