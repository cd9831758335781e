"""Free text: what reading a question costs, against asking by command.

The conversation (handlers.conversation, on a migrated SQLite database holding the tests'
small province) answers the same official the same topic two ways, alternately: the command
/trangthai (the baseline) and free text read by the classifier ("toi da dat chuan chua", and the
other held-out phrasings of the status topic). Printed: the classifier's start-up (importing
scikit-learn and training on the phrase set, once per process), one message scored alone, by
hand (what ``read()`` does) and through the scikit-learn pipeline it agrees with, the median
per update both ways, and the ratios.

    .venv/bin/python benchmarks/bench_free_text.py [--rounds N]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from handlers import intents  # noqa: E402
from handlers.conversation import Conversation, ConversationConfig  # noqa: E402
from handlers.messages import Incoming, parse_command  # noqa: E402
from rules.profiles import Standards  # noqa: E402
from storage import migrate  # noqa: E402
from storage.db import create_engine, session_factory  # noqa: E402
from storage.models import Channel  # noqa: E402
from tests.handlers.conftest import NOW, ZONE, build_world, new_code  # noqa: E402

HELD_OUT = ROOT / "tests" / "handlers" / "phrases_held_out" / "status.txt"


def _phrasings() -> list[str]:
    lines = HELD_OUT.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#")]


async def _ask(conversation: Conversation, text: str) -> float:
    command, args = parse_command(text)
    incoming = Incoming(
        channel=Channel.TELEGRAM, chat_id="1", sender_id="1", text=text, command=command, args=args
    )
    start = time.perf_counter()
    await conversation.handle(incoming, now=NOW)
    return time.perf_counter() - start


async def main(rounds: int) -> None:
    start = time.perf_counter()
    intents.prepare()
    startup = time.perf_counter() - start
    phrasings = _phrasings()
    model = intents.prepare()
    normalised = [intents.normalise(text) for text in phrasings * 5]
    start = time.perf_counter()
    for text in normalised:
        model.scores(text)
    by_hand = (time.perf_counter() - start) / len(normalised)
    start = time.perf_counter()
    for text in normalised:
        model.pipeline.decision_function([text])
    by_pipeline = (time.perf_counter() - start) / len(normalised)

    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{folder}/bench.db"
        await asyncio.to_thread(migrate.upgrade, url)
        engine = create_engine(url)
        async with session_factory(engine)() as session:
            world = await build_world(session)
        config = ConversationConfig(standards=Standards(), zone=ZONE)
        conversation = Conversation(session_factory(engine), config)
        await _ask(conversation, f"/start {await new_code(engine, world.official)}")
        by_command: list[float] = []
        by_text: list[float] = []
        for round_ in range(rounds):
            by_command.append(await _ask(conversation, "/trangthai"))
            by_text.append(await _ask(conversation, phrasings[round_ % len(phrasings)]))
        await engine.dispose()

    command_ms = statistics.median(by_command) * 1000
    text_ms = statistics.median(by_text) * 1000
    print(f"classifier start-up (import scikit-learn, train): {startup:.2f} s")
    print(
        f"one message scored by hand: {by_hand * 1000:.3f} ms; through the pipeline: "
        f"{by_pipeline * 1000:.3f} ms; ratio {by_pipeline / by_hand:.1f} "
        f"({len(normalised)} messages)"
    )
    print(f"/trangthai by command: {command_ms:.2f} ms an update (median of {rounds})")
    print(f"/trangthai by free text: {text_ms:.2f} ms an update (median of {rounds})")
    print(f"ratio free text / command: {text_ms / command_ms:.2f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=300)
    asyncio.run(main(parser.parse_args().rounds))
