"""The community map page (社区地图)."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from portal.permissions import neighbourhood_scope, staff_required

from ..models import Neighbourhood
from ..permissions import get_map_for_user
from ..register.forms import NeighbourhoodChoiceForm
from .services import DEFAULT_LAYER, LAYERS


@require_safe
@staff_required
def community_map(request):
    """One neighbourhood's plan, a page of buildings at a time (`?page=`). Committee staff:
    their own. District admins choose one (`?neighbourhood=`, the same filter as the watch
    board), the first by default; an id outside their scope, or garbage, is a form error
    next to the choice."""
    user = request.user
    form = None
    if user.worker:
        neighbourhood = user.worker.neighbourhood
    else:
        form = NeighbourhoodChoiceForm(request.GET or None, user=user)
        neighbourhood = (
            form.chosen() or neighbourhood_scope(Neighbourhood.objects.all(), user, "pk").first()
        )
    if form is not None and not form.is_bound:
        form.initial["neighbourhood"] = neighbourhood
    layer = LAYERS.get(request.GET.get("layer"), LAYERS[DEFAULT_LAYER])
    context = {
        "neighbourhood": neighbourhood,
        "neighbourhood_form": form,
        "layer": layer,
        "layers": LAYERS.values(),
        "legend": [(state, *text) for state, text in layer.states.items()],
        "plan": get_map_for_user(
            user, neighbourhood, layer, page=request.GET.get("page"), audit=request
        ),
    }
    return render(request, "neighborhoods/community_map.html", context)
