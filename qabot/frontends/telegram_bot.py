"""Telegram front end: python-telegram-bot v22 handlers over `QA.answer`, by long polling or by webhook."""

from __future__ import annotations

import asyncio
import collections
import contextlib
import hashlib
import itertools
import logging
import re
import threading
import time
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from telegram import BotCommand, InlineKeyboardButton, InlineKeyboardMarkup, Message, MessageEntity, Update
from telegram.constants import ChatAction, ChatType, ParseMode
from telegram.error import BadRequest, NetworkError, RetryAfter, TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    MessageHandler,
    filters,
)

from qabot.errors import ConfigError, QabotError
from qabot.frontends import telegram_serve
from qabot.frontends.telegram_html import (
    answer_messages,
    escape,
    help_text,
    paragraph_messages,
    sources_message,
    start_text,
)
from qabot.ingest.passages import BYLINE, CAPTION
from qabot.qa import QA
from qabot.settings import HEARTBEAT_SECONDS, Settings

logger = logging.getLogger(__name__)

TOKEN_SHAPE = re.compile(r"^\d{3,}:[A-Za-z0-9_-]{20,}$")
PER_PAGE = 10
ANSWER_THREADS = 32
SEND_TRIES = 3  # a 429 the rate limiter hands on is waited out this many times
SEND_PATIENCE = 60.0  # seconds a reply keeps being retried through network failures (1, 2, 4, 8, 10, 10 … s apart)
BUTTONS, PER_ROW = 24, 4  # "原文" buttons under an answer (Telegram allows 8 a row): one a citation, up to BUTTONS
SHOWN_KEYS = 10_000  # buttons whose passage is found at once; older ones take one pass over the index
COMMANDS = [("ask", "ask a question (in groups) / 提问"), ("sources", "the articles / 文章列表"),
            ("help", "how to use this bot / 帮助"), ("start", "what this bot knows / 简介")]
UNTHROTTLED = {"sendChatAction", "answerCallbackQuery", "getMe", "getUpdates", "setMyCommands", "deleteWebhook",
               "setWebhook", "getWebhookInfo", "close", "logOut"}


def check_token(token: str) -> None:
    """A missing or malformed token is the user's mistake: one clear line (that never shows the token)."""
    if not token:
        raise ConfigError("TELEGRAM_BOT_TOKEN is not set: create a bot with @BotFather and export its token")
    if not TOKEN_SHAPE.match(token):
        raise ConfigError("TELEGRAM_BOT_TOKEN is malformed: it looks like 123456789:AA... (digits, a colon, "
                          "then letters, digits, _ or -)")


class RedactToken(logging.Filter):
    """Keeps the token out of every log line, tracebacks included (HTTP errors quote the URL that holds it)."""

    def __init__(self, token: str):
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.token:
            return True
        message = record.getMessage()
        if record.exc_info:
            message += "\n" + logging.Formatter().formatException(record.exc_info)
            record.exc_info, record.exc_text = None, None
        record.msg, record.args = message.replace(self.token, "<token>"), ()
        return True


class MessageLimiter(AIORateLimiter):
    """Telegram's flood limits on messages; chat actions and callback answers pass without waiting their turn."""

    async def process_request(self, callback, args, kwargs, endpoint, data, rate_limit_args):
        if endpoint in UNTHROTTLED:
            data = {}  # no chat id: only the RetryAfter handling applies
        return await super().process_request(callback, args, kwargs, endpoint, data, rate_limit_args)


class Gate:
    """Who may ask: the allow-lists, and a per-user sliding window of questions a minute."""

    def __init__(self, settings: Settings):
        self.users, self.chats, self.per_minute = settings.allowed_users, settings.allowed_chats, settings.rate_limit
        self.asked: dict[int, collections.deque] = collections.defaultdict(collections.deque)

    def admits(self, user_id: int | None, chat_id: int) -> bool:
        if not (self.users or self.chats):
            return True
        return (user_id in self.users) or (chat_id in self.chats)

    def take(self, user_id: int | None, now: float | None = None) -> bool:
        """Count one question; False when the user has asked `per_minute` in the last minute."""
        if not self.per_minute or user_id is None:
            return True
        now = time.monotonic() if now is None else now
        window = self.asked[user_id]
        while window and now - window[0] > 60:
            window.popleft()
        if len(window) >= self.per_minute:
            return False
        window.append(now)
        return True


