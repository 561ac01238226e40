from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from notices.guides.services import questions_home_context
from portal.exceptions import Refused
from portal.idempotency import post_once
from portal.permissions import director_required, staff_required
from portal.queries import first_and_total

from ..activities.services import household_activities_context
from ..care import coverage
from ..family.forms import StaffFamilyGrantForm
from ..family.services import household_family
from ..models import Household, LinkRequest, Need
from ..permissions import (
    directed_neighbourhood,
    get_directed_building,
    get_directed_zone,
    get_history_page_for_user,
    get_household_for_user,
    get_household_page_for_user,
    get_link_request_for_user,
    get_loans_due_for_user,
    get_move_in_candidates_for_user,
    get_resident_for_user,
    tag_dictionary_for,
    visible_tags,
)
from ..watch.services import watch_home_context, watch_household_context
from . import services
from .forms import (
    BuildingZoneForm,
    HouseholdFilterForm,
    HouseholdForm,
    LinkDecisionForm,
    MoveInForm,
    NewResidentForm,
    ResidentForm,
    StatusChangeForm,
    WorkerProfileForm,
    ZoneWorkerForm,
    neighbourhood_choice_for,
)

STAFF_HOME_OVERDUE = 15
HISTORY_ON_PAGE = 10


@require_safe
@staff_required
def staff_home(request):
    """In order of importance: the watch (alerts, unchecked rows), overdue visits, my needs."""
    worker, user = request.user.worker, request.user
    mine = Household.objects.none()
    if worker:
        mine = Household.objects.filter(building__zone__worker=worker)
    overdue, overdue_count = first_and_total(
        mine.overdue().select_related("building"), STAFF_HOME_OVERDUE
    )
    needs = Need.objects.visible_to(user).open().for_list().by_urgency()
    context = {
        "worker": worker,
        "zones": worker.zones.all() if worker else [],
        "pending_links": LinkRequest.objects.visible_to(user).pending().count(),
        "overdue": overdue,
        "overdue_count": overdue_count,
        "my_needs": needs.filter(owner=user)[:10],
        "unowned_needs": needs.filter(owner__isnull=True)[:10],
        # Referrals past the date the other body promised to answer by (物业, 12345…).
        "overdue_referrals": Need.objects.visible_to(user)
        .referrals_overdue()
        .select_related("household__building")
        .order_by("referral_promised", "pk")[:10],
        # A district admin's coverage of 300 neighbourhoods is on the dashboard (precomputed
        # there: one grouped query over the district's 500,000 households took a second).
        **(
            coverage.for_staff_home(worker, Household.objects.visible_to(user))
            if worker
            else {"coverage": None, "neighbourhood_coverage": [], "zone_coverage": []}
        ),
        "honours": worker.honours.all() if worker else [],
        **watch_home_context(user),  # daily watch: open alerts, unchecked rows
        "loans_due": get_loans_due_for_user(user, audit=request),  # rehab aids due back
        **questions_home_context(user),  # guides' questions waiting for an answer
    }
    return render(request, "neighborhoods/staff_home.html", context)


@require_safe
@staff_required
def household_list(request):
    form = HouseholdFilterForm(request.GET or None, user=request.user)
    scope = Household.objects.visible_to(request.user)
    if form.neighbourhood is not None:  # a district admin's: one neighbourhood at a time
        scope = scope.filter(building__neighbourhood=form.neighbourhood)
    households = form.filter(scope) if form.is_bound and form.is_valid() else scope
    page = get_household_page_for_user(
        request.user, households.for_list(), request.GET.get("page"), audit=request
    )
    return render(
        request,
        "neighborhoods/household_list.html",
        {"form": form, "page": page, "coverage": coverage.total(scope)},
    )


