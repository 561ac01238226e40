"""The volunteers app's models, one module per part of the domain."""

from .hours import ServiceRecord, StarTier  # noqa: F401
from .notices import VolunteerNotice  # noqa: F401
from .profiles import Skill, VolunteerProfile  # noqa: F401
from .recognitions import Certificate, Recognition  # noqa: F401
from .shifts import Opportunity, Shift, ShiftSignup  # noqa: F401
