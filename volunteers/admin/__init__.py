"""The volunteers' admin, one module per part."""

from . import hours, profiles, recognitions, shifts  # noqa: F401
