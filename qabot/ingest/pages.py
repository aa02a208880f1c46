"""A whole saved web page → its metadata (title, outlet, publication date from the head) and the article's HTML: the
`<article>` element, else `<main>`, else the body without its menus, header, footer and side bars."""

from __future__ import annotations

import re

# The head's meta tags that give a field, in order of preference (property= or name= or itemprop=)
_META = {
    "title": ("og:title", "twitter:title", "title"),
    "source": ("og:site_name", "source", "application-name", "publisher", "author"),
    "date": ("article:published_time", "og:published_time", "datepublished", "pubdate", "publishdate",
             "date", "dc.date", "dcterms.created", "article:modified_time"),
}
_CHROME = ("nav", "header", "footer", "aside", "script", "style", "noscript", "form", "iframe", "template")
# The same parts of a page built of <div>s, by their class or id: menus, footers, side bars, related and most-read
# lists, share bars, comments, and the line of date, outlet and author over the story
_CHROME_NAMED = re.compile(r"(?:^|[-_])(?:nav|navbar|menu|topbar|footer|foot|sidebar|side|related|recommend|hot|"
                           r"rank|share|comments?|breadcrumbs?|crumbs?|copyright|ads?|advert|toolbar|social|info|meta)"
                           r"(?:$|[-_])", re.I)
# Where a page built of <div>s keeps the story, by class or id
_STORY_NAMED = re.compile(r"^(?:article|content|post|entry|story|text|article[-_]?(?:content|body|text)|"
                          r"post[-_]?(?:content|body)|entry[-_]?content|main[-_]?content)$", re.I)


def read_page(html: str) -> tuple[dict, str]:
    """(the fields the page's head gives: title, source, date; the article's HTML)."""
    from bs4 import BeautifulSoup  # only indexing reads HTML: answering never does

    soup = BeautifulSoup(html, "html.parser")
    meta: dict[str, str] = {}
    tags = {}
    for tag in soup.find_all("meta"):
        key = (tag.get("property") or tag.get("name") or tag.get("itemprop") or "").strip().lower()
        if key and tag.get("content") and key not in tags:
            tags[key] = tag["content"].strip()
    for field, keys in _META.items():
        value = next((tags[k] for k in keys if tags.get(k)), "")
        if value:
            meta[field] = value
    if "date" not in meta:
        stamp = soup.find("time", attrs={"datetime": True})
        if stamp is not None:
            meta["date"] = stamp["datetime"].strip()
    content = soup.find("article") or soup.find("main") or soup.find("body") or soup
    heading = content.find("h1")  # read before the chrome goes: an article's <header> may hold it
    if "source" not in meta:  # "2022-01-21 09:30　来源：高原日报　作者：…" over the story
        said = re.search(r"来源\s*[:：]\s*([^\s　|｜]{2,20})", content.get_text(" "))
        if said:
            meta["source"] = said.group(1)
    if "title" not in meta:
        if heading is not None and heading.get_text(strip=True):
            meta["title"] = re.sub(r"\s+", " ", heading.get_text(" ")).strip()
        elif soup.title is not None and soup.title.get_text(strip=True):
            meta["title"] = _without_site(soup.title.get_text(" "), meta.get("source", ""))
    if heading is not None:
        heading.decompose()  # the title, not a paragraph of the story
    for chrome in content.find_all(_CHROME):
        chrome.decompose()
    if content.name not in ("article", "main"):
        story = content.find(lambda tag: any(_STORY_NAMED.match(name) for name in _names(tag)))
        content = story or content
        for chrome in content.find_all(lambda tag: any(_CHROME_NAMED.search(name) for name in _names(tag))):
            if not chrome.decomposed:
                chrome.decompose()
    return meta, content.decode_contents() if content is not soup else str(content)


def _names(tag) -> list[str]:
    """A tag's classes and id."""
    return [*(tag.get("class") or ()), *([tag["id"]] if tag.get("id") else [])]


def _without_site(title: str, site: str) -> str:
    """"托卡耶夫定性：未遂政变_观察者网" → "托卡耶夫定性：未遂政变": a page title's trailing site name (after _ | - –),
    when it is the outlet's name or short."""
    title = re.sub(r"\s+", " ", title).strip()
    parts = re.split(r"\s*(?:_|\||\s-\s|\s–\s|\s—\s)\s*", title)
    if len(parts) > 1 and (parts[-1] == site or len(parts[-1]) <= 12):
        return title[:len(title) - len(parts[-1])].rstrip(" _|-–—").strip()
    return title