def build_application(qa: QA, settings: Settings) -> Application:
    check_token(settings.telegram_token)
    api = settings.telegram_api_url.rstrip("/")
    application = (
        ApplicationBuilder()
        .token(settings.telegram_token)
        .base_url(f"{api}/bot")
        .base_file_url(f"{api}/file/bot")
        .concurrent_updates(256)
        # every reply quotes the question, and is still sent when its question was deleted meanwhile
        .defaults(Defaults(allow_sending_without_reply=True))
        .rate_limiter(MessageLimiter(overall_max_rate=settings.telegram_max_rate, max_retries=5))
        .post_init(_post_init)
        .post_stop(_post_stop)
        .build()
    )
    application.bot_data.update(qa=qa, gate=Gate(settings), typing_after=settings.typing_after,
                                heartbeat=settings.heartbeat_file)
    application.add_handler(CommandHandler("start", on_start))
    application.add_handler(CommandHandler("help", on_help))
    application.add_handler(CommandHandler("sources", on_sources))
    application.add_handler(CommandHandler("ask", on_ask))
    application.add_handler(CallbackQueryHandler(on_button))
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, on_text))
    application.add_handler(MessageHandler(filters.ChatType.PRIVATE & filters.COMMAND, on_unknown_command))
    application.add_handler(MessageHandler(filters.CAPTION & ~filters.ChatType.PRIVATE, on_text))  # a picture's
    application.add_handler(MessageHandler(filters.ChatType.PRIVATE & ~filters.TEXT & ~filters.StatusUpdate.ALL,
                                           on_other))
    application.add_error_handler(on_error)
    return application


def run(qa: QA, settings: Settings) -> None:
    """Serve until SIGTERM: long polling, or a webhook server when a webhook URL is set."""
    telegram_serve.run(build_application(qa, settings), settings)


async def _post_init(application: Application) -> None:
    # Threads that wait for an answer another chat is computing must not starve those that compute.
    asyncio.get_running_loop().set_default_executor(ThreadPoolExecutor(max_workers=ANSWER_THREADS))
    await _in_daemon_thread(application.bot_data["qa"].warm_up)
    try:
        await application.bot.set_my_commands([BotCommand(name, text) for name, text in COMMANDS])
    except TelegramError as exc:  # the menu is a convenience: the bot answers without it
        logger.warning("could not set the command menu: %s", exc)
    if application.bot_data["heartbeat"]:
        application.bot_data["heartbeat_task"] = asyncio.create_task(_heartbeat(application))


async def _in_daemon_thread(work):
    """`work()` in a thread that the process's exit does not wait for: the warm-up takes seconds on a loaded machine,
    and a SIGTERM meanwhile must end the bot at once (an executor's thread would be waited for at exit)."""
    loop = asyncio.get_running_loop()
    done = loop.create_future()

    def settle(result, error) -> None:
        if done.done():  # cancelled by a stop meanwhile
            return
        if error:
            done.set_exception(error)
        else:
            done.set_result(result)

    def target() -> None:
        try:
            outcome = (work(), None)
        except Exception as exc:
            outcome = (None, exc)
        with contextlib.suppress(RuntimeError):  # the loop has closed: nobody waits any more
            loop.call_soon_threadsafe(settle, *outcome)

    threading.Thread(target=target, name="qabot-warm-up", daemon=True).start()
    return await done


async def _post_stop(application: Application) -> None:
    task = application.bot_data.pop("heartbeat_task", None)
    if task:
        task.cancel()


async def _heartbeat(application: Application) -> None:
    """Answer a probe question now and then and stamp a file: the container's health check reads the stamp."""
    path = Path(application.bot_data["heartbeat"])
    while True:
        try:
            await asyncio.to_thread(application.bot_data["qa"].warm_up)
            path.write_text(f"{time.time():.0f}\n", encoding="utf-8")
        except Exception:  # a failed probe leaves the stamp to go stale, which is the point
            logger.exception("the health probe failed")
        await asyncio.sleep(HEARTBEAT_SECONDS)


def _english(update: Update) -> bool:
    """Reply in English to a user whose Telegram speaks any language but Chinese (in Chinese when it says none)."""
    user = update.effective_user
    code = (user.language_code or "") if user else ""
    return bool(code) and not code.startswith("zh")


async def on_start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if _admitted(update, context):
        await _reply(update.effective_message, start_text(context.bot_data["qa"].index.articles(), _english(update)))


