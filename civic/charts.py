"""Charts drawn on the server as inline SVG: no script (the content-security policy allows none), nothing fetched
from elsewhere, and they print as they show. Series are told apart by dash pattern as well as colour, so a
black-and-white printout still reads."""

from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import mark_safe

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 64, 12, 12, 44
COLOURS = ["#1f5fa8", "#c2410c", "#15803d", "#7c3aed", "#b91c1c", "#0e7490"]
DASHES = ["", "6 3", "2 3", "8 3 2 3", "1 2", "10 4"]


def _nice_top(value):
    """A round number at or above value for the top of the scale; at least 4, so the five grid lines of a scale
    of small counts fall on whole numbers."""
    if value <= 4:
        return Decimal(4)
    value = Decimal(value)
    magnitude = Decimal(10) ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        top = magnitude * Decimal(str(step))
        if top >= value:
            return top
    return magnitude * 10


def _number(value):
    value = Decimal(value)
    if value >= 10000:
        return f"{value / 10000:.1f}万".replace(".0万", "万")
    return f"{value:.0f}" if value == value.to_integral() else f"{value:.1f}"


def _axis(top):
    lines = []
    for i in range(5):
        value = top * i / 4
        y = TOP + (HEIGHT - TOP - BOTTOM) * (1 - i / 4)
        lines.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>'
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{_number(value)}</text>'
        )
    return "".join(lines)


# Coordinates are pixels: the figures are Decimal until scaled to the drawing, then float for the SVG only.


def _dash(k):
    pattern = DASHES[k % len(DASHES)]
    return f' stroke-dasharray="{pattern}"' if pattern else ""


def render(chart, title=""):
    if chart is None or not chart.labels:
        return ""
    values = [Decimal(v or 0) for _label, series in chart.series for v in series]
    top = _nice_top(max(values, default=0))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    n = len(chart.labels)
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(title)}" '
        f'xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
        _axis(top),
    ]
    step = plot_w / max(n, 1)
    every = max(1, n // 12)
    for i, label in enumerate(chart.labels):
        if i % every == 0:
            x = LEFT + step * (i + 0.5)
            text = escape(str(label))[:8]
            parts.append(
                f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 14}" text-anchor="end" '
                f'transform="rotate(-30 {x:.1f} {HEIGHT - BOTTOM + 14})">{text}</text>'
            )
    if chart.kind == "bar":
        _label, series = chart.series[0]
        width = step * 0.7
        for i, value in enumerate(series):
            h = plot_h * float(Decimal(value or 0) / top)
            x = LEFT + step * i + (step - width) / 2
            parts.append(
                f'<rect x="{x:.1f}" y="{TOP + plot_h - h:.1f}" width="{width:.1f}" height="{h:.1f}" '
                f'fill="{COLOURS[0]}"><title>{escape(str(chart.labels[i]))}: {_number(value or 0)}</title></rect>'
            )
    else:
        for k, (label, series) in enumerate(chart.series):
            points = " ".join(
                f"{LEFT + step * (i + 0.5):.1f},{TOP + plot_h * (1 - float(Decimal(v or 0) / top)):.1f}"
                for i, v in enumerate(series)
            )
            parts.append(
                f'<polyline points="{points}" fill="none" stroke="{COLOURS[k % len(COLOURS)]}" '
                f'stroke-width="2"{_dash(k)}>'
                f"<title>{escape(str(label))}</title></polyline>"
            )
    parts.append("</svg>")
    legend = ""
    if chart.kind == "line" and len(chart.series) > 1:
        items = "".join(
            f'<li><svg viewBox="0 0 24 8" class="key"><line x1="0" x2="24" y1="4" y2="4" '
            f'stroke="{COLOURS[k % len(COLOURS)]}" stroke-width="2"{_dash(k)}/></svg>{escape(str(label))}</li>'
            for k, (label, _s) in enumerate(chart.series)
        )
        legend = f'<ul class="chart-legend">{items}</ul>'
    return mark_safe("".join(parts) + legend)
