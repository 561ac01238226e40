"""Models of the notices app, one module per area.

notice.py: notices and news (通知公告 / 最新动态), images, attachments, read receipts.
topic.py / guide.py: discussion hall (邻里议事厅) and guides (办事指南), added alongside.
Add your module's import line below; keep the names explicit.
"""

from .guide import Guide, GuideQuerySet, GuideQuestion, GuideQuestionQuerySet  # noqa: F401
from .notice import (  # noqa: F401
    MAX_NOTICE_IMAGES,
    CategoryFollow,
    Notice,
    NoticeAttachment,
    NoticeImage,
    NoticeQuerySet,
    NoticeRead,
)
from .topic import Reply, Suggestion, Support, Topic, TopicImage, TopicQuerySet  # noqa: F401
