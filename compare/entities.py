"""What a statement speaks of, in any language: people, bodies, countries, cities, content words.

The lexicon is built from well-kept pieces, not typed by hand alone:
- country and city names in en/ru/uk/fa/zh/fr/ar from CLDR (babel's locale data);
- the versioned alias table `compare/data/aliases.json` (heads of state and government, foreign
  ministers and spokespeople, the UN, NATO, the EU…, and demonyms CLDR lacks), extended by the
  user's own file (`$COMMUNIQUE_ALIASES`, else `aliases.json` in the user config directory);
- transliteration keys for names spelt several ways (Zelensky / Zelenskyy / Зеленский /
  Зеленський all reduce to `zelensk`), so a spelling nobody listed still finds its person;
- a light stemmer for Russian and Ukrainian case endings (Украины, Украину → украин).

`extract(title, text, language)` returns `{entity_key: weight}`; keys look like
`person:putin`, `body:un`, `country:UA`, `city:Europe/Kyiv`, `place:black-sea` (the same in
every language) and `word:en:ceasefire` (content words, which only match within a language).
No Qt, no database: `compare.related` stores what this returns.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from db.scripts import CJK_CLASS

LANGUAGES = ("en", "ru", "uk", "fa", "zh", "fr", "ar")
ALIASES_FILE = Path(__file__).resolve().parent / "data" / "aliases.json"
ENV_ALIASES = "COMMUNIQUE_ALIASES"

MAX_WORDS = 25  # content words kept per statement (the most frequent)
MIN_WORD = 4  # shorter words are not content words
TITLE_BOOST = 3  # a name in the title counts as this many mentions

_TOKEN = re.compile(r"\w+", re.UNICODE)
_CJK = re.compile(f"[{CJK_CLASS}]")  # db.scripts: the one definition
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_ARABIC = re.compile(r"[\u0600-\u06ff]")

# Russian / Ukrainian case and adjective endings, longest first; a stem keeps >= 3 letters.
_CYR_ENDINGS = sorted(
    """ами ями ого его ому ему ыми ими ией иям иях ого ій ої ою ею ів їв ого ові еві
    ой ей ом ем ам ям ах ях ую юю ая яя ое ее ые ие ых их ым им ов ев ий ый ій ою
    ы и і ї а я у ю е є о ь й""".split(),
    key=len,
    reverse=True,
)
# Endings of a declined surname (Путина, Зеленского, Лаврову): no "ов"/"ин", part of names.
_NAME_ENDINGS = sorted(
    "ого его ому ему ым им ий ый ій ой ом ем ей ою а я у ю е і".split(), key=len, reverse=True
)
_TRANSLIT = str.maketrans(
    {
        "а": "a", "б": "b", "в": "v", "г": "g", "ґ": "g", "д": "d", "е": "e", "ё": "e",
        "є": "ye", "ж": "zh", "з": "z", "и": "i", "і": "i", "ї": "yi", "й": "y", "к": "k",
        "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
        "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch",
        "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya", "'": "", "’": "",
    }
)  # fmt: skip
_ARABIC_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ى": "ي", "ي": "ی", "ك": "ک", "ة": "ه"})

_STOPWORDS = {
    "en": """about above after again against also although among another around because been
    before being below between both could during each either every from further have having
    here however into itself just many more most much must other others over same shall should
    since some such than that their theirs them then there these they this those through under
    until upon very were what when where which while whom whose will with within without would
    your yours today said says also make made take taken well first last next year years
    including include includes continue continued support president united states""",
    "ru": """который которая которое которые которых также такой такие такого только этого
    этой этом этих этот эта эти будет будут было были быть была может могут можно нужно
    очень более менее после перед через между своей свой свои своих своего него неё нами
    вами ними всех весь вся всего всем если когда чтобы потому поэтому однако здесь там
    сейчас теперь уже ещё еще есть нет даже именно именем также того тому таким такое
    президент владимир путин года году время""",
    "uk": """який яка яке які яких також такий тільки цього цієї цьому цих цей ця ці буде
    будуть було були бути була може можуть можна дуже більш після перед через між свої
    своїх свого всіх весь вся всього якщо коли щоб тому однак тут там зараз вже ще є немає
    навіть саме президент року році""",
    "fr": """avec dans pour cette sont être avoir leur leurs nous vous elle elles aussi plus
    comme mais tout tous toutes entre après avant sans sous depuis encore même ainsi dont
    très faire fait peut doit ont était sera président année""",
}
_STOP = {lang: set(words.split()) for lang, words in _STOPWORDS.items()}


def _fold_latin(token: str) -> str:
    if token.isascii():
        return token
    decomposed = unicodedata.normalize("NFKD", token)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _strip(word: str, endings: list[str], keep: int = 3) -> str:
    for end in endings:
        if word.endswith(end) and len(word) - len(end) >= keep:
            return word[: -len(end)]
    return word


@lru_cache(maxsize=1 << 18)
def word_key(token: str) -> str:
    """The matching form of one word: case-folded, accents off (Latin), Russian and Ukrainian
    endings off, Arabic-script letter variants folded. (Cached: a statement's words repeat
    from one statement to the next, and this was half the time of extracting entities.)"""
    t = token.casefold().replace("ё", "е")
    if _CYRILLIC.search(t):
        return _strip(t, _CYR_ENDINGS)
    if _ARABIC.search(t):
        t = t.translate(_ARABIC_FOLD)
        return t[2:] if t.startswith("ال") and len(t) > 4 else t
    return _fold_latin(t)


@lru_cache(maxsize=1 << 16)
def name_key(token: str) -> str:
    """A spelling-proof key for a surname in Latin or Cyrillic script: Zelensky, Zelenskyy,
    Zelenskiy, Зеленский, Зеленського → `zelensk`; Putin, Путина → `putin`."""
    t = token.casefold().replace("ё", "е")
    if _CYRILLIC.search(t):
        t = _strip(t, _NAME_ENDINGS).translate(_TRANSLIT)
    else:
        t = _fold_latin(t)
    t = t.replace("j", "i").replace("y", "i").replace("kh", "h")
    t = re.sub(r"(.)\1+", r"\1", t)  # doubled letters: Zelenskyy, Rutte, Kellogg
    return _strip(t, ["ii", "i", "a", "e"], keep=4)


@dataclass(frozen=True)
class Entity:
    key: str
    label: str  # shown in reasons ("shares Putin, Ukraine…")
    forms: dict[str, list[str]] = field(default_factory=dict)  # language -> names
    country: str | None = None  # whose own it is: country:UA and Zelensky are Ukraine's


@dataclass
class Lexicon:
    """Every known name, indexed for matching words, phrases, surnames and Chinese substrings."""

    version: str
    entities: dict[str, Entity]
    single: dict[str, str]  # word key -> entity
    phrases: dict[str, list[tuple[tuple[str, ...], str]]]  # first word key -> (keys, entity)
    capital: set[str]  # word keys that name an entity only when written with a capital
    names: dict[str, str]  # name key of a person's surname -> entity
    cjk: list[tuple[str, str]]  # (substring, entity), longest first
    # what each word written so means, by (language, text has CJK): see `_meaning`
    meanings: dict[tuple[str, bool], dict[str, _Meaning]] = field(default_factory=dict)

    def home(self, key: str) -> str | None:
        """The country an entity belongs to (its own country, head, ministers), if any."""
        entity = self.entities.get(key)
        return entity.country if entity else None

    def forms_of(self, key: str) -> dict[str, list[str]]:
        entity = self.entities.get(key)
        return entity.forms if entity else {}

    def lookup(self, word: str) -> str | None:
        """The entity a single query word names, if any (`Iran`, `Иран`, `伊朗`)."""
        if _CJK.search(word):
            return next((e for s, e in self.cjk if s == word), None)
        tokens = _TOKEN.findall(word)
        if len(tokens) == 1:
            k = word_key(tokens[0])
            return self.single.get(k) or self.names.get(name_key(tokens[0]))
        keys = tuple(word_key(t) for t in tokens)
        for phrase, entity in self.phrases.get(keys[0], []):
            if phrase == keys:
                return entity
        return None


def _user_alias_file() -> Path | None:
    chosen = os.environ.get(ENV_ALIASES)
    if chosen:
        return Path(chosen).expanduser()
    try:
        from platformdirs import user_config_path
    except ImportError:  # pragma: no cover - platformdirs is a dependency
        return None
    path = user_config_path("communique", appauthor=False) / "aliases.json"
    return path if path.is_file() else None


class AliasFileError(ValueError):
    """The user's alias file cannot be used (the message names the file and the reason)."""


