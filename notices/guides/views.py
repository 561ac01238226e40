"""Guides (办事指南) under /services/, with residents' questions and staff's answers."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from neighborhoods.facilities.forms import NearForm
from neighborhoods.facilities.services import NEAR_ON_SERVICES, facilities_near
from neighborhoods.rental.services import catalogue
from neighborhoods.votes.services import votes_for_guide
from portal.permissions import staff_required
from portal.ratelimits import form_status, over_limit
from portal.redirects import next_url

from ..models import Guide
from ..permissions import (
    can_answer,
    get_guide_for_user,
    get_question_for_answerer,
)
from . import services
from .forms import (
    AnswerForm,
    GuideQuestionForm,
)


@require_safe
def service_list(request):
    """The 服务 column: facilities near my neighbourhood (a visitor chooses one), the
    rehab-aid catalogue, and the guides."""
    guides = Guide.objects.published().select_related("neighbourhood")
    mine = request.user.home_neighbourhood if request.user.is_authenticated else None
    if mine is not None:
        guides = guides.for_neighbourhood(mine)
    near = NearForm(request.GET or None, initial={"neighbourhood": mine})
    chosen = near.cleaned_data["neighbourhood"] if near.is_valid() else None
    near_to = chosen or mine
    context = {
        "guides": guides,
        "neighbourhood": mine,
        "near_form": near,
        "near_to": near_to,
        "facilities": list(facilities_near(near_to)[:NEAR_ON_SERVICES]) if near_to else [],
        "aids": catalogue(),
        "nav_section": "services",
    }
    return render(request, "notices/guide_list.html", context)


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
        "votes": votes_for_guide(user, guide),  # e.g. the 加装电梯 vote of my building
    }
    if answerer:
        waiting = list(services.question_queue(user).filter(guide=guide))
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
    if not form.is_valid() or over_limit(request, form, "question"):
        return _guide_page(request, guide, question_form=form, status=form_status(request, form))
    services.question_ask(guide=guide, asker=request.user, text=form.cleaned_data["text"])
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
    services.question_answer(question=question, by=request.user, answer=form.cleaned_data["answer"])
    messages.success(request, _("Answer published under the guide."))
    return redirect(next_url(request, reverse("notices:guide-detail", args=[question.guide_id])))


@require_safe
@staff_required
def question_queue(request):
    """Questions waiting for an answer from the user (their neighbourhood's), oldest first."""
    questions = list(services.question_queue(request.user))
    for question in questions:
        question.answer_form = AnswerForm(auto_id=f"id_q{question.pk}_%s")
    return render(request, "notices/question_queue.html", {"questions": questions})
