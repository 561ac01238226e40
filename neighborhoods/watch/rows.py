"""The watch board's rows as HTML, written here rather than by the template engine.

As the community map's cells are (map/services.CellWriter): a zone's board is every
household on the watch (35 at district size), each with two checks, three links and a form,
and the template's lookups for them were half of the page's time. The markup is the one
watch_board.html had; the page puts `{{ rows_html }}` inside its `<ul class="watch-rows">`.
Every value written is escaped (format_html, escape).
"""

from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from portal.templatetags.words import colon


def _href(name):
    """A URL pattern with one pk, as a str.format template (reversed once per page)."""
    marker = 987654321
    return reverse(name, args=[marker]).replace(str(marker), "{}")


def _hh_mm(moment):
    return formats.time_format(timezone.localtime(moment), "H:i")


class BoardWriter:
    """One page's rows: what every row shares (links, words, the form's hidden fields) is
    made once here."""

    def __init__(self, request, *, today, whole, todo, many_neighbourhoods):
        self.today, self.whole, self.many = today, whole, many_neighbourhoods
        self.household_href = _href("neighborhoods:household-detail")
        self.mark_href = _href("neighborhoods:watch-mark")
        self.alert_href = _href("neighborhoods:alert-detail")
        hidden = '<input type="hidden" name="{}" value="{}">'
        self.csrf = format_html(hidden, "csrfmiddlewaretoken", get_token(request))
        self.scope = (format_html(hidden, "all", "1") if whole else "") + (
            format_html(hidden, "todo", "1") if todo else ""
        )
        self.colon = escape(colon())
        self.words = {
            key: escape(text)
            for key, text in {
                "day": _("Day: curtains open?"),
                "night": _("Night: lights on?"),
                "contact": _("Emergency contact"),
                "not_recorded": _("Not recorded"),
                "alert_open": _("Alert open: handle it"),
                "seen": _("Seen"),
                "not_seen": _("Not seen"),
            }.items()
        }
        self.evening_of = _("evening of %(date)s")
        self.by_time = _("by %(time)s")

    def rows(self, rows):
        return mark_safe("".join(self.row(row) for row in rows))  # noqa: S308 (escaped)

    def row(self, row):
        household, enrolment = row.household, row.enrolment
        building = household.building
        where = ""
        if self.many:
            where += f'<span class="neighbourhood-name"> · {escape(building.neighbourhood)}</span>'
        if self.whole and building.zone:
            where += f'<span class="muted"> · {escape(building.zone.name)}</span>'
        cells = "".join(self.cell(row, cell) for cell in row.cells)
        return (
            f'<li class="watch-row card" id="watch-{enrolment.pk}">'
            f'<h3><a href="{self.household_href.format(household.pk)}">{escape(household)}</a>'
            f"{where}</h3>"
            f'<p class="muted">{escape(row.members_with_ages)}'
            f" · {self.words['contact']}{self.colon}{escape(enrolment.contact_name)} "
            f"{escape(enrolment.masked_contact_phone)}</p>"
            f'<div class="watch-cells">{cells}</div></li>'
        )

    def cell(self, row, cell):
        when = ""
        if cell.date != self.today:
            day = formats.date_format(cell.date, "MONTH_DAY_FORMAT")
            when = escape(self.evening_of % {"date": day}) + " · "
        when += escape(self.by_time % {"time": _hh_mm(cell.deadline)})
        by = ""
        if cell.check and cell.check.by:
            name = cell.check.by.get_full_name() or cell.check.by.username
            by = f' <span class="muted">· {escape(name)} {_hh_mm(cell.check.at)}</span>'
        state = escape(cell.state)
        html = (
            f'<div class="watch-cell {state}">'
            f'<p class="watch-cell-head"><strong>{self.words[cell.kind]}</strong> '
            f'<span class="muted">{when}</span></p>'
            f'<p><span class="watch-state {state}">{escape(cell.state_words)}</span>{by}</p>'
        )
        if cell.refusal:
            html += (
                f'<p class="error" role="alert" id="refused-{row.enrolment.pk}-{cell.kind}">'
                f"{self.words['not_recorded']}{self.colon}{escape(cell.refusal)}</p>"
            )
        if cell.alert and cell.alert.is_open:
            html += (
                f'<p><a class="button" href="{self.alert_href.format(cell.alert.pk)}">'
                f"{self.words['alert_open']}</a></p>"
            )
        if cell.can_mark:
            seen_class = "secondary" if cell.state == "seen" else "primary"
            html += (
                f'<form method="post" action="{self.mark_href.format(row.enrolment.pk)}" '
                f'class="watch-buttons">{self.csrf}'
                f'<input type="hidden" name="kind" value="{cell.kind}">{self.scope}'
                f'<button class="{seen_class}" name="status" value="seen">'
                f"{self.words['seen']}</button>"
                f'<button class="secondary danger" name="status" value="not_seen">'
                f"{self.words['not_seen']}</button></form>"
            )
        return html + "</div>"
