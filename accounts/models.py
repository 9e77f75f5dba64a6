import datetime
import hashlib

from django.conf import settings
from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

hpr_validator = RegexValidator(r"^\d{4,9}$", _("An HPR number has 4 to 9 digits."))


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person: an adviser, a manager, an ALIS, a supervisor — or several of these at once.

    What a person may do comes from their role assignments, never from a user type.
    A person registered by someone else (an ALIS entered by their manager) exists before they
    have a password; an invitation lets them set one.
    """

    username = None
    email = models.EmailField(_("e-mail address"), unique=True)
    hpr_number = models.CharField(
        _("HPR number"),
        max_length=9,
        blank=True,
        validators=[hpr_validator],
        help_text=_("The number in the Health Personnel Register."),
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    language = models.CharField(
        _("language"),
        max_length=5,
        default="nb",
        choices=[("nb", "Norsk bokmål"), ("nn", "Norsk nynorsk"), ("en", "English")],
        help_text=_("The language of e-mails from the portal."),
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["last_name", "first_name", "email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
        ]

    def __str__(self):
        return self.get_full_name() or self.email

    def get_full_name(self):
        return f"{self.first_name} {self.last_name}".strip()


def in_sentence(label) -> str:
    """A role's name inside a sentence: lower case ("as municipal manager", "som veileder"),
    except a name that is an abbreviation ("as ALIS")."""
    text = str(label)
    if len(text) > 1 and text[:2].isupper():
        return text
    return text[:1].lower() + text[1:]


class Role(models.TextChoices):
    ADVISER = "adviser", _("Adviser")
    MANAGER = "manager", _("Municipal manager")
    ALIS = "alis", _("ALIS")
    SUPERVISOR = "supervisor", _("Supervisor")
    GROUP_LEADER = "group_leader", _("Group leader")


class RoleAssignmentQuerySet(models.QuerySet):
    def active(self, on: datetime.date | None = None):
        on = on or timezone.localdate()
        return self.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on), valid_from__lte=on)

    def ended(self, on: datetime.date | None = None):
        on = on or timezone.localdate()
        return self.filter(valid_to__lt=on)

    def upcoming(self, on: datetime.date | None = None):
        on = on or timezone.localdate()
        return self.filter(valid_from__gt=on)

    def visible_to(self, user):
        """Advisers see the assignments in their region; managers the roles they grant in
        their municipalities (ALIS, supervisors, group leaders); everyone sees their own."""
        from accounts.scope import MANAGER_GRANTS, scope_for

        scope = scope_for(user)
        if not scope.is_authenticated:
            return self.none()
        return self.filter(
            Q(user_id=scope.user_id)
            | Q(region_id__in=scope.region_ids)
            | Q(municipality__region_id__in=scope.region_ids)
            | Q(municipality_id__in=scope.managed_municipality_ids, role__in=MANAGER_GRANTS)
        )


class RoleAssignment(models.Model):
    """A role held by a person for a while, in a region (advisers) or a municipality."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="role_assignments", verbose_name=_("person")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    region = models.ForeignKey(
        "municipalities.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=_("region"),
    )
    municipality = models.ForeignKey(
        "municipalities.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=_("municipality"),
    )
    valid_from = models.DateField(_("valid from"), default=timezone.localdate)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    created_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("granted by"),
    )
    created_at = models.DateTimeField(_("granted"), auto_now_add=True)
    history = HistoricalRecords()

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        ordering = ["-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(role="adviser") | Q(region__isnull=False),
                name="roleassignment_adviser_has_region",
            ),
            models.CheckConstraint(
                condition=~Q(role="manager") | Q(municipality__isnull=False),
                name="roleassignment_manager_has_municipality",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="roleassignment_dates_in_order",
            ),
        ]
        indexes = [models.Index(fields=["user", "role"])]

    def __str__(self):
        where = self.municipality or self.region or ""
        return f"{self.get_role_display()} {where}".strip()

    @property
    def place(self):
        """Where the role holds: the municipality, or an adviser's region."""
        return self.municipality or self.region

    def is_active(self, on: datetime.date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.valid_from <= on and (self.valid_to is None or self.valid_to >= on)


# The roles held for one municipality (an adviser's is for a region): those one invites to.
MUNICIPAL_ROLES = [Role.MANAGER, Role.ALIS, Role.SUPERVISOR, Role.GROUP_LEADER]


class InvitationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Advisers see the invitations to their region's municipalities, managers those to
        their own municipalities."""
        from accounts.scope import scope_for

        scope = scope_for(user)
        return self.filter(
            Q(municipality__region_id__in=scope.region_ids)
            | Q(municipality_id__in=scope.managed_municipality_ids)
        )

    def open(self):
        """Neither accepted nor revoked (pending or expired)."""
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True)

    def pending(self, now: datetime.datetime | None = None):
        return self.open().filter(expires_at__gt=now or timezone.now())

    def expired(self, now: datetime.datetime | None = None):
        return self.open().filter(expires_at__lte=now or timezone.now())

    def for_token(self, token: str):
        """The invitation the link's token belongs to, or None. Only the token's hash is
        stored, so a copy of the database gives nobody a working link."""
        return self.filter(token_hash=Invitation.hash_token(token)).first()


class Invitation(models.Model):
    """An e-mail asking a person to take a role for a municipality.

    The link carries a random token; only its SHA-256 is stored. It works once, until it
    expires, and not after it was revoked or replaced by a newer link (resending).
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        EXPIRED = "expired", _("Expired")
        ACCEPTED = "accepted", _("Accepted")
        REVOKED = "revoked", _("Revoked")

    email = models.EmailField(_("e-mail address"))
    first_name = models.CharField(_("first name"), max_length=150, blank=True)
    last_name = models.CharField(_("last name"), max_length=150, blank=True)
    role = models.CharField(
        _("role"), max_length=20, choices=[(r.value, r.label) for r in MUNICIPAL_ROLES]
    )
    municipality = models.ForeignKey(
        "municipalities.Municipality",
        on_delete=models.PROTECT,
        related_name="invitations",
        verbose_name=_("municipality"),
    )
    language = models.CharField(
        _("language of the e-mail"),
        max_length=5,
        choices=settings.LANGUAGES,
        default="nb",
        help_text=_("A person who already has an account gets it in the language they chose."),
    )
    note = models.TextField(
        _("personal note"),
        max_length=1000,
        blank=True,
        help_text=_("Shown in the e-mail, e.g. why they are invited."),
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        related_name="invitations_sent",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("last sent"))
    times_sent = models.PositiveSmallIntegerField(_("times sent"), default=1)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations_accepted",
        verbose_name=_("accepted by"),
    )
    role_assignment = models.ForeignKey(
        RoleAssignment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name=_("role assignment"),
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )
    history = HistoricalRecords(excluded_fields=["token_hash"])

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-sent_at"]
        constraints = [
            # One open invitation per person, role and municipality: inviting again resends it.
            models.UniqueConstraint(
                Lower("email"),
                "role",
                "municipality",
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_open_per_role",
            ),
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True) | Q(revoked_at__isnull=True),
                name="invitation_not_accepted_and_revoked",
            ),
            models.CheckConstraint(
                condition=Q(role__in=[r.value for r in MUNICIPAL_ROLES]),
                name="invitation_role_has_a_municipality",
            ),
        ]

    def __str__(self):
        return f"{self.email}: {self.get_role_display()} {self.municipality}"

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def status(self, now: datetime.datetime | None = None) -> str:
        if self.accepted_at:
            return self.Status.ACCEPTED
        if self.revoked_at:
            return self.Status.REVOKED
        if self.expires_at <= (now or timezone.now()):
            return self.Status.EXPIRED
        return self.Status.PENDING

    def get_status_display(self) -> str:
        return self.Status(self.status()).label

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None
