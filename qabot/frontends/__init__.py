"""Front ends: a user ↔ `QA.answer`. The command line (`cli`: index, ask, repl, eval, fit, sources,
health, telegram), the prompt (`repl`), the Telegram bot (`telegram_bot` handlers, `telegram_serve` its connect,
poll and stop loop, `telegram_html` the message), and `render` (an `Answer` as text or JSON). Thin adapters: no
retrieval or answering logic here."""

import importlib

# public name -> its module: imported on first use, so that `qabot --help` loads nothing heavy
_EXPORTS = {
    "to_json": "qabot.frontends.render",
    "to_text": "qabot.frontends.render",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
