"""The volunteers app's models, one module per part of the domain."""

from .profiles import VolunteerProfile  # noqa: F401
