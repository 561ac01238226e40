"""The neighbourhoods app's models, one module per part of the domain."""

from .activities import (  # noqa: F401
    Activity,
    SignUp,
    SignUpNotice,
    area_neighbourhoods,
)
from .centres import (  # noqa: F401
    SERVICE_PROJECTS_MINIMUM,
    WALK_MINUTES_LIMIT,
    Centre,
    CentreStaff,
    OperatingContract,
    SocialOrganisation,
    StarRating,
    WalkingDistance,
)
from .jobs import JobHeartbeat  # noqa: F401
from .places import (  # noqa: F401
    BUILDING_ORDER,
    Building,
    CommunityWorker,
    District,
    Neighbourhood,
    Subdistrict,
    Zone,
)
from .projects import (  # noqa: F401
    Advisor,
    Award,
    Project,
    ProjectRound,
    Talent,
    TeamMember,
)
from .register import (  # noqa: F401
    ELDERLY_AGE,
    Household,
    IdentityDocument,
    LinkRequest,
    RegisterChange,
    Resident,
    ResidentTag,
    age_on,
    birth_date_for_age,
)
from .visits import CareLevel, Need, NeedAction, Visit, VisitAddendum  # noqa: F401
from .watch import (  # noqa: F401
    WATCH_TZ,
    WatchAlert,
    WatchAlertStep,
    WatchCheck,
    WatchEnrolment,
    can_mark_now,
    check_deadline,
    check_opens,
    watch_day_of,
    watch_today,
)
from .workforce import RosterWorker, WorkerHonour  # noqa: F401
