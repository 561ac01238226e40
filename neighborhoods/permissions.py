"""Access helpers: views fetch the app's protected objects only through here.

Each applies the neighbourhood rule of portal/permissions.py (through `visible_to`) and
answers 404 for an object outside the user's scope, as if it did not exist.

The helpers that hand out residents' personal data take `audit`, keyword-only and required:
the request whose response shows the data. They record the access (portal/audit.py: one
row per page view, GET and form re-renders only); `audit=None` says "this page shows none
of it" where a caller only needs the object (a form showing the flat's address).
"""

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Q
from django.db.models.functions import Length
from django.http import Http404
from django.shortcuts import get_object_or_404

from portal.audit import Action, record_access, record_export
from portal.permissions import centre_scope, staffs_neighbourhood

from .map.services import neighbourhood_plan
from .models import (
    Activity,
    AidItem,
    AidPoint,
    AidUnit,
    Building,
    Centre,
    ConsentVote,
    Facility,
    FamilyGrant,
    Household,
    LinkRequest,
    Loan,
    Need,
    RegisterChange,
    Resident,
    ResidentTag,
    Visit,
    WatchAlert,
    WatchAssignment,
    WatchEnrolment,
    Zone,
)
from .watch.services import (
    board_rows,
    board_summary,
    open_alerts,
    volunteer_watch_rows,
    watch_candidates,
)


def get_household_for_user(user, pk, *, audit):
    """404 for a household outside the user's neighbourhood, as if it did not exist."""
    household = get_object_or_404(
        Household.objects.visible_to(user).select_related(
            "building__zone__worker__user", "building__neighbourhood__subdistrict"
        ),
        pk=pk,
    )
    record_access(audit, action=Action.VIEW, household=household)
    return household


def get_household_page_for_user(user, households, number, *, audit):
    """One page of the register (`households`, filtered by the list's form); the page's
    households are recorded, not the whole register."""
    page = Paginator(households.visible_to(user), settings.HOUSEHOLDS_PER_PAGE).get_page(number)
    record_access(audit, action=Action.HOUSEHOLD_LIST, households=page.object_list)
    return page


def get_resident_for_user(user, pk, *, audit):
    """A resident of a household in the user's neighbourhood (any status); else 404."""
    resident = get_object_or_404(
        Resident.objects.filter(household__in=Household.objects.visible_to(user)).select_related(
            "household__building__neighbourhood"
        ),
        pk=pk,
    )
    record_access(audit, action=Action.VIEW, household=resident.household)
    return resident


def get_history_page_for_user(user, household, number, *, per_page=25):
    """One page of a household's register history (the caller fetched the household
    through get_household_for_user, which recorded the access)."""
    changes = RegisterChange.objects.visible_to(user).filter(household=household).for_history()
    return Paginator(changes, per_page).get_page(number)


def get_move_in_candidates_for_user(user, residents, query, *, audit, limit=20):
    """Residents of other flats matching `query` by name (none without one): their names
    and flats are shown, so their households are recorded."""
    if not query:
        return []
    found = list(residents.filter(name__icontains=query)[:limit])
    record_access(audit, action=Action.VIEW, households=[r.household_id for r in found])
    return found


# --- Resident tags (标签): sensitive ones only for the neighbourhood's staff ------------------


def tag_dictionary_for(user, neighbourhood_id=None):
    """The tags `user` may see and set: all for staff of `neighbourhood_id` (or, without
    one, for any committee staff or admin), the non-sensitive ones for anyone else."""
    tags = ResidentTag.objects.all()
    if neighbourhood_id is None:
        may = user.is_authenticated and (user.is_district_admin or user.worker is not None)
    else:
        may = staffs_neighbourhood(user, neighbourhood_id)
    return tags if may else tags.filter(sensitive=False)


def visible_tags(user, resident, neighbourhood_id=None):
    """The one rule of who sees which tag: the sensitive ones (残疾, 低保, 优抚, 失独…) only
    staff of the resident's neighbourhood and district admins. Reads `resident.tags.all()`,
    so a prefetch serves it; pass `neighbourhood_id` when the caller knows it (no query)."""
    if neighbourhood_id is None:
        neighbourhood_id = resident.household.building.neighbourhood_id
    tags = resident.tags.all()
    if staffs_neighbourhood(user, neighbourhood_id):
        return list(tags)
    return [tag for tag in tags if not tag.sensitive]


