"""Django admin for the neighbourhoods app, one module per part."""

from . import activities, care, centres, family, projects, register, watch  # noqa: F401
