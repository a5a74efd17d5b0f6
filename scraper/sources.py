"""Sources as data: load and validate `sources.toml` plus a user's overrides."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

BUILTIN_SOURCES = Path(__file__).with_name("sources.toml")

KINDS = (
    "statement",
    "remarks",
    "press-briefing",
    "readout",
    "fact-sheet",
    "speech",
    "presidential-action",
    "news",
    "post",
    "other",
)
_REQUIRED = ("id", "name", "institution", "country", "language")
_DISCOVERY = ("feed", "wp_api", "sitemap", "listing", "telegram")
_STRINGS = (
    "id",
    "name",
    "institution",
    "country",
    "language",
    "homepage",
    "feed",
    "wp_api",
    "sitemap",
    "listing",
    "listing_first",
    "links",
    "title",
    "date",
    "body",
    "speaker",
    "fetch_pages",
    "default_kind",
    "date_order",
    "articles",
    "time",
    "timezone",
    "calendar",
    "telegram",
    "listing_date",
)
_KNOWN = set(_STRINGS) | {
    "kinds",
    "delay",
    "max_pages",
    "speaker_from",
    "not_speakers",
    "strip",
    "editions",
    "language_from_page",
    "tested_on",
    "international",
}
_TESTED_ON = ("capture", "api-examples", "documented-markup", "none")
_SPEAKER_FROM = ("creator", "title", "selector")


class SourcesError(Exception):
    """A sources file that cannot be used; the message names file, source and key."""


@dataclass(frozen=True)
class KindRule:
    """One `kinds` entry: a title regex, a category or a URL regex deciding the kind."""

    kind: str
    title: re.Pattern[str] | None = None
    category: str | None = None
    url: re.Pattern[str] | None = None


@dataclass(frozen=True)
class Editions:
    """How statements of this source find their other-language editions.

    Sources sharing a `group` link statements whose edition keys are equal: the first group of
    the `url` regex (kremlin.ru and en.kremlin.ru share numeric ids), or, with `same_day`, the
    publication day of statements of that kind (fmprc.gov.cn's zh/en press conferences).
    """

    group: str
    url: re.Pattern[str] | None = None
    same_day: str | None = None


@dataclass(frozen=True)
class SourceConfig:
    """A source as configured: identity, how to discover statements and how to extract them."""

    id: str
    name: str
    institution: str
    country: str | None
    language: str
    homepage: str | None = None
    feed: str | None = None
    wp_api: str | None = None
    sitemap: str | None = None
    listing: str | None = None
    listing_first: str | None = None
    links: str | None = None
    title: str | None = None
    date: str | None = None
    body: str | None = None
    speaker: str | None = None
    kinds: tuple[KindRule, ...] = ()
    default_kind: str | None = None
    fetch_pages: str = "auto"
    delay: float = 1.0
    max_pages: int | None = None
    speaker_from: tuple[str, ...] = ()
    not_speakers: tuple[str, ...] = ()
    date_order: str | None = None
    articles: str | None = None  # regex of article-page URLs (WARC import and replay)
    time: str | None = None  # selector of a time of day printed apart from the date
    timezone: str | None = None  # IANA zone: offsets by the zone rules, never the site's
    calendar: str | None = None  # "jalali" for Solar Hijri dates
    telegram: str | None = None  # public channel name read through https://t.me/s/<name>
    listing_date: str | None = None  # selector, relative to a listing link, of the item's date
    strip: tuple[str, ...] = ()  # selectors of page furniture removed from the body
    editions: Editions | None = None
    language_from_page: bool = False  # the page's <html lang> decides (ua is read as uk)
    tested_on: str = "none"  # what the shipped rules were tested on (README's table)
    origin: str = field(default="", compare=False)

    @property
    def hosts(self) -> list[str]:
        """The hosts this source's discovery URLs live on, in order of first mention."""
        out: list[str] = []
        telegram = f"https://t.me/s/{self.telegram}" if self.telegram else None
        for url in (
            self.feed,
            self.wp_api,
            self.sitemap,
            self.listing_first,
            self.listing,
            telegram,
        ):
            if url:
                host = urlsplit(url.replace("{page}", "1")).netloc.lower()
                if host not in out:
                    out.append(host)
        return out

    def is_article(self, url: str) -> bool:
        """Whether `url` is an article page (by `articles`, else in the listing's folder).

        http and https are the same page: a WARC captured over http finds its source.
        """
        return any(self._is_article(u) for u in same_page_urls(url))

    def _is_article(self, url: str) -> bool:
        if self.articles:
            return re.search(self.articles, url) is not None
        if not self.listing:
            return False
        folder = self.listing.rsplit("/", 1)[0] + "/"
        if not url.startswith(folder) or url == self.listing_first:
            return False
        pattern = re.escape(self.listing).replace(re.escape("{page}"), r"\d+")
        return re.fullmatch(pattern, url) is None and url != folder


def same_page_urls(url: str) -> tuple[str, ...]:
    """`url` and its twin over the other scheme (http <-> https)."""
    if url.startswith("http://"):
        return url, "https://" + url[7:]
    if url.startswith("https://"):
        return url, "http://" + url[8:]
    return (url,)


def _err(path: Path, source_id: str, key: str, reason: str) -> SourcesError:
    return SourcesError(f"{path}: source {source_id!r}: {key}: {reason}")


def _kind_rules(path: Path, sid: str, raw: object) -> tuple[KindRule, ...]:
    if not isinstance(raw, list):
        raise _err(path, sid, "kinds", "must be a list of tables")
    rules = []
    for n, entry in enumerate(raw, 1):
        key = f"kinds[{n}]"
        if not isinstance(entry, dict):
            raise _err(
                path, sid, key, 'must be a table like { title = "^Readout", kind = "readout" }'
            )
        unknown = set(entry) - {"kind", "title", "category", "url"}
        if unknown:
            raise _err(path, sid, f"{key}.{sorted(unknown)[0]}", "unknown key")
        kind = entry.get("kind")
        if kind not in KINDS:
            raise _err(path, sid, f"{key}.kind", f"must be one of {', '.join(KINDS)}")
        if not any(k in entry for k in ("title", "category", "url")):
            raise _err(path, sid, key, "needs one of title, category, url")
        compiled = {}
        for name in ("title", "url"):
            if name in entry:
                try:
                    compiled[name] = re.compile(str(entry[name]))
                except re.error as exc:
                    raise _err(
                        path, sid, f"{key}.{name}", f"bad regular expression: {exc}"
                    ) from None
        rules.append(KindRule(kind=kind, category=entry.get("category"), **compiled))
    return tuple(rules)


def _editions(path: Path, sid: str, raw: object) -> Editions:
    if not isinstance(raw, dict):
        raise _err(
            path,
            sid,
            "editions",
            'must be a table like { group = "kremlin", url = "/news/(\\d+)" }',
        )
    unknown = set(raw) - {"group", "url", "same_day"}
    if unknown:
        raise _err(path, sid, f"editions.{sorted(unknown)[0]}", "unknown key")
    group = raw.get("group")
    if not isinstance(group, str) or not re.fullmatch(r"[a-z0-9][a-z0-9-]*", group):
        raise _err(path, sid, "editions.group", "needs a lower-case name shared by the editions")
    if ("url" in raw) == ("same_day" in raw):
        raise _err(path, sid, "editions", "needs exactly one of url, same_day")
    if "same_day" in raw:
        if raw["same_day"] not in KINDS:
            raise _err(path, sid, "editions.same_day", f"must be one of {', '.join(KINDS)}")
        return Editions(group=group, same_day=raw["same_day"])
    try:
        pattern = re.compile(str(raw["url"]))
    except re.error as exc:
        raise _err(path, sid, "editions.url", f"bad regular expression: {exc}") from None
    if pattern.groups < 1:
        raise _err(path, sid, "editions.url", "needs one group: the id the editions share")
    return Editions(group=group, url=pattern)


def _check_url(path: Path, sid: str, key: str, url: str) -> None:
    parts = urlsplit(url.replace("{page}", "1"))
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise _err(path, sid, key, f"not an http(s) URL: {url!r}")


def parse_source(path: Path, raw: dict) -> SourceConfig:
    """Validate one `[[source]]` table and build its config."""
    sid = str(raw.get("id") or "?")
    for key in raw:
        if key not in _KNOWN:
            raise _err(path, sid, key, "unknown key")
    if "international" in raw and raw["international"] is not True:
        raise _err(path, sid, "international", "must be true (or left out)")
    for key in _REQUIRED:
        if key == "country" and raw.get("international") and "country" not in raw:
            continue  # an international body (NATO, the UN) has no country
        if not raw.get(key):
            raise _err(path, sid, key, "missing required key")
    for key in _STRINGS:
        if key in raw and not isinstance(raw[key], str):
            raise _err(path, sid, key, "must be a string")
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", raw["id"]):
        raise _err(path, sid, "id", "use lower-case letters, digits and '-'")
    if "country" in raw and not re.fullmatch(r"[A-Z]{2}", str(raw["country"])):
        raise _err(path, sid, "country", "must be an ISO 3166-1 alpha-2 code such as 'US'")
    if not any(raw.get(k) for k in _DISCOVERY):
        raise _err(
            path, sid, "feed", "needs at least one of feed, wp_api, sitemap, listing, telegram"
        )
    for key in ("feed", "wp_api", "sitemap", "listing", "listing_first", "homepage"):
        if raw.get(key):
            _check_url(path, sid, key, raw[key])
    if raw.get("listing"):
        if "{page}" not in raw["listing"]:
            raise _err(path, sid, "listing", "must contain {page}")
        if not raw.get("links"):
            raise _err(path, sid, "links", "required with listing (CSS or XPath selector)")
    if raw.get("articles"):
        try:
            re.compile(raw["articles"])
        except re.error as exc:
            raise _err(path, sid, "articles", f"bad regular expression: {exc}") from None
    strip = raw.get("strip", [])
    if isinstance(strip, str):
        strip = [strip]
    if not isinstance(strip, list) or not all(isinstance(x, str) and x for x in strip):
        raise _err(path, sid, "strip", "must be a list of selectors")
    for n, selector in enumerate(strip, 1):
        from scraper.extract.rules import SelectorError, compile_selector

        try:
            compile_selector(selector)
        except SelectorError as exc:
            raise _err(path, sid, f"strip[{n}]", str(exc)) from None
    if raw.get("timezone"):
        from scraper.extract.dates import zone

        try:
            zone(raw["timezone"])
        except ValueError as exc:
            raise _err(path, sid, "timezone", str(exc)) from None
    if raw.get("calendar") and raw["calendar"] not in ("gregorian", "jalali"):
        raise _err(path, sid, "calendar", "must be 'gregorian' or 'jalali'")
    if raw.get("telegram") and not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]{3,31}", raw["telegram"]):
        raise _err(path, sid, "telegram", "must be a public channel name such as 'MFARussia'")
    for key in ("language_from_page",):
        if key in raw and not isinstance(raw[key], bool):
            raise _err(path, sid, key, "must be true or false")
    if raw.get("tested_on", "none") not in _TESTED_ON:
        raise _err(path, sid, "tested_on", f"must be one of {', '.join(_TESTED_ON)}")
    editions = _editions(path, sid, raw["editions"]) if "editions" in raw else None
    for key in ("links", "title", "date", "body", "speaker", "time", "listing_date"):
        if raw.get(key):
            from scraper.extract.rules import SelectorError, compile_selector

            try:
                compile_selector(raw[key])
            except SelectorError as exc:
                raise _err(path, sid, key, str(exc)) from None
    if raw.get("date_order") and raw["date_order"] not in (
        "DMY",
        "MDY",
        "YMD",
        "YDM",
        "DYM",
        "MYD",
    ):
        raise _err(path, sid, "date_order", "must be DMY, MDY or YMD (or another order of D, M, Y)")
    fetch_pages = raw.get("fetch_pages", "auto")
    if fetch_pages not in ("auto", "always", "never"):
        raise _err(path, sid, "fetch_pages", "must be 'auto', 'always' or 'never'")
    if raw.get("default_kind") and raw["default_kind"] not in KINDS:
        raise _err(path, sid, "default_kind", f"must be one of {', '.join(KINDS)}")
    delay = raw.get("delay", 1.0)
    if isinstance(delay, bool) or not isinstance(delay, (int, float)) or delay < 0:
        raise _err(path, sid, "delay", "must be a number of seconds >= 0")
    max_pages = raw.get("max_pages")
    if max_pages is not None and (
        isinstance(max_pages, bool) or not isinstance(max_pages, int) or max_pages < 1
    ):
        raise _err(path, sid, "max_pages", "must be a whole number >= 1")
    speaker_from = raw.get("speaker_from", ["selector"] if raw.get("speaker") else [])
    if not isinstance(speaker_from, list) or any(s not in _SPEAKER_FROM for s in speaker_from):
        raise _err(path, sid, "speaker_from", f"must be a list of {', '.join(_SPEAKER_FROM)}")
    not_speakers = raw.get("not_speakers", [])
    if not isinstance(not_speakers, list) or not all(isinstance(s, str) for s in not_speakers):
        raise _err(path, sid, "not_speakers", "must be a list of strings")
    values = {k: raw[k] for k in _STRINGS if k in raw}
    values.setdefault("country", None)  # an international body
    return SourceConfig(
        **values,
        strip=tuple(strip),
        editions=editions,
        language_from_page=bool(raw.get("language_from_page", False)),
        tested_on=raw.get("tested_on", "none"),
        kinds=_kind_rules(path, sid, raw["kinds"]) if "kinds" in raw else (),
        delay=float(delay),
        max_pages=max_pages,
        speaker_from=tuple(speaker_from),
        not_speakers=tuple(not_speakers),
        origin=str(path),
    )


def load_file(path: str | Path) -> list[SourceConfig]:
    """Parse one sources file; raise SourcesError naming the file, source id and key."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SourcesError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SourcesError(f"{path}: cannot read: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise SourcesError(f"{path}: not valid TOML: {exc}") from None
    unknown = set(data) - {"source"}
    if unknown:
        raise SourcesError(f"{path}: {sorted(unknown)[0]}: unknown top-level key (use [[source]])")
    tables = data.get("source", [])
    if not isinstance(tables, list):
        raise SourcesError(f"{path}: source: use [[source]] tables")
    seen: set[str] = set()
    out = []
    for raw in tables:
        config = parse_source(path, raw)
        if config.id in seen:
            raise _err(path, config.id, "id", "defined twice in this file")
        seen.add(config.id)
        out.append(config)
    return out


def load_sources(user_file: str | Path | None = None) -> dict[str, SourceConfig]:
    """The shipped sources, with a user's file adding sources or replacing them by id."""
    sources = {s.id: s for s in load_file(BUILTIN_SOURCES)}
    if user_file is not None:
        for config in load_file(user_file):
            sources[config.id] = config
    return sources
