"""Demo meeting rhythms (meetings/rhythms.py): the units have existed for years;
last month's team meeting was held in every unit but one (late on the quality
calendar, escalated once); the occupational safety committee meets next week
with the threats and violence of the last four months on its agenda; and the
children's weekly and monthly meetings are recorded in two children's homes
(the demo unit's monthly meetings held, the other's last monthly one missed).
Recorded through the services, as the people's forms would."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone, translation

from omavalvonta.demo.builder import DEMO_UNIT_NAME, LOGIN_EMAIL
from omavalvonta.meetings import childrens, rhythms, selectors as meeting_selectors, services as meeting_services
from omavalvonta.meetings.models import Meeting, MeetingKind, MeetingState
from omavalvonta.notifications.models import DeliveryState, Notification
from omavalvonta.organisation import access_people
from omavalvonta.organisation.models import Role, ServiceType, Unit, User

UNITS_EXISTED_DAYS = 3 * 365

CHILDRENS_TOPICS = [
    ("Kotiintuloajat viikonloppuisin", "Nuoret toivoivat lauantaille puolen tunnin myöhäisempää kotiintuloaikaa.",
     "Kokeillaan kuukauden ajan, arvioidaan seuraavassa kuukausikokouksessa."),
    ("Hyvän kohtelun suunnitelma: mikä tuntuu turvalliselta", "Yöaikaan käytävän valot ja ovien lukitus puhuttivat.",
     "Käytävän yövalo pidetään päällä; ohjaaja kertoo iltaisin, kuka on yövuorossa."),
    ("Ruokalista ja yhteiset ruokailut", "Toive kasvisruokapäivästä ja omasta vuorosta suunnitella ruoka.",
     "Kasvisruokaa kerran viikossa; kukin saa vuorollaan suunnitella yhden aterian."),
    ("Puhelinten käyttö iltaisin", "Puhelimet yöksi kansliaan koettiin epäreiluksi vanhimmille.",
     "Yli 15-vuotiaat pitävät puhelimen klo 22 asti, asia arvioidaan kuukauden päästä."),
    ("Kesän retket", "Toiveina uimaranta ja huvipuisto.", "Ohjaajat selvittävät kustannukset ensi viikoksi."),
    ("Riitatilanteet ja anteeksipyytäminen", "Nuoret kertoivat, että riidat jäävät usein selvittämättä.",
     "Riidan jälkeen sovitaan yhdessä ohjaajan kanssa, miten asia korjataan."),
]


def _month_day(month_start: dt.date, day: int) -> dt.date:
    return month_start.replace(day=min(day, rhythms.month_end(month_start).day))


def _closed_team_meeting(unit, day: dt.date) -> Meeting | None:
    supervisor = access_people.people_holding([Role.SUPERVISOR], unit=unit).order_by("pk").first()
    if supervisor is None:
        return None
    starts = timezone.make_aware(dt.datetime.combine(day, dt.time(13, 0)))
    meeting = meeting_services.meeting_create(
        actor=supervisor, kind=MeetingKind.TEAM, title="", starts_at=starts, unit=unit, location="Tiimihuone"
    )
    people = list(meeting_selectors.meeting_people(meeting=meeting))
    meeting_services.meeting_attendance_set(actor=supervisor, meeting=meeting, participants=people, absentees=[])
    meeting_services.meeting_close(actor=supervisor, meeting=meeting)
    return meeting


def _team_meetings(units, *, late_unit, today: dt.date) -> int:
    """Every unit but `late_unit` held last month's team meeting."""
    last_month = rhythms.previous_month(today)
    rhythm = rhythms.rhythm("team_meeting")
    held = rhythms.held_counts(
        rhythm, unit_ids=[u.pk for u in units], first=last_month, last=rhythms.month_end(last_month)
    )
    made = 0
    for unit in units:
        if unit == late_unit:
            continue
        if held.get((unit.pk, last_month), 0) < rhythm.per_month:
            made += _closed_team_meeting(unit, _month_day(last_month, 20)) is not None
    if late_unit is not None:
        # Its last meeting was the month before: last month's is late.
        begin = timezone.make_aware(dt.datetime.combine(last_month, dt.time()))
        end = timezone.make_aware(dt.datetime.combine(rhythms.month_end(last_month) + dt.timedelta(days=1), dt.time()))
        for meeting in Meeting.objects.filter(
            unit=late_unit, kind=MeetingKind.TEAM, state=MeetingState.MINUTES_CLOSED, starts_at__gte=begin, starts_at__lt=end
        ):
            Meeting.objects.filter(pk=meeting.pk).update(starts_at=meeting.starts_at - dt.timedelta(days=31))
    return made


