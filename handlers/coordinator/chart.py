"""The qualification report as a bar chart (PNG), sent as a picture in the chat: a panel per
scale, a bar per level with its count and share written on it, low levels on the left; with
a comparison date, the earlier figures as paler bars beside them.

matplotlib is imported when a chart is drawn, so the bot starts without paying for it; the
``Figure`` API (no pyplot) keeps no global state between concurrent replies.
"""

from __future__ import annotations

import io
import textwrap

from handlers.coordinator.figures import level_label, scale_name, share
from locales import Translator
from storage.reports.qualifications import QualificationReport, ScaleFigures

NOW_COLOUR = "#1f5fa8"
EARLIER_COLOUR = "#a9c4e6"
LABEL_WIDTH = 12  # characters per line of a level's name under its bar


def qualification_chart(_: Translator, report: QualificationReport) -> bytes:
    from matplotlib.figure import Figure

    figure = Figure(figsize=(12, 8), dpi=100, layout="constrained")
    figure.suptitle(
        _(
            "Qualifications of officials: {unit}, on {date}",
            unit=report.name,
            date=_.date(report.on),
        ),
        fontsize=14,
        fontweight="bold",
    )
    earlier = report.earlier
    panels = figure.subplots(2, 2).flat
    for axes, scale in zip(panels, report.whole.scales, strict=True):
        before = earlier.whole.scale(scale.key) if earlier is not None else None
        rows = _rows(_, scale, before)
        positions = list(range(len(rows)))
        width = 0.4 if before is not None else 0.6
        shift = width / 2 if before is not None else 0.0
        if earlier is not None and before is not None:
            old = axes.bar(
                [p - shift for p in positions],
                [then for _label, _now, then in rows],
                width,
                color=EARLIER_COLOUR,
                label=_.date(earlier.on),
            )
            axes.bar_label(old, labels=[_bar(_, n, before.total) for *_x, n in rows], fontsize=7)
        bars = axes.bar(
            [p + shift for p in positions],
            [now for _label, now, _then in rows],
            width,
            color=NOW_COLOUR,
            label=_.date(report.on),
        )
        axes.bar_label(bars, labels=[_bar(_, n, scale.total) for _l, n, _t in rows], fontsize=8)
        axes.set_xticks(positions, [textwrap.fill(label, LABEL_WIDTH) for label, *_n in rows])
        axes.tick_params(axis="x", labelsize=8)
        axes.set_title(_title(_, scale), fontsize=11)
        axes.set_ylabel(_("Officials"))
        top = max([1, *(max(now, then) for _label, now, then in rows)])
        axes.set_ylim(0, top * 1.3)
        axes.spines[["top", "right"]].set_visible(False)
        if before is not None:
            axes.legend(fontsize=8, loc="upper left")
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def _rows(
    _: Translator, scale: ScaleFigures, earlier: ScaleFigures | None
) -> list[tuple[str, int, int]]:
    """(level name, count now, count then) per level, lowest first and "not recorded" last;
    levels nobody holds on either date are left out."""
    then = dict(earlier.levels) if earlier is not None else {}
    *levels, unrecorded = scale.levels  # highest first, then "not recorded"
    return [
        (level_label(_, level), count, then.get(level, 0))
        for level, count in [*reversed(levels), unrecorded]
        if count or then.get(level, 0)
    ]


def _bar(_: Translator, count: int, total: int) -> str:
    return f"{_.number(count)}\n({_.percent(count, total)})"


def _title(_: Translator, scale: ScaleFigures) -> str:
    name = scale_name(_, scale.key)
    if not scale.required:
        return name
    return (
        name
        + "\n"
        + _("meeting the standard: {share}", share=share(_, scale.meeting, scale.required))
    )
