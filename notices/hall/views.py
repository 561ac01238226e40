"""The discussion hall (邻里议事厅): topics, suggestions, support, replies, moderation."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from portal.exceptions import Refused
from portal.files import private_file_response
from portal.idempotency import post_once
from portal.pagecache import visitor_page
from portal.permissions import resident_neighbourhood, staff_required
from portal.ratelimits import form_status, over_limit

from ..models import Reply, Topic
from ..permissions import (
    can_moderate,
    can_take_part,
    get_suggestion_for_moderator,
    get_suggestion_for_user,
    get_topic_for_moderator,
    get_topic_for_user,
)
from .forms import (
    HideForm,
    OutcomeForm,
    ReplyForm,
    SuggestionForm,
    TopicForm,
)
from .services import (
    reply_create,
    suggestion_create,
    suggestion_support,
    topic_close,
    topic_create,
)

TOPICS_PER_PAGE = 20


@require_safe
@visitor_page
def topic_list(request):
    mine = request.user.home_neighbourhood if request.user.is_authenticated else None
    show_all = mine is None or request.GET.get("all") == "1"
    topics = Topic.objects.for_list()
    if not show_all:
        topics = topics.for_neighbourhood(mine)
    page = Paginator(topics, TOPICS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "neighbourhood": mine,
        "show_all": show_all,
        "can_open": request.user.is_authenticated
        and (request.user.is_district_admin or request.user.is_committee_staff),
    }
    return render(request, "notices/topic_list.html", context)


@require_http_methods(["GET", "POST"])
@staff_required
def topic_create_view(request):
    own = None if request.user.is_district_admin else request.user.worker.neighbourhood
    form = TopicForm(request.POST or None, request.FILES or None, neighbourhood=own)
    if request.method == "POST" and form.is_valid():
        topic = topic_create(opened_by=request.user, **form.topic_fields())
        messages.success(request, _("Topic opened. Residents can now send suggestions."))
        return redirect("notices:topic-detail", pk=topic.pk)
    return render(
        request,
        "notices/topic_form.html",
        {"form": form, "neighbourhood": own},
        status=400 if form.errors else 200,
    )


def _topic_page(request, topic, *, suggestion_form=None, failed=None, status=200):
    """The topic page. `failed` = (suggestion pk, bound reply/hide form) to show with its error."""
    user = request.user
    moderator = can_moderate(user, topic)
    suggestions = list(
        topic.suggestions.visible_to(user, moderator=moderator)
        .with_support()
        .supported_by(user)
        .select_related("author")
        .prefetch_related(Prefetch("replies", queryset=Reply.objects.select_related("author")))
        .order_by("-support_count", "created")
    )
    if moderator:
        for suggestion in suggestions:
            prefix = f"s{suggestion.pk}"
            suggestion.reply_form = ReplyForm(auto_id=f"id_{prefix}_reply_%s")
            suggestion.hide_form = HideForm(auto_id=f"id_{prefix}_hide_%s")
            if failed and failed[0] == suggestion.pk:
                setattr(suggestion, failed[1], failed[2])
    taking_part = can_take_part(user, topic)
    if suggestion_form is None and taking_part and topic.is_accepting:
        suggestion_form = SuggestionForm()
    context = {
        "topic": topic,
        "images": topic.images.all(),
        "suggestions": suggestions,
        "can_take_part": taking_part,
        "can_moderate": moderator,
        "form": suggestion_form,
        "my_neighbourhood": resident_neighbourhood(user),
    }
    return render(request, "notices/topic_detail.html", context, status=status)


@require_safe
def topic_detail(request, pk):
    return _topic_page(request, get_topic_for_user(request.user, pk))


def _back_to(topic, suggestion=None):
    url = reverse("notices:topic-detail", args=[topic.pk])
    return redirect(f"{url}#suggestion-{suggestion.pk}" if suggestion else url)


@require_POST
@login_required
@post_once
def suggestion_create_view(request, pk):
    topic = get_topic_for_user(request.user, pk)
    if not can_take_part(request.user, topic):
        raise PermissionDenied
    form = SuggestionForm(request.POST, request.FILES)
    if not form.is_valid() or over_limit(request, form, "suggestion"):
        return _topic_page(request, topic, suggestion_form=form, status=form_status(request, form))
    try:
        suggestion = suggestion_create(topic=topic, author=request.user, **form.cleaned_data)
    except Refused as refusal:
        messages.error(request, str(refusal))
        return _back_to(topic)
    messages.success(request, _("Thank you. Your suggestion is on the page."))
    return _back_to(topic, suggestion)


@require_POST
@login_required
@post_once
def suggestion_support_view(request, pk):
    suggestion = get_suggestion_for_user(request.user, pk)
    if not can_take_part(request.user, suggestion.topic):
        raise PermissionDenied
    try:
        added = suggestion_support(suggestion=suggestion, user=request.user)
    except Refused as refusal:
        messages.error(request, str(refusal))
    else:
        if added:
            messages.success(request, _("You support this suggestion (附议)."))
        else:
            messages.info(request, _("You already support this suggestion."))
    return _back_to(suggestion.topic, suggestion)


@require_POST
@staff_required
def suggestion_reply_view(request, pk):
    suggestion = get_suggestion_for_moderator(request.user, pk)
    form = ReplyForm(request.POST, auto_id=f"id_s{suggestion.pk}_reply_%s")
    if not form.is_valid():
        failed = (suggestion.pk, "reply_form", form)
        return _topic_page(request, suggestion.topic, failed=failed, status=400)
    reply_create(suggestion=suggestion, author=request.user, text=form.cleaned_data["text"])
    messages.success(request, _("Reply posted."))
    return _back_to(suggestion.topic, suggestion)


@require_POST
@staff_required
def suggestion_hide_view(request, pk):
    suggestion = get_suggestion_for_moderator(request.user, pk)
    form = HideForm(request.POST, auto_id=f"id_s{suggestion.pk}_hide_%s")
    if not form.is_valid():
        failed = (suggestion.pk, "hide_form", form)
        return _topic_page(request, suggestion.topic, failed=failed, status=400)
    suggestion.hide(by=request.user, reason=form.cleaned_data["reason"])
    messages.success(request, _("Suggestion hidden. Its author sees your reason."))
    return _back_to(suggestion.topic, suggestion)


@require_POST
@staff_required
def suggestion_unhide_view(request, pk):
    suggestion = get_suggestion_for_moderator(request.user, pk)
    suggestion.unhide()
    messages.success(request, _("Suggestion shown again."))
    return _back_to(suggestion.topic, suggestion)


@require_http_methods(["GET", "POST"])
@staff_required
def topic_close_view(request, pk):
    topic = get_topic_for_moderator(request.user, pk)
    if topic.status == Topic.Status.CLOSED:
        messages.info(request, _("This topic is already closed."))
        return _back_to(topic)
    form = OutcomeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            topic_close(topic=topic, by=request.user, outcome=form.cleaned_data["outcome"])
        except Refused as refusal:
            messages.info(request, str(refusal))
        else:
            messages.success(
                request,
                _(
                    "Topic closed and outcome published. "
                    "Everyone who took part is told in their messages."
                ),
            )
        return _back_to(topic)
    return render(
        request,
        "notices/topic_close.html",
        {"topic": topic, "form": form},
        status=400 if form.errors else 200,
    )


# --- Uploads, from private storage after the page's own check -------------------------


def _topic_image(request, pk, image_pk):
    topic = get_topic_for_user(request.user, pk)
    return get_object_or_404(topic.images.all(), pk=image_pk)


@require_safe
def topic_image(request, pk, image_pk):
    return private_file_response(_topic_image(request, pk, image_pk).image)


@require_safe
def topic_image_thumb(request, pk, image_pk):
    image = _topic_image(request, pk, image_pk)
    return private_file_response(image.thumbnail or image.image)


@require_safe
def suggestion_photo(request, pk):
    """Hidden suggestions' photos: their author and the neighbourhood's staff only."""
    return private_file_response(get_suggestion_for_user(request.user, pk).photo)


@require_safe
def suggestion_photo_thumb(request, pk):
    suggestion = get_suggestion_for_user(request.user, pk)
    return private_file_response(suggestion.thumbnail or suggestion.photo)
