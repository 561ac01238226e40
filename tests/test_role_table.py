"""The role × URL table: every URL name of the portal, asked by every role, and what each gets.

ROLE_TABLE has one row per URL name of our own namespaces (portal, neighborhoods, notices,
volunteers) and per named pattern of the root URLconf (healthz). A row says how to build
the URL's kwargs from the object graph below and what each role gets:

    200, 400, 403, 404, 405   that status (400: an empty form came back with its errors,
                              i.e. the role got past every check)
    LOGIN                     a redirect to the sign-in page (with ?next=)
    to("/path/{key}/")        a redirect to exactly that path ({key}: a pk of the graph)

Roles: anonymous; stranger (signed in, linked to nothing); resident (linked to 公交新村
1号 302); huyun (committee staff of 公交新村); yangying (committee staff of 定海港路, another
neighbourhood); centre (a 睦邻中心 staff member, no worker profile); admin (district admin);
volunteer (an approved volunteer of 公交新村 and the centre, linked to a flat of their own,
helping the daily watch of 1号 302). A row that names no outcome for the volunteer expects
what the resident gets: outside the volunteers' pages a volunteer is a resident.

Views that accept GET are asked with GET; POST-only views with an empty POST (and every
POST-only view must answer 405 to GET). Each (url name, role) is one test case, so a
failure names both. test_it_has_a_row_for_every_url_name fails when a URL name has no row.

To add a row for a new URL name:

1. If it needs an object the graph lacks, create it in build_graph() and add its pk to
   the returned dict under a new key.
2. Add `"<namespace>:<name>": row({"pk": "<key>"}, method=..., query=..., **GATE, ...)`
   to ROLE_TABLE, next to its neighbours. Every role must be given an outcome; the GATE
   presets spell out the usual answers for the roles a decorator turns away.
3. Run `pytest tests/test_role_table.py -k <name>`.

The graph is built once per module (committed inside an outer transaction that is rolled
back when the module ends); each case runs in its own savepoint (pytest-django's `db`), so
a POST that writes does not change what the next case sees.
"""

import datetime
from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest
import time_machine
from django.conf import settings
from django.db import transaction
from django.shortcuts import resolve_url
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from neighborhoods.activities.services import activity_create, signup_create
from neighborhoods.care.services import need_raise
from neighborhoods.family.services import family_grant_add
from neighborhoods.models import (
    AidItem,
    AidPoint,
    AidUnit,
    Centre,
    CentreStaff,
    Facility,
    FamilyGrant,
    JobHeartbeat,
    LinkRequest,
    Loan,
    Need,
    WatchAlert,
)
from neighborhoods.models.projects import Project
from neighborhoods.registerio.services import upload_store
from neighborhoods.rental.services import loan_request
from neighborhoods.votes.services import vote_open
from neighborhoods.watch.services import watch_mark
from notices.board.services import notice_create
from notices.hall.services import suggestion_create, topic_create
from notices.models import Guide, GuideQuestion
from portal.files import private_storage
from portal.messaging import send
from tests import conftest as personas
from tests import factories as f
from tests.images import image_bytes, image_upload, upload
from tests.neighborhoods.import_helpers import xlsx_bytes
from tests.neighborhoods.visit_factories import VisitFactory
from tests.neighborhoods.watch_helpers import enrol
from tests.notices.topic_fixtures import png_upload
from tests.pdfs import pdf_bytes

OUR_NAMESPACES = {"portal", "neighborhoods", "notices", "volunteers"}
ROLES = ["anonymous", "stranger", "resident", "huyun", "yangying", "centre", "admin", "volunteer"]
LOGIN = "login"


@dataclass(frozen=True)
class Redirect:
    target: str  # a path, with {key} for a pk of the graph


def to(target):
    return Redirect(target)


@dataclass(frozen=True)
class Row:
    expect: dict
    kwargs: dict = field(default_factory=dict)  # URL kwarg -> key of the graph's pks
    method: str = "get"
    query: str = ""  # appended after "?", with {key} for a pk of the graph


def row(kwargs=None, *, method="get", query="", **expect):
    if "volunteer" not in expect and "resident" in expect:
        expect["volunteer"] = expect["resident"]
    missing = set(ROLES) - set(expect)
    unknown = set(expect) - set(ROLES)
    assert not missing and not unknown, f"roles missing {missing}, unknown {unknown}"
    return Row(expect=expect, kwargs=kwargs or {}, method=method, query=query)


# What the decorators answer before a view looks at anything: the rest is per row.
STAFF_GATE = {"anonymous": LOGIN, "stranger": 403, "resident": 403, "centre": 403}  # staff_required
ME = to("/me/")  # resident_required sends accounts without a household to /me/ to link one
RESIDENT_GATE = {
    "anonymous": LOGIN, "stranger": ME, "huyun": ME, "yangying": ME, "centre": ME, "admin": ME,
}  # fmt: skip


def everyone(outcome):
    """Every role but the volunteer, who gets the resident's outcome unless a row says."""
    return dict.fromkeys([role for role in ROLES if role != "volunteer"], outcome)


def signed_in(outcome):
    return {**everyone(outcome), "anonymous": LOGIN}


