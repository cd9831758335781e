"""Service bonds (cam kết phục vụ) and the reimbursement of training costs (bồi hoàn), under the
rule in force on the day the official was sent for training.

Sent before 01/07/2025 (Nghị định 101/2017/NĐ-CP, as amended by Nghị định 89/2021/NĐ-CP):
- after postgraduate training, serve at least twice the training time (Điều 6 khoản 1: "ít nhất
  gấp 02 lần thời gian đào tạo");
- after trung cấp, cao đẳng or đại học training, twice the training time (Điều 5; the multiple
  was not read in the text: reported);
- repay the whole cost on dropping out or not graduating, and S = F / T1 × (T1 − T2) on
  leaving before the bond ends (Điều 7, 8), F the training cost paid for that person, T1 the
  months required, T2 the months served; a transfer ordered by a competent authority and no
  diploma through serious illness or disaster are exempt (reported).

Sent from 01/07/2025 (Nghị định 171/2025/NĐ-CP on training civil servants):
- after postgraduate training, at least three times the training time (Điều 5 khoản 3);
- the cases to repay (Điều 6) and how much (Điều 7) as before;
- exempt (Điều 8 khoản 1): no diploma through serious illness, natural disaster or epidemic; a
  transfer, rotation or secondment within the political system (the Party, the State, the
  Front and the socio-political organisations, at any level). A transfer outside it is not.

A programme may require more: Hải Phòng's source programme (seed 003) requires 5 years.

Where each rule was read: news.laodong.vn/cong-doan/dieu-kien-cong-chuc-khong-phai-den-bu-chi-
phi-dao-tao-sau-dai-hoc-1596506.ldo (171/2025 Điều 6, 8); snv.dienbien.gov.vn/vi/news/cong-chuc-
vien-chuc/chinh-phu-ban-hanh-quy-dinh-moi-ve-dao-tao-boi-duong-cong-chuc-672.html (3×, formerly
2×); luatvietnam.vn/tin-phap-luat/khi-nao-cong-chuc-duoc-di-hoc-cao-hoc-230-17486-article.html
(101/2017 Điều 6 khoản 1); baolamdong.vn/khong-hoan-thanh-khoa-hoc-do-om-dau-co-phai-boi-hoan-
chi-phi-dao-tao-386685.html (101/2017 Điều 7).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import TypeVar

from rules.checks import day, whole_months
from rules.dates import add_months, months_between
from rules.evaluation import Citation, Confidence
from rules.scales import ProfessionalLevel

REFORM = date(2025, 7, 1)  # Nghị định 171/2025/NĐ-CP in force
T = TypeVar("T")

_ND101 = "Nghị định 101/2017/NĐ-CP"
_ND101_AMENDED = "Nghị định 101/2017/NĐ-CP, sửa đổi bởi Nghị định 89/2021/NĐ-CP"
_ND171 = "Nghị định 171/2025/NĐ-CP"

REMINDER_DAYS = (90, 30)  # reminders before the bond ends


class BondOutcome(enum.Enum):
    """How a bond ended (stored as ``Bond.end_reason``)."""

    SERVED = "served"
    LEFT = "left"  # resigned or moved on its own: repay pro rata
    DROPPED_OUT = "dropped_out"  # did not finish or graduate: repay in full
    TRANSFERRED = "transferred"  # ordered transfer or rotation within the political system
    TRANSFERRED_OUTSIDE = "transferred_outside"  # ordered transfer outside it
    ILLNESS_OR_DISASTER = "illness_or_disaster"  # no diploma through serious illness, disaster
    EPIDEMIC = "epidemic"  # no diploma because of an epidemic


@dataclass(frozen=True)
class LengthRule:
    """How long the bond after one level of training lasts: ``multiple`` × the training."""

    multiple: int
    citation: Citation
    confidence: Confidence = Confidence.CONFIRMED


@dataclass(frozen=True)
class ReimbursementRule:
    """Who repays what, and who is exempt, for one sending date."""

    citation: Citation
    exemption_citation: Citation
    exempt: frozenset[BondOutcome]
    # outcomes without a diploma that repay the whole cost when not exempt
    in_full: frozenset[BondOutcome]
    confidence: Confidence = Confidence.CONFIRMED


_DEGREE_LENGTH = LengthRule(2, Citation(_ND101, "Điều 5", date(2017, 10, 21)), Confidence.REPORTED)
_DEGREES = (ProfessionalLevel.INTERMEDIATE, ProfessionalLevel.COLLEGE, ProfessionalLevel.UNIVERSITY)
_POSTGRADUATE = (ProfessionalLevel.MASTER, ProfessionalLevel.DOCTOR)

# (in force from, the bond after each level of training)
_LENGTHS: tuple[tuple[date, dict[ProfessionalLevel, LengthRule]], ...] = (
    (
        date.min,
        {
            **dict.fromkeys(_DEGREES, _DEGREE_LENGTH),
            **dict.fromkeys(
                _POSTGRADUATE,
                LengthRule(2, Citation(_ND101_AMENDED, "Điều 6 khoản 1", date(2017, 10, 21))),
            ),
        },
    ),
    (
        REFORM,
        {
            **dict.fromkeys(_DEGREES, _DEGREE_LENGTH),
            **dict.fromkeys(
                _POSTGRADUATE, LengthRule(3, Citation(_ND171, "Điều 5 khoản 3", REFORM))
            ),
        },
    ),
)

_REIMBURSEMENT: tuple[tuple[date, ReimbursementRule], ...] = (
    (
        date.min,
        ReimbursementRule(
            citation=Citation(_ND101, "Điều 7, Điều 8", date(2017, 10, 21)),
            exemption_citation=Citation(_ND101, "Điều 7, Điều 8", date(2017, 10, 21)),
            exempt=frozenset(
                {
                    BondOutcome.TRANSFERRED,
                    BondOutcome.TRANSFERRED_OUTSIDE,
                    BondOutcome.ILLNESS_OR_DISASTER,
                }
            ),
            in_full=frozenset({BondOutcome.DROPPED_OUT, BondOutcome.EPIDEMIC}),
            confidence=Confidence.REPORTED,
        ),
    ),
    (
        REFORM,
        ReimbursementRule(
            citation=Citation(_ND171, "Điều 6, Điều 7", REFORM),
            exemption_citation=Citation(_ND171, "Điều 8 khoản 1", REFORM),
            exempt=frozenset(
                {BondOutcome.TRANSFERRED, BondOutcome.ILLNESS_OR_DISASTER, BondOutcome.EPIDEMIC}
            ),
            in_full=frozenset({BondOutcome.DROPPED_OUT}),
        ),
    ),
)


def length_rule(level: ProfessionalLevel | str, *, sent_on: date) -> LengthRule | None:
    """The bond rule after ``level`` training for an official sent on ``sent_on``; None when
    the law binds no bond to that level."""
    return _in_force(_LENGTHS, day(sent_on, "sent_on")).get(ProfessionalLevel(level))


def reimbursement_rule(*, sent_on: date) -> ReimbursementRule:
    """Who repays and who is exempt, for an official sent on ``sent_on``."""
    return _in_force(_REIMBURSEMENT, day(sent_on, "sent_on"))


def _in_force(rules: tuple[tuple[date, T], ...], on: date) -> T:
    return [rule for start, rule in rules if start <= on][-1]


def required_months(
    training_months: int,
    level: ProfessionalLevel | str,
    programme_minimum: int | None = None,
    *,
    sent_on: date,
) -> int:
    """The bond length in months: the multiple in force on ``sent_on`` × the training, at
    least the programme's minimum."""
    whole_months(training_months, "training_months", positive=True)
    if programme_minimum is not None:
        whole_months(programme_minimum, "programme_minimum", positive=True)
    rule = length_rule(level, sent_on=sent_on)
    if rule is None:
        if programme_minimum is None:
            raise ValueError(f"no service bond follows {ProfessionalLevel(level).value} training")
        return programme_minimum
    return max(rule.multiple * training_months, programme_minimum or 0)


