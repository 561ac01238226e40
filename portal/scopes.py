"""QuerySet bases that apply the scope rules of portal/permissions.py to a model's rows."""

from django.db import models

from .permissions import centre_scope, neighbourhood_scope


class NeighbourhoodScopedQuerySet(models.QuerySet):
    """Rows of one neighbourhood: `visible_to(user)` applies the neighbourhood rule.

    Subclasses name the path from their model to the neighbourhood's id.
    """

    neighbourhood_path = "neighbourhood_id"

    def visible_to(self, user):
        return neighbourhood_scope(self, user, self.neighbourhood_path)


class CentreScopedQuerySet(models.QuerySet):
    """Rows of one neighbourhood centre: `visible_to(user)` applies the centre rule."""

    centre_path = "centre_id"

    def visible_to(self, user):
        return centre_scope(self, user, self.centre_path)
