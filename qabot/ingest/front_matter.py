"""A corpus file's bytes → its text and its metadata block, in the forms posts come in: UTF-8 (with or without a
BOM), UTF-16, GB18030 or Windows-1252 text; YAML front matter (`---`), TOML front matter (`+++`, Hugo), a
`Title: …` header (Pelican, MultiMarkdown), or a JSON object whose `content` is the body."""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

logger = logging.getLogger(__name__)

_YAML = re.compile(r"\A\s*---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.S)
_TOML = re.compile(r"\A\s*\+\+\+[ \t]*\r?\n(.*?)\r?\n\+\+\+[ \t]*(?:\r?\n|\Z)", re.S)
# A header of "Key: value" lines before the first blank line, opening with a title (Pelican, MultiMarkdown)
_HEADER = re.compile(r"\A\s*(title\s*:[^\n]*\n(?:[A-Za-z][\w\- ]{0,30}:[^\n]*\n)*)\s*\n", re.I)
_HEADER_LINE = re.compile(r"^([A-Za-z][\w\- ]{0,30}?)\s*:\s*(.*)$")
_CJK = re.compile(r"[\u3400-\u9fff]")
_LATIN = re.compile(r"[A-Za-z]")
BODY_KEYS = ("content", "body", "text", "html", "article")  # where a JSON post keeps its body


def decode(data: bytes, path: Path) -> str | None:
    """The file's text, or None (with a warning) when it is binary or in no encoding posts come in. UTF-8 first;
    UTF-16 by its byte-order mark; then GB18030 when it decodes to Chinese, else Windows-1252 when it decodes to
    Latin text with few other characters (either named in a warning, as the guess it is)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
            if "\x00" not in text[:4096]:  # not UTF-32's mark, nor binary behind a mark
                return text
        except UnicodeDecodeError:
            pass
    if b"\x00" in data[:8192]:
        logger.warning("skipped %s: binary content, not an article", path)
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:  # a Chinese post's two-byte characters; Latin text with a stray high byte rarely decodes
        text = data.decode("gb18030")
        if _CJK.search(text):
            logger.warning("%s: not UTF-8; read as GB18030", path)
            return text
    except UnicodeDecodeError:
        pass
    try:  # Latin text with a few accents and curly quotes
        text = data.decode("cp1252")
        if len(re.findall(r"[^\x00-\x7f]", text)) <= 0.2 * len(_LATIN.findall(text)):
            logger.warning("%s: not UTF-8; read as Windows-1252", path)
            return text
    except UnicodeDecodeError:
        pass
    logger.warning("skipped %s: not UTF-8 text, nor GB18030 or Windows-1252 (convert it, e.g. iconv -f <encoding> "
                   "-t UTF-8)", path)
    return None


def split_front_matter(text: str, path: Path) -> tuple[dict | None, str]:
    """(metadata, body); ({}, text) when there is none; (None, "") (with a warning) when it is broken."""
    for pattern, read in ((_YAML, _yaml), (_TOML, _toml)):
        match = pattern.match(text)
        if match:
            meta = read(match.group(1), path)
            return (meta, text[match.end():]) if meta is not None else (None, "")
    match = _HEADER.match(text)
    if match:
        meta = {}
        for line in match.group(1).splitlines():
            found = _HEADER_LINE.match(line.strip())
            if found:
                meta[found.group(1).strip().lower()] = found.group(2).strip()
        return meta, text[match.end():]
    if path.suffix.lower() == ".json":
        return _json(text, path)
    return {}, text


def _yaml(block: str, path: Path) -> dict | None:
    import yaml  # only indexing reads front matter: answering never does

    try:
        meta = yaml.safe_load(block)
    except yaml.YAMLError as exc:
        # "title: Kazakhstan: Tokayev …": a colon inside a value written without quotes, which YAML refuses
        try:
            meta = yaml.safe_load(_quoted_values(block))
        except yaml.YAMLError:
            where = getattr(exc, "problem_mark", None)
            logger.warning("skipped %s: broken YAML front matter%s", path,
                           f" (line {where.line + 2})" if where else "")
            return None
    return _mapping(meta, path)


def _quoted_values(block: str) -> str:
    """Each top-level `key: value` line whose plain value holds ": " with the value quoted."""
    lines = []
    for line in block.splitlines():
        found = re.match(r"^([A-Za-z_][\w\-]*)\s*:\s+(.*\S)\s*$", line)
        if found and ": " in found.group(2) and found.group(2)[0] not in "'\"[{|>&*!":
            line = f"{found.group(1)}: {json.dumps(found.group(2), ensure_ascii=False)}"
        lines.append(line)
    return "\n".join(lines)


def _toml(block: str, path: Path) -> dict | None:
    import tomllib

    try:
        meta = tomllib.loads(block)
    except tomllib.TOMLDecodeError as exc:
        logger.warning("skipped %s: broken TOML front matter (%s)", path, exc)
        return None
    return _mapping(meta, path)


def _json(text: str, path: Path) -> tuple[dict | None, str]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        logger.warning("skipped %s: not a JSON object (line %d)", path, exc.lineno)
        return None, ""
    if not isinstance(data, dict):
        logger.warning("skipped %s: a JSON post must be an object with a content field", path)
        return None, ""
    bodies = [v.get("rendered") if isinstance(v := data.get(k), dict) else v for k in BODY_KEYS]
    body = next((b for b in bodies if isinstance(b, str) and b.strip()), "")  # WordPress: {"rendered": "<p>…"}
    return {k: v for k, v in data.items() if k not in BODY_KEYS}, body


def _mapping(meta, path: Path) -> dict | None:
    if meta is None:
        return {}
    if not isinstance(meta, dict):
        logger.warning("skipped %s: front matter is not a set of 'key: value' lines", path)
        return None
    return meta
