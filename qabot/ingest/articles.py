"""Corpus files → `Article`s: reads the metadata (front matter, a header, a JSON post's fields, a web page's head:
title, source, date) and keeps the body."""

from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
import html
import logging
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from qabot.errors import CorpusError
from qabot.ingest.front_matter import decode, split_front_matter

logger = logging.getLogger(__name__)

SUFFIXES = (".md", ".markdown", ".mdx", ".txt", ".html", ".htm", ".json")
# The keys a post's metadata gives its publication day, its outlet and its address under, in order of preference
DATE_KEYS = ("date", "published", "pubdate", "published_at", "publishdate", "publish_date", "datepublished",
             "created", "created_at")
SOURCE_KEYS = ("source", "publisher", "site", "site_name", "outlet", "author")
TITLE_KEYS = ("title", "headline")
SUMMARY_KEYS = ("summary", "description", "excerpt", "abstract", "lede")  # the text of a post that has no body
URL_KEYS = ("url", "link", "canonical", "canonical_url", "permalink", "source_url", "original_url")
_TOLD: set[tuple] = set()  # the folders whose other files a warning has named
_PAGE = re.compile(r"<(?:html|head|body)\b", re.I)
# A first line alone above a blank line, not a sentence (no closing stop), a byline ("By …", "【文/…】") or markup
_HEADLINE = re.compile(r"\A\s*(?![Bb]y |[【\[<#>|*\-])([^\n]*[^\s。！？!?.;；:：,，)）\]】\n])[ \t]*\n[ \t]*\n")
_TITLE_TAG = re.compile(r"<(title|h1)[^>]*>(.*?)</\1>", re.S | re.I)


@dataclass(frozen=True)
class Article:
    doc: str  # file name relative to its corpus folder: the id citations use
    path: str
    sha256: str
    title: str
    source: str
    date: str  # ISO 8601, or "" when the file gives none we can read
    body: str  # HTML, Markdown or plain text, as in the file
    meta: dict = field(default_factory=dict, compare=False, hash=False)


def corpus_files(folders: Iterable[str | Path], tell: bool = True) -> list[tuple[str, Path]]:
    """(doc id, path) for every article file under the folders, sorted, ids unique across folders; files of other
    types are counted in a warning (once a process), unless `tell` is false (a check whether anything changed)."""
    found: list[tuple[str, Path]] = []
    seen: set[str] = set()
    for folder in folders:
        root = Path(folder)
        if root.is_file():
            raise CorpusError(f"--corpus takes a folder, and {root} is a file: give the folder that holds it")
        if not root.is_dir():
            raise CorpusError(f"corpus folder not found: {root} (give an existing folder with --corpus)")
        try:
            every = sorted(p for p in root.rglob("*") if p.is_file()
                           and not any(part.startswith(".") for part in p.relative_to(root).parts))
        except OSError as exc:
            raise CorpusError(f"cannot read the corpus folder {root}: {exc.strerror or exc}") from exc
        paths = [p for p in every if p.suffix.lower() in SUFFIXES]
        others = Counter(p.suffix.lower() or "no suffix" for p in every if p.suffix.lower() not in SUFFIXES)
        told = (str(root), tuple(sorted(others.items())))
        if others and tell and told not in _TOLD:  # once a process: the index is scanned and checked for changes alike
            _TOLD.add(told)
            logger.warning("%s: left out %d file(s) of other types (%s); articles are %s", root, sum(others.values()),
                           ", ".join(f"{n} {s}" for s, n in sorted(others.items())), " ".join(SUFFIXES))
        for path in paths:
            doc = path.relative_to(root).as_posix()
            if doc in seen:  # the same relative name in two folders: keep both, tell them apart
                doc = f"{root.name}/{doc}"
            seen.add(doc)
            found.append((doc, path))
    return found


def read_articles(folders: Iterable[str | Path]) -> Iterator[Article]:
    """Every readable article under the folders; unreadable files are skipped with a warning."""
    for doc, path in corpus_files(folders):
        article = read_article(path, doc)
        if article is not None:
            yield article


