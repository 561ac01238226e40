"""Admin for governance projects (睦邻项目), rounds, awards, talents and advisors."""

from django.contrib import admin

from ..models import Advisor, Award, Project, ProjectRound, Talent, TeamMember


class TeamMemberInline(admin.TabularInline):
    model = TeamMember
    autocomplete_fields = ["organisation"]
    extra = 1


class AwardInline(admin.TabularInline):
    model = Award
    extra = 0


@admin.register(ProjectRound)
class ProjectRoundAdmin(admin.ModelAdmin):
    list_display = ["name", "year", "programme"]
    list_filter = ["year"]
    search_fields = ["name", "programme"]


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["title", "year", "centre", "neighbourhood", "round", "is_service"]
    list_filter = ["year", "is_service", "round", "centre__subdistrict"]
    search_fields = ["title", "summary", "centre__name", "neighbourhood__name"]
    autocomplete_fields = ["centre", "neighbourhood", "round"]
    list_select_related = ["centre", "neighbourhood", "round"]
    inlines = [TeamMemberInline, AwardInline]


@admin.register(Award)
class AwardAdmin(admin.ModelAdmin):
    list_display = ["title", "year", "project"]
    list_filter = ["year", "title"]
    search_fields = ["title", "project__title"]
    autocomplete_fields = ["project"]
    list_select_related = ["project"]


@admin.register(Talent)
class TalentAdmin(admin.ModelAdmin):
    list_display = ["display_name", "skill", "centre", "year", "consented", "consented_at"]
    list_filter = ["year", "consented", "centre__subdistrict"]
    search_fields = ["display_name", "skill", "centre__name"]
    autocomplete_fields = ["centre"]
    list_select_related = ["centre"]


@admin.register(Advisor)
class AdvisorAdmin(admin.ModelAdmin):
    list_display = ["name", "profession", "field", "affiliation"]
    list_filter = ["field", "profession"]
    search_fields = ["name", "affiliation"]
    autocomplete_fields = ["neighbourhoods", "projects"]
