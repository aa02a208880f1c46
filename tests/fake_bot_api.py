"""A small fake Telegram Bot API server on loopback: serves what qabot's bot calls, checks it as Telegram does
(4096-character limit, strict HTML, a reply to a deleted message, an edit that changes nothing), records every call, can answer 429 on demand, refuses any other token (401 or
404, as Telegram does), and can be stopped and started again on the same port (`InThread` drives it from a test that
runs `qabot telegram` in another process).

Also runnable on its own (for the container check): python tests/fake_bot_api.py --port 8081 --script FILE
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import threading
import time
from html.parser import HTMLParser

from aiohttp import web

BOT = {"id": 777000111, "is_bot": True, "first_name": "qabot", "username": "qabot_test_bot",
       "can_join_groups": True, "can_read_all_group_messages": False, "supports_inline_queries": False}
ALLOWED_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler", "a", "tg-emoji",
                "code", "pre", "blockquote"}


class TelegramHTML(HTMLParser):
    """Telegram's HTML subset, strictly: known tags, properly nested, only &lt; &gt; &amp; &quot; and numeric
    entities, no stray < > &."""

    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.stack: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in ALLOWED_TAGS:
            raise ValueError(f"Can't parse entities: unsupported start tag \"{tag}\"")
        self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            raise ValueError(f"Can't parse entities: can't find end tag corresponding to start tag \"{tag}\"")
        self.stack.pop()

    def handle_entityref(self, name):
        if name not in ("lt", "gt", "amp", "quot"):
            raise ValueError(f"Can't parse entities: unsupported entity &{name};")

    def handle_data(self, data):
        if "<" in data or ">" in data:
            raise ValueError("Can't parse entities: unescaped < or >")


def check_html(text: str) -> None:
    if re.search(r"&(?!lt;|gt;|amp;|quot;|#\d+;|#x[0-9a-fA-F]+;)", text):
        raise ValueError("Can't parse entities: unescaped &")
    if re.search(r"<(?![a-zA-Z/])", text):
        raise ValueError("Can't parse entities: unescaped <")
    parser = TelegramHTML()
    parser.feed(text)
    parser.close()
    if parser.stack:
        raise ValueError(f"Can't parse entities: unclosed tag \"{parser.stack[-1]}\"")


class FakeBotAPI:
    def __init__(self, token: str, refuse: int = 401):
        self.token = token
        self.refuse = refuse  # the status for any other token: 401 Unauthorized (Telegram's for a revoked one) or 404
        self.calls: list[tuple[str, dict, float]] = []
        self.updates: list[dict] = []
        self.new_update = asyncio.Event()
        self.failures: dict[str, list[dict]] = {}
        self.chats: dict[int, dict] = {}
        self.next_message_id = 1000
        self.next_update_id = 1
        self.deleted: set[tuple[int, int]] = set()  # (chat_id, message_id) of messages their users deleted
        self.shown: dict[tuple[int, int], str] = {}  # (chat_id, message_id) -> the text and buttons a message shows
        self.served_at: dict[int, float] = {}  # update_id -> when getUpdates handed it out
        self.runner: web.AppRunner | None = None
        self.url = ""

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        self.runner = web.AppRunner(app, shutdown_timeout=0.5)
        await self.runner.setup()
        site = web.TCPSite(self.runner, host, port)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]
        self.url = f"http://{host}:{port}"
        return self.url

    async def stop(self) -> None:
        """Stop serving (a pending long poll is answered first); `start(port=…)` serves again on the same port."""
        if self.runner:
            await self.runner.cleanup()
            self.runner = None

    # -- what tests use ---------------------------------------------------------------------------------------
    def push(self, update: dict) -> int:
        update = {"update_id": self.next_update_id, **update}
        self.next_update_id += 1
        self.updates.append(update)
        self.new_update.set()
        return update["update_id"]

    def delete(self, chat_id: int, message_id: int) -> None:
        """The user deletes a message: a reply to it fails unless it may be sent without the reply, as in Telegram."""
        self.deleted.add((chat_id, message_id))

    def fail_next(self, method: str, times: int = 1, retry_after: int = 1, code: int = 429) -> None:
        """The next calls of `method` fail: 429 with retry_after, or another code (400: a Bad Request)."""
        body = {"ok": False, "error_code": code, "description": "Bad Request: can't parse entities"}
        if code == 429:
            body = {"ok": False, "error_code": 429, "description": f"Too Many Requests: retry after {retry_after}",
                    "parameters": {"retry_after": retry_after}}
        self.failures.setdefault(method, []).extend(dict(body) for _ in range(times))

    def sent(self, method: str = "sendMessage", chat_id: int | None = None) -> list[dict]:
        return [p for m, p, _ in self.calls if m == method and (chat_id is None or int(p.get("chat_id", 0)) == chat_id)]

    async def wait_for(self, predicate, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while not predicate():
            if time.monotonic() > deadline:
                raise TimeoutError("the fake Bot API did not see the expected calls in time")
            await asyncio.sleep(0.02)

    # -- the API ------------------------------------------------------------------------------------------------
    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            self.calls.append(("refused", {}, time.monotonic()))
            return _error(self.refuse, "Unauthorized" if self.refuse == 401 else "Not Found")
        method = request.match_info["method"]
        params = dict(request.query)
        if request.can_read_body:
            if request.content_type == "application/json":
                params.update(await request.json())
            else:
                params.update({k: v for k, v in (await request.post()).items() if isinstance(v, str)})
        params = {k: _decode(v) for k, v in params.items()}
        if method != "getUpdates":
            self.calls.append((method, params, time.monotonic()))
        queued = self.failures.get(method)
        if queued:
            body = queued.pop(0)
            return web.json_response(body, status=body["error_code"])
        handler = getattr(self, f"_{method}", None)
        if handler is None:
            return _error(404, f"Not Found: method {method} not served by the fake")
        try:
            result = await handler(params)
        except ValueError as exc:
            return _error(400, f"Bad Request: {exc}")
        return web.json_response({"ok": True, "result": result})

    async def _getMe(self, params):
        return BOT

    async def _getUpdates(self, params):
        offset = int(params.get("offset") or 0)
        timeout = min(float(params.get("timeout") or 0), 2.0)
        self.updates = [u for u in self.updates if u["update_id"] >= offset]
        if not self.updates and timeout:
            self.new_update.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.new_update.wait(), timeout)
        batch = [u for u in self.updates if u["update_id"] >= offset][:int(params.get("limit") or 100)]
        now = time.monotonic()
        for update in batch:
            self.served_at.setdefault(update["update_id"], now)
        return batch

    async def _sendMessage(self, params):
        text = str(params.get("text", ""))
        if not text.strip():
            raise ValueError("message text is empty")
        if len(text) > 4096:
            raise ValueError("message is too long")
        if str(params.get("parse_mode", "")).upper() == "HTML":
            check_html(text)
        replied = params.get("reply_parameters") or {}
        if (int(params["chat_id"]), int(replied.get("message_id", 0))) in self.deleted and \
                not replied.get("allow_sending_without_reply"):
            raise ValueError("message to be replied not found")
        return self._message(params, text)

    async def _editMessageText(self, params):
        key = (int(params["chat_id"]), int(params["message_id"]))
        if self.shown.get(key) == json.dumps([params.get("text"), params.get("reply_markup")], sort_keys=True):
            raise ValueError("message is not modified: specified new message content and reply markup are exactly "
                             "the same as a current content and reply markup of the message")
        edited = await self._sendMessage(params)
        self.shown[key] = json.dumps([params.get("text"), params.get("reply_markup")], sort_keys=True)
        return {**edited, "message_id": key[1]}

    async def _sendChatAction(self, params):
        return True

    async def _setMyCommands(self, params):
        return True

    async def _answerCallbackQuery(self, params):
        return True

    async def _deleteWebhook(self, params):
        return True

    async def _setWebhook(self, params):
        return True

    async def _getWebhookInfo(self, params):
        return {"url": "", "has_custom_certificate": False, "pending_update_count": 0}

    def _message(self, params, text):
        chat_id = int(params["chat_id"])
        self.next_message_id += 1
        self.shown[(chat_id, self.next_message_id)] = json.dumps([text, params.get("reply_markup")], sort_keys=True)
        return {"message_id": self.next_message_id, "date": int(time.time()), "from": BOT, "text": text,
                "chat": self.chats.get(chat_id, {"id": chat_id, "type": "private" if chat_id > 0 else "group"})}


class InThread:
    """The fake served by an event loop of its own thread, so that a test can drive a `qabot telegram` process
    meanwhile: `with InThread(FakeBotAPI(token), port) as fake:` … `fake.stop()`, `fake.start()` (the same port)."""

    def __init__(self, api: FakeBotAPI, port: int):
        self.api, self.port = api, port
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="fake-bot-api", daemon=True)

    def __enter__(self) -> InThread:
        self.thread.start()
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()
        self._call(_cancel_the_rest())  # a long poll cut short by the stop, say
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)
        self.loop.close()

    def start(self) -> None:
        self._call(self.api.start(port=self.port))

    def stop(self) -> None:
        self._call(self.api.stop())

    def push(self, update: dict) -> int:
        async def push() -> int:
            return self.api.push(update)

        return self._call(push())

    def wait_for(self, predicate, timeout: float = 60.0) -> None:
        self._call(self.api.wait_for(predicate, timeout), timeout + 10)

    def _call(self, coroutine, timeout: float = 30.0):
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)


async def _cancel_the_rest() -> None:
    tasks = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


def _decode(value):
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _error(code: int, description: str) -> web.Response:
    return web.json_response({"ok": False, "error_code": code, "description": description}, status=code)


# -- update builders ---------------------------------------------------------------------------------------------
def user(uid: int, language: str = "zh-hans") -> dict:
    return {"id": uid, "is_bot": False, "first_name": f"user{uid}", "language_code": language}


def message_update(chat_id: int, text: str | None, uid: int | None = None, chat_type: str = "private",
                   message_id: int = 1, entities: list | None = None, reply_to: dict | None = None,
                   language: str = "zh-hans", extra: dict | None = None) -> dict:
    chat = {"id": chat_id, "type": chat_type}
    if chat_type != "private":
        chat["title"] = "a group"
    message = {"message_id": message_id, "date": int(time.time()), "chat": chat,
               "from": user(uid or abs(chat_id), language)}
    if text is not None:
        message["text"] = text
    if entities:
        message["entities"] = entities
    if reply_to:
        message["reply_to_message"] = reply_to
    message.update(extra or {})
    return {"message": message}


def command_entities(text: str) -> list[dict]:
    command = text.split()[0]
    return [{"type": "bot_command", "offset": 0, "length": len(command)}]


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def mention_entities(text: str, username: str = BOT["username"]) -> list[dict]:
    at = text.index("@" + username)
    return [{"type": "mention", "offset": utf16_len(text[:at]), "length": utf16_len("@" + username)}]


def callback_update(chat_id: int, uid: int, data: str, message: dict) -> dict:
    return {"callback_query": {"id": str(time.monotonic_ns()), "from": user(uid), "chat_instance": "1",
                               "data": data, "message": message}}


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="Serve a fake Bot API on loopback and push scripted updates.")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--token", required=True)
    parser.add_argument("--question", action="append", default=[], help="a private question to push at start")
    parser.add_argument("--wait", type=float, default=120.0, help="seconds to wait for every answer")
    args = parser.parse_args()

    async def main() -> int:
        fake = FakeBotAPI(args.token)
        await fake.start(port=args.port)
        print(f"fake Bot API at {fake.url}", flush=True)
        started = time.monotonic()
        for n, question in enumerate(args.question, start=1):
            fake.push(message_update(1000 + n, question))
        try:
            await fake.wait_for(lambda: len(fake.sent()) >= len(args.question), timeout=args.wait)
        except TimeoutError:
            print("TIMEOUT: not every question was answered", flush=True)
            return 1
        for params in fake.sent():
            print(json.dumps({"chat_id": params["chat_id"], "text": params["text"]}, ensure_ascii=False), flush=True)
        print(f"answered {len(fake.sent())} in {time.monotonic() - started:.1f} s", flush=True)
        await fake.stop()
        return 0

    raise SystemExit(asyncio.run(main()))
