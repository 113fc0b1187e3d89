"""Charts drawn on the server as SVG: each bar a figure with its label, its value as
text and a link to the list behind it, readable on a phone and in print (no script, no
styles inline: the page's CSS colours the classes)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

# Each row is its label on a line of its own with the bar and its value below, so a
# 360-unit drawing keeps its text readable at a phone's width as on paper.
LABEL_HEIGHT = 16
BAR_HEIGHT = 14
ROW_HEIGHT = LABEL_HEIGHT + BAR_HEIGHT + 4
GAP = 8
LABEL_WIDTH = 0
VALUE_WIDTH = 100
WIDTH = 360


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    text: str  # the value as shown ("12", "Rp1.500.000")
    href: str | None = None
    y: int = 0
    width: float = 0.0


@dataclass(frozen=True)
class BarChart:
    title: str
    bars: tuple[Bar, ...]
    height: int
    width: int = WIDTH
    label_width: int = LABEL_WIDTH

    @property
    def empty(self) -> bool:
        return not any(bar.value for bar in self.bars)


def bar_chart(title: str, rows: Iterable[tuple[str, int, str, str | None]]) -> BarChart:
    """A horizontal bar chart of ``(label, value, shown text, link)`` rows, in order."""
    rows = list(rows)
    top = max((value for _, value, _, _ in rows), default=0) or 1
    room = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    bars = tuple(
        Bar(label, value, text, href, y=n * (ROW_HEIGHT + GAP), width=round(room * value / top, 1))
        for n, (label, value, text, href) in enumerate(rows)
    )
    height = max(len(bars) * (ROW_HEIGHT + GAP) - GAP, ROW_HEIGHT)
    return BarChart(title, bars, height)