def bond_end(starts_on: date, months: int) -> date:
    """The day the bond is fulfilled: ``months`` after the start (clamped to a month's end)."""
    return add_months(starts_on, whole_months(months, "months"))


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
    if isinstance(cost, bool) or not isinstance(cost, int | Decimal):
        raise ValueError(f"cost must be an amount in đồng, got {cost!r}")
    cost = Decimal(cost)
    if cost < 0:
        raise ValueError(f"cost must not be negative, got {cost}")
    whole_months(required_months, "required_months", positive=True)
    whole_months(served_months, "served_months")
    unserved = max(required_months - served_months, 0)
    return (cost * unserved / required_months).quantize(Decimal(1), rounding=ROUND_HALF_UP)


def reimbursement_due(
    cost: Decimal | int,
    required_months: int,
    served_months: int,
    outcome: BondOutcome | str,
    *,
    sent_on: date,
) -> Decimal:
    """What the official repays when the bond ends with ``outcome``, under the rule in force
    when they were sent."""
    outcome = BondOutcome(outcome)
    rule = reimbursement_rule(sent_on=sent_on)
    if outcome is BondOutcome.SERVED or outcome in rule.exempt:
        return Decimal(0)
    if outcome in rule.in_full:
        return reimbursement(cost, required_months, 0)
    return reimbursement(cost, required_months, served_months)
