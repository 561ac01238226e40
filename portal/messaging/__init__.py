"""Telling people things: the inbox, SMS, WeChat and email (see MESSAGING in README).

Ground: imports no app. Apps register their kinds once (in AppConfig.ready()) and call
`send()` inside the request; delivery on outside channels happens in the task-queue worker
(`manage.py db_worker`).
"""

from .kinds import Kind, get_kind, register_kind, registered_kinds
from .service import (
    inbox_for,
    mark_all_read,
    mark_read,
    preferences_for,
    save_preferences,
    send,
    unread_count,
)

__all__ = [
    "Kind",
    "get_kind",
    "inbox_for",
    "mark_all_read",
    "mark_read",
    "preferences_for",
    "save_preferences",
    "register_kind",
    "registered_kinds",
    "send",
    "unread_count",
]
