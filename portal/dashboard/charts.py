"""Horizontal bar charts drawn by the server as SVG: no JavaScript, text scales with the page.

Lengths are in em, so large-text mode makes the rows taller with the letters; widths are
percentages of the chart, so a phone and a desktop draw the same picture.
"""

from dataclasses import dataclass

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