async def on_help(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await _reply(update.effective_message, help_text(_english(update)))


async def on_sources(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if not _admitted(update, context):
        return
    text, markup = _sources_page(context, 0, "en" if _english(update) else "zh")
    await _reply(update.effective_message, text, markup)


async def on_ask(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await _answer(update, context, " ".join(context.args or []))


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    if update.effective_chat.type == ChatType.PRIVATE:
        await _answer(update, context, message.text)
        return
    question = _addressed(message, context.bot.id, context.bot.username)
    if question is not None:
        await _answer(update, context, question)


async def on_unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A command the bot does not have (/foo, /source 半岛网): say which it has rather than keep silent."""
    if _admitted(update, context):
        await _reply(update.effective_message, help_text(_english(update), unknown=True))


async def on_other(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    if message.caption:  # a picture sent with the question as its caption
        await _answer(update, context, message.caption)
        return
    if not _admitted(update, context):
        return
    text = "Please send your question as text." if _english(update) else "请用文字发送问题。"
    await _reply(message, escape(text))


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    await query.answer()
    kind, _, value = (query.data or "").partition(":")
    if not _admitted(update, context, quiet=True) or query.message is None:  # (no inline mode: no message, no reply)
        return
    if kind == "p":
        passage = _passage_by_key(context, value)
        if passage is None:
            await _reply(query.message, escape("这段文字已不在索引中。/ The paragraph is no longer indexed."))
            return
        for text in paragraph_messages(passage, _parts(context.bot_data["qa"].index, passage)):
            await _reply(query.message, text)
    elif kind == "s" and value.isdigit():
        text, markup = _sources_page(context, int(value), "en" if _english(update) else "zh")
        try:
            await _send(lambda: query.edit_message_text(text, parse_mode=ParseMode.HTML, reply_markup=markup))
        except BadRequest as exc:  # the same page asked for twice (a double tap): Telegram will not "edit" it
            if "not modified" not in str(exc).lower():
                raise


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    # A network error has no bug to show: one line, no traceback.
    logger.error("an update failed: %s", context.error,
                 exc_info=None if isinstance(context.error, NetworkError) else context.error)
    if isinstance(update, Update) and update.effective_message:
        try:
            await update.effective_message.reply_text("抱歉，出了点问题，请稍后再试。Sorry, something went wrong.")
        except Exception:  # the apology is best effort: the bot keeps running either way
            logger.warning("could not send the apology")


async def _answer(update: Update, context: ContextTypes.DEFAULT_TYPE, question: str) -> None:
    message, chat = update.effective_message, update.effective_chat
    english = _english(update)
    if not _admitted(update, context):
        return
    if not question.strip():
        await _reply(message, escape("Ask a question, e.g. Who is Tokayev?" if english else
                                     "请写上问题，例如：托卡耶夫是谁？"))
        return
    user = update.effective_user
    if not context.bot_data["gate"].take(user.id if user else None):
        await _reply(message, escape("You are asking faster than I can read: please wait a minute." if english else
                                     "提问太频繁了，请稍等一分钟再问。"))
        return
    qa: QA = context.bot_data["qa"]
    started = time.perf_counter()
    work = asyncio.ensure_future(asyncio.to_thread(_reload_and_answer, qa, question))
    done, _ = await asyncio.wait({work}, timeout=context.bot_data["typing_after"])
    if not done:  # "typing…" only when the answer takes long enough for a person to notice
        try:
            await context.bot.send_chat_action(chat.id, ChatAction.TYPING)
        except NetworkError:
            logger.debug("no typing indicator for chat %s", chat.id)
    try:
        answer = await work
    except QabotError as exc:
        await _reply(message, escape(str(exc)))
        return
    texts = answer_messages(answer)
    shown = answer.citations[:BUTTONS]
    for citation in shown:
        _remember(context, citation.passage)
    keys = [InlineKeyboardButton(f"[{c.n}] {'full text' if answer.lang == 'en' else '原文'}",
                                 callback_data=f"p:{_key(c.passage.id)}") for c in shown]
    buttons = InlineKeyboardMarkup([keys[i:i + PER_ROW] for i in range(0, len(keys), PER_ROW)]) if keys else None
    for i, text in enumerate(texts):
        await _reply(message, text, buttons if i == len(texts) - 1 else None)
    logger.info("question chat=%s latency_ms=%.0f answered=%s citations=%d", chat.type,
                (time.perf_counter() - started) * 1000, answer.answered, len(answer.citations))


def _reload_and_answer(qa: QA, question: str):
    qa.reload_if_changed()
    return qa.answer(question)


def _admitted(update: Update, context: ContextTypes.DEFAULT_TYPE, quiet: bool = False) -> bool:
    user, chat = update.effective_user, update.effective_chat
    if context.bot_data["gate"].admits(user.id if user else None, chat.id):
        return True
    logger.info("refused user %s in chat %s (not on the allow-list)", user.id if user else None, chat.id)
    if not quiet and update.effective_message:
        context.application.create_task(_reply(update.effective_message, escape(
            "Sorry, this bot only answers invited users. / 抱歉，此机器人仅对受邀用户开放。")))
    return False


def _addressed(message: Message, bot_id: int, username: str | None) -> str | None:
    """The question in a group message (or a picture's caption) meant for the bot (a mention or a reply to it), else
    None."""
    text = message.text or message.caption or ""
    replied = message.reply_to_message
    if replied and replied.from_user and replied.from_user.id == bot_id:
        return text
    if username:
        mention = f"@{username}".lower()
        mentions = message.parse_entities([MessageEntity.MENTION]) if message.text else \
            message.parse_caption_entities([MessageEntity.MENTION])
        for value in mentions.values():
            if value.lower() == mention:
                return text.replace(value, " ").strip()
    return None


def _sources_page(context: ContextTypes.DEFAULT_TYPE, page: int, lang: str):
    articles = context.bot_data["qa"].index.articles()
    text, pages = sources_message(articles, page, PER_PAGE, lang)
    page = min(max(page, 0), pages - 1)
    row = []
    if page > 0:
        row.append(InlineKeyboardButton("‹", callback_data=f"s:{page - 1}"))
    if page < pages - 1:
        row.append(InlineKeyboardButton("›", callback_data=f"s:{page + 1}"))
    return text, InlineKeyboardMarkup([row]) if row else None


def _parts(index, passage) -> list:
    """The passages a long paragraph was indexed in (one for most; a caption or a byline stands alone)."""
    if passage.section in (CAPTION, BYLINE):
        return [passage]
    return [p for p in index.passages_of(passage.doc) if p.paragraph == passage.paragraph and p.section == passage.section]


def _key(passage_id: str) -> str:
    """A short, stable key for a passage (callback data holds at most 64 bytes)."""
    return hashlib.sha1(passage_id.encode()).hexdigest()[:20]


def _remember(context: ContextTypes.DEFAULT_TYPE, passage) -> None:
    """Keep the passages behind recent buttons at hand (the most recent SHOWN_KEYS of them)."""
    shown = context.bot_data.setdefault("shown", OrderedDict())
    shown[_key(passage.id)] = passage.id
    shown.move_to_end(_key(passage.id))
    while len(shown) > SHOWN_KEYS:
        shown.popitem(last=False)


def _passage_by_key(context: ContextTypes.DEFAULT_TYPE, key: str):
    """The passage behind a button, as the index being served holds it now. A button older than the recent ones
    (or from before a restart) costs one pass over the passages (with Milvus it has expired)."""
    index = context.bot_data["qa"].index
    wanted = context.bot_data.setdefault("shown", OrderedDict()).get(key)
    if wanted:
        return index.passage_by_id(wanted)
    if index.dir is None:
        return None
    return next((p for p in index.passages if _key(p.id) == key), None)


async def _reply(message: Message, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
    await _send(lambda: message.reply_text(text, parse_mode=ParseMode.HTML, reply_markup=markup, do_quote=True))


async def _send(make_call) -> None:
    """Send, retrying network failures for up to `SEND_PATIENCE` seconds (an outage of the Bot API or of this
    machine's network outlasts a second or two) and a 429 the rate limiter hands on; an answer is never dropped
    silently: what still fails goes to the error handler, which logs it and apologises."""
    waited, limited = 0.0, 0
    for attempt in itertools.count(1):
        try:
            await make_call()
            return
        except BadRequest:
            raise
        except RetryAfter as exc:
            limited += 1
            if limited == SEND_TRIES:
                raise
            await asyncio.sleep(exc.retry_after if isinstance(exc.retry_after, (int, float)) else
                                exc.retry_after.total_seconds())
        except NetworkError:
            pause = min(2.0 ** (attempt - 1), 10.0)
            if waited + pause > SEND_PATIENCE:
                raise
            logger.warning("sending failed (attempt %d), retrying in %.0f s", attempt, pause)
            await asyncio.sleep(pause)
            waited += pause
