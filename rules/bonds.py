"""Service bonds (cam kết phục vụ) and the reimbursement of training costs (bồi hoàn).

- Length (Nghị định 101/2017/NĐ-CP Điều 5): after trung cấp, cao đẳng or đại học training an
  official serves at least twice the training time; after postgraduate training at least three
  times (Nghị định 171/2025/NĐ-CP Điều 5). A programme may require more: Hải Phòng's source
  programme (seed 003) requires 5 years.
- Reimbursement (Nghị định 101/2017 Điều 7–8): dropping out or not graduating repays the whole
  cost; leaving before the bond ends repays S = F / T1 × (T1 − T2), F the training cost paid for
  that person, T1 the months required, T2 the months served.
- Exempt (Nghị định 171/2025 Điều 8): a transfer or rotation ordered by a competent authority;
  no diploma because of serious illness or disaster.
"""

from __future__ import annotations

import enum
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from rules.dates import add_months, months_between
from rules.evaluation import Citation
from rules.scales import ProfessionalLevel

LENGTH_CITATION = Citation("Nghị định 101/2017/NĐ-CP", "Điều 5")
POSTGRADUATE_LENGTH_CITATION = Citation("Nghị định 171/2025/NĐ-CP", "Điều 5")
REIMBURSEMENT_CITATION = Citation("Nghị định 101/2017/NĐ-CP", "Điều 7, Điều 8")
EXEMPTION_CITATION = Citation("Nghị định 171/2025/NĐ-CP", "Điều 8")

_MULTIPLIERS = {
    ProfessionalLevel.INTERMEDIATE: 2,
    ProfessionalLevel.COLLEGE: 2,
    ProfessionalLevel.UNIVERSITY: 2,
    ProfessionalLevel.MASTER: 3,
    ProfessionalLevel.DOCTOR: 3,
}

REMINDER_DAYS = (90, 30)  # reminders before the bond ends


class BondOutcome(enum.Enum):
    """How a bond ended; the values are those of storage's ``BondEnd``."""

    SERVED = "served"
    LEFT = "left"  # resigned or moved on its own: repay pro rata
    DROPPED_OUT = "dropped_out"  # did not finish or graduate: repay in full
    TRANSFERRED = "transferred"  # rotation ordered by a competent authority: exempt
    ILLNESS_OR_DISASTER = "illness_or_disaster"  # no diploma through serious illness: exempt

    @property
    def exempt(self) -> bool:
        return self in (BondOutcome.TRANSFERRED, BondOutcome.ILLNESS_OR_DISASTER)


def required_months(
    training_months: int,
    level: ProfessionalLevel | str,
    programme_minimum: int | None = None,
) -> int:
    """The bond length in months: 2× or 3× the training, at least the programme's minimum."""
    if training_months <= 0:
        raise ValueError(f"training_months must be positive, got {training_months}")
    level = ProfessionalLevel(level)
    multiplier = _MULTIPLIERS.get(level)
    if multiplier is None:
        if programme_minimum is None:
            raise ValueError(f"no service bond follows {level.value} training")
        return programme_minimum
    return max(multiplier * training_months, programme_minimum or 0)


def bond_end(starts_on: date, months: int) -> date:
    """The day the bond is fulfilled: ``months`` after the start (clamped to a month's end)."""
    return add_months(starts_on, months)


def months_served(starts_on: date, on: date) -> int:
    """Whole months served from ``starts_on`` to ``on`` (0 before the start)."""
    return months_between(starts_on, on)


def milestones(starts_on: date, months: int) -> list[tuple[str, date]]:
    """The bond's reminder dates, in order: ``start``, ``anniversary_<n>`` for each full year
    before the end, ``ends_in_90_days``, ``ends_in_30_days`` (when after the start), ``end``.
    """
    end = bond_end(starts_on, months)
    dates = [("start", starts_on)]
    dates += [
        (f"anniversary_{year}", add_months(starts_on, 12 * year))
        for year in range(1, (months - 1) // 12 + 1)
    ]
    for days in REMINDER_DAYS:
        before = end - timedelta(days=days)
        if before > starts_on:
            dates.append((f"ends_in_{days}_days", before))
    dates.append(("end", end))
    return sorted(dates, key=lambda item: item[1])


def reimbursement(cost: Decimal | int, required_months: int, served_months: int) -> Decimal:
    """S = F / T1 × (T1 − T2), in whole đồng: the whole cost when nothing was served, nothing
    once the bond is served in full (or more)."""
    cost = Decimal(cost)
    if cost < 0:
        raise ValueError(f"cost must not be negative, got {cost}")
    if required_months <= 0:
        raise ValueError(f"required_months must be positive, got {required_months}")
    if served_months < 0:
        raise ValueError(f"served_months must not be negative, got {served_months}")
    unserved = max(required_months - served_months, 0)
    return (cost * unserved / required_months).quantize(Decimal(1), rounding=ROUND_HALF_UP)


def reimbursement_due(
    cost: Decimal | int,
    required_months: int,
    served_months: int,
    outcome: BondOutcome | str,
) -> Decimal:
    """What the official repays when the bond ends with ``outcome``."""
    outcome = BondOutcome(outcome)
    if outcome is BondOutcome.SERVED or outcome.exempt:
        return Decimal(0)
    if outcome is BondOutcome.DROPPED_OUT:
        return reimbursement(cost, required_months, 0)
    return reimbursement(cost, required_months, served_months)
