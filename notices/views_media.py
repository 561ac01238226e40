"""Uploads of the notices app (notice images and PDFs, topic images, suggestion photos).

They live in private storage (outside MEDIA_ROOT) and are served only here, after the same
check as the page they belong to: an image of a residents-only, unpublished or expired
notice, or the photo of a hidden suggestion, is not reachable by someone who cannot see it.
"""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from .permissions_topics import get_suggestion_for_user, get_topic_for_user
from .views import _notice_or_sign_in


def _file_response(field, **kwargs):
    """The file (content type guessed from its name), or 404 when the record has no file or
    outlived it (a restore, a cleanup)."""
    if not field:
        raise Http404
    try:
        response = FileResponse(field.open("rb"), **kwargs)
    except FileNotFoundError:
        raise Http404 from None
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _notice_file(request, pk, related, file_pk):
    """(row of the notice's `related` set, None), or (None, a sign-in redirect) for a visitor
    asking for a file of a residents-only notice, as the notice page does."""
    notice, sign_in = _notice_or_sign_in(request, pk)
    if sign_in:
        return None, sign_in
    return get_object_or_404(getattr(notice, related).all(), pk=file_pk), None


@require_safe
def notice_image(request, pk, image_pk):
    image, sign_in = _notice_file(request, pk, "images", image_pk)
    return sign_in or _file_response(image.image)


@require_safe
def notice_image_thumb(request, pk, image_pk):
    image, sign_in = _notice_file(request, pk, "images", image_pk)
    return sign_in or _file_response(image.thumbnail)


@require_safe
def notice_attachment(request, pk, attachment_pk):
    attachment, sign_in = _notice_file(request, pk, "attachments", attachment_pk)
    if sign_in:
        return sign_in
    # The stored name is random; the download is named after the title staff gave it.
    title = attachment.title.replace("/", "-").replace("\\", "-").strip() or "attachment"
    return _file_response(attachment.file, as_attachment=True, filename=f"{title}.pdf")


def _topic_image(request, pk, image_pk):
    topic = get_topic_for_user(request.user, pk)
    return get_object_or_404(topic.images.all(), pk=image_pk)


@require_safe
def topic_image(request, pk, image_pk):
    return _file_response(_topic_image(request, pk, image_pk).image)


@require_safe
def topic_image_thumb(request, pk, image_pk):
    image = _topic_image(request, pk, image_pk)
    return _file_response(image.thumbnail or image.image)


@require_safe
def suggestion_photo(request, pk):
    """Hidden suggestions' photos: their author and the neighbourhood's staff only."""
    return _file_response(get_suggestion_for_user(request.user, pk).photo)


@require_safe
def suggestion_photo_thumb(request, pk):
    suggestion = get_suggestion_for_user(request.user, pk)
    return _file_response(suggestion.thumbnail or suggestion.photo)
