"""Django admin for the neighbourhoods app, one module per part."""

from . import (  # noqa: F401
    activities,
    care,
    centres,
    facilities,
    family,
    projects,
    register,
    rental,
    votes,
    watch,
)