# --- Zones: re-divided by the committee's director -----------------------------------------


def directed_neighbourhood(user):
    """The neighbourhood whose zones `user` re-divides: a director's own; else None."""
    worker = user.worker if user.is_authenticated else None
    return worker.neighbourhood if worker and worker.is_director else None


def get_directed_zone(user, pk):
    """A zone of the director's own neighbourhood; 404 for any other."""
    return get_object_or_404(Zone.objects.filter(neighbourhood=directed_neighbourhood(user)), pk=pk)


def get_directed_building(user, pk):
    return get_object_or_404(
        Building.objects.filter(neighbourhood=directed_neighbourhood(user)), pk=pk
    )


def get_link_request_for_user(user, pk):
    return get_object_or_404(
        LinkRequest.objects.visible_to(user).select_related("user", "neighbourhood"), pk=pk
    )


# --- Daily watch ----------------------------------------------------------------------


def get_enrolment_for_user(user, pk):
    return get_object_or_404(
        WatchEnrolment.objects.visible_to(user).select_related("household__building"), pk=pk
    )


def get_alert_for_user(user, pk, *, audit):
    """404 for an alert of another neighbourhood's household, as if it did not exist. The
    alert page shows the household's residents and emergency contact: it is recorded."""
    alert = get_object_or_404(
        WatchAlert.objects.visible_to(user).select_related(
            "watch_check__enrolment__household__building__zone__worker__user",
            "watch_check__by",
            "closed_by",
        ),
        pk=pk,
    )
    record_access(audit, action=Action.WATCH_ALERT, household=alert.watch_check.enrolment.household)
    return alert


# --- Visits and needs -------------------------------------------------------------------


def get_visit_for_user(user, pk, *, audit):
    visit = get_object_or_404(
        Visit.objects.visible_to(user).select_related("household__building", "staff"), pk=pk
    )
    record_access(audit, action=Action.VISIT, household=visit.household_id)
    return visit


def can_edit_visit(user, visit):
    """Only its author, only for 24 hours; after that an addendum is the way to add."""
    return visit.is_editable_by(user)


def get_need_for_user(user, pk, *, audit, action=Action.NEED):
    """Staff of the household's neighbourhood (and district admins); 404 for anyone else.

    `action` tells the need's page from its photo (Action.NEED_PHOTO)."""
    need = get_object_or_404(
        Need.objects.visible_to(user).select_related(
            "household__building__zone__worker__user", "owner", "raised_by", "visit"
        ),
        pk=pk,
    )
    record_access(audit, action=action, household=need.household_id)
    return need


def get_need_page_for_user(user, needs, number, *, audit):
    """One page of the needs list: each row shows the household and what the difficulty is,
    so the page's households are recorded."""
    page = Paginator(needs.visible_to(user), settings.HOUSEHOLDS_PER_PAGE).get_page(number)
    record_access(audit, action=Action.NEED_LIST, households=[need.household_id for need in page])
    return page


def get_own_need_for_user(user, pk):
    """A resident's own household's need; 404 for any other."""
    return get_object_or_404(Need.objects.for_resident(user), pk=pk)


# --- Family members (家属) -----------------------------------------------------------------


def get_revocable_grant_for_user(user, pk):
    """An active grant this user may revoke: one of their own household's (the resident),
    or their own (the family member stops following); 404 for any other."""
    if not user.is_authenticated:
        raise Http404
    household = user.resident.household_id if user.resident else None
    grants = FamilyGrant.objects.active().filter(Q(member=user) | Q(household_id=household))
    return get_object_or_404(grants.select_related("household", "member"), pk=pk)


def get_staff_grant_for_user(user, household, pk):
    """An active grant of `household` (which the caller fetched through
    get_household_for_user); 404 for another household's."""
    return get_object_or_404(
        FamilyGrant.objects.visible_to(user).active().filter(household=household), pk=pk
    )


# --- Pages that show many households at once -------------------------------------------