# The 公交新村 objects: their staff (huyun) and admins get through; yangying gets a 404.
GJXC_STAFF = {**STAFF_GATE, "huyun": 200, "yangying": 404, "admin": 200}
# A page about no one object, for any staff.
ANY_STAFF = {**STAFF_GATE, "huyun": 200, "yangying": 200, "admin": 200}
# The residents-only notice of 公交新村: its residents and staff read it; visitors sign in.
GJXC_RESIDENTS = {**everyone(404), "anonymous": LOGIN, "resident": 200, "huyun": 200, "admin": 200}
# An activity of the centre that `centre` staffs: its staff and admins run it.
RUNS_IT = {**everyone(404), "anonymous": LOGIN, "centre": 200, "admin": 200}
POST = "post"
# Rental points: committee staff, centre staff and admins (any_staff_required).
POINT_GATE = {"anonymous": LOGIN, "stranger": 403, "resident": 403}
ANY_POINT_STAFF = {**POINT_GATE, "huyun": 200, "yangying": 200, "centre": 200, "admin": 200}
GJXC_POINT = {**POINT_GATE, "huyun": 200, "yangying": 404, "centre": 404, "admin": 200}
GJXC_POINT_STEP = {**POINT_GATE, "yangying": 404, "centre": 404}
LOAN = to("/services/aids/loans/{loan}/")


def ITS_RESIDENTS_AND_STAFF(outcome):  # noqa: N802 - reads as the presets above
    """A 公交新村 object of its residents and staff (a vote of the resident's building)."""
    return {**everyone(404), "anonymous": LOGIN, "resident": outcome, "huyun": outcome,
            "admin": outcome, "volunteer": 404}  # fmt: skip


# The volunteers' staff (committee staff, centre staff, admins); residents and volunteers 403.
VOLUNTEER_STAFF = {**STAFF_GATE, "huyun": 200, "yangying": 200, "centre": 200, "admin": 200,
                   "volunteer": 403}  # fmt: skip
# Approved volunteers only (volunteer_required).
VOLUNTEER_ONLY = {**everyone(403), "anonymous": LOGIN, "volunteer": 200}
SHIFT = to("/volunteers/shifts/{shift}/")