def file_sha256(path: Path) -> str:
    """The file's content hash, or "" when it cannot be read."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""


def read_article(path: Path, doc: str | None = None) -> Article | None:
    """One file → Article, or None (with a warning naming the file) when it holds no article."""
    doc = doc or path.name
    try:
        data = path.read_bytes()
    except OSError as exc:
        logger.warning("skipped %s: cannot read it (%s)", path, exc.strerror or exc)
        return None
    text = decode(data, path)
    if text is None:
        return None
    meta, body = split_front_matter(text, path)
    if meta is None:
        return None
    if _PAGE.search(body):  # a whole web page: its head's title, outlet and date, and the article in its body
        from qabot.ingest.pages import read_page

        page, body = read_page(body)
        meta = {**page, **{k: v for k, v in meta.items() if v not in (None, "")}}
    if not body.strip():
        summary = _text(_get(meta, SUMMARY_KEYS))
        if not summary:
            logger.warning("skipped %s: the article has no body text", path)
            return None
        logger.warning("%s: no body text; its summary is read as the article", path)
        body = summary
    if not meta:
        logger.warning("%s: no front matter; the title comes from its headline or name, the source from its byline or "
                       "name", path)
    title = _text(_get(meta, TITLE_KEYS)) or _title_from_body(body) or path.stem
    given = _get(meta, DATE_KEYS)
    date = normalise_date(given) or (date_in_name(path.name) or _dateline(body) if given in (None, "") else "")
    if not date:
        logger.warning("%s: %s; the article is kept without a date", path,
                       "no date" if given in (None, "") else f"unreadable date {given!r}")
    return Article(
        doc=doc, path=str(path), sha256=hashlib.sha256(data).hexdigest(), title=title,
        source=article_source(meta, path, body), date=date, body=body, meta=meta,
    )


def article_source(meta: dict, path: Path, body: str = "") -> str:
    """The outlet: its source (or publisher, site), else its author (the seeds name the outlet so), else the outlet
    among the categories (seeds: the second), else the site of its address, else the one its byline names, else the
    file name."""
    named = _text(_get(meta, SOURCE_KEYS))
    if re.search(r"[^\W\d_]", named):  # a name, not a user id (a WordPress post's "author": 3)
        return named
    categories = meta.get("categories")
    if isinstance(categories, str):
        categories = [c.strip() for c in categories.split(",")]
    if isinstance(categories, list) and len(categories) >= 2 and _text(categories[1]):
        return _text(categories[1])
    url = re.match(r"(?:https?:)?//(?:www\.)?([^/:?#\s]+)", _text(_get(meta, URL_KEYS)))
    return url.group(1) if url else _byline_outlet(body) or path.stem


# The outlet a byline or dateline above the first sentence names: "By Rosalind Tebbit, Eastmoor and District Post,
# Friday 27 June 2025", "禾渚晚报记者 林可 2025年11月3日", "澜江晚报讯（记者 林晓）", "东岳日报 2025年8月5日 第3版"
_NAME = r"[A-Z][\w'’&-]*(?:\s+(?:[A-Z][\w'’&-]*|and|of|the|&))*"  # an English outlet's name: "Eastmoor and District Post"
_OUTLET = re.compile(rf"^By\s+[^,]{{2,60}},\s*(?P<en>{_NAME})\s*(?:[,.]|$)"
                     r"|^(?P<zh>[\u4e00-\u9fff]{2,12}?)(?:讯\s*[（(]\s*|\s*)(?:本报)?记者\s*[\u4e00-\u9fff]{2,3}(?=[\s）)]|$|\d)"
                     r"|^(?P<dated>[\u4e00-\u9fff]{2,12})\s+\d{4}\s*年")
_ROLE_WORDS = re.compile(r"\b(?:Reporters?|Correspondent|Editor|Writer|Columnist|Staff|Contributor|Producer)$")


def _byline_outlet(body: str) -> str:
    """The outlet named in one of the short lines above an article's first sentence, or ""."""
    for line in _opening_lines(body):
        found = _OUTLET.match(line)
        outlet = found and (found.group("en") or found.group("zh") or found.group("dated"))
        if not outlet and re.search(r"\|.*\bBy\s+[A-Z]", line):  # "Ridgeline Public Radio | September 3, 2025 | By …"
            outlet = next((part.strip() for part in line.split("|") if re.fullmatch(_NAME, part.strip())), "")
        if outlet and outlet not in ("本报", "本刊") and not _ROLE_WORDS.search(outlet):
            return outlet
        if re.search(r"[。！？!?.;；]$", line):
            return ""
    return ""


def _get(meta: dict, keys: tuple[str, ...]):
    """The value of the first of these keys the metadata gives (any case: "pubDate", "Title"), or None."""
    lowered = {str(k).lower(): v for k, v in meta.items()}
    return next((lowered[k] for k in keys if lowered.get(k) not in (None, "", [])), None)


def normalise_date(value) -> str:
    """ISO 8601 from RFC 2822, ISO, 'Y-m-d H:M:S', "2022年1月7日", "Jan 7, 2022", "7 January 2022", 20220107, epoch
    seconds or milliseconds, or YAML's types. A time keeps the zone it was given in ("2022-01-10T06:30:00+08:00"):
    its first ten characters are the article's own day, which relative dates and --since read."""
    if isinstance(value, dt.datetime):
        return _iso(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str) and re.fullmatch(r"\s*\d{8,13}(?:\.\d+)?\s*", value):
        value = float(value)  # a number quoted
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _numeric_date(value)
    text = _text(value)
    if not text:
        return ""
    text = re.sub(r"\s+", " ", text)
    try:
        return _iso(email.utils.parsedate_to_datetime(text))
    except (TypeError, ValueError, IndexError):
        pass
    english = _ENGLISH_DATE.fullmatch(text)
    if english:
        day, month, day_after, year = english.groups()
        number = _MONTHS.get(month.lower()[:3])
        try:
            return dt.date(int(year), number, int(day or day_after)).isoformat() if number and (day or day_after) \
                else ""
        except ValueError:
            return ""
    cn = re.fullmatch(r"(\d{4})\s*[年/.\-]\s*(\d{1,2})\s*[月/.\-]\s*(\d{1,2})\s*日?(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?",
                      text)
    if cn:
        y, m, d, hh, mm, ss = cn.groups()
        try:
            if hh is None:
                return dt.date(int(y), int(m), int(d)).isoformat()
            return _iso(dt.datetime(int(y), int(m), int(d), int(hh), int(mm), int(ss or 0)))
        except ValueError:
            return ""
    try:
        parsed = dt.datetime.fromisoformat(text)
    except ValueError:
        return ""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return parsed.date().isoformat()
    return _iso(parsed)