def _safety_committee(director, today: dt.date) -> Meeting:
    day = today + dt.timedelta(days=6)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return meeting_services.meeting_create(
        actor=director, kind=MeetingKind.SAFETY_COMMITTEE, title="",
        starts_at=timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0))),
        location="Konsernin toimisto, neuvotteluhuone", is_online=True,
    )


def _childrens_meetings(unit, staff, today: dt.date, *, skip_last_monthly: bool) -> int:
    """Weekly meetings on Sundays for the last eight weeks, and the monthly
    meeting of last month and this month (last month's skipped in one home)."""
    made = 0
    sunday = today - dt.timedelta(days=(today.weekday() + 1) % 7)
    for week in range(8):
        day = sunday - dt.timedelta(weeks=week)
        if day > today:
            continue
        topic, raised, decided = CHILDRENS_TOPICS[week % len(CHILDRENS_TOPICS)]
        childrens.childrens_meeting_create(
            actor=staff[week % len(staff)], unit=unit, held_on=day, kind="weekly",
            topics=topic, children_raised=raised, decisions=decided,
        )
        made += 1
    this_month = rhythms.month_start(today)
    months = [this_month] if skip_last_monthly else [rhythms.previous_month(today), this_month]
    for month in months:
        day = min(_month_day(month, 3), today)
        childrens.childrens_meeting_create(
            actor=staff[0], unit=unit, held_on=day, kind="monthly",
            topics="Kuukausikokous: hyvän kohtelun suunnitelma ja kodin yhteiset säännöt",
            children_raised="Nuoret toivoivat, että yhteisistä säännöistä päätetään jatkossakin yhdessä.",
            decisions="Säännöt käydään läpi kuukausikokouksessa; muutokset kirjataan kodin ilmoitustaululle.",
        )
        made += 1
    return made


@transaction.atomic
def build(*, log=print, today: dt.date | None = None) -> dict:
    today = today or timezone.localdate()
    demo_unit = Unit.objects.filter(name=DEMO_UNIT_NAME).first()
    director = User.objects.filter(email=LOGIN_EMAIL[Role.QUALITY_DIRECTOR]).first()
    if demo_unit is None or director is None:
        return {}
    last = Notification.objects.order_by("-id").values_list("id", flat=True).first() or 0
    # The units have run for years: their rhythms' duties count from long before the demo's year.
    Unit.objects.update(created_at=timezone.now() - dt.timedelta(days=UNITS_EXISTED_DAYS))
    units = list(Unit.objects.filter(is_active=True).order_by("name"))
    others = [u for u in units if u != demo_unit]
    late_unit = next((u for u in others if u.region_id == demo_unit.region_id), others[0] if others else None)
    # The demo speaks Finnish: the agendas' titles are stored as written.
    with translation.override("fi"):
        team = _team_meetings(units, late_unit=late_unit, today=today)
        committee = _safety_committee(director, today)
    homes = [demo_unit] + [u for u in others if u.service_type == ServiceType.SUBSTITUTE_CARE][:1]
    recorded = 0
    for n, home in enumerate(homes):
        staff = list(access_people.people_holding(unit=home).order_by("pk")[:4])
        if staff:
            recorded += _childrens_meetings(home, staff, today, skip_last_monthly=n == 1)
    # The e-mails of this history have gone out (the worker starts with no backlog).
    Notification.objects.filter(pk__gt=last, state=DeliveryState.PENDING).update(
        state=DeliveryState.SENT, sent_at=timezone.now(), attempts=1
    )
    log(
        f"  meeting rhythms: {team} team meetings added, late in {late_unit.name if late_unit else '-'}; "
        f"the safety committee with {committee.items.count()} agenda items; {recorded} children's meetings"
    )
    return {"children's meetings": recorded, "safety committee meetings": 1}
