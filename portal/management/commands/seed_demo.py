import random
import time
import unicodedata

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from neighborhoods.demo import activities as demo_activities
from neighborhoods.demo import centres as demo_centres
from neighborhoods.demo import facilities as demo_facilities
from neighborhoods.demo import family as demo_family
from neighborhoods.demo import messages as demo_messages
from neighborhoods.demo import register as demo
from neighborhoods.demo import rental as demo_rental
from neighborhoods.demo import visits as demo_visits
from neighborhoods.demo import votes as demo_votes
from neighborhoods.demo import watch as demo_watch
from neighborhoods.models import (
    Building,
    Centre,
    District,
    Household,
    Neighbourhood,
    Resident,
    Subdistrict,
    Zone,
    birth_date_for_age,
)
from notices.demo import notices as demo_notices
from notices.demo import topics as demo_topics
from portal.dashboard import demo as demo_figures
from portal.demo import ensure_accounts, ensure_staff_authenticators
from volunteers.demo import volunteers as demo_volunteers

# The other parts of the demo, run after the register and accounts: each
# build(*, stdout, rng, today) is idempotent (skips when its data exists).
BUILDERS = [
    demo_visits.build,
    demo_watch.build,
    demo_family.build,  # after the watch: 周阿婆's son is told of her open alert
    demo_centres.build,
    demo_notices.build,
    demo_topics.build,
    demo_activities.build,
    demo_facilities.build,
    demo_rental.build,
    demo_votes.build,  # after demo_topics: the votes link to its 加装电梯 guide
    demo_messages.build,
    demo_volunteers.build,
    # Last: tops each neighbourhood up to its 上云率, counting the accounts made above.
    demo_figures.build,
]


