"""The catalogue: organisations, their domains, services, functions and channels,
the back-end systems behind them, and the help people get when something fails.

Texts people read are stored per language (``{"nl": ..., "fr": ...}``, see
:mod:`watwerkt.lib.i18n`). Identifiers (``slug``) are the stable keys the
catalogue YAML, the CLI and URLs use.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q

from watwerkt.engine import LEVEL_WORDS, SYSTEM_WORDS, DependencyKind
from watwerkt.lib.i18n import DEFAULT_LANGUAGE, LANGUAGES, Localised, pick

LEVEL_CHOICES = [(w, w) for w in LEVEL_WORDS]
STATE_CHOICES = [(w, w) for w in SYSTEM_WORDS]
LANGUAGE_CHOICES = [(code, code) for code in LANGUAGES]


def translated(**kwargs: Any) -> models.JSONField[Any, Any]:
    """A text kept per language: ``{"nl": "...", "en": "..."}``."""
    return models.JSONField(default=dict, blank=True, **kwargs)


class Organisation(models.Model):
    slug = models.SlugField(max_length=64, unique=True)
    name = translated()
    language = models.CharField(max_length=2, choices=LANGUAGE_CHOICES, default=DEFAULT_LANGUAGE)
    time_zone = models.CharField(max_length=64, default="Europe/Brussels")
    url = models.URLField(blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "slug"]

    def __str__(self) -> str:
        return self.slug

    def text(self, field: dict[str, str], language: str) -> Localised:
        return pick(field, language, self.language)


class Channel(models.Model):
    KINDS = [
        "online",
        "app",
        "phone",
        "email",
        "post",
        "counter",
        "kiosk",
        "appointment",
        "walk_in",
        "card",
        "cash",
        "transfer",
        "other",
    ]

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="channels"
    )
    slug = models.SlugField(max_length=64)
    kind = models.CharField(max_length=16, choices=[(k, k) for k in KINDS], default="other")
    name = translated()
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "slug"], name="channel_unique_slug")
        ]

    def __str__(self) -> str:
        return self.slug


class Domain(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="domains")
    slug = models.SlugField(max_length=64)
    name = translated()
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "slug"], name="domain_unique_slug")
        ]

    def __str__(self) -> str:
        return self.slug


class Service(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="services"
    )
    domain = models.ForeignKey(Domain, on_delete=models.CASCADE, related_name="services")
    slug = models.SlugField(max_length=64)
    name = translated()
    description = translated()
    keywords = models.JSONField(default=list, blank=True)  # search synonyms, any language
    audience = models.JSONField(default=list, blank=True)  # residents, businesses, ...
    url = models.URLField(blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "slug"], name="service_unique_slug")
        ]

    def __str__(self) -> str:
        return self.slug


class Function(models.Model):
    """A transaction within a service. A service listed without functions has
    one implicit function, with an empty slug and no name of its own."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="functions")
    slug = models.SlugField(max_length=64, blank=True)
    name = translated()
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["service", "slug"], name="function_unique_slug")
        ]

    def __str__(self) -> str:
        return self.slug or "-"

    @property
    def implicit(self) -> bool:
        return self.slug == ""


class FunctionChannel(models.Model):
    """A function as reached through one channel: the unit a status is set on.

    ``channel`` is empty for a function listed without channels ("any
    channel"). The manual status lives here; the effective status, which
    also reflects the systems this depends on, is computed by the engine and
    kept in :class:`watwerkt.status.models.EffectiveStatus`.
    """

    function = models.ForeignKey(Function, on_delete=models.CASCADE, related_name="channels")
    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, null=True, blank=True)
    position = models.PositiveIntegerField(default=0)
    level = models.CharField(max_length=16, choices=LEVEL_CHOICES, default="available")
    qualifiers = models.JSONField(default=list, blank=True)  # [{"code", "text"?, "date"?}]
    since = models.DateTimeField(null=True, blank=True)
    expected = models.JSONField(null=True, blank=True)  # {"kind", "value"}
    pinned = models.BooleanField(default=False)
    note = translated()

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["function", "channel"], name="function_channel_unique"),
            models.UniqueConstraint(
                fields=["function"],
                condition=Q(channel__isnull=True),
                name="function_any_channel_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.function_id}/{self.channel_id or '*'}"


class System(models.Model):
    """A back-end application, platform, piece of infrastructure or external
    party. Owned by one organisation; services of other organisations may
    depend on it too."""

    KINDS = ["application", "platform", "infrastructure", "external"]

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="systems")
    slug = models.SlugField(max_length=64)
    name = translated()
    description = translated()
    kind = models.CharField(max_length=16, choices=[(k, k) for k in KINDS], default="application")
    public = models.BooleanField(default=False)  # may its name appear on the public site?
    illustrative = models.BooleanField(default=False)  # invented for the demo, not a fact
    state = models.CharField(max_length=16, choices=STATE_CHOICES, default="up")
    since = models.DateTimeField(null=True, blank=True)
    expected = models.JSONField(null=True, blank=True)
    note = translated()
    recovery_priority = models.PositiveIntegerField(null=True, blank=True)
    recovery_owner = models.CharField(max_length=200, blank=True)
    recovery_target = models.DateField(null=True, blank=True)
    recovery_steps = models.JSONField(default=list, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "slug"], name="system_unique_slug")
        ]

    def __str__(self) -> str:
        return self.slug


