"""A built Telegram `Application` → served until SIGTERM: connect with backoff, long-poll through outages, stop cleanly.

Our own loops rather than `Application.run_polling`: the library's retry loop sleeps up to 30 s between attempts
without watching for a stop (so `docker stop` during an outage would wait that long), hands every failed poll to the
error handlers as a traceback, and never says when the connection is back.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import signal
import time
from urllib.parse import urlparse

from telegram import Update
from telegram.error import InvalidToken, RetryAfter, TelegramError
from telegram.ext import Application

from qabot.errors import ConfigError
from qabot.settings import Settings

logger = logging.getLogger(__name__)

POLL_SECONDS = 10  # how long Telegram may hold a getUpdates that has nothing to hand out
FIRST_PAUSE, LONGEST_PAUSE = 1.0, 30.0  # seconds between attempts while the Bot API does not answer
CONFIRM_SECONDS = 1.0  # on the way out: telling Telegram which updates were taken
STOP_SECONDS = 2.5  # on the way out: finishing the answers in progress (SIGTERM must end the bot within 5 s)


def webhook_secret(settings: Settings) -> str:
    """The secret Telegram sends with every webhook request; the same on every replica that shares the token."""
    return settings.webhook_secret or hashlib.sha256(b"qabot-webhook:" + settings.telegram_token.encode()).hexdigest()


def run(application: Application, settings: Settings) -> None:
    """Serve until SIGTERM (what `docker stop` sends) or SIGINT; a token the server refuses raises ConfigError."""
    asyncio.run(_until_signalled(serve(application, settings)))


async def _until_signalled(work) -> None:
    task = asyncio.ensure_future(work)
    loop = asyncio.get_running_loop()
    for number in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(number, _stop_on, number, task)
    with contextlib.suppress(asyncio.CancelledError):
        await task


def _stop_on(number: int, task: asyncio.Task) -> None:
    logger.info("stopping on %s", signal.Signals(number).name)
    task.cancel()


async def serve(application: Application, settings: Settings) -> None:
    """Connect, then long-poll (or serve the webhook when one is set) until cancelled; stops cleanly either way."""
    try:
        await connect(application, settings.telegram_api_url, clear_webhook=not settings.webhook_url)
        if application.post_init:
            await application.post_init(application)
        await application.start()
        if settings.webhook_url:
            await _serve_webhook(application, settings)
        else:
            logger.warning("polling Telegram for updates as @%s (one process per bot: use --webhook-url for "
                           "replicas)", application.bot.username)
            await Poller(application).run()
    finally:
        await _stop(application)


async def connect(application: Application, api_url: str, clear_webhook: bool = True) -> None:
    """getMe (and, to poll, deleteWebhook) until the Bot API answers, one line an attempt; a refused token is the
    user's to fix, and the message shows at most the bot's id, never the secret after the colon."""
    attempt = 0
    while True:
        try:
            await application.initialize()
            if clear_webhook:  # getUpdates is refused while a webhook is set
                await application.bot.delete_webhook()
            return
        except InvalidToken:
            bot_id = application.bot.token.partition(":")[0]
            raise ConfigError(f"the Bot API server refused the token of bot {bot_id}: check TELEGRAM_BOT_TOKEN "
                              "(@BotFather /mybots → API Token shows the current one)") from None
        except TelegramError as exc:
            attempt += 1
            pause = _pause_after(exc, attempt)
            logger.warning("the Bot API at %s does not answer (%s): attempt %d, trying again in %.0f s", api_url,
                           exc, attempt, pause)
            await asyncio.sleep(pause)


class Poller:
    """Long polling into the application's update queue. A lost connection is one warning and a backoff, its return
    one line; on the way out the offset is confirmed, so a restart does not answer the same messages again."""

    def __init__(self, application: Application, timeout: float = POLL_SECONDS):
        self.application, self.timeout = application, timeout
        self.offset = 0
        self.lost_at: float | None = None
        self.failures = 0

    async def run(self) -> None:
        try:
            while True:
                try:
                    updates = await self.application.bot.get_updates(offset=self.offset, timeout=self.timeout,
                                                                     allowed_updates=Update.ALL_TYPES)
                except InvalidToken:
                    raise ConfigError("the Bot API server no longer accepts the token: it was revoked or replaced "
                                      "(@BotFather /mybots → API Token)") from None
                except RetryAfter as exc:
                    await asyncio.sleep(_pause_after(exc, 1))
                    continue
                except TelegramError as exc:
                    await asyncio.sleep(self._failed(exc))
                    continue
                self._answered()
                for update in updates:
                    await self.application.update_queue.put(update)
                if updates:
                    self.offset = updates[-1].update_id + 1
        finally:
            await self._confirm()

    def _failed(self, exc: TelegramError) -> float:
        """The pause before the next attempt; the first failure in a row is logged, the rest are not."""
        self.failures += 1
        if self.lost_at is None:
            self.lost_at = time.monotonic()
            logger.warning("lost the Bot API (%s): polling again with backoff (up to %.0f s) until it answers", exc,
                           LONGEST_PAUSE)
        return _pause_after(exc, self.failures)

    def _answered(self) -> None:
        if self.lost_at is not None:
            logger.warning("the Bot API answers again after %.0f s without it", time.monotonic() - self.lost_at)
        self.lost_at, self.failures = None, 0

    async def _confirm(self) -> None:
        if not self.offset:
            return
        try:
            await asyncio.wait_for(self.application.bot.get_updates(offset=self.offset, timeout=0), CONFIRM_SECONDS)
        except (TelegramError, TimeoutError) as exc:  # the next start may then answer the last messages again
            logger.debug("could not confirm the updates taken: %s", exc)


def _pause_after(exc: TelegramError, attempt: int) -> float:
    """Doubling from FIRST_PAUSE up to LONGEST_PAUSE; a 429 says itself how long to wait."""
    if isinstance(exc, RetryAfter):
        return exc.retry_after if isinstance(exc.retry_after, (int, float)) else exc.retry_after.total_seconds()
    return min(LONGEST_PAUSE, FIRST_PAUSE * 2 ** (attempt - 1))


async def _serve_webhook(application: Application, settings: Settings) -> None:
    path = urlparse(settings.webhook_url).path.strip("/")
    await application.updater.start_webhook(listen=settings.listen, port=settings.port, url_path=path,
                                            webhook_url=settings.webhook_url, secret_token=webhook_secret(settings),
                                            bootstrap_retries=-1)
    logger.warning("serving the webhook %s on %s:%s", settings.webhook_url, settings.listen, settings.port)
    await asyncio.Event().wait()  # until cancelled


async def _stop(application: Application) -> None:
    """Finish the answers in progress (for STOP_SECONDS at most), then close the HTTP clients."""
    try:
        async with asyncio.timeout(STOP_SECONDS):
            if application.updater and application.updater.running:
                await application.updater.stop()
            if application.running:
                await application.stop()
                if application.post_stop:
                    await application.post_stop(application)
    except TimeoutError:
        logger.warning("stopped without waiting longer for the answers in progress")
    await application.shutdown()
    await application.bot.shutdown()  # a failed getMe leaves its HTTP clients open and the application uninitialized
