"""The community map page (社区地图)."""

from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from portal.permissions import staff_required

from ..models import Neighbourhood
from ..permissions import get_map_for_user
from .services import DEFAULT_LAYER, LAYERS


@require_safe
@staff_required
def community_map(request):
    user = request.user
    if user.worker:
        neighbourhood = user.worker.neighbourhood
    else:  # district admins choose a neighbourhood, the first by default
        pk = request.GET.get("neighbourhood")
        neighbourhoods = Neighbourhood.objects.all()
        neighbourhood = (
            get_object_or_404(neighbourhoods, pk=pk)
            if pk and pk.isdigit()
            else neighbourhoods.first()
        )
    layer = LAYERS.get(request.GET.get("layer"), LAYERS[DEFAULT_LAYER])
    context = {
        "neighbourhood": neighbourhood,
        "layer": layer,
        "layers": LAYERS.values(),
        "legend": [(state, *text) for state, text in layer.states.items()],
        "zones": get_map_for_user(user, neighbourhood, layer, audit=request),
    }
    return render(request, "neighborhoods/community_map.html", context)
