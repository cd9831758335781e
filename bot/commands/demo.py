"""`canbo demo`: load the demo province (idempotent), placed around today's local date."""

from __future__ import annotations

import argparse
import asyncio
from datetime import date, datetime
from typing import Any

from bot.settings import Settings
from locales import translator
from storage.db import create_engine, session_factory
from storage.demo.load import DemoSummary, load_demo


def register(sub: argparse._SubParsersAction[Any]) -> None:
    parser = sub.add_parser(
        "demo",
        help="load a demo province: 10 communes, ~150 officials, courses, bonds (idempotent)",
    )
    parser.set_defaults(run=_demo)


def _demo(args: argparse.Namespace, settings: Settings) -> int:
    summary = asyncio.run(_load(settings, datetime.now(settings.zone).date()))
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


async def _load(settings: Settings, today: date) -> DemoSummary:
    engine = create_engine(settings.database_url)
    try:
        async with session_factory(engine)() as session:
            summary = await load_demo(session, today)
            await session.commit()
            return summary
    finally:
        await engine.dispose()
