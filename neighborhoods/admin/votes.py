"""Admin for building consent votes (业主表决). Ballots are read-only here: they are cast on
the vote's page or recorded from paper forms by staff (neighborhoods/votes/services.py), so
that the lock and the deadline always apply."""

from django.contrib import admin

from portal.audit import AuditedAdminMixin

from ..models import Ballot, ConsentVote, VoteRollEntry


class VoteRollEntryInline(admin.TabularInline):
    model = VoteRollEntry
    fields = ["household", "floor_area"]
    readonly_fields = ["household", "floor_area"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ConsentVote)
class ConsentVoteAdmin(admin.ModelAdmin):
    list_display = ["question", "building", "staircase", "deadline", "opened_by"]
    list_filter = ["building__neighbourhood", "deadline"]
    search_fields = ["question", "building__number", "building__compound"]
    list_select_related = ["building__neighbourhood", "opened_by"]
    raw_id_fields = ["building", "guide"]
    readonly_fields = ["building", "staircase", "opened_by", "opened_at"]
    inlines = [VoteRollEntryInline]

    def has_add_permission(self, request):
        return False  # opened at /staff/votes/new/, where the roll is written


@admin.register(Ballot)
class BallotAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["vote", "household", "choice", "cast_by", "recorded_by", "paper_reference"]
    list_filter = ["choice", "vote__building__neighbourhood"]
    list_select_related = ["vote__building", "household__building", "cast_by", "recorded_by"]
    readonly_fields = [f.name for f in Ballot._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