class Command(BaseCommand):
    help = (
        "Build the 杨浦区 demo district (places, centres, zones, the household register, "
        "committee staff) and the demo accounts. Safe to run again: an existing 杨浦区 is "
        "kept as it is, and only the demo accounts are made sure of, with their passwords "
        "reset to --password."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            default=settings.DEMO_PASSWORD,
            help="password of every demo account (default: settings.DEMO_PASSWORD)",
        )
        parser.add_argument(
            "--small",
            action="store_true",
            help="a tenth of the households, with the same places, people and accounts",
        )
        parser.add_argument(
            "--scale",
            choices=["demo", "district"],
            default="demo",
            help="district: then grow the demo to the real district's size (about 300 "
            "neighbourhoods, 0.5 M households, 1.24 M residents, 5 M visits; a few minutes; "
            "see portal/demo_district.py)",
        )
        parser.add_argument(
            "--scale-factor",
            type=float,
            default=1.0,
            help="with --scale district: a share of the district's size (for tests)",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing at all when the database already has a district",
        )

    def handle(self, *, password, small, if_empty, scale, scale_factor, **options):
        if if_empty and District.objects.exists():
            self.stdout.write("The database already has a district: nothing to do.")
            return
        if scale == "district" and not 0 < scale_factor <= 1:
            raise CommandError("--scale-factor must be more than 0 and at most 1.")
        started = time.monotonic()
        today = timezone.localdate()
        # PBKDF2 takes about half a second per call: hash the one demo password once and
        # give every demo account the same hash.
        password_hash = make_password(password)
        try:
            with transaction.atomic():
                built = not District.objects.filter(name=demo.DISTRICT).exists()
                if built:
                    demo.build_register(today=today, small=small)
                rows = demo.ensure_workers(password_hash)
                rows += ensure_accounts(password_hash, district=demo.DISTRICT)
                rows.append(demo_family.ensure_son(password_hash))
                ensure_staff_authenticators([row[0] for row in rows])
                for builder in BUILDERS:
                    # One seeded generator per builder, so that each is deterministic alone.
                    builder(stdout=self.stdout, rng=random.Random(builder.__module__), today=today)
        except IntegrityError as error:
            # Two runs at once: the unique district name or username stops the second one,
            # and everything it did is rolled back.
            raise CommandError(
                "Another seed_demo was writing the same rows; nothing was changed by this "
                f"one. Run it again. ({error})"
            ) from error
        elapsed = time.monotonic() - started
        if built:
            self.stdout.write(f"Built {demo.DISTRICT} in {elapsed:.1f} s.")
        else:
            self.stdout.write(f"{demo.DISTRICT} was already there: kept it, refreshed accounts.")
        if scale == "district":
            self.grow_to_district(password_hash, today, scale_factor)
        self.write_counts(today)
        self.write_accounts(rows, password)

    def grow_to_district(self, password_hash, today, factor):
        from portal import demo_district

        if Neighbourhood.objects.count() > len(demo.PLACES):
            self.stdout.write("The district is already larger than the demo: kept it.")
            return
        self.stdout.write(f"Growing {demo.DISTRICT} to the district's size (× {factor:g}):")
        made = demo_district.build(
            password_hash=password_hash, today=today, factor=factor, stdout=self.stdout
        )
        self.stdout.write(f"Grew {demo.DISTRICT} in {made['seconds']:.1f} s.")

    def write_counts(self, today):
        c = district_counts(today)
        self.stdout.write(
            f"  {c['subdistricts']} subdistricts, {c['neighbourhoods']} neighbourhoods, "
            f"{c['centres']} centres, {c['zones']} zones, {c['buildings']} buildings\n"
            f"  {c['households']} households: {c['alone']} 独居老人, "
            f"{c['elderly_only']} 纯老家庭\n"
            f"  {c['residents']} residents: {share(c['aged_60'], c['residents'])} aged 60+, "
            f"{share(c['aged_80'], c['residents'])} aged 80+"
        )

    def write_accounts(self, rows, password):
        self.stdout.write(f"\nDemo accounts (password: {password}):")
        header = ("username", "name", "role", "where")
        widths = [max(width(row[i]) for row in [header, *rows]) for i in range(4)]
        for row in [header, *rows]:
            line = "  ".join(pad(text, w) for text, w in zip(row, widths, strict=True))
            self.stdout.write("  " + line.rstrip())
        self.stdout.write(
            "\nStaff accounts (admin, committee and centre staff) sign in with a second step: "
            "add this secret to an authenticator app (TOTP, 6 digits, 30 s), then type its "
            f"code after the password:\n  {settings.DEMO_TOTP_SECRET}"
        )


def district_counts(today):
    """What the demo district holds now: a dozen count queries."""
    neighbourhoods = Neighbourhood.objects.filter(subdistrict__district__name=demo.DISTRICT)
    households = Household.objects.filter(building__neighbourhood__in=neighbourhoods)
    residents = Resident.objects.present().filter(household__in=households)
    care = Household.Care
    return {
        "subdistricts": Subdistrict.objects.filter(district__name=demo.DISTRICT).count(),
        "neighbourhoods": neighbourhoods.count(),
        "centres": Centre.objects.filter(subdistrict__district__name=demo.DISTRICT).count(),
        "zones": Zone.objects.filter(neighbourhood__in=neighbourhoods).count(),
        "buildings": Building.objects.filter(neighbourhood__in=neighbourhoods).count(),
        **households.aggregate(
            households=Count("pk"),
            alone=Count("pk", filter=Q(care=care.ELDERLY_ALONE)),
            elderly_only=Count("pk", filter=Q(care=care.ELDERLY_ONLY)),
        ),
        **residents.aggregate(
            residents=Count("pk"),
            aged_60=Count("pk", filter=Q(birth_date__lte=birth_date_for_age(60, today))),
            aged_80=Count("pk", filter=Q(birth_date__lte=birth_date_for_age(80, today))),
        ),
    }


def share(part, whole):
    return f"{part} = {part / whole:.0%}" if whole else "0"


def width(text):
    """Columns the text takes in a terminal: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(text, columns):
    return text + " " * (columns - width(text))
