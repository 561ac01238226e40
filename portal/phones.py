"""Phone numbers: the mainland mobile format, and masking for lists."""

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

mainland_mobile_validator = RegexValidator(
    r"^1[3-9]\d{9}$",
    _("Enter an 11-digit mainland China mobile number, such as 13812345678."),
    code="invalid_phone",
)


def mask_phone(number):
    """138****5678: lists show a mobile's first three and last four digits.

    Shorter numbers (landlines such as 65431234) would give almost every digit away that
    way, so they keep only their last two: ******34.
    """
    if not number:
        return ""
    if len(number) >= 11:
        return f"{number[:3]}****{number[-4:]}"
    if len(number) >= 6:
        return "*" * (len(number) - 2) + number[-2:]
    return "*" * len(number)


def normalise_mobile(value):
    """The 11 digits of a mainland mobile number however it was typed, or None.

    "+86 138-1234-5678", "0086 13812345678", "138 1234 5678" and "(138)12345678" are one
    number: sign-in, sign-up and the sign-in throttle all use this one spelling, so that a
    new spelling is never a new account or a fresh set of attempts.
    """
    if not value:
        return None
    digits = "".join(ch for ch in str(value) if ch not in " -.()\u3000\t")
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    if len(digits) == 11 and digits.isdigit() and digits[0] == "1" and digits[1] in "3456789":
        return digits
    return None
