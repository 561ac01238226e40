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
