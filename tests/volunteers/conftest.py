from .fixtures import centre_staff, opportunity, shift, volunteer, wenhua  # noqa: F401