ROLE_TABLE = {
    # portal/urls.py
    "portal:home": row(**everyone(200)),
    "portal:me": row(**signed_in(200)),
    "portal:my-data": row(**signed_in(200)),
    "portal:account-close": row(**signed_in(200)),
    "portal:link-request-new": row(method=POST, **signed_in(400)),
    "portal:name-change": row(method=POST, **signed_in(400)),
    "portal:text-size": row(method=POST, **everyone(to("/"))),
    # The inbox: each person their own messages only (another's is a 404).
    "portal:inbox": row(**signed_in(200)),
    "portal:inbox-message": row(
        {"pk": "message"},
        **{**everyone(404), "anonymous": LOGIN, "resident": 200, "volunteer": 404},
    ),
    "portal:inbox-read": row(method=POST, **signed_in(to("/me/inbox/"))),
    "portal:inbox-read-all": row(method=POST, **signed_in(to("/me/inbox/"))),
    "portal:inbox-settings": row(**signed_in(200)),
    # The figures: admins the district, committee staff their own neighbourhood.
    "portal:dashboard": row(**ANY_STAFF),
    "portal:dashboard-neighbourhood": row({"pk": "gjxc"}, **GJXC_STAFF),
    "portal:dashboard-help": row(**ANY_STAFF),
    "healthz": row(**everyone(200)),
    # volunteers/urls.py: opportunities and shifts are public to read
    "volunteers:opportunity-list": row(**everyone(200)),
    "volunteers:opportunity-detail": row({"pk": "opportunity"}, **everyone(200)),
    "volunteers:shift-detail": row({"pk": "shift"}, **everyone(200)),
    # Anyone signed in may try; the service refuses who is not a volunteer (a message).
    "volunteers:shift-signup": row({"pk": "shift"}, method=POST, **signed_in(SHIFT)),
    "volunteers:shift-cancel": row({"pk": "shift"}, method=POST, **signed_in(SHIFT)),
    # The past shift's attendance: its centre's staff, admins, and its leader (the volunteer).
    "volunteers:shift-attendance": row(
        {"pk": "past_shift"},
        **everyone(404) | {"anonymous": LOGIN, "centre": 200, "admin": 200, "volunteer": 200},
    ),  # fmt: skip
    "volunteers:application-create": row(
        **RESIDENT_GATE, resident=200, volunteer=to("/volunteers/me/")
    ),
    "volunteers:application-list": row(**VOLUNTEER_STAFF),
    # The pending application is for 公交新村: its committee decides.
    "volunteers:application-decide": row(
        {"pk": "application"}, **{**VOLUNTEER_STAFF, "yangying": 404, "centre": 404}
    ),
    "volunteers:me": row(**signed_in(200)),
    "volunteers:record-create": row(**VOLUNTEER_ONLY),
    "volunteers:record-queue": row(**VOLUNTEER_STAFF),
    # The record is the centre's (an attended shift): an empty POST is a form error there.
    "volunteers:record-decide": row(
        {"pk": "record"},
        method=POST,
        **{**VOLUNTEER_STAFF, "huyun": 404, "yangying": 404, "centre": 400, "admin": 400},
    ),  # fmt: skip
    "volunteers:hours-export": row(**VOLUNTEER_STAFF),
    "volunteers:recognition-list": row(**VOLUNTEER_STAFF),
    "volunteers:certificate-issue": row(
        method=POST,
        **{**VOLUNTEER_ONLY, "volunteer": to("/volunteers/certificates/{certificate}/print/")},
    ),  # fmt: skip
    "volunteers:certificate-check": row({"code": "certificate"}, **everyone(200)),
    # The printable certificate: its volunteer and the staff of its centre and neighbourhood.
    "volunteers:certificate-print": row(
        {"code": "certificate"},
        **everyone(404)
        | {"anonymous": LOGIN, "huyun": 200, "centre": 200, "admin": 200, "volunteer": 200},
    ),  # fmt: skip
    "healthz-watch": row(**everyone(200)),
    # neighborhoods: the register
    "neighborhoods:staff-home": row(**ANY_STAFF),
    # Committee staff keep their own profile; an admin is sent to the Django admin.
    "neighborhoods:worker-profile": row(
        **ANY_STAFF | {"admin": to("/admin/neighborhoods/communityworker/")}
    ),
    "neighborhoods:household-list": row(**ANY_STAFF),
    "neighborhoods:household-detail": row({"pk": "household"}, **GJXC_STAFF),
    # Register upkeep: the household's staff (and admins) add and edit; GET shows the form.
    "neighborhoods:household-create": row(**ANY_STAFF),
    "neighborhoods:household-edit": row({"pk": "household"}, **GJXC_STAFF),
    "neighborhoods:household-history": row({"pk": "household"}, **GJXC_STAFF),
    "neighborhoods:resident-create": row({"pk": "household"}, **GJXC_STAFF),
    "neighborhoods:resident-move-in": row({"pk": "household"}, **GJXC_STAFF),
    "neighborhoods:resident-edit": row({"pk": "resident_record"}, **GJXC_STAFF),
    "neighborhoods:resident-move-out": row({"pk": "resident_record"}, **GJXC_STAFF),
    "neighborhoods:resident-death": row({"pk": "resident_record"}, **GJXC_STAFF),
    # Zones: directors only (huyun and yangying are 居委会主任; an admin uses Django admin).
    # An empty POST means "no zone" / "no one": it is done, and back to the zones.
    "neighborhoods:zone-list": row(**STAFF_GATE, huyun=200, yangying=200, admin=403),
    "neighborhoods:zone-building-move": row(
        {"pk": "building"},
        method=POST,
        **STAFF_GATE,
        huyun=to("/staff/zones/"),
        yangying=404,
        admin=403,
    ),
    "neighborhoods:zone-worker": row(
        {"pk": "zone"},
        method=POST,
        **STAFF_GATE,
        huyun=to("/staff/zones/"),
        yangying=404,
        admin=403,
    ),
    # The import and export of the register; an upload is its uploader's alone (huyun's).
    "neighborhoods:household-import": row(**ANY_STAFF),
    "neighborhoods:household-import-preview": row(
        {"token": "import_token"}, **STAFF_GATE, huyun=200, yangying=404, admin=404
    ),
    # An empty POST lacks "confirm": the preview again, with an error; nothing imported.
    "neighborhoods:household-import-confirm": row(
        {"token": "import_token"}, method=POST, **STAFF_GATE, huyun=400, yangying=404, admin=404
    ),
    "neighborhoods:household-export": row(**ANY_STAFF),
    "neighborhoods:link-request-list": row(**ANY_STAFF),
    "neighborhoods:link-request-decide": row({"pk": "link_request"}, **GJXC_STAFF),
    # neighborhoods: visits and needs
    # Consent votes (业主表决): the vote of 公交新村 1号, the resident's building. Its page
    # (totals) for its residents and the neighbourhood's staff; the roll for the staff only.
    # An empty ballot or paper form comes back with its errors (400).
    "neighborhoods:vote-detail": row({"pk": "vote"}, **ITS_RESIDENTS_AND_STAFF(200)),
    "neighborhoods:vote-ballot": row({"pk": "vote"}, method=POST, **ITS_RESIDENTS_AND_STAFF(400)),
    "neighborhoods:vote-list": row(**ANY_STAFF),
    "neighborhoods:vote-create": row(**ANY_STAFF),
    "neighborhoods:vote-manage": row({"pk": "vote"}, **GJXC_STAFF),
    "neighborhoods:vote-paper": row(
        {"pk": "vote"}, method=POST, **GJXC_STAFF | {"huyun": 400, "admin": 400}
    ),
    "neighborhoods:visit-create": row(**ANY_STAFF),
    "neighborhoods:visit-detail": row({"pk": "visit"}, **GJXC_STAFF),
    # Only its author corrects a visit (for 24 hours); an admin is sent to the visit.
    "neighborhoods:visit-edit": row(
        {"pk": "visit"}, **GJXC_STAFF | {"admin": to("/staff/visits/{visit}/")}
    ),
    "neighborhoods:visit-addendum": row(
        {"pk": "visit"}, method=POST, **GJXC_STAFF | {"huyun": 400, "admin": 400}
    ),
    "neighborhoods:need-list": row(**ANY_STAFF),
    "neighborhoods:need-create": row(query="household={household}", **GJXC_STAFF),
    "neighborhoods:need-detail": row({"pk": "need"}, **GJXC_STAFF),
    "neighborhoods:need-take": row(
        {"pk": "need"},
        method=POST,
        **GJXC_STAFF | {"huyun": to("/staff/needs/{need}/"), "admin": to("/staff/needs/{need}/")},
    ),
    "neighborhoods:need-note": row(
        {"pk": "need"}, method=POST, **GJXC_STAFF | {"huyun": 400, "admin": 400}
    ),
    "neighborhoods:need-resolve": row(
        {"pk": "need"}, method=POST, **GJXC_STAFF | {"huyun": 400, "admin": 400}
    ),
    "neighborhoods:need-refer": row(
        {"pk": "need"}, method=POST, **GJXC_STAFF | {"huyun": 400, "admin": 400}
    ),
    "neighborhoods:need-photo": row({"pk": "need"}, **GJXC_STAFF),
    "neighborhoods:my-need-list": row(**RESIDENT_GATE, resident=200),
    "neighborhoods:my-need-create": row(**RESIDENT_GATE, resident=200),
    # Referrals that come back: the need in the graph is open, not referred, so recording a
    # reply or re-opening it is refused with a message, back to the need's page.
    "neighborhoods:need-reply": row(
        {"pk": "need"},
        method=POST,
        **GJXC_STAFF | {"huyun": to("/staff/needs/{need}/"), "admin": to("/staff/needs/{need}/")},
    ),
    "neighborhoods:need-reopen": row(
        {"pk": "need"},
        method=POST,
        **GJXC_STAFF | {"huyun": to("/staff/needs/{need}/"), "admin": to("/staff/needs/{need}/")},
    ),
    # Family members (家属): anyone signed in has the page (a son in 浦东 is linked to no
    # household); the grant in the graph is of the resident's household, held by "son".
    "neighborhoods:my-family": row(**signed_in(200)),
    "neighborhoods:my-family-revoke": row(
        {"pk": "family_grant"},
        method=POST,
        **everyone(404) | {"anonymous": LOGIN, "resident": to("/me/family/"), "volunteer": 404},
    ),
    "neighborhoods:household-family-add": row(
        {"pk": "household"}, method=POST, **GJXC_STAFF | {"huyun": 400, "admin": 400}
    ),
    "neighborhoods:household-family-revoke": row(
        {"pk": "household", "grant_pk": "family_grant"},
        method=POST,
        **GJXC_STAFF
        | {
            "huyun": to("/staff/households/{household}/#family"),
            "admin": to("/staff/households/{household}/#family"),
        },
    ),
    "neighborhoods:my-need-photo": row(
        {"pk": "need"}, **RESIDENT_GATE, resident=200, volunteer=404
    ),  # another household's photo
    # neighborhoods: the daily watch
    "neighborhoods:watch-board": row(**ANY_STAFF),
    "neighborhoods:watch-volunteers": row(**ANY_STAFF),
    "neighborhoods:watch-volunteer-remove": row(
        {"pk": "assignment"},
        method=POST,
        **GJXC_STAFF
        | {"huyun": to("/staff/watch/volunteers/"), "admin": to("/staff/watch/volunteers/")},
    ),  # fmt: skip
    # A volunteer's own households: only approved volunteers (others 403); an empty POST is
    # not a tap (400).
    "neighborhoods:volunteer-watch": row(**VOLUNTEER_ONLY),
    "neighborhoods:volunteer-watch-mark": row(
        {"pk": "enrolment"}, method=POST, **VOLUNTEER_ONLY | {"volunteer": 400}
    ),
    "neighborhoods:watch-mark": row(
        {"pk": "enrolment"}, method=POST, **GJXC_STAFF | {"huyun": 400, "admin": 400}
    ),
    "neighborhoods:alert-detail": row({"pk": "alert"}, **GJXC_STAFF),
    # An empty step or close form: the page again, with the error next to the field.
    "neighborhoods:alert-step-create": row(
        {"pk": "alert"}, method=POST, **GJXC_STAFF | {"huyun": 400, "admin": 400}
    ),
    "neighborhoods:alert-close": row(
        {"pk": "alert"}, method=POST, **GJXC_STAFF | {"huyun": 400, "admin": 400}
    ),
    "neighborhoods:watch-enrol": row(
        {"pk": "household"}, method=POST, **GJXC_STAFF | {"huyun": 400, "admin": 400}
    ),
    # Leaving the watch asks why first (a confirmation page); undo is for one day after.
    "neighborhoods:watch-unenrol": row({"pk": "household"}, **GJXC_STAFF),
    "neighborhoods:watch-resume": row(
        {"pk": "household"},
        method=POST,
        **GJXC_STAFF
        | {
            "huyun": to("/staff/households/{household}/#watch"),
            "admin": to("/staff/households/{household}/#watch"),
        },
    ),
    "neighborhoods:map": row(**ANY_STAFF),
    # neighborhoods: centres, their projects and talents (public); the 1510 picture (admins)
    "neighborhoods:centre-list": row(**everyone(200)),
    "neighborhoods:centre-detail": row({"pk": "centre"}, **everyone(200)),
    "neighborhoods:centre-coverage": row(**signed_in(403) | {"admin": 200}),
    "neighborhoods:project-list": row(**everyone(200)),
    "neighborhoods:project-detail": row({"pk": "project"}, **everyone(200)),
    "neighborhoods:talent-list": row(**everyone(200)),
    # neighborhoods: activities (public to read; anyone signed in takes part in this one)
    "neighborhoods:activity-list": row(**everyone(200)),
    "neighborhoods:activity-detail": row({"pk": "activity"}, **everyone(200)),
    "neighborhoods:activity-photo": row({"pk": "activity"}, **everyone(200)),
    "neighborhoods:activity-photo-thumb": row({"pk": "activity"}, **everyone(200)),
    "neighborhoods:activity-calendar": row({"pk": "activity"}, **everyone(200)),
    "neighborhoods:centre-calendar": row({"pk": "centre"}, **everyone(200)),
    "neighborhoods:neighbourhood-calendar": row({"pk": "gjxc"}, **everyone(200)),
    "neighborhoods:activity-signup": row(
        {"pk": "activity"}, method=POST, **signed_in(to("/activities/{activity}/"))
    ),
    "neighborhoods:activity-cancel": row(
        {"pk": "activity"}, method=POST, **signed_in(to("/activities/{activity}/"))
    ),
    # Running them: the centre's own staff and district admins; everyone else a 404.
    "neighborhoods:centre-manage": row({"pk": "centre"}, **RUNS_IT),
    "neighborhoods:centre-activity-create": row({"pk": "centre"}, **RUNS_IT),
    "neighborhoods:activity-manage": row({"pk": "activity"}, **RUNS_IT),
    "neighborhoods:activity-edit": row({"pk": "activity"}, **RUNS_IT),
    "neighborhoods:activity-call-off": row({"pk": "activity"}, **RUNS_IT),
    "neighborhoods:activity-checkin": row({"pk": "activity"}, **RUNS_IT),
    "neighborhoods:activity-sheet": row({"pk": "activity"}, **RUNS_IT),
    "neighborhoods:activity-signups-csv": row({"pk": "activity"}, **RUNS_IT),
    # No resident chosen: back to the sign-ups, with "choose a resident from the search first".
    "neighborhoods:activity-signup-behalf": row(
        {"pk": "activity"},
        method=POST,
        **RUNS_IT
        | {
            "centre": to("/activities/{activity}/manage/"),
            "admin": to("/activities/{activity}/manage/"),
        },
    ),
    "neighborhoods:activity-signup-withdraw": row(
        {"pk": "activity", "signup_pk": "signup"},
        method=POST,
        **RUNS_IT
        | {
            "centre": to("/activities/{activity}/manage/"),
            "admin": to("/activities/{activity}/manage/"),
        },
    ),
    # A committee's own activities: its staff (an admin creates them in Django admin).
    "neighborhoods:staff-activity-list": row(**ANY_STAFF),
    # Services: facilities (public; kept by their neighbourhood's staff; admins use Django
    # admin to add one) and rehab-aid rental (public catalogue; loans for the points' staff).
    "neighborhoods:facility-list": row(**everyone(200)),
    "neighborhoods:staff-facility-list": row(**ANY_STAFF),
    "neighborhoods:facility-create": row(**STAFF_GATE, huyun=200, yangying=200, admin=403),
    "neighborhoods:facility-edit": row({"pk": "facility"}, **GJXC_STAFF),
    "neighborhoods:aid-list": row(**everyone(200)),
    "neighborhoods:aid-detail": row({"pk": "aid_item"}, **everyone(200)),
    "neighborhoods:aid-request": row(
        {"pk": "aid_item"}, method=POST, **RESIDENT_GATE, resident=400
    ),
    # The resident's own loan (at the 公交新村 committee's point).
    "neighborhoods:my-loan-detail": row(
        {"pk": "loan"}, **{**signed_in(404), "resident": 200, "volunteer": 404}
    ),
    "neighborhoods:my-loan-cancel": row(
        {"pk": "loan"},
        method=POST,
        **{**signed_in(404), "resident": to("/me/loans/{loan}/"), "volunteer": 404},
    ),
    # The points' staff: committee staff, centre staff and admins reach the queue; a loan of
    # 公交新村's point is its staff's (another committee's or a centre's staff get a 404).
    "neighborhoods:loan-list": row(**ANY_POINT_STAFF),
    "neighborhoods:loan-create": row(**ANY_STAFF),
    "neighborhoods:loan-detail": row({"pk": "loan"}, **GJXC_POINT),
    # An empty approval is refused (no one confirmed the doctor's note): back to the loan.
    "neighborhoods:loan-approve": row(
        {"pk": "loan"}, method=POST, **GJXC_POINT_STEP, huyun=LOAN, admin=LOAN
    ),
    "neighborhoods:loan-reject": row(
        {"pk": "loan"}, method=POST, **GJXC_POINT_STEP, huyun=400, admin=400
    ),
    "neighborhoods:loan-lend": row(
        {"pk": "loan"}, method=POST, **GJXC_POINT_STEP, huyun=LOAN, admin=LOAN
    ),
    "neighborhoods:loan-return": row(
        {"pk": "loan"}, method=POST, **GJXC_POINT_STEP, huyun=400, admin=400
    ),
    "neighborhoods:loan-renew": row(
        {"pk": "loan"}, method=POST, **GJXC_POINT_STEP, huyun=LOAN, admin=LOAN
    ),
    "neighborhoods:loan-cancel": row(
        {"pk": "loan"}, method=POST, **GJXC_POINT_STEP, huyun=LOAN, admin=LOAN
    ),
    "neighborhoods:aid-unit-update": row(
        {"pk": "aid_unit"},
        method=POST,
        **GJXC_POINT_STEP,
        huyun=to("/staff/aids/"),
        admin=to("/staff/aids/"),
    ),
    "neighborhoods:centre-aid-stock": row({"pk": "centre"}, **RUNS_IT),
    "neighborhoods:staff-aid-stock": row(**STAFF_GATE, huyun=200, yangying=200, admin=403),
    "neighborhoods:staff-activity-create": row(**ANY_STAFF | {"admin": to("/staff/activities/")}),
    # notices: notices and news
    "notices:notice-list": row(**everyone(200)),
    "notices:notice-create": row(**ANY_STAFF),
    "notices:notice-feed": row(**everyone(200)),
    "notices:notice-follow": row(**signed_in(200)),
    "notices:notice-detail": row({"pk": "private_notice"}, **GJXC_RESIDENTS),
    "notices:notice-edit": row({"pk": "notice"}, **GJXC_STAFF),
    "notices:notice-poster": row({"pk": "private_notice"}, **GJXC_RESIDENTS),
    "notices:notice-reads": row({"pk": "notice"}, **GJXC_STAFF),
    "notices:notice-read": row(
        {"pk": "private_notice"},
        method=POST,
        **{
            **GJXC_RESIDENTS,
            "resident": to("/notices/{private_notice}/"),
            "huyun": to("/notices/{private_notice}/"),
            "admin": to("/notices/{private_notice}/"),
        },
    ),
    "notices:notice-image": row(
        {"pk": "private_notice", "image_pk": "notice_image"}, **GJXC_RESIDENTS
    ),
    "notices:notice-image-thumb": row(
        {"pk": "private_notice", "image_pk": "notice_image"}, **GJXC_RESIDENTS
    ),
    "notices:notice-attachment": row(
        {"pk": "private_notice", "attachment_pk": "notice_attachment"}, **GJXC_RESIDENTS
    ),
    # notices: the discussion hall (topics are public to read)
    "notices:topic-list": row(**everyone(200)),
    "notices:topic-create": row(**ANY_STAFF),
    "notices:topic-detail": row({"pk": "topic"}, **everyone(200)),
    "notices:topic-image": row({"pk": "topic", "image_pk": "topic_image"}, **everyone(200)),
    "notices:topic-image-thumb": row({"pk": "topic", "image_pk": "topic_image"}, **everyone(200)),
    "notices:suggestion-photo": row({"pk": "suggestion"}, **everyone(200)),
    "notices:suggestion-photo-thumb": row({"pk": "suggestion"}, **everyone(200)),
    # Taking part is for residents of the topic's neighbourhood only.
    "notices:suggestion-create": row(
        {"pk": "topic"}, method=POST, **signed_in(403) | {"resident": 400}
    ),
    "notices:suggestion-support": row(
        {"pk": "suggestion"},
        method=POST,
        **signed_in(403) | {"resident": to("/topics/{topic}/#suggestion-{suggestion}")},
    ),
    "notices:topic-close": row({"pk": "topic"}, **GJXC_STAFF),
    "notices:suggestion-reply": row(
        {"pk": "suggestion"}, method=POST, **GJXC_STAFF | {"huyun": 400, "admin": 400}
    ),
    "notices:suggestion-hide": row(
        {"pk": "suggestion"}, method=POST, **GJXC_STAFF | {"huyun": 400, "admin": 400}
    ),
    "notices:suggestion-unhide": row(
        {"pk": "suggestion"},
        method=POST,
        **GJXC_STAFF
        | {
            "huyun": to("/topics/{topic}/#suggestion-{suggestion}"),
            "admin": to("/topics/{topic}/#suggestion-{suggestion}"),
        },
    ),
    # notices: guides (办事指南); a district-wide guide's questions are answered by the
    # staff of the asker's neighbourhood (the resident's: 公交新村), not by other
    # neighbourhoods' staff. The queue lists the questions each staff member answers.
    "notices:service-list": row(**everyone(200)),
    "notices:guide-detail": row({"pk": "guide"}, **everyone(200)),
    "notices:guide-question-create": row({"pk": "guide"}, method=POST, **signed_in(400)),
    "notices:guide-question-answer": row(
        {"pk": "question"}, method=POST, **STAFF_GATE, huyun=400, yangying=404, admin=400
    ),
    "notices:question-queue": row(**ANY_STAFF),
}


