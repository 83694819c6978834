"""The provider, its regions and units, the counties that buy its services, and
the people with their roles. Roles and what they allow live in `access.py`."""

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from omavalvonta.core.models import EditVersioned, LabelledByNumber, TimeStampedModel

DEFAULT_RISK_MATRIX = [
    # Rows: consequence 0 (none) .. 4 (very serious); columns: likelihood 1..5.
    ["low", "low", "low", "low", "moderate"],
    ["low", "low", "moderate", "moderate", "moderate"],
    ["low", "moderate", "moderate", "high", "high"],
    ["moderate", "moderate", "high", "high", "very_high"],
    ["moderate", "high", "high", "very_high", "very_high"],
]


def default_risk_matrix():
    return [row[:] for row in DEFAULT_RISK_MATRIX]


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in. What they may do comes from their memberships."""

    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("name"), max_length=150)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    title = models.CharField(_("job title"), max_length=100, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("Django admin access"), default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email


class Organisation(EditVersioned, TimeStampedModel):
    """The provider group. One deployment serves one organisation."""

    name = models.CharField(_("name"), max_length=200)
    business_id = models.CharField(_("business ID"), max_length=20, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    handling_start_working_days = models.PositiveSmallIntegerField(
        _("handling must start within (working days)"), default=3
    )
    handling_target_days = models.PositiveSmallIntegerField(_("handling target (days)"), default=30)
    correction_due_days = models.PositiveSmallIntegerField(
        _("correction deadline after a county notification (days)"), default=14
    )
    risk_matrix = models.JSONField(_("risk matrix"), default=default_risk_matrix)
    # Off: the password form refuses everyone; people sign in with the
    # organisation's Microsoft account (organisation/sso.py). Holds only while
    # single sign-on is configured.
    password_sign_in = models.BooleanField(_("password sign-in allowed"), default=True)

    class Meta:
        verbose_name = _("organisation")

    def __str__(self):
        return self.name


class Authority(EditVersioned, TimeStampedModel):
    """A supervisory authority (Lupa- ja valvontavirasto, Valvira)."""

    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("notification e-mail address"))
    is_default = models.BooleanField(_("default recipient of escalations"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("supervisory authority")
        verbose_name_plural = _("supervisory authorities")

    def __str__(self):
        return self.name


class WellbeingCounty(EditVersioned, TimeStampedModel):
    """A wellbeing services county: the organiser that buys the service."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    notification_email = models.EmailField(_("address for critical notifications"))
    lead_official_name = models.CharField(_("lead social-care official"), max_length=150)
    lead_official_email = models.EmailField(_("lead official's e-mail"))
    lead_official_phone = models.CharField(_("lead official's phone"), max_length=40, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("wellbeing services county")
        verbose_name_plural = _("wellbeing services counties")

    def __str__(self):
        return self.name


class Region(EditVersioned, TimeStampedModel):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="regions")
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="region_name_unique")]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self):
        return self.name


class ServiceType(models.TextChoices):
    SUBSTITUTE_CARE = "substitute_care", _("Substitute care (children's home)")
    OPEN_CARE = "open_care", _("Open care")
    AFTERCARE = "aftercare", _("Aftercare")


class Unit(EditVersioned, TimeStampedModel):
    """A service unit: a children's home, an open-care team or an aftercare team."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="units", verbose_name=_("region"))
    name = models.CharField(_("name"), max_length=150)
    service_type = models.CharField(_("service type"), max_length=20, choices=ServiceType.choices)
    counties = models.ManyToManyField(
        WellbeingCounty, related_name="units", blank=True, verbose_name=_("purchasing wellbeing services counties")
    )
    places = models.PositiveSmallIntegerField(_("places"), null=True, blank=True)
    street_address = models.CharField(_("street address"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=5, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    public_slug = models.SlugField(_("public address"), max_length=80, unique=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self):
        return self.name


class Role(models.TextChoices):
    EMPLOYEE = "employee", _("Employee")
    SUPERVISOR = "supervisor", _("Supervisor")
    RESPONSIBLE_PERSON = "responsible_person", _("Responsible person")
    REGIONAL_DIRECTOR = "regional_director", _("Regional director")
    QUALITY_DIRECTOR = "quality_director", _("Quality director")
    REHABILITATION_DIRECTOR = "rehabilitation_director", _("Rehabilitation director")
    SAFETY_MANAGER = "safety_manager", _("Safety manager")
    HR_DIRECTOR = "hr_director", _("HR director")
    DATA_PROTECTION_OFFICER = "data_protection_officer", _("Data protection officer")
    MANAGEMENT_GROUP = "management_group", _("Management group member")
    ADMINISTRATOR = "administrator", _("Administrator")


class Membership(TimeStampedModel):
    """A role held by a person over one unit, one region or the whole organisation
    (neither unit nor region set). A person may hold several."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("person"))
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("unit")
    )
    region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("region")
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(unit__isnull=True) | Q(region__isnull=True), name="membership_one_scope"
            ),
        ]
        indexes = [models.Index(fields=["unit", "role"]), models.Index(fields=["region", "role"])]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self):
        return f"{self.user} – {self.get_role_display()} – {self.scope_label}"

    @property
    def scope_label(self):
        if self.unit_id:
            return str(self.unit)
        if self.region_id:
            return str(self.region)
        return str(_("Whole organisation"))


class SignInSession(LabelledByNumber):
    """A signed-in session of a person: which browser session (the session store's
    key), since when, from where and on what device. Kept beside Django's session
    store (which cannot list one person's sessions) so a person can see and end
    their other sessions, and an administrator can end all of someone's at once.
    Written at sign-in, removed at sign-out and when a session is ended."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="sign_in_sessions")
    session_key = models.CharField(max_length=40, unique=True)
    signed_in_at = models.DateTimeField(default=timezone.now)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "signed_in_at"])]
        verbose_name = _("signed-in session")
        verbose_name_plural = _("signed-in sessions")


class CountyAccess(TimeStampedModel, LabelledByNumber):
    """A person of a purchasing wellbeing services county who may sign in to see
    what concerns that county (the county's own view, /hyvinvointialue/). The
    provider decides which counties have accounts: an administrator grants and
    revokes. Not a membership: it gives no unit's rights, only the county's view,
    scoped by `access_county`. Revoking keeps the row (who had access, when)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="county_accesses", verbose_name=_("person"))
    county = models.ForeignKey(
        WellbeingCounty, on_delete=models.PROTECT, related_name="accesses", verbose_name=_("wellbeing services county")
    )
    granted_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [
            # One county per person at a time: a county supervisor sees one county's view.
            models.UniqueConstraint(fields=["user"], condition=Q(revoked_at__isnull=True), name="county_access_one_active"),
        ]
        indexes = [models.Index(fields=["county", "revoked_at"], name="county_access_county")]
        ordering = ["county__name", "user__full_name", "id"]
        verbose_name = _("county access")
        verbose_name_plural = _("county accesses")

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class ApiToken(TimeStampedModel, LabelledByNumber):
    """A token of the read-only open API (/api/v1/): a county's (its units'
    figures and the notifications sent to it, besides the public data) or a
    public integration's (public data only). Only the HMAC digest of the token is
    stored; the token itself is shown once when it is made. Revoking keeps the
    row (who used the API, until when)."""

    name = models.CharField(_("name"), max_length=100)
    county = models.ForeignKey(
        WellbeingCounty,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="api_tokens",
        verbose_name=_("wellbeing services county"),
        help_text=_("Empty: a public integration, which reads only public data."),
    )
    digest = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(max_length=12, editable=False)
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
