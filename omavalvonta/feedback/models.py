"""Client-experience surveys and the public feedback channel.

Surveys and versions
--------------------
A `Survey` is the question set of one respondent group (children and young
people, parents, social workers) in one *version*. Drafts are edited by the
quality director; publishing freezes a version, and a later change starts a new
draft version copied from it. Every answer points at the exact version it was
given to, and questions keep a stable `key` across versions, so figures of
different rounds stay comparable ("safe" is "safe" in version 1 and 2).

Translations: question and survey texts are JSON objects {"fi": ..., "sv": ...,
"en": ...} in the row itself (`text`, `title`, `intro`), not in the gettext
catalogues: the quality director edits them in the product, and a published
version must keep exactly the words it was answered with. A missing language
falls back to Finnish.

Anonymity
---------
An answer (`Response`) stores no user, no address, no link and no time of day:
only the round, the unit, the survey version, the group, the channel, the
language and the *date*. Single-use links and kiosk tokens are stored as HMAC
digests only, and a used link is marked used without pointing at the answer.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy as _

from omavalvonta.core.lib.dates import fi_date
from omavalvonta.core.models import EditVersioned, LabelledByNumber, TimeStampedModel
from omavalvonta.organisation.access import UnitScopedQuerySet

# Figures of a group with fewer answers than this are not shown separately, so
# that a child cannot be recognised from the results.
MIN_GROUP_SIZE = 5
LANGUAGES = ("fi", "sv", "en")


def translated(value: dict | None, language: str | None = None) -> str:
    """The text of a {"fi", "sv", "en"} object in `language` (default: the
    active one), falling back to Finnish, then to any language given."""
    value = value or {}
    lang = (language or get_language() or "fi")[:2]
    return value.get(lang) or value.get("fi") or next((v for v in value.values() if v), "")


class Group(models.TextChoices):
    CHILD = "child", _("Children and young people")
    PARENT = "parent", _("Parents")
    SOCIAL_WORKER = "social_worker", _("Social workers")


class SurveyState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    RETIRED = "retired", _("Replaced by a newer version")


class Survey(EditVersioned, TimeStampedModel):
    group = models.CharField(_("respondent group"), max_length=20, choices=Group.choices)
    version = models.PositiveSmallIntegerField(_("version"))
    state = models.CharField(_("state"), max_length=12, choices=SurveyState.choices, default=SurveyState.DRAFT)
    title = models.JSONField(_("title"), default=dict)
    intro = models.JSONField(_("introduction"), default=dict, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        ordering = ["group", "-version"]
        constraints = [models.UniqueConstraint(fields=["group", "version"], name="survey_group_version_unique")]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")

    def __str__(self):
        return f"{self.get_group_display()} v{self.version}"

    @property
    def title_text(self) -> str:
        return translated(self.title)

    @property
    def intro_text(self) -> str:
        return translated(self.intro)

    @property
    def uses_faces(self) -> bool:
        return self.group == Group.CHILD


class QuestionKind(models.TextChoices):
    NPS = "nps", _("Recommendation 0–10 (NPS)")
    SCALE = "scale", _("Agreement 1–5")
    FACES = "faces", _("Faces 1–5 (children)")
    TEXT = "text", _("Free text")


SCALED_KINDS = (QuestionKind.SCALE, QuestionKind.FACES)


class Question(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    key = models.SlugField(_("key"), max_length=40, help_text=_("Stays the same across versions so that results compare."))
    kind = models.CharField(_("kind"), max_length=8, choices=QuestionKind.choices)
    text = models.JSONField(_("question"), default=dict)
    required = models.BooleanField(_("required"), default=False)

    class Meta:
        ordering = ["survey", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["survey", "key"], name="question_key_unique")]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self):
        return self.text_in()

    def text_in(self, language: str | None = None) -> str:
        return translated(self.text, language)


class Round(TimeStampedModel):
    """A quarter's feedback round in one unit."""

    unit = models.ForeignKey("organisation.Unit", on_delete=models.PROTECT, related_name="feedback_rounds", verbose_name=_("unit"))
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    opens_on = models.DateField(_("opens"))
    closes_on = models.DateField(_("closes"))

    objects = UnitScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-quarter", "unit__name"]
        constraints = [models.UniqueConstraint(fields=["unit", "year", "quarter"], name="round_unit_quarter_unique")]
        # The rounds open on a day (the home page's count and rows): those closing
        # on or after it, a few of a table that grows by a round per unit a quarter.
        indexes = [models.Index(fields=["closes_on", "opens_on", "unit"], name="round_open_on_day")]
        verbose_name = _("feedback round")
        verbose_name_plural = _("feedback rounds")

    def __str__(self):
        return f"{self.unit} {self.label}"

    @property
    def label(self) -> str:
        return f"Q{self.quarter}/{self.year}"

    def is_open(self, on=None) -> bool:
        today = on or timezone.localdate()
        return self.opens_on <= today <= self.closes_on