def get_watch_board_for_user(user, *, now, whole_neighbourhood, neighbourhood=None, audit):
    """The daily-watch board: its rows, the open alerts and the candidates not yet watched.
    Every household on it is recorded (the rows show names, ages and emergency contacts).

    A district admin who has not chosen a neighbourhood gets, instead of the rows, one
    line per neighbourhood (board_summary: counts only, no household shown)."""
    district_wide = user.is_district_admin and neighbourhood is None
    board = {
        "rows": []
        if district_wide
        else board_rows(
            user, now=now, whole_neighbourhood=whole_neighbourhood, neighbourhood=neighbourhood
        ),
        "summary": board_summary(user, now=now) if district_wide else None,
        "alerts": open_alerts(user, neighbourhood=neighbourhood),
        "candidates": list(
            watch_candidates(
                user, whole_neighbourhood=whole_neighbourhood, neighbourhood=neighbourhood
            )[:20]
        ),
    }
    shown = [row.enrolment.household_id for row in board["rows"]]
    shown += [alert.watch_check.enrolment.household_id for alert in board["alerts"]]
    shown += [household.pk for household in board["candidates"]]
    record_access(audit, action=Action.WATCH_BOARD, households=shown)
    return board


def get_volunteer_watch_for_user(user, *, now, audit):
    """A volunteer's watch: only the households assigned to them (names and rooms shown,
    so each is recorded like any other view of the register)."""
    rows = volunteer_watch_rows(user, now=now)
    record_access(
        audit, action=Action.VOLUNTEER_WATCH, households=[r.enrolment.household_id for r in rows]
    )
    return rows


def get_assigned_enrolment_for_volunteer(user, pk):
    """An active enrolment assigned to this volunteer; anything else 404."""
    return get_object_or_404(
        WatchEnrolment.objects.active().filter(assignments__volunteer=user).distinct(), pk=pk
    )


def get_watch_assignments_for_user(user):
    """The volunteers' assignments on the watched households this staff member sees."""
    return (
        WatchAssignment.objects.filter(enrolment__in=WatchEnrolment.objects.visible_to(user))
        .select_related("volunteer", "enrolment__household__building__neighbourhood")
        .order_by("enrolment__household__building__neighbourhood__name", "enrolment", "pk")
    )


def get_map_for_user(user, neighbourhood, layer, *, page=None, audit):
    """One page of the plan of one neighbourhood (the caller has checked the user may see
    it), or None: every flat drawn on it shows that household's state in the layer (care
    flags, needs, alerts…), so every household drawn is recorded."""
    if neighbourhood is None:
        return None
    plan = neighbourhood_plan(neighbourhood, layer, page=page)
    record_access(audit, action=Action.MAP, households=plan.households)
    return plan


# --- Activities (活动): public to read; run by their centre's or neighbourhood's staff ------


def get_activity_for_user(user, pk):
    """Activities are public (visitors read them too); 404 only for an unknown id."""
    return get_object_or_404(
        Activity.objects.select_related(
            "centre__subdistrict", "neighbourhood__subdistrict", "for_neighbourhood"
        ),
        pk=pk,
    )


def get_managed_activity_for_user(user, pk):
    """An activity this user runs (staff of its centre or neighbourhood, admins); else 404."""
    return get_object_or_404(
        Activity.objects.managed_by(user).select_related(
            "centre__subdistrict", "neighbourhood__subdistrict", "for_neighbourhood"
        ),
        pk=pk,
    )


def get_managed_centre_for_user(user, pk):
    """A centre's workspace: its own staff and district admins; staff of another centre 404."""
    return get_object_or_404(centre_scope(Centre.objects.all(), user, "pk"), pk=pk)


def get_managed_signup_for_user(user, activity, pk):
    return get_object_or_404(activity.signups.for_people_list(), pk=pk)


# --- The register as a file (台账) ----------------------------------------------------------


def get_register_export_for_user(user, neighbourhood, *, audit, reason=""):
    """The present residents of `neighbourhood`, in 台账 order, for its staff and admins
    (404 for anyone else). The export is recorded with every household in it, the number of
    rows and, for full phone numbers, the reason given."""
    if not staffs_neighbourhood(user, neighbourhood.pk):
        raise Http404
    residents = list(
        Resident.objects.present()
        .filter(household__building__neighbourhood=neighbourhood)
        .select_related("household__building__zone")
        .order_by(
            "household__building__compound",
            Length("household__building__number"),
            "household__building__number",
            Length("household__room"),
            "household__room",
            "birth_date",
            "pk",
        )
    )
    households = list(dict.fromkeys(resident.household_id for resident in residents))
    record_export(audit, households=households, rows=len(residents), reason=reason)
    return residents