# "Jan 7, 2022", "January 7 2022", "Jan. 7, 2022", "7 January 2022", "7 Jan. 2022"
_ENGLISH_DATE = re.compile(r"(?:(\d{1,2})\s+)?([A-Za-z]{3,9})\.?\s+(?:(\d{1,2})(?:st|nd|rd|th)?,?\s+)?(\d{4})")
_MONTHS = {m: n for n, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov",
                                        "dec"), 1)}


# A full date in a dateline: "东岳日报 2025年8月5日 第3版", "By M. Holloway, Evening Post. Wednesday 19 March 2025"
_DATELINE = re.compile(rf"\d{{4}}\s*年\s*\d{{1,2}}\s*月\s*\d{{1,2}}\s*日|\b\d{{4}}-\d{{2}}-\d{{2}}\b|{_ENGLISH_DATE.pattern}")


def _opening_lines(body: str) -> list[str]:
    """The body's first three lines that hold text: where a headline, a byline and a dateline stand."""
    return [line.strip() for line in body.splitlines() if line.strip()][:3]


def _dateline(body: str) -> str:
    """The date of an article that gives none but in one of the short lines above its first sentence (a dateline or
    byline under the headline); a date in its running text is another day's."""
    for line in _opening_lines(body):
        if len(line) > 120 or re.search(r"[。！？!?.;；]$", line):
            return ""
        for found in _DATELINE.finditer(line):
            date = normalise_date(found.group(0))
            if date:
                return date
    return ""


def _numeric_date(value: float) -> str:
    """20220107 as a day; else epoch seconds, or milliseconds when the number is that large."""
    if 1e7 <= value < 1e8 and value == int(value):
        digits = f"{int(value)}"
        try:
            return dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:])).isoformat()
        except ValueError:
            pass
    if 1e11 <= value < 1e14:
        value /= 1000
    if not 0 < value < 1e11:
        return ""
    return _iso(dt.datetime.fromtimestamp(value, tz=dt.UTC))


def date_in_name(name: str) -> str:
    """The day a blog's file name starts with ("2022-01-25-welcome.md"), or ""."""
    found = re.match(r"(\d{4})-(\d{2})-(\d{2})[-_ ]", name)
    if not found:
        return ""
    try:
        return dt.date(*map(int, found.groups())).isoformat()
    except ValueError:
        return ""


def _iso(value: dt.datetime) -> str:
    """The time as written where it was given: a zone of its own keeps its offset (UTC is written Z)."""
    if value.tzinfo is not None and value.utcoffset() == dt.timedelta(0):
        return value.replace(tzinfo=None).isoformat(timespec="seconds") + "Z"
    return value.isoformat(timespec="seconds")


def _title_from_body(body: str) -> str:
    """A title tag's or a Markdown heading's text; else a plain text's first line, when it stands alone above the
    first paragraph, short and without a sentence's closing stop, as a headline does."""
    match = _TITLE_TAG.search(body)
    if match:
        return re.sub(r"<[^>]+>|\s+", " ", match.group(2)).strip()
    heading = re.search(r"^#{1,2}\s+(.+)$", body, re.M)
    if heading:
        return heading.group(1).strip()
    first = _HEADLINE.match(body)
    if first and len(first.group(1)) <= (60 if re.search(r"[\u4e00-\u9fff]", first.group(1)) else 150):
        return first.group(1).strip()
    return ""


def _text(value) -> str:
    """A metadata value as text: a list's first item; an object's text ({"rendered": "…"} of WordPress, {"name": "…"}
    of a schema.org publisher), without tags or entities ("Tom &amp; Jerry")."""
    if value is None:
        return ""
    if isinstance(value, list):
        value = value[0] if value else ""
    if isinstance(value, dict):  # WordPress renders HTML there: its tags go
        value = next((v for k in ("rendered", "name", "text", "value", "title") if isinstance(v := value.get(k), str)),
                     "")
        value = re.sub(r"</?[A-Za-z][^>]*>", "", value)
    text = str(value)
    if re.search(r"&(?:#\d+|#x[0-9a-fA-F]+|[A-Za-z]+);", text):  # an entity; a "<b>" in a plain title stays as written
        text = html.unescape(text)
    return text.strip()
