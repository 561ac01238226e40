"""Django admin for the neighbourhoods app, one module per part."""

from . import activities, care, centres, facilities, projects, register, rental, watch  # noqa: F401
