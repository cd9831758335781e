"""Names of what became of a broadcast for one recipient, shared by the report and its file."""

from __future__ import annotations

from locales import N_, Translator
from storage.reports.delivery import Outcome

OUTCOMES: dict[Outcome, str] = {
    Outcome.QUEUED: N_("Waiting to be sent"),
    Outcome.SENT: N_("Sent"),
    Outcome.FAILED: N_("Failed"),
    Outcome.BLOCKED: N_("Blocked the bot"),
    Outcome.NOT_LINKED: N_("Not linked"),
    Outcome.CANCELLED: N_("Cancelled"),
}


def outcome_name(_: Translator, outcome: Outcome) -> str:
    return _(OUTCOMES[outcome])
