"""Horizontal bar charts drawn by the server as SVG: no JavaScript, text scales with the page.

Lengths are in em, so large-text mode makes the rows taller with the letters; widths are
percentages of the chart, so a phone and a desktop draw the same picture.
"""

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import mark_safe

ROW_EM = 2.6  # one row: a line of text (label and value) and a bar under it


@dataclass
class Bar:
    label: str
    text: str  # the value as shown, e.g. "84.25%"
    width: float  # 0–100, share of the chart's width
    text_y: float
    bar_y: float
    mine: bool = False


@dataclass
class Chart:
    bars: list
    height: float

    @property
    def svg_bars(self):
        """The bars' SVG elements, written here rather than by a template loop: a
        neighbourhood of 92 buildings is 92 bars (chart.html puts them in its <svg>)."""
        return mark_safe(  # noqa: S308 (labels and texts escaped; the rest are numbers)
            "".join(
                f'<text x="0" y="{bar.text_y}em" class="bar-label">{escape(bar.label)}　'
                f'<tspan class="bar-value">{escape(bar.text)}</tspan></text>'
                f'<rect x="0" y="{bar.bar_y}em" width="100%" height="0.85em" class="bar-track"/>'
                f'<rect x="0" y="{bar.bar_y}em" width="{bar.width}%" height="0.85em" '
                f'class="bar{" mine" if bar.mine else ""}"/>'
                for bar in self.bars
            )
        )


def bar_chart(items, *, maximum=None, mine=None):
    """items: (key, label, value, text). `maximum` is the value of a full bar (100 for %)."""
    items = list(items)
    top = maximum or max((value for _k, _l, value, _t in items), default=0) or 1
    bars = []
    for i, (key, label, value, text) in enumerate(items):
        width = 100 * (value or 0) / top
        bars.append(
            Bar(
                label=label,
                text=text,
                width=round(min(100, max(width, 0.6 if value else 0)), 2),
                text_y=round(i * ROW_EM + 1.1, 2),
                bar_y=round(i * ROW_EM + 1.45, 2),
                mine=mine is not None and key == mine,
            )
        )
    return Chart(bars=bars, height=round(len(items) * ROW_EM + 0.3, 2))
