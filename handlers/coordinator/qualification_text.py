"""The qualification report as text: what /baocao says and `canbo report qualifications
--format txt` prints. Levels nobody holds are left out (the Excel file lists them all); with a
comparison date, each figure is followed by the earlier one in brackets."""

from __future__ import annotations

from handlers.coordinator.figures import level_label, scale_name, share
from locales import Translator
from storage.reports.qualifications import Figures, QualificationReport, ScaleFigures


def qualification_text(_: Translator, report: QualificationReport) -> str:
    earlier = report.earlier
    whole = report.whole
    lines = [
        _(
            "Qualifications of officials: {unit}, on {date}",
            unit=report.name,
            date=_.date(report.on),
        ),
        _.plural(
            "{n} official; standards: {profile}",
            "{n} officials; standards: {profile}",
            whole.total,
            profile=report.profile,
        ),
    ]
    if earlier is not None:
        lines.append(_("In brackets: the figures on {date}.", date=_.date(earlier.on)))
    overall = _("Meeting every qualification standard: {share}", share=_overall(_, whole))
    if earlier is not None:
        overall += f" ({_overall(_, earlier.whole)})"
    lines.append(overall)
    for scale in whole.scales:
        before = earlier.whole.scale(scale.key) if earlier is not None else None
        lines += ["", *_scale(_, scale, before)]
    if len(report.parts) > 1:
        lines += ["", _("By unit, meeting every qualification standard:")]
        parts = {part.code: part for part in earlier.parts} if earlier is not None else {}
        for part in report.parts:
            line = f"• {part.name}: {_overall(_, part)}"
            if part.code in parts:
                line += f" ({_overall(_, parts[part.code])})"
            lines.append(line)
    return "\n".join(lines)


def _overall(_: Translator, figures: Figures) -> str:
    return share(_, figures.meeting_all, figures.total)


def _scale(_: Translator, scale: ScaleFigures, earlier: ScaleFigures | None) -> list[str]:
    heading = scale_name(_, scale.key)
    if scale.required:
        meeting = share(_, scale.meeting, scale.required)
        if earlier is not None:
            meeting += f" ({share(_, earlier.meeting, earlier.required)})"
        heading += " · " + _("meeting the standard: {share}", share=meeting)
    lines = [heading]
    before = dict(earlier.levels) if earlier is not None else {}
    for level, count in scale.levels:
        old = before.get(level, 0)
        if not count and not old:
            continue
        line = f"• {level_label(_, level)}: {share(_, count, scale.total)}"
        if earlier is not None:
            line += f" ({share(_, old, earlier.total)})"
        lines.append(line)
    return lines