class Channel(models.TextChoices):
    LINK = "link", _("Single-use link or QR code")
    KIOSK = "kiosk", _("Tablet in the unit")
    ORAL = "oral", _("Oral, recorded by staff")
    PAPER = "paper", _("Paper form, recorded by staff")


ON_BEHALF_CHANNELS = (Channel.ORAL, Channel.PAPER)


class ResponseLink(LabelledByNumber):
    """A single-use answer link. Only the HMAC digest of its token is stored."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="links")
    unit = models.ForeignKey("organisation.Unit", on_delete=models.PROTECT, related_name="+")
    group = models.CharField(max_length=20, choices=Group.choices)
    token_digest = models.CharField(max_length=64, unique=True)
    created_on = models.DateField(default=timezone.localdate)
    used = models.BooleanField(default=False)

    objects = UnitScopedQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["round", "group", "used"])]


class Kiosk(LabelledByNumber):
    """A tablet in the unit answering one round for one group, again and again."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="kiosks")
    unit = models.ForeignKey("organisation.Unit", on_delete=models.PROTECT, related_name="+")
    group = models.CharField(max_length=20, choices=Group.choices)
    token_digest = models.CharField(max_length=64, unique=True)
    started_on = models.DateField(default=timezone.localdate)
    closed = models.BooleanField(default=False)

    objects = UnitScopedQuerySet.as_manager()


class Response(LabelledByNumber):
    """One anonymous answer. Nothing here points at a person (see the module docstring)."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="responses")
    unit = models.ForeignKey("organisation.Unit", on_delete=models.PROTECT, related_name="+")
    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="responses")
    group = models.CharField(max_length=20, choices=Group.choices)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    language = models.CharField(max_length=5, default="fi")
    submitted_on = models.DateField(default=timezone.localdate)
    nps = models.PositiveSmallIntegerField(null=True, blank=True)

    objects = UnitScopedQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["unit", "round", "group"]),
            models.Index(fields=["round", "group"]),
            models.Index(fields=["unit", "submitted_on"]),
            models.Index(fields=["submitted_on"]),
        ]

    @property
    def on_behalf(self) -> bool:
        return self.channel in ON_BEHALF_CHANNELS


class Answer(LabelledByNumber):
    """The answer to one scaled or free-text question of a response."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    unit = models.ForeignKey("organisation.Unit", on_delete=models.PROTECT, related_name="+")
    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="+")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    key = models.SlugField(max_length=40)
    value = models.PositiveSmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True)

    objects = UnitScopedQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["round", "key"]),
            models.Index(fields=["unit", "key"]),
            # The free-text answers of a unit (the results page's, the monthly
            # report's): a few among its thousands of scaled answers, which
            # the unit's index read every one of (issue 13).
            models.Index(fields=["unit", "round"], condition=~models.Q(text=""), name="answer_text_by_unit_round"),
        ]


class MessageKind(models.TextChoices):
    FEEDBACK = "feedback", _("Feedback")
    NOTICE = "notice", _("Notice about a child's rights or self-determination")