def _read_aliases(path: Path) -> list[dict]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise AliasFileError(f"{path}: cannot read the alias file ({exc.strerror})") from None
    except json.JSONDecodeError as exc:
        raise AliasFileError(f"{path}:{exc.lineno}: not valid JSON ({exc.msg})") from None
    entries = data.get("entities") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise AliasFileError(f"{path}: expected an object with an 'entities' list")
    for n, entry in enumerate(entries, 1):
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
            raise AliasFileError(f"{path}: entity {n} has no 'id'")
        if ":" not in entry["id"]:
            raise AliasFileError(f"{path}: entity {n}: id {entry['id']!r} needs a kind prefix")
        if not isinstance(entry.get("names", {}), dict):
            raise AliasFileError(f"{path}: entity {n}: 'names' must map languages to lists")
    return entries


def _variants(name: str) -> list[str]:
    """`Myanmar (Burma)` -> the whole name, `Myanmar` and `Burma`."""
    out = [name]
    m = re.match(r"^(.*?)\s*[(（](.*?)[)）]\s*$", name)
    if m:
        out += [m.group(1), m.group(2)]
    return [n for n in out if n]


def _cldr() -> dict[str, Entity]:
    """Countries (ISO 3166 alpha-2) and the cities of Europe, Asia and Africa's time zones."""
    from babel import Locale
    from babel.dates import get_timezone_location

    locales = {lang: Locale.parse(lang) for lang in LANGUAGES}
    out: dict[str, Entity] = {}
    codes = [c for c in locales["en"].territories if len(c) == 2 and c.isalpha()]
    for code in codes:
        if code in {"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ", "XK"}:
            continue  # groupings and pseudo-regions: the alias table has the bodies
        forms = {lang: _variants(loc.territories[code]) for lang, loc in locales.items()}
        name = locales["en"].territories[code]
        out[f"country:{code}"] = Entity(f"country:{code}", name, forms, code)
    zones = [z for z in locales["ru"].time_zones if z.split("/")[0] in {"Europe", "Asia", "Africa"}]
    country_names = {n.casefold() for e in out.values() for ns in e.forms.values() for n in ns}
    for zone in zones:
        forms = {}
        for lang in LANGUAGES:
            city = get_timezone_location(zone, locale=lang, return_city=True)
            if city and city.casefold() not in country_names:
                forms[lang] = [city]
        if "en" in forms:
            out[f"city:{zone}"] = Entity(f"city:{zone}", forms["en"][0], forms)
    return out


