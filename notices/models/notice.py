"""Notices and news (通知公告 / 最新动态)."""

from django.db import models  # noqa: F401

__all__ = ["Notice", "NoticeAttachment", "NoticeImage", "NoticeQuerySet", "NoticeRead"]


class NoticeQuerySet(models.QuerySet):
    pass


class Notice(models.Model):
    objects = NoticeQuerySet.as_manager()

    class Meta:
        abstract = True  # placeholder, filled in shortly


NoticeAttachment = NoticeImage = NoticeRead = None