class PublicFeedback(TimeStampedModel):
    """Feedback sent through the public channel to a unit or (unit empty) to the
    organisation. Notices do not live here: they become deviations of type client
    rights. Read and answered by those who hold feedback rights over the unit
    (organisation-wide grants for feedback to the organisation)."""

    unit = models.ForeignKey(
        "organisation.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    message = models.TextField(_("feedback"))
    sender_name = models.CharField(_("name"), max_length=150, blank=True)
    sender_contact = models.CharField(_("contact details"), max_length=200, blank=True)
    language = models.CharField(max_length=5, default="fi")
    followup_code_digest = models.CharField(max_length=64, unique=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(
        "organisation.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["unit", "created_at"])]
        verbose_name = _("public feedback")
        verbose_name_plural = _("public feedback")

    def __str__(self):
        return _("Feedback %(date)s") % {"date": fi_date(self.created_at)}

    @property
    def is_anonymous(self) -> bool:
        return not (self.sender_name or self.sender_contact)


class GoalMetric(models.TextChoices):
    NPS = "nps", _("NPS of a respondent group")
    RESPONSE_RATE = "response_rate", _("Response rate of a respondent group (%)")
    HANDLING_ON_TIME = "handling_on_time", _("Deviations whose handling started on time (%)")
    MANUAL = "manual", _("Other operational goal (assessed by the team)")


CLIENT_METRICS = (GoalMetric.NPS, GoalMetric.RESPONSE_RATE)


class TeamGoal(TimeStampedModel):
    """A team's incentive goal for one half-year: client experience (an NPS or
    response-rate target of a group) or operational (deviations handled on time,
    or a goal the team assesses itself). Evaluated from the data every six months."""

    unit = models.ForeignKey("organisation.Unit", on_delete=models.CASCADE, related_name="+", verbose_name=_("unit"))
    year = models.PositiveSmallIntegerField(_("year"))
    half = models.PositiveSmallIntegerField(_("half-year"))
    metric = models.CharField(_("measure"), max_length=20, choices=GoalMetric.choices)
    group = models.CharField(_("respondent group"), max_length=20, choices=Group.choices, blank=True)
    target = models.SmallIntegerField(_("target"), null=True, blank=True)
    description = models.CharField(_("goal"), max_length=300)
    manual_met = models.BooleanField(_("met"), null=True, blank=True)
    manual_note = models.CharField(_("assessment"), max_length=500, blank=True)

    objects = UnitScopedQuerySet.as_manager()

    class Meta:
        ordering = ["unit", "-year", "-half", "pk"]
        indexes = [models.Index(fields=["unit", "year", "half"])]
        verbose_name = _("team goal")
        verbose_name_plural = _("team goals")

    def __str__(self):
        return self.description

    @property
    def is_client_experience(self) -> bool:
        return self.metric in CLIENT_METRICS


_TALLY_PERIOD = ["year", "quarter", "month", "group", "key"]


class TeamReward(EditVersioned, TimeStampedModel):
    """The team's decision on how to use its reward once every incentive goal of
    a half-year was met (the provider's incentive scheme: "tavoitteet
    saavuttaneet työryhmät päättävät, miten he käyttävät saamansa palkkion").
    One per unit and half-year; recorded after the half ended."""

    unit = models.ForeignKey("organisation.Unit", on_delete=models.CASCADE, related_name="+", verbose_name=_("unit"))
    year = models.PositiveSmallIntegerField(_("year"))
    half = models.PositiveSmallIntegerField(_("half-year"))
    decision = models.TextField(_("how the team uses the reward"))
    decided_on = models.DateField(_("decided on"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = UnitScopedQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "year", "half"], name="team_reward_once_per_half")]
        verbose_name = _("team reward")
        verbose_name_plural = _("team rewards")

    def __str__(self):
        return f"{self.half}/{self.year}"


class Tally(LabelledByNumber):
    """Running sums of the answers, so that no page reads the answers themselves.

    Rows per round quarter × month of the answer date × respondent group ×
    question key, for four scopes: a unit (unit set; region and service_type
    are the unit's when its answers were last counted), a region (region set,
    no unit), a service type (service_type set, no unit or region) and the
    whole organisation (none set). The row with key "" counts the responses (n)
    and their NPS answers; a row with a question key counts the scaled answers
    to it (n) and their sum.

    Rows change in the transaction that stores (services._store_response) or
    removes (services.responses_remove) answers; a unit moved to another region
    or service type takes its sums along (tallies.unit_rescope, a unit hook);
    tallies.tallies_rebuild recomputes them all from the answers. The
    small-group rule is applied when the figures are read (figures.Cell),
    exactly as over the answers."""

    unit = models.ForeignKey("organisation.Unit", null=True, on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey("organisation.Region", null=True, on_delete=models.PROTECT, related_name="+")
    service_type = models.CharField(max_length=20, blank=True)
    year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField()
    month = models.DateField()  # the first day of the answers' month
    group = models.CharField(max_length=20, choices=Group.choices)
    key = models.SlugField(max_length=40, blank=True)
    n = models.PositiveIntegerField(default=0)
    value_sum = models.PositiveBigIntegerField(default=0)
    nps_answered = models.PositiveIntegerField(default=0)
    promoters = models.PositiveIntegerField(default=0)
    detractors = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit", *_TALLY_PERIOD], condition=models.Q(unit__isnull=False), name="tally_unit_unique"
            ),
            models.UniqueConstraint(
                fields=["region", *_TALLY_PERIOD],
                condition=models.Q(unit__isnull=True, region__isnull=False),
                name="tally_region_unique",
            ),
            models.UniqueConstraint(
                fields=["service_type", *_TALLY_PERIOD],
                condition=models.Q(unit__isnull=True, region__isnull=True) & ~models.Q(service_type=""),
                name="tally_service_type_unique",
            ),
            models.UniqueConstraint(
                fields=_TALLY_PERIOD,
                condition=models.Q(unit__isnull=True, region__isnull=True, service_type=""),
                name="tally_organisation_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["year", "quarter", "key"]),
            models.Index(fields=["month", "key"]),
            # A county's units over a period (county_figures, the county's home and
            # API): read from the index alone on PostgreSQL (issue 19's bench).
            models.Index(
                fields=["unit", "key", "month"],
                include=["group", "n", "value_sum", "nps_answered", "promoters", "detractors"],
                name="tally_unit_key_month",
            ),
        ]
