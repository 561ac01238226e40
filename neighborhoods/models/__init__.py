"""The neighbourhoods app's models, one module per part of the domain."""

from .register import (  # noqa: F401
    BUILDING_ORDER,
    ELDERLY_AGE,
    Building,
    Centre,
    CentreStaff,
    CommunityWorker,
    District,
    Household,
    LinkRequest,
    Neighbourhood,
    Resident,
    Subdistrict,
    Zone,
    age_on,
    birth_date_for_age,
)
from .visits import CareLevel, Need, NeedAction, Visit, VisitAddendum  # noqa: F401
from .watch import (  # noqa: F401
    WATCH_TZ,
    WatchAlert,
    WatchCheck,
    WatchEnrolment,
    watch_today,
)
