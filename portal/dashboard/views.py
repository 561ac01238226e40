from collections import Counter

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from neighborhoods.models import Neighbourhood

from ..permissions import neighbourhood_scope, staff_required
from . import services, store
from .charts import bar_chart
from .spreadsheet import workbook_of

# The district's ranking of ~300 neighbourhoods, a page at a time (the download has all).
NEIGHBOURHOODS_PER_PAGE = 30


def get_neighbourhood_for_user(user, pk):
    """A neighbourhood whose figures `user` may see (404 otherwise): admins any, staff theirs."""
    neighbourhoods = Neighbourhood.objects.select_related("subdistrict__district")
    return get_object_or_404(neighbourhood_scope(neighbourhoods, user, path="pk"), pk=pk)


@require_safe
@staff_required
def dashboard(request):
    """Admins: the district, ranked. Committee staff: their own neighbourhood."""
    if request.user.is_district_admin:
        context = district_context(request)
        return _page(request, "portal/dashboard/district.html", context, _("District"))
    return neighbourhood_page(request, request.user.worker.neighbourhood)


@require_safe
@staff_required
def neighbourhood_detail(request, pk):
    return neighbourhood_page(request, get_neighbourhood_for_user(request.user, pk))


@require_safe
@staff_required
def dashboard_help(request):
    context = {
        "weights": services.WEIGHTS,
        "window_days": services.WINDOW_DAYS,
        "min_age": services.ACCOUNT_MIN_AGE,
    }
    return render(request, "portal/dashboard/help.html", context)


def neighbourhood_page(request, neighbourhood):
    figures = dict(
        store.cached_figures(
            store.of_neighbourhood(neighbourhood.pk),
            lambda: services.neighbourhood_figures(neighbourhood),
        )
    )
    needs = figures["needs"]
    figures["rate_chart"] = bar_chart(
        ((b.pk, b.number, rate.percent, f"{rate.percent}%") for b, rate in figures["buildings"]),
        maximum=100,
    )
    figures["building_rows"] = building_rows(figures["buildings"])
    figures["zone_chart"] = bar_chart(
        ((z.pk, z.name, rate.percent, f"{rate.percent}%") for z, rate in figures["zones"]),
        maximum=100,
    )
    figures["age_chart"] = bar_chart((label, label, n, str(n)) for label, n in needs["by_age"])
    figures["category_chart"] = bar_chart(
        (label, label, n, str(n)) for label, n in needs["by_category"]
    )
    return _page(request, "portal/dashboard/neighbourhood.html", figures, neighbourhood.name)


def building_rows(buildings):
    """The table under the buildings' chart, one <tr> each: format_html_join rather than a
    template loop, for a neighbourhood of a hundred buildings."""
    labels = [_("Zone"), _("Linked"), _("Counted"), _("上云率")]
    return format_html_join(
        "",
        '<tr><th scope="row">{}</th><td data-label="{}">{}</td><td data-label="{}">{}</td>'
        '<td data-label="{}">{}</td><td data-label="{}">{}%</td></tr>',
        (
            (
                building.number,
                labels[0],
                (building.zone.name if building.zone else "") or "—",
                labels[1],
                rate.linked,
                labels[2],
                rate.counted,
                labels[3],
                rate.percent,
            )
            for building, rate in buildings
        ),
    )


def _page(request, template, context, title):
    """The page, or with ?format=xlsx its tables as a workbook (the same figures: they are
    read off the page the person may see)."""
    if request.GET.get("format") != "xlsx":
        return render(request, template, context)
    html = render_to_string(template, context, request=request)
    response = HttpResponse(
        workbook_of(html, title=title, user=request.user, as_of=context.get("as_of")),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    day = timezone.localdate().isoformat()
    filename = f"dashboard-{day}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def district_context(request):
    """The district's figures; the neighbourhoods' ranking a page at a time, or one
    subdistrict's (?subdistrict=), with charts of the rows shown. The download has every
    neighbourhood."""
    figures = dict(store.cached_figures(store.DISTRICT, services.district_figures))
    # The page's tables are cached under the figures' stamp (none when the store is off).
    figures["fragment_seconds"] = (
        2 * settings.DASHBOARD_FIGURES_SECONDS if "stamp" in figures else 0
    )
    ranked = list(enumerate(figures["rows"], start=1))
    counts = Counter(r.neighbourhood.subdistrict_id for r in figures["rows"])
    subdistricts = figures["subdistricts"] = [
        {**s, "neighbourhoods": counts[s["subdistrict"].pk]} for s in figures["subdistricts"]
    ]
    if request.GET.get("format") == "xlsx":
        figures["ranked"], figures["page"] = ranked, None
        return figures
    chosen = _chosen_subdistrict(request, subdistricts)
    if chosen is not None:
        ranked = [(n, r) for n, r in ranked if r.neighbourhood.subdistrict_id == chosen.pk]
    page = Paginator(ranked, NEIGHBOURHOODS_PER_PAGE).get_page(request.GET.get("page"))
    shown = [r for _n, r in page]
    figures.update(ranked=page.object_list, page=page, chosen=chosen)
    figures["interaction_chart"] = bar_chart(
        [
            (r.neighbourhood.pk, r.neighbourhood.name, r.interaction.index, r.interaction.index)
            for r in shown
        ],
        maximum=100,  # the best neighbourhood of the district is 100, on any page
    )
    figures["rate_chart"] = bar_chart(
        [
            (r.neighbourhood.pk, r.neighbourhood.name, r.rate.percent, f"{r.rate.percent}%")
            for r in sorted(shown, key=lambda r: (-r.rate.percent, r.neighbourhood.name))
        ],
        maximum=100,
    )
    figures["coverage_chart"] = bar_chart(
        [
            (r.neighbourhood.pk, r.neighbourhood.name, r.coverage.percent, f"{r.coverage.percent}%")
            for r in sorted(shown, key=lambda r: -r.coverage.percent)
        ],
        maximum=100,
    )
    figures["subdistrict_chart"] = bar_chart(
        [
            (s["subdistrict"].pk, s["subdistrict"].name, s["rate"].percent, f"{s['rate'].percent}%")
            for s in subdistricts
        ],
        maximum=100,
    )
    figures["workforce_chart"] = bar_chart(
        [
            (
                s["subdistrict"].pk,
                s["subdistrict"].name,
                s["workforce"].count,
                _("%(count)s workers") % {"count": s["workforce"].count},
            )
            for s in subdistricts
        ]
    )
    return figures


def _chosen_subdistrict(request, subdistricts):
    """The subdistrict of ?subdistrict=<id> (404 for one the page does not list)."""
    value = request.GET.get("subdistrict")
    if not value:
        return None
    for s in subdistricts:
        if str(s["subdistrict"].pk) == value:
            return s["subdistrict"]
    raise Http404
