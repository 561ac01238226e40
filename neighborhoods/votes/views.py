"""Building consent votes (业主表决, e.g. 加装电梯): the residents' page with the totals and
their household's vote (/services/votes/<id>/), and the staff's pages: the list, opening a
vote, the roll with each household's ballot, and entering a paper form."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from portal.exceptions import Refused
from portal.permissions import staff_required, staffs_neighbourhood

from ..models import Ballot, ConsentVote
from ..permissions import get_managed_vote_for_user, get_vote_for_user, get_vote_roll_for_user
from ..register.forms import neighbourhood_choice_for
from . import services
from .forms import BallotForm, PaperBallotForm, VoteOpenForm


def _detail_page(request, vote, *, form=None, status=200):
    household = services.voting_household(request.user, vote)
    ballot = Ballot.objects.filter(vote=vote, household=household).first() if household else None
    if form is None and household is not None:
        form = BallotForm(initial={"choice": ballot.choice if ballot else None})
    context = {
        "vote": vote,
        "tally": services.vote_tally(vote),
        "is_open": vote.is_open(),
        "household": household,
        "ballot": ballot,
        "form": form,
        "can_manage": staffs_neighbourhood(request.user, vote.building.neighbourhood_id),
    }
    return render(request, "neighborhoods/vote_detail.html", context, status=status)


@require_safe
@login_required
def vote_detail(request, pk):
    return _detail_page(request, get_vote_for_user(request.user, pk))


@require_POST
@login_required
def vote_ballot(request, pk):
    vote = get_vote_for_user(request.user, pk)
    form = BallotForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, vote, form=form, status=400)
    try:
        ballot = services.ballot_cast(vote=vote, user=request.user, **form.cleaned_data)
    except Refused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request,
            _(
                "Your household's vote is recorded: %(choice)s. "
                "You can change it until the deadline."
            )
            % {"choice": ballot.get_choice_display()},
        )
    return redirect("neighborhoods:vote-detail", pk=vote.pk)


@require_safe
@staff_required
def vote_list(request):
    votes = (
        ConsentVote.objects.visible_to(request.user)
        .select_related("building__neighbourhood")
        .order_by("-deadline", "-pk")
    )
    context = {"votes": votes, "now": timezone.now(), "worker": request.user.worker}
    return render(request, "neighborhoods/vote_list.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@staff_required
def vote_create(request):
    choice, neighbourhood = neighbourhood_choice_for(request)
    form = VoteOpenForm(request.POST or None, user=request.user, neighbourhood=neighbourhood)
    if request.method == "POST" and form.is_valid():
        try:
            vote = services.vote_open(by=request.user, **form.cleaned_data)
        except Refused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("The vote is open. Residents can vote until the deadline."))
            return redirect("neighborhoods:vote-manage", pk=vote.pk)
    status = 400 if form.is_bound else 200
    context = {"form": form, "neighbourhood_form": choice}
    return render(request, "neighborhoods/vote_form.html", context, status=status)


def _manage_page(request, vote, *, paper_form=None, status=200):
    context = {
        "vote": vote,
        "tally": services.vote_tally(vote),
        "is_open": vote.is_open(),
        "roll": get_vote_roll_for_user(request.user, vote, audit=request),
        "paper_form": paper_form or PaperBallotForm(vote=vote),
    }
    return render(request, "neighborhoods/vote_manage.html", context, status=status)


@require_safe
@staff_required
def vote_manage(request, pk):
    return _manage_page(request, get_managed_vote_for_user(request.user, pk))


@require_POST
@staff_required
def vote_paper(request, pk):
    vote = get_managed_vote_for_user(request.user, pk)
    form = PaperBallotForm(request.POST, vote=vote)
    if not form.is_valid():
        return _manage_page(request, vote, paper_form=form, status=400)
    try:
        ballot = services.ballot_record_paper(vote=vote, by=request.user, **form.cleaned_data)
    except Refused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request,
            _("Paper form %(reference)s recorded for %(household)s: %(choice)s.")
            % {
                "reference": ballot.paper_reference,
                "household": ballot.household,
                "choice": ballot.get_choice_display(),
            },
        )
    return redirect("neighborhoods:vote-manage", pk=vote.pk)
