from django.urls import path
from django.views.decorators.http import require_safe

from . import views, views_media, views_topics
from .feeds import NoticeFeed

app_name = "notices"

urlpatterns = [
    # Notices and news (通知公告 / 最新动态): views.py
    path("notices/", views.notice_list, name="notice-list"),
    path("notices/new/", views.notice_create_view, name="notice-create"),
    path("notices/feed/", require_safe(NoticeFeed()), name="notice-feed"),
    path("notices/<int:pk>/", views.notice_detail, name="notice-detail"),
    path("notices/<int:pk>/edit/", views.notice_edit, name="notice-edit"),
    path("notices/<int:pk>/poster/", views.notice_poster, name="notice-poster"),
    path("notices/<int:pk>/reads/", views.notice_reads, name="notice-reads"),
    # Uploads, from private storage after the page's own check: views_media.py
    path(
        "notices/<int:pk>/images/<int:image_pk>/",
        views_media.notice_image,
        name="notice-image",
    ),
    path(
        "notices/<int:pk>/images/<int:image_pk>/thumb/",
        views_media.notice_image_thumb,
        name="notice-image-thumb",
    ),
    path(
        "notices/<int:pk>/attachments/<int:attachment_pk>/",
        views_media.notice_attachment,
        name="notice-attachment",
    ),
    path("topics/<int:pk>/images/<int:image_pk>/", views_media.topic_image, name="topic-image"),
    path(
        "topics/<int:pk>/images/<int:image_pk>/thumb/",
        views_media.topic_image_thumb,
        name="topic-image-thumb",
    ),
    path(
        "topics/suggestions/<int:pk>/photo/",
        views_media.suggestion_photo,
        name="suggestion-photo",
    ),
    path(
        "topics/suggestions/<int:pk>/photo/thumb/",
        views_media.suggestion_photo_thumb,
        name="suggestion-photo-thumb",
    ),
    # Discussion hall (邻里议事厅) and guides (办事指南): views_topics.py
    path("topics/", views_topics.topic_list, name="topic-list"),
    path("topics/new/", views_topics.topic_create_view, name="topic-create"),
    path("topics/<int:pk>/", views_topics.topic_detail, name="topic-detail"),
    path("topics/<int:pk>/suggest/", views_topics.suggestion_create_view, name="suggestion-create"),
    path("topics/<int:pk>/close/", views_topics.topic_close_view, name="topic-close"),
    path(
        "topics/suggestions/<int:pk>/support/",
        views_topics.suggestion_support_view,
        name="suggestion-support",
    ),
    path(
        "topics/suggestions/<int:pk>/reply/",
        views_topics.suggestion_reply_view,
        name="suggestion-reply",
    ),
    path(
        "topics/suggestions/<int:pk>/hide/",
        views_topics.suggestion_hide_view,
        name="suggestion-hide",
    ),
    path(
        "topics/suggestions/<int:pk>/unhide/",
        views_topics.suggestion_unhide_view,
        name="suggestion-unhide",
    ),
    path("services/", views_topics.service_list, name="service-list"),
    path("services/guides/<int:pk>/", views_topics.guide_detail, name="guide-detail"),
    path(
        "services/guides/<int:pk>/ask/",
        views_topics.guide_question_create,
        name="guide-question-create",
    ),
    path(
        "services/questions/<int:pk>/answer/",
        views_topics.guide_question_answer,
        name="guide-question-answer",
    ),
]
