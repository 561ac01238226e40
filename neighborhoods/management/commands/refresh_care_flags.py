from collections import Counter, defaultdict

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from neighborhoods.models import Household, Resident

BATCH_SIZE = 2000


class Command(BaseCommand):
    help = (
        "Recompute every household's care flag (独居老人, 纯老家庭) and eldest birth date from "
        "the residents who live there now. People turn 60 on their birthdays without anything "
        "being saved, so run this once a night. Two queries per 2,000 households; only the "
        "households whose flag changed are written."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="report what would change, save nothing"
        )

    def handle(self, *, dry_run, **options):
        today = timezone.localdate()
        checked, changes, last_pk = 0, Counter(), 0
        while True:
            with transaction.atomic():
                batch = next_batch(after=last_pk, lock=not dry_run)
                if not batch:
                    break
                stale = stale_households(batch, today)
                if stale and not dry_run:
                    Household.objects.bulk_update(stale, ["care", "eldest_birth_date"])
            checked += len(batch)
            changes.update(household.care for household in stale)
            last_pk = batch[-1].pk
        self.stdout.write(summary(checked, changes, dry_run))


def next_batch(*, after, lock):
    """The next BATCH_SIZE households in primary-key order.

    Locking them makes a resident saved meanwhile (whose save refreshes its household's
    flag) wait for this batch and then write its newer flag, instead of being overwritten.
    """
    households = Household.objects.filter(pk__gt=after).order_by("pk")
    if lock:
        households = households.select_for_update()
    return list(households.only("pk", "care", "eldest_birth_date")[:BATCH_SIZE])


def stale_households(batch, today):
    """The households of the batch whose stored flag differs, with the new values set."""
    births = defaultdict(list)
    present = Resident.objects.present().filter(
        household_id__gte=batch[0].pk, household_id__lte=batch[-1].pk
    )
    for household_id, birth_date in present.values_list("household_id", "birth_date"):
        births[household_id].append(Resident(birth_date=birth_date))
    stale = []
    for household in batch:
        members = births[household.pk]
        care = household.care_for(members, today)
        eldest = min((m.birth_date for m in members if m.birth_date), default=None)
        if (care, eldest) != (household.care, household.eldest_birth_date):
            household.care, household.eldest_birth_date = care, eldest
            stale.append(household)
    return stale


def summary(checked, changes, dry_run):
    updated = sum(changes.values())
    if not updated:
        return f"{checked} households checked: every care flag is up to date."
    verb = "would be updated" if dry_run else "updated"
    care = Household.Care
    return (
        f"{checked} households checked, {updated} {verb}: "
        f"{changes[care.ELDERLY_ALONE]} now 独居老人, {changes[care.ELDERLY_ONLY]} now 纯老家庭, "
        f"{changes[care.NONE]} without a flag."
    )
