"""Notices and news (通知公告 / 最新动态), their images, attachments and read receipts."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from neighborhoods.models import District, Neighbourhood, Subdistrict
from portal.files import private_storage
from portal.permissions import neighbourhood_scope

from ..sanitize import body_to_text, sanitize_body

__all__ = [
    "MAX_NOTICE_IMAGES",
    "Notice",
    "NoticeAttachment",
    "NoticeImage",
    "NoticeQuerySet",
    "NoticeRead",
]

MAX_NOTICE_IMAGES = 9
NOTICE_BODY_MAX = 20_000  # characters: a long notice is ~3,000


def user_neighbourhood_ids(user):
    """Neighbourhoods a signed-in person belongs to: where they work and where they live."""
    ids = set()
    if not user.is_authenticated:
        return ids
    if user.worker:
        ids.add(user.worker.neighbourhood_id)
    if user.resident:  # present residents only (portal.permissions)
        ids.add(user.resident.household.building.neighbourhood_id)
    return ids


def _published(now=None):
    now = now or timezone.now()
    return (Q(expires_at__isnull=True) | Q(expires_at__gt=now)) & Q(publish_at__lte=now)


class NoticeQuerySet(models.QuerySet):
    def published(self, now=None):
        """Notices whose publish time has come and that have not expired."""
        return self.filter(_published(now))

    def concerning(self, neighbourhood):
        """What concerns one neighbourhood: its own, its subdistrict's and its district's."""
        subdistrict = neighbourhood.subdistrict
        return self.filter(
            Q(neighbourhood_id=neighbourhood.pk)
            | Q(subdistrict_id=subdistrict.pk)
            | Q(district_id=subdistrict.district_id)
        )

    def concerning_any(self, neighbourhood_ids):
        places = Neighbourhood.objects.filter(pk__in=neighbourhood_ids).values_list(
            "pk", "subdistrict_id", "subdistrict__district_id"
        )
        q = Q(pk__in=[])
        for pk, subdistrict_id, district_id in places:
            q |= Q(neighbourhood_id=pk) | Q(subdistrict_id=subdistrict_id)
            q |= Q(district_id=district_id)
        return self.filter(q)

    def editable_by(self, user):
        """Notices a user may edit: the neighbourhood rule (admins all, staff their own)."""
        return neighbourhood_scope(self, user)

    def visible_to(self, user, now=None):
        """The one place that decides who may read which notice.

        Everyone: published public notices. Residents-only notices: residents linked to a
        household in the notice's scope and staff of that scope. Unpublished, scheduled and
        expired notices: only those who may edit them (and district admins see everything).
        """
        if user.is_authenticated and user.is_district_admin:
            return self
        readable = Q(audience=Notice.Audience.PUBLIC)
        neighbourhood_ids = user_neighbourhood_ids(user)
        if neighbourhood_ids:
            readable |= Q(pk__in=self.model.objects.concerning_any(neighbourhood_ids).values("pk"))
        # One condition on the rows themselves (not a subquery of every published notice):
        # the planner applies it to the rows the list's other filters leave (issue 14).
        visible = _published(now) & readable
        if user.is_authenticated and user.worker:
            return self.filter(visible | Q(pk__in=self.editable_by(user)))
        return self.filter(visible)

    def for_list(self):
        return self.select_related("district", "subdistrict", "neighbourhood").prefetch_related(
            models.Prefetch("images", queryset=NoticeImage.objects.order_by("position", "pk"))
        )

    def search(self, text):
        """Substring search in title and body: finds 水箱 in 二号楼水箱清洗通知 (no word split)."""
        text = (text or "").strip()
        if not text:
            return self
        return self.filter(Q(title__icontains=text) | Q(body__icontains=text))

    def ordered(self):
        return self.order_by("-pinned", "-publish_at", "-pk")


class Notice(models.Model):
    class Kind(models.TextChoices):
        NOTICE = "notice", _("Notice")
        NEWS = "news", _("News")

    class Category(models.TextChoices):
        WATER = "water", _("Water and drainage")
        WORKS = "works", _("Repairs and works")
        CULTURE = "culture", _("Culture and sport")
        SAFETY = "safety", _("Safety")
        POLICY = "policy", _("Policy")
        SERVICES = "services", _("Services")
        OTHER = "other", _("Other")

    class Audience(models.TextChoices):
        PUBLIC = "public", _("Everyone")
        RESIDENTS = "residents", _("Residents of the area only")

    # Exactly one of the three is set (check constraint below): the notice's scope.
    district = models.ForeignKey(
        "neighborhoods.District",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="notices",
        verbose_name=_("district"),
    )
    subdistrict = models.ForeignKey(
        "neighborhoods.Subdistrict",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="notices",
        verbose_name=_("subdistrict"),
    )
    neighbourhood = models.ForeignKey(
        "neighborhoods.Neighbourhood",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="notices",
        verbose_name=_("neighbourhood"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.NOTICE)
    title = models.CharField(_("title"), max_length=120)
    # Bounded: one notice is read on a phone, and an unbounded body filled the database
    # and every page that lists notices (finding 7).
    body = models.TextField(
        _("text"),
        max_length=NOTICE_BODY_MAX,
        help_text=_(
            "Leave a blank line between paragraphs; start lines with “- ” for a list. "
            "Simple HTML also works: paragraphs, lists, bold and links."
        ),
    )
    category = models.CharField(
        _("category"),
        max_length=12,
        choices=Category.choices,
        default=Category.OTHER,
        db_index=True,
    )
    audience = models.CharField(
        _("who may read it"), max_length=10, choices=Audience.choices, default=Audience.PUBLIC
    )
    publish_at = models.DateTimeField(
        _("publish at"),
        default=timezone.now,
        db_index=True,
        help_text=_("A time in the future schedules the notice."),
    )
    expires_at = models.DateTimeField(
        _("expires at"),
        null=True,
        blank=True,
        help_text=_("Optional: after this time the notice is no longer shown."),
    )
    pinned = models.BooleanField(
        _("pinned"), default=False, help_text=_("Pinned notices come first.")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notices",
        verbose_name=pgettext_lazy("writer", "author"),
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)
    # When the category's followers were told of it (once; see notices.messages).
    followers_told_at = models.DateTimeField(_("followers told"), null=True, blank=True)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-pinned", "-publish_at", "-pk"]
        indexes = [
            models.Index(fields=["-pinned", "-publish_at"], name="notice_list_order"),
            # The list's count of the notices everyone may read (/notices/, its paginator):
            # an index-only scan of the public notices' publish and expiry times, instead of
            # reading every row of the table (issue 14).
            models.Index(
                fields=["publish_at"],
                include=["expires_at"],
                condition=Q(audience="public"),
                name="notice_public_published",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(district__isnull=False, subdistrict__isnull=True, neighbourhood__isnull=True)
                    | Q(
                        district__isnull=True, subdistrict__isnull=False, neighbourhood__isnull=True
                    )
                    | Q(
                        district__isnull=True, subdistrict__isnull=True, neighbourhood__isnull=False
                    )
                ),
                name="notice_exactly_one_scope",
                violation_error_message=_(
                    "Choose exactly one of district, subdistrict or neighbourhood."
                ),
            ),
            models.CheckConstraint(
                condition=Q(expires_at__isnull=True) | Q(expires_at__gt=models.F("publish_at")),
                name="notice_expires_after_publish",
                violation_error_message=_("The expiry time must be after the publish time."),
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # Stored clean, so no page, feed or admin view can show unsafe markup.
        self.body = sanitize_body(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("notices:notice-detail", args=[self.pk])

    @property
    def scope(self):
        return self.neighbourhood or self.subdistrict or self.district

    @property
    def scope_level(self):
        if self.neighbourhood_id:
            return "neighbourhood"
        return "subdistrict" if self.subdistrict_id else "district"

    def set_scope(self, place):
        self.district = place if isinstance(place, District) else None
        self.subdistrict = place if isinstance(place, Subdistrict) else None
        self.neighbourhood = place if isinstance(place, Neighbourhood) else None

    def scope_neighbourhoods(self):
        """The neighbourhoods whose residents this notice is addressed to."""
        if self.neighbourhood_id:
            return Neighbourhood.objects.filter(pk=self.neighbourhood_id)
        if self.subdistrict_id:
            return Neighbourhood.objects.filter(subdistrict_id=self.subdistrict_id)
        return Neighbourhood.objects.filter(subdistrict__district_id=self.district_id)

    def is_published(self, now=None):
        now = now or timezone.now()
        return self.publish_at <= now and (self.expires_at is None or self.expires_at > now)

    def is_scheduled(self, now=None):
        return self.publish_at > (now or timezone.now())

    def is_expired(self, now=None):
        return self.expires_at is not None and self.expires_at <= (now or timezone.now())

    @property
    def is_residents_only(self):
        return self.audience == self.Audience.RESIDENTS

    @property
    def text(self):
        return body_to_text(self.body)

    @property
    def thumbnail(self):
        """The first image (from the list's prefetch), or None."""
        images = list(self.images.all())
        return images[0] if images else None


def _image_path(instance, filename):
    return f"notices/{instance.notice_id}/{filename}"


class NoticeImage(models.Model):
    notice = models.ForeignKey(
        Notice, on_delete=models.CASCADE, related_name="images", verbose_name=_("notice")
    )
    # Private: an image of a residents-only or unpublished notice is served only through
    # views that check who may read the notice (views_media.py), never from /media/.
    image = models.ImageField(_("image"), upload_to=_image_path, storage=private_storage)
    thumbnail = models.ImageField(
        _("thumbnail"), upload_to=_image_path, storage=private_storage, editable=False
    )
    caption = models.CharField(_("caption"), max_length=120, blank=True)
    position = models.PositiveSmallIntegerField(_("display order"), default=0)

    class Meta:
        verbose_name = _("notice image")
        verbose_name_plural = _("notice images")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.caption or self.image.name.rsplit("/", 1)[-1]

    def get_absolute_url(self):
        """The checked view of the full image (built from ids: no query)."""
        return reverse("notices:notice-image", args=[self.notice_id, self.pk])

    @property
    def thumbnail_url(self):
        return reverse("notices:notice-image-thumb", args=[self.notice_id, self.pk])


class NoticeAttachment(models.Model):
    notice = models.ForeignKey(
        Notice, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("notice")
    )
    file = models.FileField(_("PDF file"), upload_to=_image_path, storage=private_storage)
    title = models.CharField(_("title"), max_length=120)
    size = models.PositiveIntegerField(_("size in bytes"), default=0, editable=False)

    class Meta:
        verbose_name = _("notice attachment")
        verbose_name_plural = _("notice attachments")
        ordering = ["pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        """The checked download view (built from ids: no query)."""
        return reverse("notices:notice-attachment", args=[self.notice_id, self.pk])


class NoticeRead(models.Model):
    """A signed-in resident opened a notice. One row per person and notice (unique)."""

    notice = models.ForeignKey(
        Notice, on_delete=models.CASCADE, related_name="reads", verbose_name=_("notice")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notice_reads",
        verbose_name=_("reader"),
    )
    read_at = models.DateTimeField(_("read at"), default=timezone.now)

    class Meta:
        verbose_name = _("read receipt")
        verbose_name_plural = _("read receipts")
        ordering = ["-read_at"]
        constraints = [
            models.UniqueConstraint(fields=["notice", "user"], name="one_read_per_user_and_notice")
        ]

    def __str__(self):
        return f"{self.user} · {self.notice}"


class CategoryFollow(models.Model):
    """A person who wants a message when a notice of this category is published in their area."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notice_follows",
        verbose_name=_("user"),
    )
    category = models.CharField(_("category"), max_length=12, choices=Notice.Category.choices)

    class Meta:
        verbose_name = _("followed notice category")
        verbose_name_plural = _("followed notice categories")
        constraints = [
            models.UniqueConstraint(fields=["user", "category"], name="follow_category_once")
        ]

    def __str__(self):
        return f"{self.user_id} {self.category}"