def _merge(entities: dict[str, Entity], entries: list[dict]) -> None:
    for entry in entries:
        key = entry["id"]
        names = {k: [n for n in v if isinstance(n, str)] for k, v in entry.get("names", {}).items()}
        old = entities.get(key)
        if old is not None:
            for lang, forms in names.items():
                old.forms.setdefault(lang, []).extend(f for f in forms if f not in old.forms[lang])
            continue
        label = entry.get("label") or next(iter(names.get("en", [])), key.split(":", 1)[1])
        entities[key] = Entity(key, label, names, entry.get("country"))


@lru_cache(maxsize=4)
def _build(user_file: str | None, user_stamp: float | None) -> Lexicon:
    builtin = json.loads(ALIASES_FILE.read_text(encoding="utf-8"))
    digest = hashlib.sha256(ALIASES_FILE.read_bytes())
    entities = _cldr()
    _merge(entities, builtin["entities"])
    if user_file:
        path = Path(user_file)
        _merge(entities, _read_aliases(path))
        digest.update(path.read_bytes())
    import babel

    digest.update(babel.__version__.encode())
    version = f"{builtin['version']}-{digest.hexdigest()[:12]}"
    single: dict[str, str] = {}
    capital: set[str] = set()
    phrases: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    names: dict[str, str] = {}
    cjk: list[tuple[str, str]] = []
    # Alias-table entries win over CLDR cities when a form is shared (added last, kept first).
    order = sorted(entities.values(), key=lambda e: (not e.key.startswith(("person:", "body:")),))
    for entity in order:
        for _lang, forms in entity.forms.items():
            for form in forms:
                if _CJK.search(form):
                    if len(form) >= 2:
                        cjk.append((form, entity.key))
                    continue
                tokens = _TOKEN.findall(form)
                if not tokens:
                    continue
                keys = tuple(word_key(t) for t in tokens)
                if len(keys) == 1:
                    if keys[0] not in single and (len(keys[0]) >= 2 or not keys[0].isascii()):
                        single[keys[0]] = entity.key
                        if tokens[0][:1].isupper():  # Того (Togo), not того (of that)
                            capital.add(keys[0])
                    if entity.key.startswith("person:") and len(tokens[0]) >= 4:
                        names.setdefault(name_key(tokens[0]), entity.key)
                else:
                    phrases.setdefault(keys[0], []).append((keys, entity.key))
    for bucket in phrases.values():
        bucket.sort(key=lambda p: -len(p[0]))
    cjk.sort(key=lambda p: -len(p[0]))
    return Lexicon(version, entities, single, phrases, capital, names, cjk)


