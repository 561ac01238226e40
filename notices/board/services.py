"""Notices: writes that touch several rows (a notice with its images and attachments)."""

import os
import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from portal.files import atomic_with_files
from portal.images import attach_image, process_image

from ..messages import tell_notice_followers
from ..models import (
    MAX_NOTICE_IMAGES,
    CategoryFollow,
    Notice,
    NoticeAttachment,
    NoticeImage,
    NoticeRead,
)

HOME_PINNED = 3
HOME_LATEST = 5


def _prepare_images(uploads):
    # Decoding and re-encoding is slow: done before the transaction opens.
    return [process_image(upload) for upload in uploads]


def _attach(notice, *, images, attachments, remove_images=()):
    """Add processed images and PDFs to a locked notice, keeping at most MAX_NOTICE_IMAGES."""
    removed = NoticeImage.objects.filter(notice=notice, pk__in=[i.pk for i in remove_images])
    for image in removed:
        # Files go only once the rows are gone for good (a rollback keeps both).
        paths = [image.image.name, image.thumbnail.name]
        storage = image.image.storage
        transaction.on_commit(
            lambda paths=paths, storage=storage: [storage.delete(p) for p in paths]
        )
        image.delete()
    existing = notice.images.count()
    if existing + len(images) > MAX_NOTICE_IMAGES:
        raise ValidationError(
            _("A notice can have at most %(max)d images.") % {"max": MAX_NOTICE_IMAGES},
            code="too_many_images",
        )
    last = notice.images.order_by("-position").values_list("position", flat=True).first() or 0
    for offset, (full, thumb) in enumerate(images, start=1):
        attach_image(NoticeImage(notice=notice, position=last + offset), (full, thumb)).save()
    for upload in attachments:
        upload.seek(0)
        title = os.path.splitext(os.path.basename(upload.name))[0][:120] or _("Attachment")
        attachment = NoticeAttachment(notice=notice, title=title, size=upload.size)
        attachment.file.save(f"{uuid.uuid4().hex}.pdf", ContentFile(upload.read()), save=False)
        attachment.save()


def notice_create(*, author, scope, fields, images=(), attachments=()):
    processed = _prepare_images(images)
    with atomic_with_files():
        notice = Notice(author=author, **fields)
        notice.set_scope(scope)
        notice.save()
        _attach(notice, images=processed, attachments=attachments)
        tell_notice_followers(notice)  # if published now; a scheduled one by the job
    return notice


def notice_update(*, notice, scope, fields, images=(), attachments=(), remove_images=()):
    processed = _prepare_images(images)
    with atomic_with_files():
        # The row lock serialises two staff adding images at once, so the limit of nine holds.
        Notice.objects.select_for_update().filter(pk=notice.pk).first()
        for name, value in fields.items():
            setattr(notice, name, value)
        notice.set_scope(scope)
        notice.save()
        _attach(notice, images=processed, attachments=attachments, remove_images=remove_images)
        tell_notice_followers(notice)  # once: a notice already told is not told again
    return notice


def can_mark_read(user):
    """Read receipts count residents linked to a household (staff's read list is of them)."""
    return user.is_authenticated and user.resident is not None


def has_read(notice, user):
    return can_mark_read(user) and NoticeRead.objects.filter(notice=notice, user=user).exists()


def notice_mark_read(*, notice, user):
    """Count a signed-in resident's visit once (INSERT … ON CONFLICT DO NOTHING).

    Two tabs opening the notice at the same moment both insert; the unique constraint keeps
    one row and the other insert is skipped without an error, so no lock is needed.
    """
    if not can_mark_read(user):
        return
    NoticeRead.objects.bulk_create([NoticeRead(notice=notice, user=user)], ignore_conflicts=True)


def notices_for_home(user, neighbourhood=None):
    """Pinned and latest published notices for the home page's "Notices" card.

    `neighbourhood`: the person's own (then what concerns it), or None for the whole district.
    Two queries, whatever the number of notices.
    """
    notices = (
        Notice.objects.visible_to(user)
        .published()
        .select_related("district", "subdistrict", "neighbourhood")
    )
    if neighbourhood is not None:
        notices = notices.concerning(neighbourhood)
    pinned = list(notices.filter(pinned=True).ordered()[:HOME_PINNED])
    latest = list(notices.filter(pinned=False).ordered()[:HOME_LATEST])
    return {"pinned": pinned, "latest": latest}


def followed_categories(user):
    return list(user.notice_follows.values_list("category", flat=True))


@transaction.atomic
def follow_categories_set(*, user, categories):
    """Follow exactly these categories (ON CONFLICT DO NOTHING: two taps at once are fine)."""
    CategoryFollow.objects.filter(user=user).exclude(category__in=categories).delete()
    CategoryFollow.objects.bulk_create(
        [CategoryFollow(user=user, category=c) for c in categories], ignore_conflicts=True
    )
