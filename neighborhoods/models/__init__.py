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
from .facilities import Facility, FacilityDistance  # noqa: F401
from .family import FamilyGrant  # noqa: F401
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
from .rental import (  # noqa: F401
    MAX_RENEWALS,
    AidItem,
    AidPoint,
    AidUnit,
    Loan,
    LoanEvent,
    LoanNotice,
)
from .visits import CareLevel, Need, NeedAction, Visit, VisitAddendum  # noqa: F401
from .votes import VOTER_AGE, Ballot, ConsentVote, VoteRollEntry  # noqa: F401
from .watch import (  # noqa: F401
    WATCH_TZ,
    WatchAlert,
    WatchAlertStep,
    WatchAssignment,
    WatchCheck,
    WatchEnrolment,
    can_mark_now,
    check_deadline,
    check_opens,
    watch_day_of,
    watch_today,
)
from .workforce import RosterWorker, WorkerHonour  # noqa: F401
