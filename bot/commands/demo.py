"""`canbo demo`: load the demo province (idempotent), placed around today's local date."""

from __future__ import annotations

import argparse
from datetime import datetime
from typing import Any

from bot.commands.database import open_session
from bot.commands.running import synchronous
from bot.settings import Settings
from locales import translator
from storage.demo.load import load_demo


def register(sub: argparse._SubParsersAction[Any]) -> None:
    parser = sub.add_parser(
        "demo",
        help="load a demo province: 10 communes, ~150 officials, courses, bonds (idempotent)",
    )
    parser.set_defaults(run=_demo)


@synchronous
async def _demo(args: argparse.Namespace, settings: Settings) -> int:
    async with open_session(settings) as session:
        summary = await load_demo(session, datetime.now(settings.zone).date())
        await session.commit()
    _ = translator(settings.locale)
    print(
        _(
            "Demo province {province}: {communes} communes, {officials} officials, "
            "{trainees} source trainees, {courses} courses, {enrollments} enrollments, "
            "{bonds} service bonds. Rows added or changed: {changed}.",
            province=summary.province,
            communes=_.number(summary.communes),
            officials=_.number(summary.officials),
            trainees=_.number(summary.trainees),
            courses=_.number(summary.courses),
            enrollments=_.number(summary.enrollments),
            bonds=_.number(summary.bonds),
            changed=_.number(summary.changed),
        )
    )
    return 0
