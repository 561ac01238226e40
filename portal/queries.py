"""Query helpers the apps share."""

from django.db.models import Count, Window


def first_and_total(queryset, limit):
    """The first `limit` rows of `queryset` and how many rows it has in all, in one query:
    the total is a window count over the whole result, which the database computes before
    the LIMIT. For the short lists that say "showing 10 of 37" (the staff home's)."""
    if queryset.query.distinct:
        # The window would count the rows before DISTINCT removes the repeated ones.
        raise ValueError("first_and_total() counts the rows before DISTINCT.")
    rows = list(queryset.annotate(rows_in_all=Window(Count("pk")))[:limit])
    return rows, rows[0].rows_in_all if rows else 0