def our_url_names():
    """Every URL name of our namespaces, and the named patterns of the root URLconf itself
    (healthz); not admin's, allauth's or i18n's."""
    names = set()

    def walk(patterns, namespaces):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = [*namespaces, pattern.namespace] if pattern.namespace else namespaces
                walk(pattern.url_patterns, inner)
            elif pattern.name and namespaces and namespaces[0] in OUR_NAMESPACES:
                names.add(":".join([*namespaces, pattern.name]))

    root = get_resolver()
    walk(root.url_patterns, [])
    names |= {p.name for p in root.url_patterns if isinstance(p, URLPattern) and p.name}
    return names


def test_it_has_a_row_for_every_url_name():
    names = our_url_names()
    missing = sorted(names - ROLE_TABLE.keys())
    stale = sorted(ROLE_TABLE.keys() - names)
    assert not missing, (
        f"URL names without a row in ROLE_TABLE ({__name__}): {', '.join(missing)}. "
        "Add a row per name: see the module docstring."
    )
    assert not stale, f"rows for URL names that no longer exist: {', '.join(stale)}"


# --- The object graph, built once per module --------------------------------------------


def build_graph():
    """The personas of tests/conftest.py, and one of each object a URL takes, in 公交新村."""
    places = personas.build_places()
    huyun = personas.build_huyun(places)
    yangying = personas.build_yangying(places)
    household = personas.build_gjxc_household(places)
    personas.build_dhg_household(places)
    resident = personas.build_resident(household)
    neighbour = f.linked_resident(places["gjxc"], "neighbour", "401", "王芳")
    centre_user = f.UserFactory(username="centre", first_name="凌")
    centre = Centre.objects.create(subdistrict=places["gjxc"].subdistrict, name="四平睦邻中心")
    CentreStaff.objects.create(centre=centre, user=centre_user)
    applicant = f.UserFactory(username="applicant", first_name="张建华")
    link_request = LinkRequest.objects.create(
        user=applicant, neighbourhood=places["gjxc"], building="1号", room="302", name="张建华"
    )
    visit = VisitFactory(household=household, staff=huyun, when=timezone.now())
    need = need_raise(
        household=household,
        by=resident,
        via=Need.Via.RESIDENT,
        category=Need.Category.HOUSING,
        description="厨房水管漏水",
        photo=image_upload(exif=False),
    )
    enrolment = enrol(household)
    # A day check can be marked from 06:00: mark it at a fixed hour, whatever the clock says.
    with time_machine.travel(timezone.localtime().replace(hour=9, minute=30), tick=False):
        check = watch_mark(enrolment=enrolment, kind="day", status="not_seen", by=huyun)
    # The alert job has just run (as every 5 minutes): /healthz/watch answers 200.
    JobHeartbeat.objects.create(
        name="open_watch_alerts", last_started=timezone.now(), last_succeeded=timezone.now()
    )
    alert = WatchAlert.objects.get(watch_check=check)
    import_upload = upload_store(
        user=huyun,
        neighbourhood=places["gjxc"],
        upload=upload("花名册.xlsx", xlsx_bytes([["1号", "303", "钱八"]])),
    )
    fields = {"title": "二号楼水箱清洗通知", "body": "本周六对二号楼水箱进行清洗。"}
    notice = notice_create(author=huyun, scope=places["gjxc"], fields=fields)
    private_notice = notice_create(
        author=huyun,
        scope=places["gjxc"],
        fields={"title": "居民代表会议", "body": "周五晚七点。", "audience": "residents"},
        images=[upload("photo.jpg", image_bytes())],
        attachments=[upload("议程.pdf", pdf_bytes(), "application/pdf")],
    )
    topic = topic_create(
        neighbourhood=places["gjxc"],
        opened_by=huyun,
        title="如何设计一个更让人满意的花园",
        background="红屋顶花园即将修葺，请大家出主意。",
        deadline=timezone.localdate() + datetime.timedelta(days=14),
        images=[png_upload()],
    )
    suggestion = suggestion_create(
        topic=topic, author=neighbour, text="多种一些月季，再放几张长椅。", photo=png_upload()
    )
    guide = Guide.objects.create(
        district=places["district"], title="加装电梯", body="第一步：征询意见。", published=True
    )
    question = GuideQuestion.objects.create(
        guide=guide, asker=resident, text="要几户同意？", neighbourhood=places["gjxc"]
    )
    # 公交新村 1号 (the resident's building, with the neighbour's flat): floor areas, a vote.
    household.building.households.update(floor_area="62.50")
    vote = vote_open(
        building=household.building,
        staircase="",
        question="是否同意1号楼加装电梯？",
        details="",
        deadline=timezone.now() + datetime.timedelta(days=14),
        guide=guide,
        by=huyun,
    )
    activity = activity_create(
        created_by=centre_user,
        photo=image_upload(exif=False),
        centre=centre,
        title="家庭急救小课堂",
        category="health",
        starts_at=timezone.now() + datetime.timedelta(days=3),
        ends_at=timezone.now() + datetime.timedelta(days=3, hours=2),
        place="多功能厅",
        capacity=20,
    )
    signup = signup_create(activity=activity, user=resident)
    aid_item = AidItem.objects.create(kind="wheelchair", name="轮椅")
    aid_point = AidPoint.objects.create(neighbourhood=places["gjxc"])
    aid_unit = AidUnit.objects.create(item=aid_item, point=aid_point, code="GJXC-LY-01")
    loan = loan_request(
        item=aid_item,
        point=aid_point,
        resident=resident.resident_record,
        by=resident,
        basis=Loan.Basis.DISCHARGED,
    )
    facility = Facility.objects.create(
        neighbourhood=places["gjxc"], kind="park", name="红屋顶花园", address="四平路1028弄"
    )
    family_grant = family_grant_add(
        household=household,
        member=f.UserFactory(username="son", first_name="周强"),
        by=resident,
        via=FamilyGrant.Via.RESIDENT,
    )
    project = Project.objects.create(
        title="红屋顶花园", year=timezone.localdate().year, neighbourhood=places["gjxc"]
    )
    (message,) = send(
        "topic_outcome",
        [resident],
        {"neighbourhood": "公交新村居民区", "title": "花园", "outcome": "九月动工。"},
        url=f"/topics/{topic.pk}/",
    )
    volunteers = build_volunteers(places, centre, centre_user, enrolment, huyun)
    users = {
        "volunteer": volunteers.pop("volunteer"),
        "stranger": personas.build_stranger(),
        "resident": resident,
        "huyun": huyun,
        "yangying": yangying,
        "centre": centre_user,
        "admin": personas.build_admin(),
    }
    pks = {
        "household": household.pk,
        "resident_record": household.residents.get(name="周秀英").pk,
        "building": household.building_id,
        "zone": household.building.zone_id,
        "link_request": link_request.pk,
        "visit": visit.pk,
        "need": need.pk,
        "enrolment": enrolment.pk,
        "alert": alert.pk,
        "notice": notice.pk,
        "private_notice": private_notice.pk,
        "notice_image": private_notice.images.get().pk,
        "notice_attachment": private_notice.attachments.get().pk,
        "topic": topic.pk,
        "topic_image": topic.images.get().pk,
        "suggestion": suggestion.pk,
        "guide": guide.pk,
        "question": question.pk,
        "vote": vote.pk,
        "centre": centre.pk,
        "project": project.pk,
        "activity": activity.pk,
        "signup": signup.pk,
        "family_grant": family_grant.pk,
        "gjxc": places["gjxc"].pk,
        "import_token": import_upload.token,
        "aid_item": aid_item.pk,
        "aid_unit": aid_unit.pk,
        "loan": loan.pk,
        "facility": facility.pk,
        "message": message.pk,
        **volunteers,
    }
    files = [need.photo, suggestion.photo, suggestion.thumbnail]
    files += [field for image in topic.images.all() for field in (image.image, image.thumbnail)]
    files += [
        field for image in private_notice.images.all() for field in (image.image, image.thumbnail)
    ]
    files += [attachment.file for attachment in private_notice.attachments.all()]
    files += [
        SimpleNamespace(storage=private_storage(), name=name)
        for name in (import_upload.data_name, import_upload.meta_name)
    ]
    return users, pks, files


