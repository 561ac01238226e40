from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from . import permissions
from .phones import mainland_mobile_validator, mask_phone


class User(AbstractUser):
    """A person who signs in: a resident, or staff made by admins.

    Roles are not stored here: they follow from the records that give them
    (a community-worker profile, a centre membership, the district-admin group),
    so that taking a record away takes the role away with it.
    """

    phone = models.CharField(
        _("mobile number"),
        max_length=11,
        unique=True,
        null=True,
        blank=True,
        validators=[mainland_mobile_validator],
    )
    phone_verified = models.BooleanField(_("mobile number verified"), default=False)
    # A number this account claimed at sign-up while another, unverified account held it:
    # it becomes the account's phone once the code sent to it is typed.
    pending_phone = models.CharField(
        _("mobile number awaiting its code"),
        max_length=11,
        blank=True,
        null=True,
        validators=[mainland_mobile_validator],
    )
    # Set when the owner of the number verified it and it was taken from this account.
    phone_lost = models.BooleanField(_("mobile number taken by its verified owner"), default=False)
    large_text = models.BooleanField(_("large text"), default=False)
    # Messages are rendered in this language (blank: the site's default, zh-hans).
    language = models.CharField(_("language for messages"), max_length=10, blank=True)
    # Kept by portal.messaging (F() updates) so the header's unread count costs no query.
    unread_messages = models.PositiveIntegerField(_("unread messages"), default=0)

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.get_full_name() or self.username

    @property
    def masked_phone(self):
        return mask_phone(self.phone)

    @property
    def register_name(self):
        """For staff: the household register's name of the linked resident, else the
        name the person gave (称呼)."""
        resident = self.resident
        return resident.name if resident else str(self)

    # Who this person is, cached for the request. The answers live in portal/permissions.py.
    is_district_admin = cached_property(permissions.is_district_admin)
    worker = cached_property(permissions.active_worker)
    resident = cached_property(permissions.present_resident)
    staff_centre_ids = cached_property(permissions.staff_centre_ids)
    is_volunteer = cached_property(permissions.is_volunteer)
    home_neighbourhood = cached_property(permissions.home_neighbourhood)

    @property
    def is_committee_staff(self):
        return self.worker is not None

    @property
    def is_centre_staff(self):
        return bool(self.staff_centre_ids)

    @property
    def role_label(self):
        if self.is_district_admin:
            return _("District admin")
        if self.is_committee_staff:
            return _("Committee staff")
        if self.is_centre_staff:
            return _("Centre staff")
        if self.is_volunteer:
            return _("Volunteer")
        return _("Resident")


class AccessLog(models.Model):
    """Who was shown which households' personal data, on which page, and when.

    One row per page view, written only by `portal.audit.record_access`. `households` lists
    every household the page showed (one for a household, visit, need or alert page; the
    page's rows for the register, the needs list, the watch board, the map, a notice's read
    list and the admin's lists); `household` is also set on pages about one household.
    """

    class Action(models.TextChoices):
        VIEW = "view", _("household page")
        VISIT = "visit", _("visit record")
        NEED = "need", _("need")
        NEED_PHOTO = "need_photo", _("photo sent with a need")
        WATCH_ALERT = "watch_alert", _("watch alert")
        HOUSEHOLD_LIST = "household_list", _("household register list")
        NEED_LIST = "need_list", _("needs list")
        WATCH_BOARD = "watch_board", _("daily-watch board")
        MAP = "map", _("community map")
        NOTICE_READS = "notice_reads", _("notice's read list")
        ADMIN_LIST = "admin_list", _("admin list page")
        ADMIN_CHANGE = "admin_change", _("admin record page")
        REGISTER_EXPORT = "register_export", _("register exported (台账)")
        LOAN = "loan", _("rehab-aid loan")
        LOAN_LIST = "loan_list", _("rehab-aid loans list")
        VOTE_ROLL = "vote_roll", _("consent vote's roll")
        VOLUNTEERS = "volunteers", _("volunteer applications or records")
        VOLUNTEER_WATCH = "volunteer_watch", _("a volunteer's daily-watch households")

    user = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="access_logs", verbose_name=_("user")
    )
    # PROTECT: the record of who saw a household's data outlives an attempt to delete it.
    household = models.ForeignKey(
        "neighborhoods.Household",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="access_logs",
        verbose_name=_("household"),
    )
    households = models.ManyToManyField(
        "neighborhoods.Household",
        through="AccessLogHousehold",
        related_name="listed_in_access_logs",
        verbose_name=_("households shown"),
    )
    action = models.CharField(
        _("what was opened"), max_length=40, choices=Action.choices, default=Action.VIEW
    )
    path = models.CharField(_("page"), max_length=300, blank=True)
    # An export (台账) records how many rows the file had and, for full phone numbers,
    # the reason the exporter gave.
    rows = models.PositiveIntegerField(_("rows exported"), null=True, blank=True)
    reason = models.CharField(_("reason given"), max_length=200, blank=True)
    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("personal-data access record")
        verbose_name_plural = _("personal-data access records")
        ordering = ["-at"]

    def __str__(self):
        seen = self.household or self.get_action_display()
        return f"{self.user} → {seen} @ {self.at:%Y-%m-%d %H:%M}"


