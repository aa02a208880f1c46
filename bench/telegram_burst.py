"""100 questions from 20 chats at once: time from an update being served to its answer reaching the Bot API.

    .venv/bin/python bench/telegram_burst.py [--index DIR] [--questions 100] [--chats 20]

The real `qabot telegram` runs in its own process against the tests' fake Bot API (in this process, on 127.0.0.1),
once with Telegram's flood limit (30 messages a second, the default) and once without it, so that the cost of the
limit and of the bot itself can be told apart. Prints p50/p95 and writes bench/results/telegram_burst.md.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.fake_bot_api import FakeBotAPI, message_update  # noqa: E402

TOKEN = "123456789:AAH" + "b" * 32
QUESTIONS = ["吉尔吉斯斯坦派出了多少辆装甲车？", "德国外交部副发言人是谁？", "上合组织反恐机构设在哪个城市？",
             "骚乱造成的物质损失大约有多少欧元？", "托卡耶夫宣布哪天为全国哀悼日？"]


async def burst(index: str, count: int, chats: int, max_rate: str) -> list[float]:
    fake = FakeBotAPI(TOKEN)
    url = await fake.start()
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_URL": url, "QABOT_TELEGRAM_MAX_RATE": max_rate,
           "QABOT_RATE_LIMIT": "0"}
    bot = subprocess.Popen([sys.executable, "-m", "qabot", "-q", "telegram", "--index", index], env=env, cwd=ROOT)
    try:
        await fake.wait_for(lambda: fake.sent("setMyCommands"), timeout=120)  # started and warmed up
        await asyncio.sleep(1.0)
        for n in range(count):
            fake.push(message_update(5000 + n % chats, QUESTIONS[n % len(QUESTIONS)], message_id=n + 1))
        await fake.wait_for(lambda: len(fake.sent()) >= count, timeout=300)
    finally:
        bot.terminate()
        await asyncio.to_thread(bot.wait, 30)  # the fake keeps serving the bot's goodbye calls meanwhile
        await fake.stop()
    served = min(fake.served_at.values())
    return sorted(t - served for m, _, t in fake.calls if m == "sendMessage")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", help="a built index (default: the seeds', built in a temporary folder)")
    parser.add_argument("--questions", type=int, default=100)
    parser.add_argument("--chats", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        index = args.index or str(Path(tmp) / "index")
        if not args.index:
            subprocess.run([sys.executable, "-m", "qabot", "-q", "index", "--index", index], check=True, cwd=ROOT)
        rows = []
        for label, rate in (("Telegram's flood limit (30 messages/s)", "30"), ("no flood limit", "100000")):
            times = asyncio.run(burst(index, args.questions, args.chats, rate))
            rows.append(f"| {label} | {len(times)} | {statistics.median(times):.2f} | "
                        f"{times[int(0.95 * (len(times) - 1))]:.2f} | {times[-1]:.2f} |")
    text = "\n".join([
        f"# Telegram burst ({time.strftime('%Y-%m-%d')}): {args.questions} questions from {args.chats} chats at once",
        "", "Seconds from the update being served by getUpdates to its sendMessage reaching the Bot API; the bot in "
        "its own process, as `qabot telegram` runs.", "",
        "| setting | answers | p50 s | p95 s | last s |", "|---|---|---|---|---|", *rows, ""])
    print(text)
    out = ROOT / "bench" / "results" / "telegram_burst.md"
    out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
