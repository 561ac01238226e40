"""Discussion hall (邻里议事厅) and guides (办事指南) pages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from portal.permissions import resident_neighbourhood, staff_required

from .forms_topics import (
    AnswerForm,
    GuideQuestionForm,
    HideForm,
    OutcomeForm,
    ReplyForm,
    SuggestionForm,
    TopicForm,
)
from .models import Guide, GuideQuestion, Reply, Topic
from .permissions_topics import (
    can_answer,
    can_moderate,
    can_take_part,
    get_guide_for_user,
    get_question_for_answerer,
    get_suggestion_for_moderator,
    get_suggestion_for_user,
    get_topic_for_moderator,
    get_topic_for_user,
)
from .services_topics import (
    NotAllowed,
    reply_create,
    suggestion_create,
    suggestion_support,
    topic_close,
    topic_create,
)

TOPICS_PER_PAGE = 20
HOME_TOPICS = 3


def home_topics_context(user, neighbourhood, district):
    """Open topics for the home page card: my neighbourhood's, else the district's."""
    topics = Topic.objects.accepting().for_list()
    if neighbourhood is not None:
        topics = topics.for_neighbourhood(neighbourhood)
    elif district is not None:
        topics = topics.filter(neighbourhood__subdistrict__district=district)
    return {"home_topics": list(topics[:HOME_TOPICS])}


@require_safe
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
        "query": "all=1" if show_all and mine else "",
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
def suggestion_create_view(request, pk):
    topic = get_topic_for_user(request.user, pk)
    if not can_take_part(request.user, topic):
        raise PermissionDenied
    form = SuggestionForm(request.POST, request.FILES)
    if not form.is_valid():
        return _topic_page(request, topic, suggestion_form=form, status=400)
    try:
        suggestion = suggestion_create(topic=topic, author=request.user, **form.cleaned_data)
    except NotAllowed as refusal:
        messages.error(request, str(refusal))
        return _back_to(topic)
    messages.success(request, _("Thank you. Your suggestion is on the page."))
    return _back_to(topic, suggestion)


@require_POST
@login_required
def suggestion_support_view(request, pk):
    suggestion = get_suggestion_for_user(request.user, pk)
    if not can_take_part(request.user, suggestion.topic):
        raise PermissionDenied
    try:
        added = suggestion_support(suggestion=suggestion, user=request.user)
    except NotAllowed as refusal:
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
        except NotAllowed as refusal:
            messages.info(request, str(refusal))
        else:
            messages.success(
                request,
                _("Topic closed and outcome published. Residents who took part are told by email."),
            )
        return _back_to(topic)
    return render(
        request,
        "notices/topic_close.html",
        {"topic": topic, "form": form},
        status=400 if form.errors else 200,
    )


# Guides (办事指南) under /services/


@require_safe
def service_list(request):
    guides = Guide.objects.published().select_related("neighbourhood")
    mine = request.user.home_neighbourhood if request.user.is_authenticated else None
    if mine is not None:
        guides = guides.for_neighbourhood(mine)
    return render(request, "notices/guide_list.html", {"guides": guides, "neighbourhood": mine})


def _guide_page(request, guide, *, question_form=None, failed=None, status=200):
    user = request.user
    answerer = can_answer(user, guide)
    questions = guide.questions.select_related("answered_by")
    context = {
        "guide": guide,
        "faq": questions.answered(),
        "my_waiting": questions.waiting().filter(asker=user) if user.is_authenticated else [],
        "can_answer": answerer,
        "form": question_form or (GuideQuestionForm() if user.is_authenticated else None),
    }
    if answerer:
        waiting = list(questions.waiting().select_related("asker").order_by("created"))
        for question in waiting:
            question.answer_form = AnswerForm(auto_id=f"id_q{question.pk}_%s")
            if failed and failed[0] == question.pk:
                question.answer_form = failed[1]
        context["waiting"] = waiting
    return render(request, "notices/guide_detail.html", context, status=status)


@require_safe
def guide_detail(request, pk):
    return _guide_page(request, get_guide_for_user(request.user, pk))


@require_POST
@login_required
def guide_question_create(request, pk):
    guide = get_guide_for_user(request.user, pk)
    form = GuideQuestionForm(request.POST)
    if not form.is_valid():
        return _guide_page(request, guide, question_form=form, status=400)
    GuideQuestion.objects.create(guide=guide, asker=request.user, text=form.cleaned_data["text"])
    messages.success(
        request, _("Thank you. Your question is waiting for an answer; it will show on this page.")
    )
    return redirect("notices:guide-detail", pk=guide.pk)


@require_POST
@staff_required
def guide_question_answer(request, pk):
    question = get_question_for_answerer(request.user, pk)
    form = AnswerForm(request.POST, auto_id=f"id_q{question.pk}_%s")
    if not form.is_valid():
        return _guide_page(request, question.guide, failed=(question.pk, form), status=400)
    question.record_answer(by=request.user, answer=form.cleaned_data["answer"])
    messages.success(request, _("Answer published under the guide."))
    return redirect("notices:guide-detail", pk=question.guide_id)
