"""Bar charts as SVG text, drawn on the server (PURE: no Flask, no SQLAlchemy).

The same markup goes into the page and into the PDF (WeasyPrint draws inline SVG), so the
report needs no browser and no script. Every text is escaped; the chart names itself with a
``<title>`` and ``aria-labelledby`` (``role="img"``), and the page prints the same figures in
a table beside it for readers who cannot see the bars.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from itertools import count

WIDTH = 520  # a phone (390 px) shows the text at about 3/4 of FONT_SIZE
BAR_HEIGHT = 24
GAP = 8
LABEL_WIDTH = 210
VALUE_WIDTH = 64
FONT_SIZE = 15
TOP = 8
COLOUR = "#1f5f99"  # 7:1 against white, like the page's links
_ids = count(1)


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str = ""  # how the value is printed (default: the number)


def bar_chart(title: str, bars: list[Bar], maximum: float | None = None, chart_id: str = "") -> str:
    """A horizontal bar chart of ``bars`` titled ``title``, scaled to ``maximum`` (default:
    the largest value). An empty list draws the title and no bars."""
    chart_id = chart_id or f"chart-{next(_ids)}"
    top = max([maximum or 0.0, *(bar.value for bar in bars)]) or 1.0
    span = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    height = TOP * 2 + max(len(bars), 1) * (BAR_HEIGHT + GAP)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="somet-chart" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" aria-labelledby="{chart_id}-title">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
    ]
    for index, bar in enumerate(bars):
        y = TOP + index * (BAR_HEIGHT + GAP)
        width = max(bar.value, 0) / top * span
        middle = y + BAR_HEIGHT / 2 + 5
        shown = bar.text or _number(bar.value)
        parts.append(
            f"<g><title>{escape(bar.label)}: {escape(shown)}</title>"  # the whole label on hover
            f'<text x="{LABEL_WIDTH - 8}" y="{middle:.1f}" text-anchor="end" '
            f'font-size="{FONT_SIZE}" fill="#212529">{escape(_short(bar.label))}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{width:.1f}" height="{BAR_HEIGHT}" '
            f'fill="{COLOUR}"/>'
            f'<text x="{LABEL_WIDTH + width + 6:.1f}" y="{middle:.1f}" font-size="{FONT_SIZE}" '
            f'fill="#212529">{escape(shown)}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _short(label: str, limit: int = 21) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _number(value: float) -> str:
    return f"{value:g}" if value != int(value) else str(int(value))