# --- Facilities (公共设施): kept by their neighbourhood's staff --------------------------------


def get_kept_facility_for_user(user, pk):
    """A facility the user's neighbourhood keeps (admins: any); else 404."""
    facilities = Facility.objects.visible_to(user).select_related("neighbourhood")
    return get_object_or_404(facilities, pk=pk)


# --- Rehab-aid rental: the catalogue is public; loans belong to the points' staff -------------


def get_aid_item(pk):
    return get_object_or_404(AidItem.objects.filter(active=True), pk=pk)


def get_kept_unit_for_user(user, pk):
    return get_object_or_404(
        AidUnit.objects.filter(point__in=AidPoint.objects.visible_to(user)).select_related(
            "item", "point__centre", "point__neighbourhood"
        ),
        pk=pk,
    )


def get_loan_for_user(user, pk, *, audit):
    """A loan of a point the user keeps (its staff, admins); 404 for anyone else. The page
    shows the borrower's name, flat and phone: the access is recorded."""
    loan = get_object_or_404(
        Loan.objects.visible_to(user)
        .for_list()
        .select_related("requested_by", "basis_confirmed_by", "need"),
        pk=pk,
    )
    record_access(audit, action=Action.LOAN, household=loan.resident.household_id)
    return loan


def get_loan_page_for_user(user, loans, number, *, audit):
    """One page of the loans list; each row names the borrower and their flat (recorded)."""
    page = Paginator(loans.visible_to(user), settings.HOUSEHOLDS_PER_PAGE).get_page(number)
    record_access(
        audit, action=Action.LOAN_LIST, households=[loan.resident.household_id for loan in page]
    )
    return page


def get_own_loan_for_user(user, pk):
    """My own request or loan (for my register record, or asked by me); 404 for any other."""
    return get_object_or_404(Loan.objects.of_person(user).for_list(), pk=pk)


def get_loans_due_for_user(user, *, audit, point=None, today=None):
    """Loans out at the points `user` keeps (or at `point`) that are overdue or due within
    the week, soonest first; the borrowers' households are recorded."""
    from .rental.services import staff_due_this_week

    loans = staff_due_this_week(user, today)
    if point is not None:
        loans = loans.filter(point=point)
    loans = list(loans)
    if loans:  # a workspace with nothing due back shows no one's data: nothing to record
        households = [loan.resident.household_id for loan in loans]
        record_access(audit, action=Action.LOAN_LIST, households=households)
    return loans


# --- Consent votes (业主表决) -------------------------------------------------------------


def get_vote_for_user(user, pk):
    """The vote's public page (totals only): the residents of a household on its roll, the
    neighbourhood's staff and admins; 404 for everyone else. No personal data is handed out
    here: individual ballots are only on the staff's page (get_vote_roll_for_user)."""
    votes = ConsentVote.objects.select_related("building__neighbourhood", "guide")
    vote = get_object_or_404(votes, pk=pk)
    if staffs_neighbourhood(user, vote.building.neighbourhood_id):
        return vote
    household = user.resident.household if user.is_authenticated and user.resident else None
    if household is not None and vote.roll.filter(household=household).exists():
        return vote
    raise Http404("No vote matches the given query.")


def get_managed_vote_for_user(user, pk):
    """A vote of the user's neighbourhood (staff; admins: any); 404 otherwise."""
    return get_object_or_404(
        ConsentVote.objects.visible_to(user).select_related("building__neighbourhood", "guide"),
        pk=pk,
    )


def get_vote_roll_for_user(user, vote, *, audit):
    """The roll of a vote the user manages, with each household's ballot: who voted how is
    personal data (private to staff), so every household shown is recorded."""
    if not staffs_neighbourhood(user, vote.building.neighbourhood_id):
        raise Http404("No vote matches the given query.")
    ballots = {b.household_id: b for b in vote.ballots.select_related("cast_by", "recorded_by")}
    entries = list(
        vote.roll.select_related("household").order_by(
            "household__staircase", Length("household__room"), "household__room"
        )
    )
    for entry in entries:
        entry.ballot = ballots.get(entry.household_id)
    record_access(audit, action=Action.VOTE_ROLL, households=[e.household_id for e in entries])
    return entries
