"""Fixtures shared by the notices tests (each area keeps its own module; import them here)."""

from tests.notices.notice_fixtures import (  # noqa: F401
    dhg_private,
    gjxc_notice,
    gjxc_private,
    other_resident,
)
from tests.notices.topic_fixtures import (  # noqa: F401
    dhg_resident,
    gjxc_guide,
    guide,
    neighbour,
    suggestion,
    topic,
)
