"""Django admin for the neighbourhoods app, one module per part."""

from . import activities, care, centres, projects, register, votes, watch  # noqa: F401
