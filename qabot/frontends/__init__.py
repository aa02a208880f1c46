"""Front ends: a user ↔ `QA.answer`. The command line (`cli`: index, ask, repl, eval, fit, sources,
health, telegram), the prompt (`repl`), the Telegram bot (`telegram_bot` handlers, `telegram_serve` its connect,
poll and stop loop, `telegram_html` the message), and `render` (an `Answer` as text or JSON). Thin adapters: no
retrieval or answering logic here."""

from qabot.lazy import exports

__getattr__, __all__ = exports(__name__, {
    "render": ["to_json", "to_text"],
})