class AccessLogHousehold(models.Model):
    """One household shown on the page of one access record."""

    access_log = models.ForeignKey(AccessLog, on_delete=models.CASCADE, related_name="+")
    # PROTECT, as on AccessLog.household: a household that was shown cannot be deleted.
    household = models.ForeignKey(
        "neighborhoods.Household", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("household shown")
        verbose_name_plural = _("households shown")
        constraints = [
            models.UniqueConstraint(
                fields=["access_log", "household"], name="unique_household_per_access_log"
            )
        ]

    def __str__(self):
        return str(self.household_id)


# ---------------------------------------------------------------------------------------------
# Messages (portal/messaging): one Message per recipient (the on-site inbox), then one Delivery
# per extra channel the person has and wants, delivered by the task-queue worker.


class Message(models.Model):
    """One thing told to one person: always in their inbox (/me/inbox/).

    Written only by `portal.messaging.send`; the text is rendered in the recipient's language
    when it is sent. `dedupe_key` makes a second send of the same event to the same person a
    no-op (a unique constraint, so two requests at once cannot both write it).
    """

    recipient = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="messages", verbose_name=_("recipient")
    )
    kind = models.CharField(_("kind of message"), max_length=60)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    urgent = models.BooleanField(_("urgent"), default=False)
    staff_alert = models.BooleanField(_("staff alert"), default=False)
    dedupe_key = models.CharField(_("de-duplication key"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "recipient", "dedupe_key"],
                condition=~models.Q(dedupe_key=""),
                name="unique_message_per_dedupe_key",
            )
        ]
        indexes = [
            models.Index(
                fields=["recipient", "created_at"],
                name="message_unread_idx",
                condition=models.Q(read_at__isnull=True),
            ),
            models.Index(fields=["recipient", "-created_at"], name="message_inbox_idx"),
        ]

    def __str__(self):
        return f"{self.kind} → {self.recipient_id}: {self.subject}"

    @property
    def is_read(self):
        return self.read_at is not None


class Delivery(models.Model):
    """One message on one outside channel (SMS, WeChat, email): a small state machine.

    pending/deferred → sending (claimed by one worker, row locked with SKIP LOCKED) → sent,
    or back to pending with a later `next_attempt_at` (retry with backoff), or failed after
    the last attempt. A `sending` row whose worker died is taken up again only through a
    gateway that honours the idempotency key (the provider then drops the second copy);
    otherwise it becomes `unknown` and is never sent again: never twice on one channel.
    """

    class Channel(models.TextChoices):
        SMS = "sms", _("SMS")
        WECHAT = "wechat", _("WeChat")
        EMAIL = "email", _("email")

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting to be sent")
        DEFERRED = "deferred", _("held for quiet hours")
        SENDING = "sending", _("being sent")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")
        LIMITED = "limited", _("not sent: too many messages")
        UNKNOWN = "unknown", _("outcome unknown: not sent again")

    message = models.ForeignKey(
        Message, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("message")
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    address = models.CharField(_("sent to"), max_length=254)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    provider_id = models.CharField(_("provider's message id"), max_length=100, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["message", "channel"], name="one_delivery_per_message_channel"
            )
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="delivery_due_idx")]

    def __str__(self):
        return f"{self.get_channel_display()} #{self.message_id}: {self.status}"

    @property
    def idempotency_key(self):
        """Stable for the delivery's whole life: a provider that honours it sends once."""
        return f"mulin-delivery-{self.pk}"


class DeliveryAttempt(models.Model):
    """One try at a delivery: what the gateway said (recorded by the worker)."""

    delivery = models.ForeignKey(
        Delivery, on_delete=models.CASCADE, related_name="attempt_log", verbose_name=_("delivery")
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Delivery.Channel.choices)
    status = models.CharField(_("status"), max_length=10, choices=Delivery.Status.choices)
    provider_id = models.CharField(_("provider's message id"), max_length=100, blank=True)
    error = models.TextField(_("error"), blank=True)
    at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("delivery attempt")
        verbose_name_plural = _("delivery attempts")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.delivery_id} {self.status} @ {self.at:%Y-%m-%d %H:%M}"


class MessagePreference(models.Model):
    """Which outside channels one person wants for one kind of message (the inbox always).

    No row: the kind's default channels. Staff alerts ignore the row (they cannot be
    switched off).
    """

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="message_preferences", verbose_name=_("user")
    )
    kind = models.CharField(_("kind of message"), max_length=60)
    sms = models.BooleanField(_("SMS"), default=True)
    wechat = models.BooleanField(_("WeChat"), default=True)
    email = models.BooleanField(_("email"), default=True)

    class Meta:
        verbose_name = _("message preference")
        verbose_name_plural = _("message preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_user_kind")
        ]

    def __str__(self):
        return f"{self.user_id} {self.kind}"

    def wants(self, channel):
        return getattr(self, channel)
