"""Neighbourhood centres (睦邻中心): the public directory, governance projects, talents
(睦邻达人), and the district's 1510 picture for admins."""

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from portal.pagecache import visitor_page
from portal.permissions import district_admin_required

from ..activities.services import upcoming_activities
from ..models import (
    SERVICE_PROJECTS_MINIMUM,
    WALK_MINUTES_LIMIT,
    Advisor,
    Centre,
    OperatingContract,
    Project,
    Talent,
)
from .forms import CentreFilterForm, CoverageYearForm, ProjectFilterForm, TalentFilterForm
from .services import centre_advisors, coverage_1510, rating_year

CENTRES_PER_PAGE = 20
PROJECTS_PER_PAGE = 20
TALENTS_PER_PAGE = 24


def _filtered(form, rows):
    """Rows filtered by a GET form (bound even when empty, so that its defaults apply);
    a bad value shows its error and filters nothing."""
    return form.filter(rows) if form.is_valid() else rows


@require_safe
@visitor_page
def centre_list(request):
    year, this_year = rating_year(), timezone.localdate().year
    form = CentreFilterForm(request.GET)
    centres = (
        Centre.objects.with_stars(year)
        .with_service_project_count(this_year)
        .for_list()
        .order_by("subdistrict__name", "name")
    )
    centres = _filtered(form, centres)
    page = Paginator(centres, CENTRES_PER_PAGE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "rating_year": year, "this_year": this_year}
    return render(request, "neighborhoods/centre_list.html", context, status=_status(form))


def _status(form):
    return 400 if form.errors else 200


@require_safe
def centre_detail(request, pk):
    this_year = timezone.localdate().year
    centre = get_object_or_404(Centre.objects.for_list(), pk=pk)
    projects = list(centre.projects.filter(year=this_year).for_list().order_by("title"))
    services = [project for project in projects if project.is_service]
    context = {
        "centre": centre,
        "this_year": this_year,
        "ratings": centre.ratings.all(),
        "contracts": OperatingContract.objects.filter(centre=centre).select_related("organisation"),
        "projects": projects,
        "services": services,
        "governance": [project for project in projects if not project.is_service],
        "service_count": len(services),
        "service_minimum": SERVICE_PROJECTS_MINIMUM,
        "awarded": centre.projects.awarded().for_list().order_by("-year", "title")[:10],
        "talents": centre.talents.public().order_by("-year", "display_name")[:12],
        "advisors": centre_advisors(centre),
        "upcoming": upcoming_activities(centre=centre, limit=5),
    }
    return render(request, "neighborhoods/centre_detail.html", context)


@require_safe
@district_admin_required
def centre_coverage(request):
    """The 1510 picture: a centre within a 15-minute walk, 10 service projects a year."""
    year = timezone.localdate().year
    form = CoverageYearForm(request.GET or None, initial={"year": year})
    if form.is_bound and form.is_valid() and form.cleaned_data["year"]:
        year = form.cleaned_data["year"]
    context = {
        "form": form,
        "coverage": coverage_1510(year),
        "walk_limit": WALK_MINUTES_LIMIT,
        "service_minimum": SERVICE_PROJECTS_MINIMUM,
    }
    return render(request, "neighborhoods/centre_coverage.html", context, status=_status(form))


@require_safe
def project_list(request):
    form = ProjectFilterForm(request.GET)
    projects = _filtered(form, Project.objects.for_list().newest_first())
    page = Paginator(projects, PROJECTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "neighborhoods/project_list.html",
        {"form": form, "page": page},
        status=_status(form),
    )


@require_safe
def project_detail(request, pk):
    project = get_object_or_404(
        Project.objects.for_list().prefetch_related(
            Prefetch("team", to_attr="members"),
            Prefetch("advisors", queryset=Advisor.objects.order_by("field", "name")),
        ),
        pk=pk,
    )
    return render(request, "neighborhoods/project_detail.html", {"project": project})


@require_safe
def talent_list(request):
    form = TalentFilterForm(request.GET)
    talents = _filtered(form, Talent.objects.public().select_related("centre"))
    page = Paginator(talents, TALENTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "neighborhoods/talent_list.html",
        {"form": form, "page": page},
        status=_status(form),
    )
