"""An interactive prompt over `QA.answer`: history, :help, :sources, :quit; also reads questions from a pipe."""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from pathlib import Path

from qabot.errors import QabotError
from qabot.frontends.render import filter_flags, sources_table, to_text

logger = logging.getLogger(__name__)

HELP = """Type a question about the articles (Chinese or English) and press Enter. Each question stands alone: name
who or what you mean ("What did Moreno say?", not "What did he say?").
  :sources   list the articles answers come from (date, source, title)
  :help      this text
  :quit      leave (Ctrl-D works too)"""


def run(qa, *, k: int = 10, filters=None, stdin=None, stdout=None) -> int:
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    interactive = stdin.isatty() and stdout.isatty()
    if interactive:
        _history()
        print(f"qabot: {_scope(qa.index.articles(), filters)}, {qa.index.size} passages. :help for help.",
              file=stdout)
    while True:
        try:
            line = input("? ") if interactive else stdin.readline()
        except EOFError:  # Ctrl-D
            print(file=stdout)
            return 0
        except KeyboardInterrupt:  # Ctrl-C drops the line, as in a shell
            print(file=stdout)
            continue
        if not interactive and line == "":  # end of the piped input
            return 0
        text = line.strip()
        if not text:
            continue
        if text.startswith("：") and text[1:2].isascii() and text[1:2].isalpha():
            text = ":" + text[1:]  # a Chinese keyboard's colon: ：quit is :quit
        if text.lower() in (":quit", ":q", ":exit", "quit", "exit", "bye", "退出"):  # a bare word too: no question
            return 0
        if text.lower() in (":help", ":h", "?", "help", "帮助"):
            print(HELP, file=stdout)
        elif text == ":sources":  # the articles the active filters leave, and how many they hide
            print(_sources(qa.index.articles(), filters), file=stdout)
        elif text.startswith(":"):
            print(f"unknown command {text}; :help lists the commands", file=stdout)
        else:
            try:
                qa.reload_if_changed()
                print(to_text(qa.answer(text, k=k, filters=filters)), file=stdout)
            except QabotError as exc:
                print(f"qabot: {exc}", file=stdout)
        print(file=stdout)
        stdout.flush()


def _scope(articles: list[dict], filters) -> str:
    """How many articles there are, and which of them the active filters leave."""
    if not filters:
        return f"{len(articles)} articles"
    kept = sum(filters.allows_article(a["source"], a["date"]) for a in articles)
    return f"{len(articles)} articles, {kept} of them with {filter_flags(filters)}"


def _sources(articles: list[dict], filters) -> str:
    """The articles questions are answered from: with filters, those they leave, and a line on the rest."""
    if not filters:
        return sources_table(articles)
    kept = [a for a in articles if filters.allows_article(a["source"], a["date"])]
    hidden = len(articles) - len(kept)
    note = f"({hidden} more left out by {filter_flags(filters)})" if hidden else ""
    return "\n".join(line for line in (sources_table(kept), note) if line)


def _history() -> None:
    try:
        import atexit
        import readline
    except ImportError:
        return
    path = Path(os.environ.get("QABOT_HISTORY", Path.home() / ".qabot_history"))
    with contextlib.suppress(OSError):
        readline.read_history_file(path)
    readline.set_history_length(1000)

    def save() -> None:
        try:
            readline.write_history_file(path)
        except OSError:
            logger.debug("could not save the history to %s", path)

    atexit.register(save)