class Dependency(models.Model):
    """``system`` is needed by exactly one of: another system, a whole service,
    one function (every channel), or one function x channel."""

    KIND_CHOICES = [(k.value, k.value) for k in DependencyKind]

    system = models.ForeignKey(System, on_delete=models.CASCADE, related_name="dependents")
    kind = models.CharField(max_length=4, choices=KIND_CHOICES, default="hard")
    dependent_system = models.ForeignKey(
        System, on_delete=models.CASCADE, null=True, blank=True, related_name="depends_on"
    )
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, null=True, blank=True, related_name="dependencies"
    )
    function = models.ForeignKey(
        Function, on_delete=models.CASCADE, null=True, blank=True, related_name="dependencies"
    )
    function_channel = models.ForeignKey(
        FunctionChannel,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="dependencies",
    )

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        dependent_system__isnull=False,
                        service=None,
                        function=None,
                        function_channel=None,
                    )
                    | Q(
                        dependent_system=None,
                        service__isnull=False,
                        function=None,
                        function_channel=None,
                    )
                    | Q(
                        dependent_system=None,
                        service=None,
                        function__isnull=False,
                        function_channel=None,
                    )
                    | Q(
                        dependent_system=None,
                        service=None,
                        function=None,
                        function_channel__isnull=False,
                    )
                ),
                name="dependency_has_one_dependent",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} on {self.system_id}"


class Attached(models.Model):
    """Help attached to a service, optionally narrowed to one function or one
    function x channel; with no service, it is organisation-wide."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, null=True, blank=True)
    function = models.ForeignKey(Function, on_delete=models.CASCADE, null=True, blank=True)
    function_channel = models.ForeignKey(
        FunctionChannel, on_delete=models.CASCADE, null=True, blank=True
    )
    text = translated()
    position = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["position", "id"]


class Alternative(Attached):
    """What to do instead: another channel, place or organisation, a temporary
    form or contact point, or explicitly nothing ("no action needed")."""

    KINDS = ["channel", "location", "organisation", "temporary_form", "contact", "no_action"]

    kind = models.CharField(max_length=16, choices=[(k, k) for k in KINDS])
    channel = models.ForeignKey(
        Channel, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    url = models.URLField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    hours = translated()

    class Meta(Attached.Meta):
        pass

    def __str__(self) -> str:
        return f"{self.kind}: {self.text}"


class Instruction(Attached):
    """What people must or must not do."""

    KINDS = ["do", "dont", "info"]

    kind = models.CharField(max_length=8, choices=[(k, k) for k in KINDS], default="do")

    class Meta(Attached.Meta):
        pass

    def __str__(self) -> str:
        return f"{self.kind}: {self.text}"


class Measure(Attached):
    """Rights and legal consequences: fines waived, deadlines extended, ..."""

    KINDS = [
        "fine_waived",
        "deadline_extended",
        "payment_guaranteed",
        "backdated",
        "refund",
        "other",
    ]

    kind = models.CharField(max_length=20, choices=[(k, k) for k in KINDS], default="other")

    class Meta(Attached.Meta):
        pass

    def __str__(self) -> str:
        return f"{self.kind}: {self.text}"
