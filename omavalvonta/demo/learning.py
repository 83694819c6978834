"""The demo's learning loop: action plans, team meetings with their minutes,
self-supervision log entries and guidance from authorities, played through the
services after the year of deviations (see builder.DemoBuilder.build).

Everything here happens "now" in the services and is then back-dated where a
date matters on the pages (meeting closed last month, plan approved in January).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from omavalvonta.core import rhythm
from omavalvonta.deviations.models import Deviation
from omavalvonta.guidance import services as guidance_services
from omavalvonta.guidance.models import Kind as GuidanceKind
from omavalvonta.improvement import selectors as improvement_selectors, services as improvement_services
from omavalvonta.improvement.models import (
    Acknowledgement,
    ActionPlan,
    GoalArea,
    GoalFollowUp,
    GoalStatus,
    LogEntry,
)
from omavalvonta.meetings import selectors as meeting_selectors, services as meeting_services
from omavalvonta.meetings.models import AgendaItemKind, Meeting, MeetingKind
from omavalvonta.notifications.models import DeliveryState, Notification
from omavalvonta.organisation.models import Authority, Role, ServiceType

GOALS = {
    ServiceType.SUBSTITUTE_CARE: [
        (GoalArea.CLIENT_EXPERIENCE, "Nuoret kokevat tulevansa kuulluiksi arjen päätöksissä.",
         "Nuorten kokous kerran kuukaudessa; omaohjaajakeskustelut kahden viikon välein.",
         "Lasten ja nuorten palautteen NPS vähintään 40"),
        (GoalArea.QUALITY, "Rajoitustoimenpiteet kirjataan täsmällisesti ja ne käydään läpi nuoren kanssa.",
         "Kirjaamiskoulutus koko tiimille; jälkipuinti jokaisen rajoituksen jälkeen.",
         "Kaikista rajoituksista kirjaus ja jälkipuinti 24 tunnin sisällä"),
        (GoalArea.STAFF_WELLBEING, "Vuorosuunnittelu tukee palautumista.",
         "Työvuorotoiveet kolme viikkoa etukäteen; yövuorojen jälkeen kaksi vapaata.",
         "Työhyvinvointikyselyn palautumiskysymys vähintään 3,8/5"),
    ],
    ServiceType.OPEN_CARE: [
        (GoalArea.CLIENT_EXPERIENCE, "Perheet tietävät, mihin työskentelyllä pyritään.",
         "Tavoitteet kirjataan yhdessä perheen kanssa ensitapaamisessa.",
         "Vanhempien palautteen NPS vähintään 30"),
        (GoalArea.QUALITY, "Asiakastapaamiset kirjataan saman päivän aikana.",
         "Kirjaamisaika varataan kalenteriin jokaisen tapaamisen jälkeen.",
         "Kirjaukset 24 tunnin sisällä 95 %:ssa tapaamisista"),
        (GoalArea.STAFF_WELLBEING, "Yksin työskentelyn turvallisuus paranee.",
         "Turvapuhelinsovellus käyttöön; kotikäynnit pareittain riskiarvion mukaan.",
         "Ei yhtään yksin työskentelyn uhkatilannetta ilman ennakkoarviota"),
    ],
    ServiceType.AFTERCARE: [
        (GoalArea.CLIENT_EXPERIENCE, "Nuoret saavat tukea asumiseen ja talouteen ajoissa.",
         "Talous- ja asumisneuvonnan ryhmä kerran kuukaudessa.",
         "Vuokrarästit vähenevät puoleen vuoden aikana"),
        (GoalArea.QUALITY, "Jälkihuoltosuunnitelmat päivitetään ajallaan.",
         "Päivitysmuistutukset tiimipalaverissa; vastuutyöntekijä nimetään jokaiselle.",
         "Kaikki suunnitelmat päivitetty puolen vuoden välein"),
        (GoalArea.STAFF_WELLBEING, "Työnohjaus toteutuu säännöllisesti.",
         "Ryhmätyönohjaus kerran kuukaudessa koko tiimille.",
         "Työnohjaukseen osallistuminen vähintään 80 %"),
    ],
}
FOLLOW_UP_NOTES = {
    GoalStatus.ON_TRACK: "Etenee suunnitellusti; käyty läpi tiimipalaverissa.",
    GoalStatus.DELAYED: "Viivästynyt henkilöstövaihdosten vuoksi; aikataulu tarkistettu.",
    GoalStatus.DONE: "Tavoite saavutettu, käytäntö on vakiintunut.",
    GoalStatus.NOT_STARTED: "Aloitetaan seuraavalla jaksolla.",
}
DECISIONS = [
    "Käsitelty. Toimintaohje kerrattiin, ja jatkossa asia tarkistetaan vuoronvaihdossa.",
    "Käsitelty. Sovittiin, että esihenkilö päivittää perehdytysmateriaalin.",
    "Käsitelty tiimissä; ei uusia toimenpiteitä, seurataan.",
    "Käsitelty. Asiasta tiedotetaan myös yövuorolaisille viestillä.",
    "Käsitelty ja todettu toimenpiteet riittäviksi.",
]
LOG_ENTRIES = [
    ("Lääkkeenjaossa havaittiin kaksi kuittaamatonta annosta saman viikon aikana.",
     "Asia otettiin puheeksi vuoron päätteeksi ja kuittauslistat tarkistettiin.",
     "Kaksoistarkastus iltalääkkeisiin kuukauden ajaksi; tarkistus seuraavassa palaverissa."),
    ("Iltavuorossa oli toistuvasti vain yksi vakituinen työntekijä.",
     "Vuorolistaa korjattiin kahdelle seuraavalle viikolle.",
     "Sijaisrinkiin rekrytoidaan kaksi uutta työntekijää."),
    ("Uuden työntekijän perehdytyskortti oli jäänyt kesken.",
     "Perehdyttäjä nimettiin ja puuttuvat kohdat käytiin läpi.",
     "Perehdytyksen tila tarkistetaan kuukauden kuluttua."),
]
LOG_FOLLOW_UP = "Seurattu: käytäntö toimii, ei uusia havaintoja."


class LearningLoop:
    """Builds the learning-loop demo data on top of a built DemoBuilder."""

    def __init__(self, builder):
        self.b = builder
        self.rng = builder.rng
        self.now = builder.now
        self.today = builder.today
        self.quality_director = builder.login_users[Role.QUALITY_DIRECTOR]

    def build(self) -> None:
        first_new = (Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        self._build()
        # The e-mails of this history have gone out: the worker starts with no
        # backlog (the in-app messages stay unread, so each login sees them).
        Notification.objects.filter(pk__gte=first_new, state=DeliveryState.PENDING).update(
            state=DeliveryState.SENT, sent_at=self.now, attempts=1
        )

    def _build(self) -> None:
        for unit in self.b.units:
            staff = self.b.unit_staff[id(unit)]
            self._action_plan(unit, staff)
            self._log_entry(unit, staff)
            self._past_team_meeting(unit, staff)
        demo_staff = self.b.unit_staff[id(self.b.demo_unit)]
        self._upcoming_team_meeting(self.b.demo_unit, demo_staff)
        self._management_group()
        self._guidance()

    # --- helpers ---------------------------------------------------------------------

    def _local(self, day: dt.date, hour: int) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))

    # --- action plans ---------------------------------------------------------------

    def _action_plan(self, unit, staff) -> None:
        supervisor = staff["supervisor"]
        year = self.today.year
        team = [supervisor, *staff["employees"][:6]]
        plan = improvement_services.action_plan_create(
            actor=supervisor, unit=unit, year=year, participants=team, made_on=dt.date(year, 1, 20)
        )
        goals = [
            improvement_services.plan_goal_add(
                actor=supervisor, plan=plan, area=area, description=description, measures=measures,
                owner=supervisor, indicator=indicator,
            )
            for area, description, measures, indicator in GOALS[unit.service_type]
        ]
        improvement_services.action_plan_approve(actor=staff["responsible"], plan=plan)
        ActionPlan.objects.filter(pk=plan.pk).update(approved_at=self._local(dt.date(year, 1, 27), 10))
        current = rhythm.period_of(self.today).index
        for goal in goals:
            for period in range(1, current):
                status = self.rng.choice(
                    [GoalStatus.ON_TRACK, GoalStatus.ON_TRACK, GoalStatus.DELAYED]
                    if period == 1
                    else [GoalStatus.ON_TRACK, GoalStatus.DONE, GoalStatus.DELAYED]
                )
                follow_up = improvement_services.goal_follow_up_record(
                    actor=supervisor, goal=goal, period=period, status=status, note=FOLLOW_UP_NOTES[status]
                )
                # Recorded in the period's last weeks, as the reminder asks.
                last = improvement_services.period_bounds(year, period)[1]
                GoalFollowUp.objects.filter(pk=follow_up.pk).update(
                    recorded_at=self._local(last - dt.timedelta(days=self.rng.randint(2, 12)), 14)
                )

    # --- self-supervision log -------------------------------------------------------

    def _log_entry(self, unit, staff) -> None:
        observation, reaction, correction = self.rng.choice(LOG_ENTRIES)
        entry = improvement_services.log_entry_create(
            actor=staff["supervisor"],
            unit=unit,
            observation=observation,
            reaction=reaction,
            planned_correction=correction,
            observed_on=self.today - dt.timedelta(days=self.rng.randint(20, 70)),
        )
        if self.rng.random() < 0.5:
            improvement_services.log_entry_follow_up(actor=staff["supervisor"], entry=entry, follow_up=LOG_FOLLOW_UP)
        LogEntry.objects.filter(pk=entry.pk).update(created_at=self._local(entry.observed_on, 15))

    # --- team meetings --------------------------------------------------------------

    def _past_team_meeting(self, unit, staff) -> None:
        """Last month's team meeting: a few of the waiting items handled, minutes
        closed, absentees asked to acknowledge (most of them have)."""
        supervisor = staff["supervisor"]
        day = self.today - dt.timedelta(days=self.rng.randint(24, 34))
        while day.weekday() >= 5:
            day -= dt.timedelta(days=1)
        meeting = meeting_services.meeting_create(
            actor=supervisor, kind=MeetingKind.TEAM, title="", starts_at=self._local(day, 13), unit=unit,
            location="Yksikön olohuone" if unit.service_type == ServiceType.SUBSTITUTE_CARE else "Tiimihuone",
        )
        items = list(meeting.items.all())
        # The deviations reported before the meeting were handled in it; later
        # ones wait for the next meeting.
        submitted = dict(
            Deviation.objects.filter(
                pk__in=[i.source_id for i in items if i.kind == AgendaItemKind.DEVIATION]
            ).values_list("pk", "submitted_at")
        )
        starts_at = meeting.starts_at
        kept, later = [], []
        for item in items:
            if item.kind == AgendaItemKind.DEVIATION and submitted.get(item.source_id, starts_at) >= starts_at:
                later.append(item)
            elif item.kind == AgendaItemKind.DEVIATION or len(kept) < 12:
                kept.append(item)
            else:
                later.append(item)
        for item in later:
            meeting_services.agenda_item_remove(actor=supervisor, item=item)
        for n, item in enumerate(kept):
            meeting_services.agenda_item_decide(actor=supervisor, item=item, decision=self.rng.choice(DECISIONS))
            if n == 0 and staff["employees"]:
                meeting_services.agenda_item_action_create(
                    actor=supervisor, item=item, title="Kerrataan toimintaohje koko tiimin kanssa",
                    owner=self.rng.choice(staff["employees"]),
                    due_date=self.today + dt.timedelta(days=self.rng.randint(5, 25)),
                )
            if n == 1:
                meeting_services.agenda_item_log_entry_create(
                    actor=supervisor, item=item, observation=item.title[:200],
                    reaction=item.decision or "Käsitelty tiimipalaverissa.",
                )
        people = list(meeting_selectors.meeting_people(meeting=meeting))
        demo_employee = self.b.login_users.get(Role.EMPLOYEE)
        absent_candidates = [p for p in people if p.pk != supervisor.pk]
        absentees = self.rng.sample(absent_candidates, k=min(2, len(absent_candidates)))
        if unit == self.b.demo_unit and demo_employee is not None and demo_employee not in absentees:
            absentees = [demo_employee, *absentees[:1]]
        participants = [p for p in people if p not in absentees]
        meeting_services.meeting_attendance_set(
            actor=supervisor, meeting=meeting, participants=participants, absentees=absentees
        )
        meeting_services.meeting_close(actor=supervisor, meeting=meeting)
        closed_at = self._local(day, 15)
        Meeting.objects.filter(pk=meeting.pk).update(closed_at=closed_at, created_at=closed_at - dt.timedelta(days=7))
        for ack in improvement_selectors.acknowledgements_for(target=meeting):
            # Asked when the minutes were closed; most read them within a few days.
            Acknowledgement.objects.filter(pk=ack.pk).update(requested_at=closed_at)
            if ack.user_id != getattr(demo_employee, "pk", None) and self.rng.random() < 0.6:
                meeting_services.acknowledgement_confirm(actor=ack.user, acknowledgement=ack)
                Acknowledgement.objects.filter(pk=ack.pk).update(
                    acknowledged_at=closed_at + dt.timedelta(days=self.rng.uniform(0.5, 6))
                )

    def _upcoming_team_meeting(self, unit, staff) -> None:
        day = self.today + dt.timedelta(days=3)
        while day.weekday() >= 5:
            day += dt.timedelta(days=1)
        meeting_services.meeting_create(
            actor=staff["supervisor"], kind=MeetingKind.TEAM, title="", starts_at=self._local(day, 13), unit=unit,
            location="Yksikön olohuone",
        )

    def _management_group(self) -> None:
        chair = self.quality_director
        october = dt.date(self.today.year, 10, 14)
        if october < self.today:
            meeting = meeting_services.meeting_create(
                actor=chair, kind=MeetingKind.MANAGEMENT_GROUP, title="", starts_at=self._local(october, 9),
                location="Pääkonttori, neuvotteluhuone Kuusi",
            )
            for item in meeting.items.all():
                meeting_services.agenda_item_decide(
                    actor=chair, item=item,
                    decision="Käsitelty. Alueet raportoivat tilanteesta seuraavassa kokouksessa.",
                )
            people = list(meeting_selectors.meeting_people(meeting=meeting))
            meeting_services.meeting_attendance_set(actor=chair, meeting=meeting, participants=people, absentees=[])
            meeting_services.meeting_close(actor=chair, meeting=meeting)
            Meeting.objects.filter(pk=meeting.pk).update(closed_at=self._local(october, 12))
        day = self.today + dt.timedelta(days=10)
        while day.weekday() >= 5:
            day += dt.timedelta(days=1)
        meeting_services.meeting_create(
            actor=chair, kind=MeetingKind.MANAGEMENT_GROUP, title="", starts_at=self._local(day, 9),
            location="Pääkonttori, neuvotteluhuone Kuusi",
        )

    # --- guidance from authorities and counties ------------------------------------

    def _guidance(self) -> None:
        qd = self.quality_director
        demo_unit = self.b.demo_unit
        demo_staff = self.b.unit_staff[id(demo_unit)]
        county = demo_unit.counties.order_by("pk").first()
        authority = Authority.objects.filter(is_default=True).first() or Authority.objects.order_by("pk").first()

        # A county's request for explanation to the demo unit, being prepared.
        request = guidance_services.guidance_register(
            actor=qd, kind=GuidanceKind.INFORMATION_REQUEST,
            title="Selvityspyyntö: lapsen karkaamistilanteet syys–lokakuussa",
            content=(
                "Hyvinvointialue pyytää selvitystä yksikössä syys–lokakuussa tapahtuneista karkaamistilanteista, "
                "niiden jälkeen tehdyistä toimenpiteistä ja yhteistyöstä lapsen sosiaalityöntekijän kanssa."
            ),
            received_on=self.today - dt.timedelta(days=9), county=county, sender_reference="PIHA/1234/2026",
            deadline=self.today + dt.timedelta(days=12), units=[demo_unit], assignee=demo_staff["responsible"],
        )
        guidance_services.guidance_response_save(
            actor=demo_staff["responsible"], guidance=request,
            response="Yksikössä oli syys–lokakuussa kolme karkaamistilannetta. Jokaisesta tehtiin poikkeamailmoitus…",
        )

        # The authority's guidance to every unit, turned into instructions for all staff.
        letter = guidance_services.guidance_register(
            actor=qd, kind=GuidanceKind.GUIDANCE,
            title="Ohjaus: rajoitustoimenpiteiden kirjaaminen ja päätökset",
            content=(
                "Valvontaviranomainen muistuttaa, että jokaisesta rajoitustoimenpiteestä on tehtävä "
                "valituskelpoinen päätös tai kirjaus ja että lapsen kanssa käydään tilanne läpi jälkikäteen."
            ),
            received_on=self.today - dt.timedelta(days=30), authority=authority, applies_to_all_units=True,
        )
        guidance_services.guidance_instructions_issue(
            actor=qd, guidance=letter,
            instructions=(
                "Kirjaa jokainen rajoitustoimenpide samana päivänä asiakastietojärjestelmään rajoituslomakkeelle. "
                "Käy tilanne läpi lapsen kanssa viimeistään seuraavana päivänä ja kirjaa myös se."
            ),
        )
        acks = improvement_selectors.acknowledgements_for(target=letter)
        demo_employee = self.b.login_users.get(Role.EMPLOYEE)
        for ack in acks:
            if ack.user_id != getattr(demo_employee, "pk", None) and self.rng.random() < 0.7:
                meeting_services.acknowledgement_confirm(actor=ack.user, acknowledgement=ack)

        # An inspection finding in another unit of the region, answered and reviewed.
        others = [u for u in self.b.units if u.region_id == demo_unit.region_id and u != demo_unit]
        if others:
            unit = others[0]
            staff = self.b.unit_staff[id(unit)]
            finding = guidance_services.guidance_register(
                actor=qd, kind=GuidanceKind.INSPECTION_FINDING,
                title="Tarkastushavainto: lääkehoitosuunnitelman päivitys",
                content="Ohjauskäynnillä havaittiin, että yksikön lääkehoitosuunnitelma oli päivittämättä.",
                received_on=self.today - dt.timedelta(days=45), authority=authority,
                deadline=self.today - dt.timedelta(days=10), units=[unit], assignee=staff["responsible"],
            )
            guidance_services.guidance_response_submit(
                actor=staff["responsible"], guidance=finding,
                response="Lääkehoitosuunnitelma on päivitetty ja hyväksytty; päivitys on lisätty laadun vuosikelloon.",
            )
            guidance_services.guidance_review(
                actor=qd, guidance=finding, approve=True, response_date=self.today - dt.timedelta(days=12)
            )

