"""Words as people say them: durations, the two date styles, and the active filters of a list.

    {% load words %}
    {{ alert.opened_at|spoken_since:now }}   19 小时 · 3 天 · 超过 1 个月
    {{ need.created|day }}                    12月1日 周二 (lists; the year only when not this one)
    {{ visit.when|stamp }}                    2026年12月1日 09:28 (records: when exactly)
    {% filter_chips form as chips %}          the active filters, each with a link that drops it

docs/glossary.md says which words to use.
"""

import datetime

from django import forms, template
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

register = template.Library()

WEEKDAYS = [
    lambda: pgettext("weekday, short", "Mon"),
    lambda: pgettext("weekday, short", "Tue"),
    lambda: pgettext("weekday, short", "Wed"),
    lambda: pgettext("weekday, short", "Thu"),
    lambda: pgettext("weekday, short", "Fri"),
    lambda: pgettext("weekday, short", "Sat"),
    lambda: pgettext("weekday, short", "Sun"),
]


def spoken_duration(delta):
    """A span of time the way people say it: one unit, rounded down, never "1 月, 2 周"."""
    seconds = max(int(delta.total_seconds()), 0)
    minutes, hours, days = seconds // 60, seconds // 3600, seconds // 86400
    if minutes < 1:
        return _("less than a minute")
    if hours < 1:
        return ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}
    if days < 1:
        return ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours}
    if days < 14:
        return ngettext("%(n)d day", "%(n)d days", days) % {"n": days}
    if days < 31:
        weeks = days // 7
        return ngettext("%(n)d week", "%(n)d weeks", weeks) % {"n": weeks}
    if days < 365:
        months = days // 30
        return ngettext("over %(n)d month", "over %(n)d months", months) % {"n": months}
    years = days // 365
    return ngettext("over %(n)d year", "over %(n)d years", years) % {"n": years}


@register.filter
def spoken_since(value, now=None):
    """How long ago `value` was (or how long it has lasted), as people say it."""
    if not value:
        return ""
    now = now or timezone.now()
    if isinstance(value, datetime.datetime) and isinstance(now, datetime.datetime):
        return spoken_duration(now - value)
    return spoken_duration(datetime.timedelta(days=(_as_date(now) - _as_date(value)).days))


@register.filter
def spoken_until(value, now=None):
    if not value:
        return ""
    now = now or timezone.now()
    if isinstance(value, datetime.datetime) and isinstance(now, datetime.datetime):
        return spoken_duration(value - now)
    return spoken_duration(datetime.timedelta(days=(_as_date(value) - _as_date(now)).days))


def _as_date(value):
    if isinstance(value, str):  # a date kept as text (a JSON detail): 2026-12-03
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            return None
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


@register.filter
def day(value):
    """The date in lists: 12月1日 周二; with the year when it is not this year."""
    if not value:
        return ""
    date = _as_date(value)
    if date is None:
        return value
    if date.year == timezone.localdate().year:
        text = dateformat.format(date, pgettext("date in lists, this year", "M j"))
    else:
        text = dateformat.format(date, pgettext("date in lists, another year", "M j, Y"))
    return f"{text} {WEEKDAYS[date.weekday()]()}"


@register.filter
def stamp(value):
    """When exactly, in records: 2026年12月1日 09:28 (a date alone: 2026年12月1日)."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return dateformat.format(value, pgettext("date and time in records", "j M Y H:i"))
    return dateformat.format(value, pgettext("date in records", "j M Y"))


@register.simple_tag(takes_context=True)
def filter_chips(context, form):
    """The filters of a GET form that are in use: [(label, value, url without it)].

    Each chip's link drops that one filter (and the page number) from the present query.
    """
    request = context.get("request")
    if request is None or not form.is_bound:
        return []
    chips = []
    cleaned = getattr(form, "cleaned_data", {}) if form.is_valid() else {}
    for field in form.visible_fields():
        raw = request.GET.getlist(field.html_name)
        raw = [item for item in raw if item.strip()]
        if not raw:
            continue
        value = cleaned.get(field.name, None)
        chips.append((field.label, _display(field, value, raw), _without(request, field.html_name)))
    return chips


def _display(field, value, raw):
    if isinstance(field.field, forms.ModelChoiceField):  # the cleaned object: no query
        if isinstance(field.field, forms.ModelMultipleChoiceField):
            return "、".join(str(item) for item in value or []) or "、".join(raw)
        return str(value) if value is not None else "、".join(raw)
    choices = {str(key): label for key, label in getattr(field.field, "choices", []) or []}
    if choices:
        return "、".join(str(choices.get(item, item)) for item in raw)
    if value is True:
        return _("yes")
    if value not in (None, "", [], False):
        return str(value)
    return "、".join(raw)


def _without(request, name):
    query = request.GET.copy()
    query.pop(name, None)
    query.pop("page", None)
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else request.path


@register.simple_tag
def colon():
    """The colon after a label: "：" in Chinese text, ": " in English."""
    return pgettext("label separator", ": ")


@register.simple_tag
def say(msgid, params=None):
    """A sentence translated now, in the active language, with its %(name)s params filled.

    For messages (portal.messaging) whose sentence is written in Python (marked there, so in
    the catalog) and rendered later in the recipient's language: `{% say text params %}`.
    """
    from django.utils.translation import gettext

    text = gettext(str(msgid))
    return text % params if params else text


@register.tag
def bracketed(parser, token):
    """`{% bracketed %}3/12{% endbracketed %}`: "（3/12）" in Chinese text, "(3/12)" in English."""
    nodelist = parser.parse(("endbracketed",))
    parser.delete_first_token()
    return BracketedNode(nodelist)


class BracketedNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        inside = self.nodelist.render(context)
        return pgettext("brackets", "(") + inside + pgettext("brackets", ")")


@register.filter
def hours(value):
    """A number of hours as people write it: "3 小时", "1.5 小时" (never "3 h")."""
    if value in (None, ""):
        return ""
    from django.template.defaultfilters import floatformat

    text = floatformat(value, -2)  # at most two decimals, none for a whole number
    text = text.rstrip("0").rstrip(".") if "." in text else text
    return ngettext("%(n)s hour", "%(n)s hours", 1 if text == "1" else 2) % {"n": text}