def lexicon() -> Lexicon:
    """The lexicon (built once per process; rebuilt when the user's alias file changes)."""
    user = _user_alias_file()
    if user is not None and not user.is_file():
        raise AliasFileError(f"{user}: no such alias file")
    stamp = user.stat().st_mtime if user else None
    return _build(str(user) if user else None, stamp)


def _script_language(language: str | None) -> str:
    return (language or "").split("-")[0].casefold() or "und"


@dataclass(frozen=True)
class Extracted:
    weights: dict[str, float]  # entity key -> 1 + ln(mentions)
    labels: dict[str, str]  # content word key -> the word as first written


def extract(
    title: str | None, text: str, language: str | None, lex: Lexicon | None = None
) -> Extracted:
    """The entities and content words of one statement version, weighted by mentions.

    Read left to right, a known phrase ("United Nations") takes its words; every other word is
    a name, a country or city… (`lex.single`, a capitalised surname by its name key) or a
    content word. Apart from the phrases, a word's meaning does not depend on where it stands,
    so each distinct word is decided once (and remembered across statements, `_meanings`) and
    its mentions counted in C (`Counter`): 1.3-1.6x faster than deciding word by word on the
    real corpora. Keys come out in the order of their first mention, as a word-by-word reading
    gives them (tests/related/test_extract_fast.py keeps that reading as the reference).
    """
    lex = lex or lexicon()
    counts: dict[str, int] = {}
    words: Counter[str] = Counter()
    labels: dict[str, str] = {}
    lang = _script_language(language)
    for part, boost in ((title or "", TITLE_BOOST), (text or "", 1)):
        has_cjk = _CJK.search(part) is not None
        if has_cjk:
            for form, key in lex.cjk:
                n = part.count(form)
                if n:
                    counts[key] = counts.get(key, 0) + n * boost
        tokens = _TOKEN.findall(part)
        mentions = Counter(tokens)
        meaning = _meanings(lex, lang, has_cjk)
        starts = set()  # the words that begin a known phrase
        for tok in mentions:
            m = meaning.get(tok) or meaning.setdefault(tok, _meaning(tok, lex, lang, has_cjk))
            if m[1]:
                starts.add(tok)
        events, rest = _phrases(tokens, starts, meaning, lex)
        if events:
            mentions = Counter(rest)
        # where each word is first met among the words no phrase took
        first = (
            dict(zip(reversed(rest), range(len(rest) - 1, -1, -1), strict=True)) if events else None
        )
        for order, (tok, n) in enumerate(mentions.items()):
            _, _, entity, word, written = meaning[tok]
            if entity is not None:
                events.append(((first[tok] if first else order, 1), entity, n))
            elif word is not None:
                words[word] += n * boost
                labels.setdefault(word, written)
        events.sort(key=lambda e: e[0])
        for _, entity, n in events:
            counts[entity] = counts.get(entity, 0) + n * boost
    result = {k: 1.0 + math.log(n) for k, n in counts.items()}
    for wk, n in words.most_common(MAX_WORDS):  # ties: the first met first, as sorted() keeps
        result[wk] = 1.0 + math.log(n)
    return Extracted(result, {k: labels[k] for k in result if k in labels})


# A word's meaning: (word key, starts a known phrase, entity or None, content-word key or None,
# the word case-folded as its label)
_Meaning = tuple[str, bool, str | None, str | None, str]
MEANINGS_MAX = 1 << 18  # words remembered per (language, CJK or not) before starting over