@require_safe
@staff_required
def household_detail(request, pk):
    household = get_household_for_user(request.user, pk, audit=request)
    members = list(household.residents.present().prefetch_related("tags"))
    for member in members:  # sensitive tags only for the neighbourhood's staff
        member.shown_tags = visible_tags(request.user, member, household.building.neighbourhood_id)
    history = household.changes.for_history()
    context = {
        "household": household,
        "members": members,
        # Register history (户籍变动), newest first; the whole of it on its own page.
        "history": history[:HISTORY_ON_PAGE],
        "history_count": history.count(),
        "former": household.residents.exclude(status="present"),
        **watch_household_context(household, user=request.user),  # daily-watch section
        **household_activities_context(household),  # activity sign-ups
        "family_grants": household_family(household),  # 家属 told about this household
        "family_form": StaffFamilyGrantForm(),
        # Visits (走访) and needs: newest first; the open needs, most urgent first.
        "visits": household.visits.select_related("staff").prefetch_related("addenda")[:10],
        "visit_count": household.visits.count(),
        "open_needs": household.needs.open().select_related("owner").by_urgency(),
        "closed_needs": household.needs.exclude(status__in=Need.OPEN_STATUSES)[:10],
    }
    return render(request, "neighborhoods/household_detail.html", context)


@require_safe
@staff_required
def link_request_list(request):
    requests = (
        LinkRequest.objects.visible_to(request.user)
        .pending()
        .select_related("user", "neighbourhood")
        .order_by("created")
    )
    return render(request, "neighborhoods/link_request_list.html", {"link_requests": requests})


@require_http_methods(["GET", "POST"])
@staff_required
def link_request_decide(request, pk):
    link_request = get_link_request_for_user(request.user, pk)
    if link_request.status != LinkRequest.Status.PENDING:
        messages.info(request, link_request.already_decided())
        return redirect("neighborhoods:link-request-list")
    form = LinkDecisionForm(request.POST or None, link_request=link_request)
    if request.method == "POST" and form.is_valid():
        try:
            _decide(link_request, form.cleaned_data, by=request.user)
        except Refused as refusal:  # a colleague decided first, or the resident is taken
            messages.warning(request, str(refusal))
        else:
            messages.success(request, _decided_message(link_request))
        return redirect("neighborhoods:link-request-list")
    status = 400 if form.errors else 200
    return render(
        request,
        "neighborhoods/link_request_decide.html",
        {"link_request": link_request, "form": form},
        status=status,
    )


def _decide(link_request, data, *, by):
    if data["decision"] == "approve":
        link_request.approve(
            by=by, resident=data["resident"], identity_document=data.get("identity_document", "")
        )
    else:
        link_request.reject(by=by, reason=data["reason"])


def _decided_message(link_request):
    if link_request.status == LinkRequest.Status.APPROVED:
        return _("Linked. The resident now sees their household.")
    return _("Request rejected; the resident sees your reason.")


# --- Register upkeep: households and residents (every change in the household's history) --


def _refused(request, refusal, household):
    messages.warning(request, str(refusal))
    return redirect("neighborhoods:household-detail", household.pk)


def _form_page(request, template, context, form):
    return render(request, template, {**context, "form": form}, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@staff_required
@post_once
def household_create(request):
    choice, neighbourhood = neighbourhood_choice_for(request)
    form = HouseholdForm(
        request.POST or None, user=request.user, neighbourhood=neighbourhood, initial={"seen": 0}
    )
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "seen"}
        try:
            household = services.household_create(fields=fields, by=request.user)
        except Refused as refusal:
            form.add_error("room", str(refusal))
        else:
            messages.success(request, _("Household added to the register."))
            return redirect("neighborhoods:household-detail", household.pk)
    context = {"neighbourhood_form": choice}
    return _form_page(request, "neighborhoods/household_form.html", context, form)


