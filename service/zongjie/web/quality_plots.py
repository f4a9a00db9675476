"""The plots of the 起草质量 page, drawn on the server as inline SVG (no script, no CDN: the content security policy
allows only same-origin scripts, and a plot needs none).

Contract: ``line_chart(series)`` draws keep rates (0–1) over time, one line per named series of (day, rate) points;
``bar_chart(bars)`` draws one horizontal bar per (label, rate, note). Both return ``Markup`` of one ``<svg>`` with a
``viewBox`` and ``width=100%`` (it shrinks to a phone's width), a ``<title>`` for screen readers and every label
escaped. Colours come from a fixed palette, in series order.
"""

from __future__ import annotations

from markupsafe import Markup, escape

PALETTE = ("#1f6f8b", "#c0392b", "#27ae60", "#8e44ad", "#d35400", "#2c3e50")
W, H, LEFT, RIGHT, TOP, BOTTOM = 600, 260, 44, 12, 12, 36


def _pct(rate: float) -> str:
    return f"{rate * 100:.0f}%"


def line_chart(title: str, series: dict[str, list[tuple[str, float]]]) -> Markup:
    days = sorted({d for points in series.values() for d, _ in points})
    legend_h = 22 * len(series)
    height = H + legend_h
    out = [
        f'<svg class="plot" role="img" viewBox="0 0 {W} {height}" width="100%" preserveAspectRatio="xMidYMid meet"'
        f' xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
    ]
    plot_w, plot_h = W - LEFT - RIGHT, H - TOP - BOTTOM

    def x(day: str) -> float:
        return LEFT + (plot_w / 2 if len(days) == 1 else plot_w * days.index(day) / (len(days) - 1))

    def y(rate: float) -> float:
        return TOP + plot_h * (1 - max(0.0, min(1.0, rate)))

    for tick in (0, 0.25, 0.5, 0.75, 1):
        out.append(
            f'<line x1="{LEFT}" x2="{W - RIGHT}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" stroke="#ddd"/>'
            f'<text x="{LEFT - 4}" y="{y(tick) + 4:.1f}" font-size="12" text-anchor="end">{_pct(tick)}</text>'
        )
    for i, day in enumerate(days):
        if len(days) <= 6 or i in (0, len(days) - 1) or i % max(1, len(days) // 5) == 0:
            out.append(
                f'<text x="{x(day):.1f}" y="{H - 14}" font-size="12" text-anchor="middle">{escape(day[5:])}</text>'
            )
    for n, (name, points) in enumerate(series.items()):
        colour = PALETTE[n % len(PALETTE)]
        coords = " ".join(f"{x(d):.1f},{y(r):.1f}" for d, r in sorted(points))
        if len(points) > 1:
            out.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2.5" points="{coords}"/>')
        for d, r in points:
            out.append(
                f'<circle cx="{x(d):.1f}" cy="{y(r):.1f}" r="4" fill="{colour}">'
                f"<title>{escape(name)} {escape(d)}：{_pct(r)}</title></circle>"
            )
        ly = H + 22 * n + 6
        out.append(
            f'<rect x="{LEFT}" y="{ly}" width="14" height="14" fill="{colour}"/>'
            f'<text x="{LEFT + 20}" y="{ly + 12}" font-size="14">{escape(name)}</text>'
        )
    out.append("</svg>")
    return Markup("".join(out))


def bar_chart(title: str, bars: list[tuple[str, float, str]]) -> Markup:
    row = 34
    height = row * len(bars) + 8
    label_w = 120
    bar_w = W - label_w - 70
    out = [
        f'<svg class="plot" role="img" viewBox="0 0 {W} {height}" width="100%" preserveAspectRatio="xMidYMid meet"'
        f' xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
    ]
    for i, (label, rate, note) in enumerate(bars):
        top = 4 + i * row
        length = bar_w * max(0.0, min(1.0, rate))
        out.append(
            f'<text x="{label_w - 6}" y="{top + 20}" font-size="14" text-anchor="end">{escape(label)}</text>'
            f'<rect x="{label_w}" y="{top + 4}" width="{bar_w}" height="22" fill="#eee"/>'
            f'<rect x="{label_w}" y="{top + 4}" width="{length:.1f}" height="22" fill="{PALETTE[0]}">'
            f"<title>{escape(label)}：{_pct(rate)} {escape(note)}</title></rect>"
            f'<text x="{label_w + bar_w + 6}" y="{top + 20}" font-size="14">{_pct(rate)}</text>'
        )
    out.append("</svg>")
    return Markup("".join(out))
