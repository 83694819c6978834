"""Demo client feedback: four quarters of rounds in every unit with answers from
children, parents and social workers, a running kiosk and unused QR links in the
demo unit, and public feedback with an answer. Fast: rounds, links, kiosk and
public feedback go through the services; the thousands of anonymous answers are
bulk-inserted (answering has no side effects to replay: no audit event, no
notification), with the same fields the answer service writes."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone, translation

from omavalvonta.demo.builder import DEMO_UNIT_NAME
from omavalvonta.feedback import channel, goals, services, tallies
from omavalvonta.feedback.defaults import seed_default_surveys
from omavalvonta.feedback.figures import recent_periods
from omavalvonta.feedback.models import Answer, Channel, Question, QuestionKind, Response, Round, Survey
from omavalvonta.notifications.models import DeliveryState, Notification
from omavalvonta.organisation.models import Membership, Role, Unit

COMMENTS = {
    "child": [
        "Täällä on kivoja aikuisia.",
        "Ruoka on hyvää, varsinkin perjantaina.",
        "Haluaisin enemmän omaa aikaa puhelimella.",
        "Ohjaajat kuuntelee kun on paha mieli.",
        "Kotiloma-asiat pitäisi sopia aikaisemmin.",
        "Saisko harrastuksiin enemmän kyytejä?",
        "Nuortenkokoukset on hyviä.",
        "Välillä on liian meluisaa iltaisin.",
    ],
    "parent": [
        "Yhteydenpito on toiminut hyvin ja tiedän, mitä lapselleni kuuluu.",
        "Toivoisin tietoa lapsen koulunkäynnistä useammin.",
        "Työntekijät ovat ystävällisiä ja ottavat minut mukaan.",
        "Tapaamisten järjestäminen on joskus hankalaa.",
        "Lapseni on alkanut voida paremmin.",
    ],
    "social_worker": [
        "Yksikkö raportoi ajallaan ja asiallisesti.",
        "Asiakassuunnitelman tavoitteisiin on tartuttu hyvin.",
        "Tiedonkulussa oli viiveitä kesän aikana.",
        "Hyvä ja avoin yhteistyö.",
    ],
}
PUBLIC_FEEDBACK = [
    ("Kiitos kesäleiristä! Lapsi puhui siitä koko syksyn.", "Kiitos lämpimästä palautteesta, välitämme sen koko työryhmälle."),
    ("Pihan kautta kulkeva liikenne on iltaisin kovaäänistä, voisiko asiasta puhua nuorten kanssa?", ""),
]


def _quarters_back(today: dt.date, count: int) -> list[tuple[int, int]]:
    """The last `count` quarters up to `today`'s, oldest first (the bench's data uses it too)."""
    return recent_periods(count, today)


@transaction.atomic
def build(*, seed: int = 2026, quarters: int = 4, log=None) -> dict:
    """Build the demo feedback on top of the built organisation."""
    rng = random.Random(seed)
    today = timezone.localdate()
    seed_default_surveys(Survey, Question, now=timezone.now())
    surveys = {g: services.current_survey(g) for g in ("child", "parent", "social_worker")}
    questions = {g: list(s.questions.all()) for g, s in surveys.items()}
    leaders = {
        m.unit_id: m.user
        for m in Membership.objects.filter(role__in=[Role.SUPERVISOR, Role.RESPONSIBLE_PERSON], unit__isnull=False)
        .select_related("user")
        .order_by("-role")
    }
    units = list(Unit.objects.filter(is_active=True, pk__in=leaders).order_by("pk"))
    responses, answer_rows = [], []
    with translation.override("fi"):
        for unit in units:
            actor = leaders[unit.pk]
            # How the unit is doing: a little better or worse than the rest.
            mood = rng.gauss(0, 0.7)
            places = unit.places or rng.randint(6, 12)
            for index, (year, quarter) in enumerate(_quarters_back(today, quarters)):
                round_ = services.round_create(actor=actor, unit=unit, year=year, quarter=quarter)
                first, last = round_.opens_on, min(round_.closes_on, today)
                trend = 0.15 * index  # the units improve over the year
                for group, share in (("child", 0.8), ("parent", 0.6), ("social_worker", 0.7)):
                    count = max(0, int(round(places * share * rng.uniform(0.6, 1.1))))
                    for _ in range(count):
                        level = min(1.0, max(0.0, rng.gauss(0.68 + 0.08 * mood + trend * 0.1, 0.2)))
                        span = max(0, (last - first).days)
                        response = Response(
                            round=round_,
                            unit_id=unit.pk,
                            survey=surveys[group],
                            group=group,
                            channel=rng.choice([Channel.KIOSK, Channel.KIOSK, Channel.LINK, Channel.ORAL])
                            if group == "child"
                            else rng.choice([Channel.LINK, Channel.LINK, Channel.PAPER]),
                            language=rng.choice(["fi"] * 9 + ["sv"]),
                            submitted_on=first + dt.timedelta(days=rng.randint(0, span)),
                            nps=min(10, max(0, int(round(rng.gauss(level * 10 + 0.5, 1.6))))),
                        )
                        rows = []
                        for q in questions[group]:
                            if q.kind in (QuestionKind.SCALE, QuestionKind.FACES):
                                value = min(5, max(1, int(round(rng.gauss(1 + level * 4, 0.7)))))
                                rows.append((q, value, ""))
                            elif q.kind == QuestionKind.TEXT and rng.random() < 0.25:
                                rows.append((q, None, rng.choice(COMMENTS[group])))
                        responses.append(response)
                        answer_rows.append(rows)
        Response.objects.bulk_create(responses, batch_size=500)
        Answer.objects.bulk_create(
            (
                Answer(response=r, unit_id=r.unit_id, round=r.round, question=q, key=q.key, value=v, text=t)
                for r, rows in zip(responses, answer_rows, strict=True)
                for q, v, t in rows
            ),
            batch_size=1000,
        )
        tallies.tallies_rebuild()  # written in bulk above: the running sums from the answers
        # The demo unit: a kiosk running for the children and unused QR links for parents.
        unit = next((u for u in units if u.name == DEMO_UNIT_NAME), units[0] if units else None)
        if unit is not None:
            current = Round.objects.get(unit=unit, year=today.year, quarter=(today.month - 1) // 3 + 1)
            services.kiosk_start(actor=leaders[unit.pk], round=current, group="child")
            services.links_create(actor=leaders[unit.pk], round=current, group="parent", count=8)
            # The team's incentive goals for this half-year and the previous one.
            year, half = (today.year, 1 if today.month <= 6 else 2)
            # The previous half's targets were modest (a starting level); the team
            # met them, and records how it uses the reward, when the data says so.
            for y, h in ((year, half), (year - 1, 2) if half == 1 else (year, 1)):
                actor = leaders[unit.pk]
                now = (y, h) == (year, half)
                goals.goal_create(actor=actor, unit=unit, year=y, half=h, metric="nps", group="child",
                                  target=20 if now else -40,
                                  description="Lasten NPS vähintään +20" if now else "Lasten NPS paranee (vähintään -40)")
                goals.goal_create(actor=actor, unit=unit, year=y, half=h, metric="response_rate", group="parent",
                                  target=60 if now else 50,
                                  description=f"Vähintään {60 if now else 50} % vanhemmista vastaa kyselyyn")
                goals.goal_create(actor=actor, unit=unit, year=y, half=h, metric="handling_on_time",
                                  target=90 if now else 75,
                                  description=f"Poikkeamien käsittely alkaa määräajassa ({90 if now else 75} %)")
                manual = goals.goal_create(actor=actor, unit=unit, year=y, half=h, metric="manual",
                                              description="Nuortenkokous pidetään joka kuukausi")
                if (y, h) != (year, half):
                    goals.goal_assess(actor=actor, goal=manual, met=True, note="Kuusi kokousta pidettiin.")
                    if goals.all_goals_met(goals.goals_evaluated(actor=actor, unit=unit, year=y, half=h)):
                        goals.reward_record(
                            actor=actor, unit=unit, year=y, half=h, decided_on=goals.half_bounds(y, h)[1] + dt.timedelta(days=10),
                            decision="Tiimi päätti käyttää palkkion yhteiseen ravintolailtaan; lapsille ostetaan "
                            "samalla uusi lautapeli olohuoneeseen.",
                        )
            for i, (message, reply) in enumerate(PUBLIC_FEEDBACK):
                feedback, _code = channel.public_feedback_submit(
                    unit=unit, message=message, sender_name="Maija Mallikas" if i == 0 else ""
                )
                if reply:
                    channel.public_feedback_answer(actor=leaders[unit.pk], feedback=feedback, answer=reply)
    # History is history: the worker must not mail the demo's feedback messages on start.
    Notification.objects.filter(kind="feedback.public_received", state=DeliveryState.PENDING).update(
        state=DeliveryState.SENT, sent_at=timezone.now(), attempts=1
    )
    counts = {"feedback rounds": Round.objects.count(), "feedback answers": len(responses)}
    if log:
        log(f"  client feedback: {counts['feedback rounds']} rounds, {counts['feedback answers']} answers")
    return counts
