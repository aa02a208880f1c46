"""The real python-telegram-bot Application, talking HTTP to the fake Bot API on 127.0.0.1."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time

import aiohttp
import pytest

from qabot.frontends.telegram_bot import RedactToken, build_application
from qabot.frontends.telegram_serve import serve, webhook_secret
from qabot.qa import QA
from qabot.settings import Settings
from qabot.store.build import build_index
from qabot.store.folder import load_index
from tests.conftest import ROOT
from tests.fake_bot_api import (
    BOT,
    FakeBotAPI,
    InThread,
    callback_update,
    check_html,
    command_entities,
    mention_entities,
    message_update,
)

TOKEN = "123456789:AAH" + "x" * 32
QUESTION = "吉尔吉斯斯坦派出了多少辆装甲车？"


def run_bot(qa: QA, scenario, **settings) -> FakeBotAPI:
    """Start the fake API and serve the bot as `qabot telegram` does, play the scenario, stop both."""

    async def main() -> FakeBotAPI:
        fake = FakeBotAPI(TOKEN)
        url = await fake.start()
        app = build_application(qa, Settings(telegram_token=TOKEN, telegram_api_url=url, **settings))
        serving = asyncio.create_task(serve(app, Settings(telegram_token=TOKEN, telegram_api_url=url)))
        playing = asyncio.create_task(scenario(fake, app))
        try:
            done, _ = await asyncio.wait({serving, playing}, return_when=asyncio.FIRST_COMPLETED)
            if serving in done:
                serving.result()
                raise AssertionError("the bot stopped serving by itself")
            playing.result()
        finally:
            for task in (playing, serving):
                task.cancel()
            await asyncio.gather(playing, serving, return_exceptions=True)
            await fake.stop()
        return fake

    return asyncio.run(main())


def answers_to(fake: FakeBotAPI, chat_id: int) -> list[str]:
    return [p["text"] for p in fake.sent("sendMessage", chat_id)]


def test_a_private_question_gets_a_cited_dated_answer_and_the_commands_work(qa):
    async def scenario(fake, app):
        fake.push(message_update(11, QUESTION))
        for n, command in enumerate(["/start", "/help", "/sources"], start=2):
            fake.push(message_update(11, command, message_id=n, entities=command_entities(command)))
        await fake.wait_for(lambda: len(fake.sent()) >= 4)

    fake = run_bot(qa, scenario, typing_after=0.0)
    texts = answers_to(fake, 11)
    answer = next(t for t in texts if "8辆装甲车" in t)
    assert re.search(r"\[1\]", answer)
    assert "— Aljazeera 半岛网, 2022-01-08" in answer
    first = next(p for p in fake.sent() if "8辆装甲车" in p["text"])
    assert first["parse_mode"] == "HTML" and first["reply_parameters"]["message_id"] == 1
    assert first["reply_markup"]["inline_keyboard"][0][0]["callback_data"].startswith("p:")
    assert any("篇新闻文章" in t and "是怎么回事？" in t for t in texts)  # /start with example questions
    assert any("/ask" in t for t in texts)  # /help
    assert any("共 5 篇文章" in t and "托卡耶夫定性：未遂政变 — 观察者网, 2022-01-10" in t for t in texts)
    assert fake.sent("sendChatAction", 11)[0]["action"] == "typing"  # shown for any answer slower than typing_after
    commands = fake.sent("setMyCommands")[0]["commands"]
    assert {c["command"] for c in commands} == {"ask", "sources", "help", "start"}


def test_in_groups_the_bot_answers_only_when_addressed(qa):
    group = -500

    async def scenario(fake, app):
        fake.push(message_update(group, "大家好，今天天气不错", uid=21, chat_type="group", message_id=1))
        mention = f"@{BOT['username']} {QUESTION}"
        fake.push(message_update(group, mention, uid=21, chat_type="group", message_id=2,
                                 entities=mention_entities(mention)))
        bot_message = {"message_id": 99, "date": 0, "chat": {"id": group, "type": "group"}, "from": BOT, "text": "…"}
        fake.push(message_update(group, "德国外交部副发言人是谁？", uid=22, chat_type="group", message_id=3,
                                 reply_to=bot_message))
        ask = "/ask 上合组织反恐机构设在哪个城市？"
        fake.push(message_update(group, ask, uid=23, chat_type="group", message_id=4, entities=command_entities(ask)))
        await fake.wait_for(lambda: len(fake.sent()) >= 3)
        await asyncio.sleep(0.5)  # time enough for a wrong answer to the first message to arrive

    fake = run_bot(qa, scenario)
    sent = fake.sent("sendMessage", group)
    assert len(sent) == 3
    replied_to = sorted(p["reply_parameters"]["message_id"] for p in sent)
    assert replied_to == [2, 3, 4]
    texts = " ".join(p["text"] for p in sent)
    assert "8辆装甲车" in texts and "霍夫曼" in texts and "塔什干" in texts


@pytest.fixture(scope="module")
def awkward_qa(tmp_path_factory, embedder):
    """A corpus whose text holds HTML-like characters and whose long title makes answers exceed 4096 characters."""
    corpus = tmp_path_factory.mktemp("awkward")
    (corpus / "markup.html").write_text(
        "---\ntitle: 'Operators <b> & friends'\nauthor: Test <Desk> & Co\ndate: 2024-01-02\n---\n\n"
        "<p>In the formula a &lt; b &amp;&amp; c &gt; d, the tag &lt;b&gt;bold&lt;/b&gt; is plain text for the "
        "ferry timetable.</p>\n", encoding="utf-8")
    long_title = "A very long title about the lighthouse keeper " + "and the sea " * 340
    for n in range(3):
        (corpus / f"light{n}.md").write_text(
            f"---\ntitle: '{long_title}{n}'\nauthor: Harbour News\ndate: 2024-02-0{n + 1}\n---\n\n"
            f"<p>The lighthouse keeper counted {120 + n} ships passing the harbour in the storm.</p>\n",
            encoding="utf-8")
    index_dir = tmp_path_factory.mktemp("awkward-index")
    build_index(index_dir, [corpus], embedder, progress=False)
    return QA(load_index(index_dir, embedder.id), embedder)


def test_html_in_questions_and_articles_stays_valid_telegram_html(awkward_qa):
    async def scenario(fake, app):
        fake.push(message_update(31, "What does the formula <b>a < b && c > d</b> say about the ferry timetable?",
                                 language="en"))
        await fake.wait_for(lambda: len(fake.sent()) >= 1)

    fake = run_bot(awkward_qa, scenario)
    text = fake.sent()[0]["text"]
    check_html(text)  # what Telegram itself would refuse with "Can't parse entities"
    assert "a &lt; b &amp;&amp; c &gt; d" in text and "&lt;b&gt;bold&lt;/b&gt;" in text
    assert "Operators &lt;b&gt; &amp; friends — Test &lt;Desk&gt; &amp; Co, 2024-01-02" in text


def test_an_answer_longer_than_4096_characters_is_split_between_citations(awkward_qa):
    async def scenario(fake, app):
        fake.push(message_update(32, "How many ships did the lighthouse keeper count in the storm?", language="en"))
        await fake.wait_for(lambda: len(fake.sent()) >= 2)
        await asyncio.sleep(0.3)

    fake = run_bot(awkward_qa, scenario)
    texts = answers_to(fake, 32)
    assert len(texts) >= 2
    for text in texts:
        assert len(text) <= 4096
        check_html(text)
    joined = "\n".join(texts)
    assert joined.count("— Harbour News, 2024-02-0") == joined.count("[") // 2  # every citation arrived whole
    assert "reply_markup" in fake.sent()[-1] and "reply_markup" not in fake.sent()[0]  # buttons under the end


@pytest.mark.parametrize("update, expect", [
    (message_update(41, "托卡耶夫是谁？" * 715), "answer"),  # 5,005 characters
    (message_update(42, "   "), "prompt"),
    (message_update(43, None, extra={"sticker": {"file_id": "s1", "file_unique_id": "u1", "type": "regular",
                                                 "width": 512, "height": 512, "is_animated": False,
                                                 "is_video": False}}), "as text"),
    (message_update(44, None, extra={"photo": [{"file_id": "p1", "file_unique_id": "u2", "width": 90,
                                                "height": 90}]}), "as text"),
])
def test_odd_messages_are_handled_without_a_crash(qa, update, expect):
    chat = update["message"]["chat"]["id"]

    async def scenario(fake, app):
        fake.push(update)
        fake.push(message_update(chat, QUESTION, message_id=2))  # the bot still answers afterwards
        await fake.wait_for(lambda: any("8辆装甲车" in t for t in answers_to(fake, chat)) and
                            {p["reply_parameters"]["message_id"] for p in fake.sent("sendMessage", chat)} == {1, 2})

    fake = run_bot(qa, scenario)
    texts = answers_to(fake, chat)
    if expect == "as text":
        assert "请用文字发送问题" in texts[0]
    elif expect == "prompt":
        assert len(texts) == 2 and "请" in texts[0]
    else:
        assert len(texts) >= 2 and all(len(t) <= 4096 for t in texts)
    assert not [p for p in fake.sent() if "抱歉，出了点问题" in p["text"]]


def test_users_outside_the_allow_list_get_the_refusal_only(qa):
    async def scenario(fake, app):
        fake.push(message_update(51, QUESTION, uid=51))
        fake.push(message_update(52, QUESTION, uid=52))
        fake.push(message_update(51, "/sources", uid=51, message_id=2, entities=command_entities("/sources")))
        await fake.wait_for(lambda: len(fake.sent()) >= 3)
        await asyncio.sleep(0.3)

    fake = run_bot(qa, scenario, allowed_users=frozenset({52}))
    refused = answers_to(fake, 51)
    assert len(refused) == 2 and all("仅对受邀用户开放" in t for t in refused)
    assert not any("装甲车" in t or "观察者网" in t for t in refused)
    assert "8辆装甲车" in answers_to(fake, 52)[0]


def test_the_per_user_rate_limit_answers_politely(qa):
    async def scenario(fake, app):
        for n in range(4):
            fake.push(message_update(61, QUESTION, message_id=n + 1))
        await fake.wait_for(lambda: len(fake.sent()) >= 4)

    fake = run_bot(qa, scenario, rate_limit=3)
    texts = answers_to(fake, 61)
    assert sum("8辆装甲车" in t for t in texts) == 3
    assert sum("提问太频繁" in t for t in texts) == 1


def test_a_button_shows_the_cited_paragraph_in_full(qa):
    async def scenario(fake, app):
        fake.push(message_update(71, QUESTION))
        await fake.wait_for(lambda: len(fake.sent()) >= 1)
        sent = fake.sent()[0]
        data = sent["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
        answer_message = {"message_id": 5000, "date": 0, "chat": {"id": 71, "type": "private"}, "from": BOT,
                          "text": sent["text"]}
        fake.push(callback_update(71, 71, data, answer_message))
        await fake.wait_for(lambda: len(fake.sent()) >= 2)

    fake = run_bot(qa, scenario)
    paragraph = fake.sent()[1]["text"]
    assert "向邻国派遣了150名士兵、8辆装甲车和11辆载有装备的车辆" in paragraph
    assert "Aljazeera 半岛网, 2022-01-08 · ¶21" in paragraph
    assert fake.sent("answerCallbackQuery")


def test_a_button_shows_a_long_paragraph_whole_though_it_was_indexed_in_parts(tmp_path, embedder):
    from qabot.frontends.telegram_bot import _key

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    sentences = [f"第{n}号渡轮今天按时离开了港口。" for n in range(1, 101)]
    (corpus / "ferry.md").write_text("---\ntitle: 渡轮\nauthor: 港口报\ndate: 2024-03-01\n---\n\n<p>"
                                     + "".join(sentences) + "</p>\n", encoding="utf-8")
    build_index(tmp_path / "index", [corpus], embedder, progress=False)
    long_qa = QA(load_index(tmp_path / "index", embedder.id), embedder)
    parts = long_qa.index.passages
    assert len(parts) > 2  # the paragraph was cut to be indexed
    middle = parts[len(parts) // 2]

    async def scenario(fake, app):
        message = {"message_id": 5000, "date": 0, "chat": {"id": 72, "type": "private"}, "from": BOT, "text": "…"}
        fake.push(callback_update(72, 72, f"p:{_key(middle.id)}", message))
        await fake.wait_for(lambda: len(fake.sent()) >= 1)

    fake = run_bot(long_qa, scenario)
    shown = "".join(answers_to(fake, 72))
    assert sentences[0] in shown and sentences[-1] in shown and middle.text in shown
    assert "".join(sentences) in shown.replace("\n", "")  # every part, in order, nothing between them


def test_a_429_is_retried_and_the_answer_still_arrives(qa):
    async def scenario(fake, app):
        fake.fail_next("sendMessage", times=2, retry_after=1)
        fake.push(message_update(81, QUESTION))
        await fake.wait_for(lambda: len(fake.sent()) >= 3, timeout=30)

    fake = run_bot(qa, scenario)
    attempts = fake.sent("sendMessage", 81)
    assert len(attempts) == 3  # two refused, the third delivered
    assert "8辆装甲车" in attempts[-1]["text"]


def test_an_error_in_one_update_gets_an_apology_and_the_bot_keeps_running(qa, caplog):
    async def scenario(fake, app):
        fake.fail_next("sendMessage", times=1, code=400)  # Telegram refuses the answer itself
        fake.push(message_update(85, QUESTION))
        await fake.wait_for(lambda: len(fake.sent()) >= 2)
        fake.push(message_update(85, "德国外交部副发言人是谁？", message_id=2))
        await fake.wait_for(lambda: len(fake.sent()) >= 3)

    with caplog.at_level(logging.ERROR):
        fake = run_bot(qa, scenario)
    texts = answers_to(fake, 85)
    assert "抱歉，出了点问题" in texts[1] and "霍夫曼" in texts[2]
    assert "an update failed" in caplog.text and TOKEN not in caplog.text


def test_a_question_deleted_before_its_answer_still_gets_the_answer(qa):
    async def scenario(fake, app):
        fake.delete(86, 1)  # gone by the time the answer quotes it: Telegram refuses a reply to it unless told
        fake.push(message_update(86, QUESTION))
        await fake.wait_for(lambda: len(fake.sent()) >= 1)

    fake = run_bot(qa, scenario)
    sent = fake.sent("sendMessage", 86)
    assert len(sent) == 1 and "8辆装甲车" in sent[0]["text"]
    assert sent[0]["reply_parameters"]["allow_sending_without_reply"] is True


def test_commands_the_bot_lacks_pictures_with_a_question_and_a_page_shown_twice_get_sensible_replies(qa):
    async def scenario(fake, app):
        fake.push(message_update(87, "/source 半岛网", entities=command_entities("/source 半岛网")))
        fake.push(message_update(87, None, message_id=2, extra={
            "caption": QUESTION, "photo": [{"file_id": "p1", "file_unique_id": "u2", "width": 90, "height": 90}]}))
        fake.push(message_update(88, "/help", language="de", entities=command_entities("/help")))
        caption = f"@{BOT['username']} {QUESTION}"
        fake.push(message_update(-89, None, uid=89, chat_type="group", extra={
            "caption": caption, "caption_entities": mention_entities(caption),
            "photo": [{"file_id": "p2", "file_unique_id": "u3", "width": 90, "height": 90}]}))
        fake.push(message_update(87, "/sources", message_id=3, entities=command_entities("/sources")))
        await fake.wait_for(lambda: len(fake.sent()) >= 5)
        listing = next(p for p in fake.sent() if "共 5 篇文章" in p["text"])
        shown_as = next(key[1] for key, shown in fake.shown.items() if json.loads(shown)[0] == listing["text"])
        message = {"message_id": shown_as, "date": 0, "chat": {"id": 87, "type": "private"}, "from": BOT,
                   "text": listing["text"]}
        fake.push(callback_update(87, 87, "s:0", message))  # the page it shows already: Telegram edits nothing
        await fake.wait_for(lambda: len(fake.sent("answerCallbackQuery")) >= 1)
        await asyncio.sleep(0.5)

    fake = run_bot(qa, scenario)
    texts = answers_to(fake, 87)
    assert any("没有这个命令" in t and "半岛网1月8日怎么说" in t for t in texts)  # how to ask one outlet instead
    assert any("8辆装甲车" in t for t in texts)  # the picture's caption asked it
    assert "8辆装甲车" in answers_to(fake, -89)[0]  # in a group, a caption that mentions the bot
    assert "I do not know" not in " ".join(texts) and "Send a question" in answers_to(fake, 88)[0]  # German: English
    assert fake.sent("editMessageText", 87)  # tried, refused as "not modified", and no apology for it
    assert not [p for p in fake.sent() if "抱歉，出了点问题" in p["text"]]


@pytest.mark.slow
@pytest.mark.parametrize("max_rate", [30.0, 10_000.0], ids=["telegram-flood-limit", "unthrottled"])
def test_a_burst_of_100_questions_from_20_chats_is_answered_in_full(qa, capsys, max_rate):
    questions = ["吉尔吉斯斯坦派出了多少辆装甲车？", "德国外交部副发言人是谁？", "上合组织反恐机构设在哪个城市？",
                 "骚乱造成的物质损失大约有多少欧元？", "托卡耶夫宣布哪天为全国哀悼日？"]

    async def scenario(fake, app):
        for n in range(100):
            fake.push(message_update(9000 + n % 20, questions[n % 5], message_id=n + 1))
        await fake.wait_for(lambda: len(fake.sent()) >= 100, timeout=120)

    served_qa = QA(qa.index, qa.embedder, cache_size=512)  # as `qabot telegram` serves
    fake = run_bot(served_qa, scenario, telegram_max_rate=max_rate)
    sent = fake.sent()
    assert len(sent) == 100
    answered = {(int(p["chat_id"]), p["reply_parameters"]["message_id"]) for p in sent}
    assert answered == {(9000 + n % 20, n + 1) for n in range(100)}  # none lost, none doubled
    served = sorted(fake.served_at.values())[0]
    arrivals = sorted(t for m, _, t in fake.calls if m == "sendMessage")
    latencies = [t - served for t in arrivals]
    with capsys.disabled():
        print(f"\nburst of 100 at {max_rate:g} messages/s: served->sendMessage p50 {statistics.median(latencies):.2f} s, "
              f"p95 {latencies[94]:.2f} s, last {latencies[-1]:.2f} s")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def listening(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            assert time.monotonic() < deadline, f"nothing listens on port {port} after {timeout:.0f} s"
            await asyncio.sleep(0.05)
            continue
        writer.close()
        await writer.wait_closed()
        return


def test_webhook_mode_answers_with_the_secret_and_rejects_without(qa):
    port = free_port()
    update = {"update_id": 1, **message_update(91, QUESTION)}
    statuses = {}

    async def main():
        fake = FakeBotAPI(TOKEN)
        url = await fake.start()
        settings = Settings(telegram_token=TOKEN, telegram_api_url=url, webhook_url=f"http://127.0.0.1:{port}/hook",
                            listen="127.0.0.1", port=port)
        serving = asyncio.create_task(serve(build_application(qa, settings), settings))
        try:
            await fake.wait_for(lambda: fake.sent("setWebhook"))  # then the webhook server starts listening
            await listening(port)
            async with aiohttp.ClientSession() as session:
                for label, headers in (("none", {}), ("wrong", {"X-Telegram-Bot-Api-Secret-Token": "nope"}),
                                       ("right", {"X-Telegram-Bot-Api-Secret-Token": webhook_secret(settings)})):
                    body = {**update, "update_id": len(statuses) + 1}
                    async with session.post(f"http://127.0.0.1:{port}/hook", json=body, headers=headers) as r:
                        statuses[label] = r.status
            await fake.wait_for(lambda: len(fake.sent()) >= 1)
            await asyncio.sleep(0.3)
        finally:
            serving.cancel()
            await asyncio.gather(serving, return_exceptions=True)
            await fake.stop()
        return fake, webhook_secret(settings)

    fake, secret = asyncio.run(main())
    assert statuses == {"none": 403, "wrong": 403, "right": 200}
    assert len(fake.sent()) == 1 and "8辆装甲车" in fake.sent()[0]["text"]
    assert fake.sent("setWebhook")[0]["secret_token"] == secret
    assert not fake.sent("deleteWebhook")  # a webhook replica never clears the webhook the others serve


def test_the_bot_stamps_its_heartbeat_after_a_probe_answer(qa, tmp_path):
    beat = tmp_path / "heartbeat"

    async def scenario(fake, app):
        await fake.wait_for(beat.exists, timeout=30)

    run_bot(qa, scenario, heartbeat_file=str(beat))
    assert float(beat.read_text(encoding="utf-8")) <= time.time()


def test_the_token_never_reaches_a_log_line_or_a_repr():
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, "GET https://api.telegram.org/bot%s/getMe failed",
                               (TOKEN,), None)
    try:
        raise RuntimeError(f"connect error for https://api.telegram.org/bot{TOKEN}/getMe")
    except RuntimeError:
        record.exc_info = sys.exc_info()
    RedactToken(TOKEN).filter(record)
    assert TOKEN not in record.getMessage() and "<token>" in record.getMessage()
    assert TOKEN not in repr(Settings(telegram_token=TOKEN))


@pytest.mark.slow
def test_qabot_telegram_command_answers_through_the_fake_api(seed_index_dir):
    """The real command line: `qabot telegram` polling the fake Bot API in another process."""
    port = free_port()
    fake = subprocess.Popen([sys.executable, str(ROOT / "tests" / "fake_bot_api.py"), "--port", str(port),
                             "--token", TOKEN, "--question", QUESTION, "--wait", "90"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(1.0)
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_URL": f"http://127.0.0.1:{port}"}
    bot = subprocess.Popen([sys.executable, "-m", "qabot", "telegram", "--index", str(seed_index_dir)],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    try:
        out, err = fake.communicate(timeout=120)
    finally:
        bot.terminate()
        bot_out, bot_err = bot.communicate(timeout=30)
    assert fake.returncode == 0, out + err + bot_err
    answers = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    assert "8辆装甲车" in answers[0]["text"]
    assert TOKEN not in bot_err and TOKEN not in bot_out
    assert "question chat=private" in bot_err  # one log line per question
    assert "answered=True citations=" in bot_err


# -- `qabot telegram` under a bad token, a bad network and SIGTERM: the real command in its own process -------------
WRONG_TOKEN = "111222333:AAH" + "y" * 32
STOP_SECONDS = 5.0  # `docker stop` sends SIGTERM, then SIGKILL after 10 s
LINES = {  # every line the bot may log in these tests, by kind
    "retry": re.compile(r"qabot: the Bot API at http://127\.0\.0\.1:\d+ does not answer \(.+\): "
                        r"attempt (\d+), trying again in (\d+) s"),
    "polling": re.compile(r"qabot: polling Telegram for updates .*"),
    "question": re.compile(r"qabot: question chat=private latency_ms=\d+ answered=True citations=\d+"),
    "lost": re.compile(r"qabot: lost the Bot API \(.+\): polling again with backoff \(up to 30 s\) until it answers"),
    "back": re.compile(r"qabot: the Bot API answers again after \d+ s without it"),
    "stopping": re.compile(r"qabot: stopping on SIGTERM"),
}


class BotProcess:
    """`qabot telegram` run as a user runs it, in its own process; each line of its log kept with when it came."""

    def __init__(self, index_dir, api_url: str, token: str = TOKEN, flags: tuple[str, ...] = (), **env: str):
        clean = {k: v for k, v in os.environ.items() if not k.startswith(("QABOT_", "TELEGRAM_"))}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "qabot", *flags, "telegram", "--index", str(index_dir)], cwd=ROOT, text=True,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            env={**clean, "TELEGRAM_BOT_TOKEN": token, "TELEGRAM_API_URL": api_url, **env})
        self.timed: list[tuple[float, str]] = []
        self.stdout: list[str] = []
        self.readers = [threading.Thread(target=self._read, args=(self.process.stderr, True), daemon=True),
                        threading.Thread(target=self._read, args=(self.process.stdout, False), daemon=True)]
        for reader in self.readers:
            reader.start()

    def _read(self, stream, timed: bool) -> None:
        for line in stream:
            if timed:
                self.timed.append((time.monotonic(), line.rstrip("\n")))
            else:
                self.stdout.append(line)

    def __enter__(self) -> BotProcess:
        return self

    def __exit__(self, *exc) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=30)

    @property
    def lines(self) -> list[str]:
        return [line for _, line in self.timed]

    @property
    def log(self) -> str:
        return "\n".join(self.lines)

    def wait_for(self, kind: str, count: int = 1, timeout: float = 180.0) -> None:
        """Until `count` lines of this kind are in the log (the first start loads the model: a loaded machine is slow)."""
        deadline = time.monotonic() + timeout
        while sum(bool(LINES[kind].fullmatch(line)) for line in self.lines) < count:
            if self.process.poll() is not None:
                self.ended()
                raise AssertionError(f"the bot ended (exit {self.process.returncode}) before {count} {kind} "
                                     f"lines:\n{self.log}")
            if time.monotonic() > deadline:
                raise AssertionError(f"fewer than {count} {kind} lines in {timeout:.0f} s:\n{self.log}")
            time.sleep(0.05)

    def ended(self, timeout: float = 180.0) -> int:
        code = self.process.wait(timeout=timeout)
        for reader in self.readers:
            reader.join(timeout=10)
        return code

    def stop(self) -> tuple[int, float]:
        """SIGTERM, as `docker stop` sends: the exit code and the seconds from the signal to the end."""
        sent = time.monotonic()
        self.process.send_signal(signal.SIGTERM)
        code = self.process.wait(timeout=60)
        seconds = time.monotonic() - sent
        self.ended()
        return code, seconds

    def kinds(self) -> list[str]:
        """The kind of each log line, in order; a line of no known kind (a traceback, say) fails the test."""
        found = []
        for line in self.lines:
            kind = next((k for k, pattern in LINES.items() if pattern.fullmatch(line)), None)
            assert kind, f"an unexpected log line: {line!r}\n{self.log}"
            found.append(kind)
        return found

    def assert_clean(self, token: str = TOKEN) -> None:
        everything = self.log + "".join(self.stdout)
        assert token not in everything and token.partition(":")[2] not in everything
        for noise in ("Traceback", "Task was destroyed", "Event loop is closed"):
            assert noise not in everything, self.log


def until(predicate, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, f"not so after {timeout:.0f} s"
        time.sleep(0.05)


def stopped_cleanly(bot: BotProcess) -> None:
    code, seconds = bot.stop()
    assert code == 0, bot.log
    assert seconds < STOP_SECONDS, f"{seconds:.1f} s from SIGTERM to exit"


@pytest.mark.slow
@pytest.mark.parametrize("status", [401, 404])
def test_a_token_the_server_refuses_is_one_line_without_the_token_and_exit_code_2(seed_index_dir, status):
    with InThread(FakeBotAPI(TOKEN, refuse=status), free_port()) as fake, \
            BotProcess(seed_index_dir, fake.api.url, token=WRONG_TOKEN) as bot:
        code = bot.ended()
    assert code == 2, bot.log
    assert bot.lines == ["qabot: error: the Bot API server refused the token of bot 111222333: check "
                         "TELEGRAM_BOT_TOKEN (@BotFather /mybots → API Token shows the current one)"]
    assert not bot.stdout
    bot.assert_clean(WRONG_TOKEN)
    assert len(fake.api.sent("refused")) == 1  # a refused token is not tried again


@pytest.mark.slow
def test_the_token_stays_out_of_the_debug_log(seed_index_dir):
    """With -vv every HTTP request is logged, with the URL that holds the token."""
    with InThread(FakeBotAPI(TOKEN), free_port()) as fake, \
            BotProcess(seed_index_dir, fake.api.url, token=WRONG_TOKEN, flags=("-vv",)) as bot:
        code = bot.ended()
    assert code == 2
    assert "qabot: error: the Bot API server refused the token of bot 111222333: check" in bot.log
    assert "/bot<token>/getMe" in bot.log  # httpx's request line, redacted
    bot.assert_clean(WRONG_TOKEN)


@pytest.mark.slow
def test_a_bot_api_unreachable_at_start_is_retried_with_backoff_and_served_once_it_answers(seed_index_dir):
    port = free_port()  # nothing listens there until the fake starts
    with BotProcess(seed_index_dir, f"http://127.0.0.1:{port}") as bot:
        bot.wait_for("retry", count=3)
        with InThread(FakeBotAPI(TOKEN), port) as fake:
            bot.wait_for("polling", timeout=60)
            fake.push(message_update(101, QUESTION))
            bot.wait_for("question")
            stopped_cleanly(bot)
    bot.assert_clean()
    kinds = bot.kinds()
    retries = kinds.count("retry")
    assert kinds == ["retry"] * retries + ["polling", "question", "stopping"]
    numbers = [LINES["retry"].fullmatch(line).groups() for line in bot.lines[:retries]]
    assert [int(n) for n, _ in numbers] == list(range(1, retries + 1))  # one line an attempt
    pauses = [int(p) for _, p in numbers]
    assert pauses == [min(30, 2 ** n) for n in range(retries)]  # 1, 2, 4, 8 … seconds
    times = [t for t, _ in bot.timed[:retries + 1]]
    for pause, before, after in zip(pauses, times[:-1], times[1:], strict=True):
        assert after - before >= pause - 0.5  # it waits as it says
    assert "8辆装甲车" in fake.api.sent("sendMessage", 101)[0]["text"]


@pytest.mark.slow
def test_a_bot_api_gone_while_serving_is_one_warning_then_one_line_when_it_is_back(seed_index_dir, tmp_path):
    with InThread(FakeBotAPI(TOKEN), free_port()) as fake, \
            BotProcess(seed_index_dir, fake.api.url, QABOT_HEARTBEAT=str(tmp_path / "beat")) as bot:
        bot.wait_for("polling")
        fake.push(message_update(102, QUESTION))
        bot.wait_for("question")
        fake.stop()
        bot.wait_for("lost", timeout=60)
        time.sleep(8)  # attempts at about 1, 3 and 7 s: none of them logs again
        fake.start()  # on the same port
        bot.wait_for("back", timeout=60)
        fake.push(message_update(102, "德国外交部副发言人是谁？", message_id=2))
        bot.wait_for("question", count=2)
        stopped_cleanly(bot)
    bot.assert_clean()
    assert bot.kinds() == ["polling", "question", "lost", "back", "question", "stopping"]
    texts = answers_to(fake.api, 102)
    assert len(texts) == 2 and "8辆装甲车" in texts[0] and "霍夫曼" in texts[1]  # each answered once


@pytest.mark.slow
@pytest.mark.parametrize("when", ["warming up", "waiting for the API"])
def test_one_sigterm_ends_the_bot_within_5_s_cleanly(seed_index_dir, tmp_path, when):
    with InThread(FakeBotAPI(TOKEN), free_port()) as fake:
        url = fake.api.url if when == "warming up" else f"http://127.0.0.1:{free_port()}"
        with BotProcess(seed_index_dir, url, QABOT_HEARTBEAT=str(tmp_path / "beat")) as bot:  # as the container
            if when == "warming up":
                until(lambda: fake.api.sent("getMe"))  # connected: the first answer's costs are being paid
            else:
                bot.wait_for("retry", count=4)  # the next attempt is 8 s away
            stopped_cleanly(bot)
    bot.assert_clean()
    if when == "warming up":
        assert bot.kinds() in (["stopping"], ["polling", "stopping"])  # (a fast machine may be serving already)
    else:
        assert bot.kinds() == ["retry"] * 4 + ["stopping"]
