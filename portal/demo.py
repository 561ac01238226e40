"""The demo accounts made by `manage.py seed_demo`: one for each role, one password for all.

Committee staff accounts are made with their worker records in neighborhoods/demo.py;
this module makes the others and links them to the register the demo built.
"""

from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.core.management import CommandError

from neighborhoods.models import Centre, CentreStaff, LinkRequest, Neighbourhood, Resident
from volunteers.models import VolunteerProfile

from .models import User
from .permissions import DISTRICT_ADMIN_GROUP


@dataclass(frozen=True)
class Home:
    """Where a demo person is registered, as a resident would type it when asking to link."""

    neighbourhood: str
    building: str
    room: str
    name: str


# 李女士 of the report: a busy 四平路 resident who has just gone 上云.
RESIDENT = ("resident", "李梅", "13817652208", Home("公交新村居民区", "1号", "302", "李梅"))
# The volunteer of the year at 文化佳园睦邻中心.
VOLUNTEER = ("volunteer", "凌建梅", "13761520938", Home("文化佳园居民区", "2号", "301", "凌建梅"))
VOLUNTEER_SKILLS = "维持秩序、协调人员"
CENTRE_STAFF = ("centre", "陆佳琪", "文化佳园睦邻中心", "项目社工")
# Two residents waiting in 胡云's 上云 queue: the first matches the register, the second
# names a flat where she is not registered, so staff must check before deciding.
APPLICANTS = [
    ("zhangjh", "张建华", "13901845726", Home("公交新村居民区", "1号", "402", "张建华")),
    ("chenxy", "陈晓燕", "13671932245", Home("公交新村居民区", "1号", "501", "陈晓燕")),
]


def ensure_account(username, full_name, password_hash, **fields):
    """Create or refresh one demo account, always with the demo password.

    A Chinese name is stored whole in first_name with last_name empty, so that
    get_full_name() reads "胡云" rather than "云 胡".
    """
    user, _ = User.objects.update_or_create(
        username=username,
        defaults={
            "first_name": full_name,
            "last_name": "",
            "password": password_hash,
            "is_active": True,
            **fields,
        },
    )
    return user


def ensure_staff_authenticators(usernames):
    """Every demo account that must use MFA (staff) gets a TOTP authenticator with the one
    demo secret (settings.DEMO_TOTP_SECRET, printed by seed_demo and `make run`), so that a
    newcomer can add it to any authenticator app and sign in. Returns how many were made."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP
    from django.conf import settings

    from portal.signin.mfa import needs_mfa

    made = 0
    for user in User.objects.filter(username__in=usernames):
        if not needs_mfa(user):
            continue
        if Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            continue
        TOTP.activate(user, settings.DEMO_TOTP_SECRET)
        made += 1
    return made


def ensure_accounts(password_hash, *, district):
    """Make sure every non-staff demo account exists; returns rows for the summary."""
    return [
        ensure_admin(password_hash),
        ensure_resident(password_hash, district),
        ensure_volunteer(password_hash, district),
        ensure_centre_staff(password_hash),
        *ensure_applicants(password_hash, district),
    ]


def ensure_admin(password_hash):
    user = ensure_account(
        "admin", "区民政局管理员", password_hash, is_staff=True, is_superuser=True
    )
    group, _ = Group.objects.get_or_create(name=DISTRICT_ADMIN_GROUP)
    user.groups.add(group)
    return ("admin", user.first_name, "区管理员 (superuser)", "杨浦区")


def ensure_resident(password_hash, district):
    username, name, phone, home = RESIDENT
    user = ensure_account(username, name, password_hash, phone=phone, phone_verified=True)
    link(user, find_resident(home, district))
    return (username, name, "居民（已上云）", place(home))


def ensure_volunteer(password_hash, district):
    username, name, phone, home = VOLUNTEER
    user = ensure_account(username, name, password_hash, phone=phone, phone_verified=True)
    link(user, find_resident(home, district))
    VolunteerProfile.objects.update_or_create(
        user=user,
        defaults={"status": VolunteerProfile.Status.APPROVED, "skills": VOLUNTEER_SKILLS},
    )
    return (username, name, "志愿者", place(home))


def ensure_centre_staff(password_hash):
    username, name, centre_name, position = CENTRE_STAFF
    user = ensure_account(username, name, password_hash)
    centre = Centre.objects.filter(name=centre_name).first()
    if centre is None:
        raise CommandError(f"{centre_name} is missing: run seed_demo on an empty database.")
    CentreStaff.objects.update_or_create(centre=centre, user=user, defaults={"position": position})
    return (username, name, f"睦邻中心 {position}", centre_name)


def ensure_applicants(password_hash, district):
    """Residents with a pending 上云 request, made once: a decided request is not renewed."""
    rows = []
    for username, name, phone, home in APPLICANTS:
        user = ensure_account(username, name, password_hash, phone=phone)
        if not user.link_requests.exists():
            LinkRequest.objects.create(
                user=user,
                neighbourhood=find_neighbourhood(home, district),
                building=home.building,
                room=home.room,
                name=home.name,
            )
        rows.append((username, name, "居民（待上云）", place(home)))
    return rows


def link(user, resident):
    """Link the account to the resident record (上云), as an approved request would."""
    if resident.user_id == user.pk:
        return
    Resident.objects.filter(user=user).update(user=None)
    resident.user = user
    resident.save(update_fields=["user"])


def find_neighbourhood(home, district):
    neighbourhood = Neighbourhood.objects.filter(
        subdistrict__district__name=district, name=home.neighbourhood
    ).first()
    if neighbourhood is None:
        raise CommandError(f"{home.neighbourhood} is missing: run seed_demo on an empty database.")
    return neighbourhood


def find_resident(home, district):
    resident = Resident.objects.filter(
        household__building__neighbourhood__subdistrict__district__name=district,
        household__building__neighbourhood__name=home.neighbourhood,
        household__building__number=home.building,
        household__room=home.room,
        name=home.name,
    ).first()
    if resident is None:
        raise CommandError(f"{place(home)} {home.name} is not in the register.")
    return resident


def place(home):
    return f"{home.neighbourhood} {home.building}{home.room}室"