def _meanings(lex: Lexicon, lang: str, has_cjk: bool) -> dict[str, _Meaning]:
    """What the words met so far mean in this language (the same words recur in every
    statement: deciding once per word written so is what makes extraction fast)."""
    known = lex.meanings.setdefault((lang, has_cjk), {})
    if len(known) > MEANINGS_MAX:
        known.clear()
    return known


def _meaning(tok: str, lex: Lexicon, lang: str, has_cjk: bool) -> _Meaning:
    """What one word written so means wherever no phrase takes it."""
    key = word_key(tok)
    entity = lex.single.get(key)
    if entity is not None and key in lex.capital and not tok[:1].isupper():
        entity = None
    if entity is None and tok[:1].isupper() and len(tok) >= 4:
        entity = lex.names.get(name_key(tok))
    written = tok.casefold()
    stop = _STOP.get(lang, ())
    word = None
    if (
        entity is None
        and len(key) >= MIN_WORD
        and not key.isdigit()
        and not (has_cjk and _CJK.search(key))
        and written not in stop
        and key not in stop
    ):
        word = f"word:{lang}:{key}"
    return key, key in lex.phrases, entity, word, written


def _phrases(
    tokens: list[str], starts: set[str], meaning: dict[str, _Meaning], lex: Lexicon
) -> tuple[list[tuple[tuple[int, int], str, int]], list[str]]:
    """The known phrases of `tokens`, read left to right (the longest first where several
    start at one word), as ((position among the words left, 0), entity, 1), and the words left."""
    events: list[tuple[tuple[int, int], str, int]] = []
    if not starts:
        return events, tokens
    taken = 0  # words before `free` that phrases took
    free = 0  # the first word not inside a phrase already read
    cut: list[tuple[int, int]] = []
    for i in [i for i, t in enumerate(tokens) if t in starts]:
        if i < free:
            continue
        for phrase, entity in lex.phrases[meaning[tokens[i]][0]]:
            width = len(phrase)
            if tuple(meaning[t][0] for t in tokens[i : i + width]) == phrase:
                events.append(((i - taken, 0), entity, 1))
                cut.append((i, i + width))
                taken += width
                free = i + width
                break
    if not cut:
        return events, tokens
    rest: list[str] = []
    at = 0
    for a, b in cut:
        rest += tokens[at:a]
        at = b
    rest += tokens[at:]
    return events, rest


def label(key: str, lex: Lexicon | None = None, surface: dict[str, str] | None = None) -> str:
    """How an entity key reads in a reason: `Putin`, `Ukraine`, or the word itself."""
    if key.startswith("word:"):
        return (surface or {}).get(key) or key.split(":", 2)[2]
    lex = lex or lexicon()
    entity = lex.entities.get(key)
    return entity.label if entity else key.split(":", 1)[1]


_QUERY_SYNTAX = re.compile(r'["*()^:+]|\b(?:AND|OR|NOT|NEAR)\b')


def _search_form(form: str) -> str:
    """How one spelling is searched: Russian/Ukrainian single words by their stem as a prefix
    (Ирана, Ираном), everything else as written."""
    tokens = _TOKEN.findall(form)
    if len(tokens) == 1 and _CYRILLIC.search(form):
        stem = word_key(form)
        return stem + "*" if len(stem) >= 3 else form
    return form


def expand_query(text: str, lex: Lexicon | None = None) -> list[list[str]]:
    """`--all-languages`: each word of a plain query, with the spellings in every language of
    the person, body or place it names (`Iran` -> Iran, Иран*, Іран*, ایران, 伊朗, …); a word
    naming nothing stays itself. Queries using search operators are left alone ([])."""
    if not text.strip() or _QUERY_SYNTAX.search(text):
        return []
    lex = lex or lexicon()
    words = text.split() if _CJK.search(text) else _TOKEN.findall(text)
    groups: list[list[str]] = []
    i = 0
    while i < len(words):
        for width in (3, 2, 1):
            entity = lex.lookup(" ".join(words[i : i + width])) if i + width <= len(words) else None
            if entity:
                span = " ".join(words[i : i + width])
                forms = {span}
                for names in lex.forms_of(entity).values():
                    forms.update(names)
                ordered = sorted(forms, key=lambda f: (f != span, f))
                groups.append(list(dict.fromkeys(_search_form(f) for f in ordered)))
                i += width
                break
        else:
            groups.append([words[i]])
            i += 1
    return groups
