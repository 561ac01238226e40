"""Django admin for the notices app, one module per part."""

from . import board, guides, hall  # noqa: F401