def build_volunteers(places, centre, centre_user, enrolment, huyun):
    """凌建梅 approved at 公交新村 and the centre; a coming shift she signed up for, a past one
    she led and attended (its record waits for the centre), her certificate, her watch
    household; and a pending application at 公交新村."""
    from neighborhoods.models import WatchAssignment
    from volunteers.models import Opportunity, Shift, VolunteerProfile
    from volunteers.recognitions.services import certificate_issue
    from volunteers.shifts.services import attendance_mark, shift_signup

    volunteer = f.linked_resident(places["gjxc"], "volunteer", "501", "凌建梅")
    VolunteerProfile.objects.create(
        user=volunteer, status="approved", neighbourhood=places["gjxc"], centre=centre
    )
    hopeful = f.linked_resident(places["gjxc"], "hopeful", "502", "钱志远")
    application = VolunteerProfile.objects.create(
        user=hopeful, neighbourhood=places["gjxc"], applied_at=timezone.now()
    )
    opportunity = Opportunity.objects.create(title="活动秩序维护", centre=centre)
    today = timezone.localdate()
    shift = Shift.objects.create(
        opportunity=opportunity, date=today + datetime.timedelta(days=3), starts=datetime.time(14),
        ends=datetime.time(17), place="二楼活动室", places_needed=4,
    )  # fmt: skip
    past = Shift.objects.create(
        opportunity=opportunity, date=today - datetime.timedelta(days=2), starts=datetime.time(14),
        ends=datetime.time(17), place="二楼活动室", places_needed=4, leader=volunteer,
    )  # fmt: skip
    shift_signup(shift=shift, volunteer=volunteer)
    with time_machine.travel(timezone.now() - datetime.timedelta(days=4)):
        past_signup = shift_signup(shift=past, volunteer=volunteer)
    attendance_mark(signup=past_signup, attendance="attended", by=centre_user)
    certificate = certificate_issue(volunteer=volunteer, year=today.year)
    assignment = WatchAssignment.objects.create(
        enrolment=enrolment, volunteer=volunteer, assigned_by=huyun
    )
    return {
        "volunteer": volunteer,
        "application": application.pk,
        "opportunity": opportunity.pk,
        "shift": shift.pk,
        "past_shift": past.pk,
        "record": past_signup.record.pk,
        "certificate": certificate.code,
        "assignment": assignment.pk,
    }


