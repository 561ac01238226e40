"""Kinds of message: registered once by the app that sends them."""

from dataclasses import dataclass

OUTSIDE_CHANNELS = ("sms", "wechat", "email")
ALL_CHANNELS = ("inbox", *OUTSIDE_CHANNELS)


@dataclass(frozen=True)
class Kind:
    """One kind of message (an event), e.g. `link_approved`.

    `template` is a Django template whose first line is the subject (title) and the rest the
    body, rendered in the recipient's language. A `staff_alert` cannot be switched off by the
    recipient. `rate_limit` caps how many of this kind one person gets on one outside channel
    a day (None: settings.MESSAGING["KIND_PER_DAY"]).
    """

    name: str
    label: str
    template: str
    staff_alert: bool = False
    default_channels: tuple = ALL_CHANNELS
    rate_limit: int | None = None

    def __post_init__(self):
        unknown = set(self.default_channels) - set(ALL_CHANNELS)
        if unknown:
            raise ValueError(f"unknown channels for kind {self.name}: {sorted(unknown)}")

    @property
    def outside_channels(self):
        return tuple(c for c in OUTSIDE_CHANNELS if c in self.default_channels)


_registry: dict[str, Kind] = {}


def register_kind(kind):
    """Register (or re-register, e.g. on autoreload) a kind of message. Returns it."""
    _registry[kind.name] = kind
    return kind


def get_kind(name):
    try:
        return _registry[name]
    except KeyError:
        raise LookupError(f"message kind {name!r} is not registered") from None


def registered_kinds():
    """Every kind, in registration order."""
    return list(_registry.values())