@require_http_methods(["GET", "POST"])
@staff_required
def household_edit(request, pk):
    household = get_household_for_user(request.user, pk, audit=request)
    initial = {f: getattr(household, f) for f in services.HOUSEHOLD_FIELDS}
    initial["seen"] = services.household_version(household)
    # A household stays in its neighbourhood: its buildings are the choices.
    form = HouseholdForm(
        request.POST or None,
        user=request.user,
        neighbourhood=household.building.neighbourhood,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "seen"}
        try:
            services.household_update(
                household=household, fields=fields, by=request.user, seen=form.cleaned_data["seen"]
            )
        except Refused as refusal:
            return _refused(request, refusal, household)
        messages.success(request, _("Household saved."))
        return redirect("neighborhoods:household-detail", household.pk)
    context = {"household": household}
    return _form_page(request, "neighborhoods/household_form.html", context, form)


@require_http_methods(["GET", "POST"])
@staff_required
@post_once
def resident_create(request, pk):
    household = get_household_for_user(request.user, pk, audit=None)  # the flat's address only
    tags = tag_dictionary_for(request.user, household.building.neighbourhood_id)
    initial = {"seen": services.household_version(household), "kind": request.GET.get("kind")}
    form = NewResidentForm(request.POST or None, tags=tags, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.resident_add(
                household=household,
                fields=data,
                tags=data["tags"],
                by=request.user,
                seen=data["seen"],
                kind=data["kind"],
            )
        except Refused as refusal:
            return _refused(request, refusal, household)
        messages.success(request, _("%(name)s added to the household.") % {"name": data["name"]})
        return redirect("neighborhoods:household-detail", household.pk)
    context = {"household": household}
    return _form_page(request, "neighborhoods/resident_form.html", context, form)


@require_http_methods(["GET", "POST"])
@staff_required
def resident_edit(request, pk):
    resident = get_resident_for_user(request.user, pk, audit=request)
    household = resident.household
    tags = tag_dictionary_for(request.user, household.building.neighbourhood_id)
    initial = {f: getattr(resident, f) for f in services.RESIDENT_FIELDS}
    initial |= {"seen": services.household_version(household), "tags": resident.tags.all()}
    form = ResidentForm(request.POST or None, tags=tags, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        # Tags this user may not see stay as they are (they were not on the form).
        kept = resident.tags.exclude(pk__in=tags.values("pk"))
        try:
            services.resident_update(
                resident=resident,
                fields=data,
                tags=[*data["tags"], *kept],
                by=request.user,
                seen=data["seen"],
            )
        except Refused as refusal:
            return _refused(request, refusal, household)
        messages.success(request, _("Saved."))
        return redirect("neighborhoods:household-detail", household.pk)
    context = {"household": household, "resident": resident}
    return _form_page(request, "neighborhoods/resident_form.html", context, form)


def _status_change_view(request, pk, *, service, template_kind, done):
    resident = get_resident_for_user(request.user, pk, audit=request)
    household = resident.household
    initial = {"seen": services.household_version(household), "on": timezone.localdate()}
    form = StatusChangeForm(request.POST or None, resident=resident, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            service(resident=resident, on=data["on"], by=request.user, seen=data["seen"])
        except Refused as refusal:
            return _refused(request, refusal, household)
        messages.success(request, done % {"name": resident.name})
        return redirect("neighborhoods:household-detail", household.pk)
    context = {"household": household, "resident": resident, "kind": template_kind}
    return _form_page(request, "neighborhoods/resident_status_form.html", context, form)


@require_http_methods(["GET", "POST"])
@staff_required
def resident_move_out(request, pk):
    return _status_change_view(
        request,
        pk,
        service=services.resident_move_out,
        template_kind="moved_out",
        done=_("%(name)s is recorded as moved out."),
    )


@require_http_methods(["GET", "POST"])
@staff_required
def resident_death(request, pk):
    return _status_change_view(
        request,
        pk,
        service=services.resident_record_death,
        template_kind="died",
        done=_("The death of %(name)s is recorded."),
    )


@require_http_methods(["GET", "POST"])
@staff_required
@post_once
def resident_move_in(request, pk):
    """Someone of another flat of this neighbourhood moves here (found by name)."""
    household = get_household_for_user(request.user, pk, audit=request)
    initial = {"seen": services.household_version(household), "on": timezone.localdate()}
    form = MoveInForm(request.POST or None, household=household, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.resident_move_in(
                household=household,
                resident=data["resident"],
                on=data["on"],
                by=request.user,
                seen=data["seen"],
            )
        except Refused as refusal:
            return _refused(request, refusal, household)
        messages.success(request, _("%(name)s moved here.") % {"name": data["resident"].name})
        return redirect("neighborhoods:household-detail", household.pk)
    query = (request.POST.get("q") or request.GET.get("q") or "").strip()
    candidates = get_move_in_candidates_for_user(
        request.user, form.fields["resident"].queryset, query, audit=request
    )
    context = {"household": household, "candidates": candidates, "q": query}
    return _form_page(request, "neighborhoods/resident_move_in.html", context, form)


@require_safe
@staff_required
def household_history(request, pk):
    household = get_household_for_user(request.user, pk, audit=request)
    page = get_history_page_for_user(request.user, household, request.GET.get("page"))
    return render(
        request, "neighborhoods/household_history.html", {"household": household, "page": page}
    )


# --- Zones (分片包干): the committee's director re-divides them ----------------------------


@require_safe
@director_required
def zone_list(request):
    neighbourhood = directed_neighbourhood(request.user)
    zones = neighbourhood.zones.select_related("worker__user").prefetch_related("buildings")
    context = {
        "neighbourhood": neighbourhood,
        "zones": zones,
        "unzoned": neighbourhood.buildings.filter(zone__isnull=True),
        "zone_form": BuildingZoneForm(neighbourhood=neighbourhood),
        "worker_form": ZoneWorkerForm(neighbourhood=neighbourhood),
    }
    return render(request, "neighborhoods/zone_list.html", context)


@require_POST
@director_required
def building_move(request, pk):
    building = get_directed_building(request.user, pk)
    form = BuildingZoneForm(request.POST, neighbourhood=building.neighbourhood)
    if form.is_valid():
        zone = form.cleaned_data["zone"]
        moved = services.zone_reassign(buildings=[building], zone=zone, by=request.user)
        messages.success(
            request,
            _("%(building)s moved to %(zone)s; %(needs)s open needs followed.")
            % {"building": building, "zone": zone.name if zone else _("no zone"), "needs": moved},
        )
    else:
        messages.error(request, _("Choose one of the zones listed."))
    return redirect("neighborhoods:zone-list")


@require_POST
@director_required
def zone_worker(request, pk):
    zone = get_directed_zone(request.user, pk)
    form = ZoneWorkerForm(request.POST, neighbourhood=zone.neighbourhood)
    if form.is_valid():
        worker = form.cleaned_data["worker"]
        moved = services.zone_set_worker(zone=zone, worker=worker, by=request.user)
        messages.success(
            request,
            _("%(zone)s is now in the care of %(worker)s; %(needs)s open needs followed.")
            % {
                "zone": zone.name,
                "worker": worker.user.get_full_name() if worker else _("no one"),
                "needs": moved,
            },
        )
    else:
        messages.error(request, _("Choose one of the workers listed."))
    return redirect("neighborhoods:zone-list")


@require_http_methods(["GET", "HEAD", "POST"])
@staff_required
def worker_profile(request):
    """Committee staff keep their own workforce record (birth year, education, 社工证, start
    year) up to date; the position is set by admins (it makes a director). Admins edit
    everyone's in the Django admin."""
    worker = request.user.worker
    if worker is None:
        messages.info(request, _("District admins edit workers' profiles in the admin."))
        return redirect("admin:neighborhoods_communityworker_changelist")
    form = WorkerProfileForm(request.POST or None, instance=worker)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile is saved."))
        return redirect("neighborhoods:staff-home")
    status = 400 if form.is_bound else 200
    context = {"form": form, "worker": worker}
    return render(request, "neighborhoods/worker_profile.html", context, status=status)
