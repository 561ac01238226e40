from django.urls import path
from django.views.decorators.http import require_safe

from .board import views as board_views
from .board.feeds import NoticeFeed
from .guides import views as guide_views
from .hall import views as hall_views

app_name = "notices"

urlpatterns = [
    # Notices and news (通知公告 / 最新动态): board/views.py
    path("notices/", board_views.notice_list, name="notice-list"),
    path("notices/new/", board_views.notice_create_view, name="notice-create"),
    path("notices/feed/", require_safe(NoticeFeed()), name="notice-feed"),
    path("notices/follow/", board_views.notice_follow, name="notice-follow"),
    path("notices/<int:pk>/", board_views.notice_detail, name="notice-detail"),
    path("notices/<int:pk>/edit/", board_views.notice_edit, name="notice-edit"),
    path("notices/<int:pk>/poster/", board_views.notice_poster, name="notice-poster"),
    path("notices/<int:pk>/reads/", board_views.notice_reads, name="notice-reads"),
    path("notices/<int:pk>/read/", board_views.notice_read, name="notice-read"),
    # Uploads, from private storage after the page's own check
    path(
        "notices/<int:pk>/images/<int:image_pk>/",
        board_views.notice_image,
        name="notice-image",
    ),
    path(
        "notices/<int:pk>/images/<int:image_pk>/thumb/",
        board_views.notice_image_thumb,
        name="notice-image-thumb",
    ),
    path(
        "notices/<int:pk>/attachments/<int:attachment_pk>/",
        board_views.notice_attachment,
        name="notice-attachment",
    ),
    path("topics/<int:pk>/images/<int:image_pk>/", hall_views.topic_image, name="topic-image"),
    path(
        "topics/<int:pk>/images/<int:image_pk>/thumb/",
        hall_views.topic_image_thumb,
        name="topic-image-thumb",
    ),
    path(
        "topics/suggestions/<int:pk>/photo/",
        hall_views.suggestion_photo,
        name="suggestion-photo",
    ),
    path(
        "topics/suggestions/<int:pk>/photo/thumb/",
        hall_views.suggestion_photo_thumb,
        name="suggestion-photo-thumb",
    ),
    # Discussion hall (邻里议事厅): hall/views.py; guides (办事指南): guides/views.py
    path("topics/", hall_views.topic_list, name="topic-list"),
    path("topics/new/", hall_views.topic_create_view, name="topic-create"),
    path("topics/<int:pk>/", hall_views.topic_detail, name="topic-detail"),
    path("topics/<int:pk>/suggest/", hall_views.suggestion_create_view, name="suggestion-create"),
    path("topics/<int:pk>/close/", hall_views.topic_close_view, name="topic-close"),
    path(
        "topics/suggestions/<int:pk>/support/",
        hall_views.suggestion_support_view,
        name="suggestion-support",
    ),
    path(
        "topics/suggestions/<int:pk>/reply/",
        hall_views.suggestion_reply_view,
        name="suggestion-reply",
    ),
    path(
        "topics/suggestions/<int:pk>/hide/",
        hall_views.suggestion_hide_view,
        name="suggestion-hide",
    ),
    path(
        "topics/suggestions/<int:pk>/unhide/",
        hall_views.suggestion_unhide_view,
        name="suggestion-unhide",
    ),
    path("services/", guide_views.service_list, name="service-list"),
    path("services/guides/<int:pk>/", guide_views.guide_detail, name="guide-detail"),
    path(
        "services/guides/<int:pk>/ask/",
        guide_views.guide_question_create,
        name="guide-question-create",
    ),
    path("staff/questions/", guide_views.question_queue, name="question-queue"),
    path(
        "services/questions/<int:pk>/answer/",
        guide_views.guide_question_answer,
        name="guide-question-answer",
    ),
]
