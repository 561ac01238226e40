"""Atom feed of public, published notices: /notices/feed/ and ?neighbourhood=<id>."""

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from neighborhoods.models import Neighbourhood
from portal.params import object_id

from ..models import Notice

FEED_ITEMS = 30


class NoticeFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request):
        """The neighbourhood asked for, or None for the whole district (a bad id is a 404)."""
        raw = request.GET.get("neighbourhood", "").strip()
        if not raw:
            return None
        pk = object_id(raw)
        if pk is None:
            raise Http404("No such neighbourhood.")
        try:
            return Neighbourhood.objects.with_places().get(pk=pk)
        except (Neighbourhood.DoesNotExist, OverflowError, ValueError):
            raise Http404("No such neighbourhood.") from None

    def title(self, obj):
        if obj is None:
            return _("Notices · 睦邻社区云")
        return _("Notices for %(name)s · 睦邻社区云") % {"name": obj.name}

    def subtitle(self, obj):
        return _("Public notices and news of the district, its subdistricts and neighbourhoods.")

    def link(self, obj):
        url = reverse("notices:notice-list")
        return f"{url}?neighbourhood={obj.pk}" if obj else url

    def feed_url(self, obj):
        # The rel="self" link names this very feed, with its neighbourhood.
        url = reverse("notices:notice-feed")
        return f"{url}?neighbourhood={obj.pk}" if obj else url

    def author_name(self, obj):
        # Atom wants an author for every entry; the feed's covers notices whose author's
        # account is gone (author set to NULL).
        return _("睦邻社区云")

    def items(self, obj):
        notices = Notice.objects.published().filter(audience=Notice.Audience.PUBLIC)
        if obj is not None:
            notices = notices.concerning(obj)
        return notices.select_related("author").order_by("-publish_at", "-pk")[:FEED_ITEMS]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.body  # sanitised when saved

    def item_pubdate(self, item):
        return item.publish_at

    def item_updateddate(self, item):
        # A notice written ahead and published later was last changed before it appeared;
        # readers should still see it as new when it is published.
        return max(item.updated, item.publish_at)

    def item_categories(self, item):
        return [item.get_category_display()]

    def item_author_name(self, item):
        return str(item.author) if item.author else None