@pytest.fixture(scope="module")
def graph(django_db_setup, django_db_blocker):
    """(users, pks), built once for the module inside a transaction rolled back at its end.

    Each case's `db` fixture opens a savepoint inside it (pytest-django leaves room for
    higher-scoped transactions), so the cases see the graph and undo their own writes.
    The uploaded files are not in the transaction: they are deleted at the end.
    """
    with django_db_blocker.unblock():
        with transaction.atomic():
            users, pks, files = build_graph()
            yield users, pks
            transaction.set_rollback(True)
        for stored in files:
            stored.storage.delete(stored.name)


CASES = [
    pytest.param(name, role, id=f"{name} as {role}")
    for name in sorted(ROLE_TABLE)
    for role in ROLES
]


def url_for(name, pks):
    spec = ROLE_TABLE[name]
    url = reverse(name, kwargs={kwarg: pks[key] for kwarg, key in spec.kwargs.items()})
    return url + ("?" + spec.query.format(**pks) if spec.query else "")


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "role"), CASES)
def test_it_answers_each_role_as_the_table_says(client, graph, name, role):
    users, pks = graph
    if role != "anonymous":
        client.force_login(users[role])
    spec = ROLE_TABLE[name]
    expected = spec.expect[role]
    url = url_for(name, pks)
    response = getattr(client, spec.method)(url)
    where = f"{spec.method.upper()} {url} as {role}"
    if expected == LOGIN:
        assert response.status_code == 302, where
        assert response["Location"].startswith(resolve_url(settings.LOGIN_URL) + "?next="), where
    elif isinstance(expected, Redirect):
        assert response.status_code == 302, f"{where}: {response.status_code}"
        assert response["Location"] == expected.target.format(**pks), where
    else:
        assert response.status_code == expected, f"{where}: {response.status_code}"


POST_ONLY = sorted(name for name, spec in ROLE_TABLE.items() if spec.method == POST)


@pytest.mark.django_db
@pytest.mark.parametrize("name", POST_ONLY)
def test_it_refuses_get_on_post_only_views(client, graph, name):
    users, pks = graph
    client.force_login(users["admin"])
    assert client.get(url_for(name, pks)).status_code == 405
