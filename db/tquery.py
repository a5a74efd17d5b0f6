"""The query language, parsed by us (not by an engine) so that its meaning is ours and we can say
how a query was understood. Plain words must all occur (any form: exact forms rank first);
`"a phrase"`, `AND`, `OR`, `NOT`, `(…)`, `prefix*`, `NEAR(a b, 5)` and `title:word` work as in
SQLite FTS5. Anything that does not parse is searched as plain words, and the result says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import tantivy

from .tindex import ANALYZERS, SCHEMA, STEMMERS, fold_script

_TOKEN = re.compile(r'"[^"]*"?|\(|\)|,|[^\s(),"]+')
_OPERATORS = {"AND", "OR", "NOT"}
_SYNTAX = re.compile(r'["*()^:+]|\b(?:AND|OR|NOT|NEAR)\b')
_WORD = re.compile(r"\w+", re.UNICODE)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]+")
_SCRIPTS = (
    ("cyrillic", re.compile(r"[\u0400-\u052f]")),
    ("arabic", re.compile(r"[\u0600-\u06ff]")),
)
MAX_FORMS = 200  # indexed words sharing a prefix examined per query word, at most
# A word in more than this share of the documents is not widened to its other forms: nearly
# every document holding a form holds the word too, and the union of a very long list with a
# few short ones doubled the cost of the word ("with": 1.9 -> 5.0 ms at 200k statements).
COMMON_SHARE, COMMON_MIN_DOCUMENTS = 0.2, 10_000  # (a small archive widens every word)
TITLE_BOOST = 2.0
# A word in more than this share of the titles (and more than that many) gets no title bonus:
# every matching document is checked against the optional title clauses, and for the words of
# many titles ("the", "statement") that check was a third of a search at 1M statements (p95
# 26.4 vs 17.8 ms for the tantivy part of the 150 bench queries), while a word that common in
# titles says little about a statement.
TITLE_COMMON_SHARE, TITLE_COMMON_MIN_DOCUMENTS = 0.01, 1_000
STEM_BOOST = 0.3  # a word matched only in another form counts for less than the exact form
PHRASE_BOOST = 20.0  # plain words found as a phrase rank above those merely all found
# The phrase bonus in the text is skipped when even the rarest of the words is in more documents
# than this (as Lucene's CommonTermsQuery treats frequent terms): checking "it on the" as a
# phrase reads positions in most documents (43 ms of a search at 200k statements), and a
# phrase of such words says little. Titles are short: their phrase bonus always counts.
PHRASE_MAX_DOCUMENTS = 25_000


class QuerySyntaxError(ValueError):
    pass


@dataclass
class Plan:
    """A parsed query: the engine query, and what snippets should mark."""

    query: tantivy.Query
    match: tantivy.Query | None = None  # what must match, without ranking bonuses (counting)
    words: list[str] = field(default_factory=list)  # shown as typed, marked in snippets
    prefixes: list[str] = field(default_factory=list)  # `prefix*`: marked as prefixes
    cjk: list[str] = field(default_factory=list)  # CJK runs: marked as substrings
    searched_as: str | None = None  # set when the text was not valid syntax
    forms: list[str] = field(default_factory=list)  # other forms of the words: marked too
    described: str = ""


# ------------------------------------------------------------------ building blocks
def _tokens(text: str, analyzer: str = "words") -> list[str]:
    return ANALYZERS[analyzer].analyze(fold_script(text))


def _should(*queries: tantivy.Query) -> tantivy.Query:
    return tantivy.Query.boolean_query([(tantivy.Occur.Should, q) for q in queries])


def _must(*queries: tantivy.Query) -> tantivy.Query:
    return tantivy.Query.boolean_query([(tantivy.Occur.Must, q) for q in queries])


def _boost(query: tantivy.Query, boost: float) -> tantivy.Query:
    return tantivy.Query.boost_query(query, boost)


def _field(only: str | None) -> str:
    """Where a word must be: `text` is the whole statement, its title too (see db/tindex.py),
    so a word is one posting list, not a union of two fields (a union reads every document of
    a common word where one list skips: searches took twice as long). A word typed without a
    field also ranks higher when the title holds it (`_Builder.title_bonus`)."""
    return only or "text"


def _other_forms(forms: list[str], field_name: str) -> tantivy.Query:
    """A word's other forms, worth less than the form typed: a union of term queries scored as
    one constant (a term set query built an automaton over the term dictionary of every
    segment: slower for a few forms)."""
    variants = _should(*(tantivy.Query.term_query(SCHEMA, field_name, form) for form in forms))
    return _boost(tantivy.Query.const_score_query(variants, 1.0), STEM_BOOST)


def _term(token: str, field_name: str) -> tantivy.Query:
    q = tantivy.Query.term_query(SCHEMA, field_name, token)
    return _boost(q, TITLE_BOOST) if field_name == "title" else q


def _phrase(tokens: list[str], field_name: str, slop: int = 0) -> tantivy.Query:
    q = tantivy.Query.phrase_query(SCHEMA, field_name, tokens, slop=slop)
    return _boost(q, TITLE_BOOST) if field_name == "title" else q


class _Builder:
    def __init__(self, searcher: tantivy.Searcher | None = None) -> None:
        self.searcher = searcher
        self.words: list[str] = []
        self.prefixes: list[str] = []
        self.cjk: list[str] = []
        self.forms: dict[str, list[str]] = {}
        self.other: list[str] = []  # the forms found, for snippets
        self.titled: list[list[str]] = []  # tokens of words and phrases typed without a field

    def other_forms(self, token: str) -> list[str]:
        """Indexed words that share `token`'s stem under a stemmer of its script (not itself)."""
        if self.searcher is None or len(token) < 4 or token.isdigit():
            return []
        common = max(COMMON_MIN_DOCUMENTS, COMMON_SHARE * self.searcher.num_docs)
        if self.searcher.doc_freq("text", token) > common:
            return []
        if token in self.forms:
            return self.forms[token]
        script = next((name for name, rx in _SCRIPTS if rx.search(token)), "latin")
        stems = {name: ANALYZERS[name].analyze(token) for name in STEMMERS[script]}
        stems = {name: st[0] for name, st in stems.items() if len(st) == 1}
        if not stems:
            return []
        shortest = min(stems.values(), key=len)
        common = 0
        while common < min(len(shortest), len(token)) and shortest[common] == token[common]:
            common += 1
        prefix = token[: max(3, common - 1)]  # one letter less: policy/polici, stem/stemm
        terms = [
            t
            for t, _ in self.searcher.terms_with_prefix("text", prefix, limit=MAX_FORMS)
            if t != token and " " not in t
        ]
        forms = set()
        if terms:
            for name, stem in stems.items():
                stemmed = ANALYZERS[name].analyze(" ".join(terms))  # one call for all terms
                if len(stemmed) == len(terms):
                    forms.update(t for t, st in zip(terms, stemmed, strict=True) if st == stem)
        self.forms[token] = sorted(forms)
        return self.forms[token]

    def word(self, raw: str, only: str | None = None, positive: bool = True) -> tantivy.Query:
        """One typed word (or a run of CJK characters, or `U.S.`): its exact form in the
        statement (title included), or another form of it (same stem); several tokens are
        matched as a phrase."""
        tokens = _tokens(raw)
        if not tokens:
            return tantivy.Query.empty_query()
        if len(tokens) > 1:
            return self.phrase(raw, only, positive)
        if positive:
            self._mark(raw)
            if only is None:
                self.titled.append(tokens)
        name = _field(only)
        exact = _term(tokens[0], name)
        forms = [] if _CJK.search(raw) else self.other_forms(tokens[0])
        if not forms:
            return exact
        if positive:
            self.other += forms
        return _should(exact, _other_forms(forms, name))

    def prefix(self, raw: str, only: str | None = None, positive: bool = True) -> tantivy.Query:
        tokens = _tokens(raw)
        if len(tokens) != 1:
            raise QuerySyntaxError(f"{raw}*: a prefix is one word")
        if positive:
            self.prefixes.append(raw)
        pattern = re.escape(tokens[0]) + ".*"
        return tantivy.Query.regex_query(SCHEMA, _field(only), pattern)

    def phrase(
        self, raw: str, only: str | None = None, positive: bool = True, slop: int = 0
    ) -> tantivy.Query:
        tokens = _tokens(raw)
        if not tokens:
            raise QuerySyntaxError("an empty phrase")
        if len(tokens) == 1 and slop == 0:
            return self.word(raw, only, positive)
        if positive:
            self._mark(raw)
            if only is None and slop == 0:
                self.titled.append(tokens)
        return _phrase(tokens, _field(only), slop)

    def title_bonus(self) -> list[tuple[tantivy.Occur, tantivy.Query]]:
        """Optional clauses: the words and phrases typed without a field score more in a title,
        unless many titles hold them (see TITLE_COMMON_SHARE)."""
        out = []
        common = None
        if self.searcher is not None:
            common = max(TITLE_COMMON_MIN_DOCUMENTS, TITLE_COMMON_SHARE * self.searcher.num_docs)
        for tokens in self.titled:
            if (
                common is not None
                and min(self.searcher.doc_freq("title", t) for t in tokens) > common
            ):
                continue
            if len(tokens) > 1:
                q = _phrase(tokens, "title")
            elif self.forms.get(tokens[0]):  # "Sanctions" in a title counts for `sanction` too
                q = _should(_term(tokens[0], "title"), _other_forms(self.forms[tokens[0]], "title"))
            else:
                q = _term(tokens[0], "title")
            out.append((tantivy.Occur.Should, q))
        return out

    def _mark(self, raw: str) -> None:
        for run in _CJK.findall(raw):
            self.cjk.append(run)
        rest = _CJK.sub(" ", raw)
        self.words += _WORD.findall(rest)


# ------------------------------------------------------------------ plain words
def _phrase_affordable(words: list[str], searcher: tantivy.Searcher | None) -> bool:
    """Whether the text phrase bonus is cheap: one of the words is not a common one."""
    if searcher is None:
        return True
    return min(searcher.doc_freq("text", w) for w in words) <= PHRASE_MAX_DOCUMENTS


def plain(text: str, searcher: tantivy.Searcher | None = None) -> Plan | None:
    """All the words (any form), those holding them as a phrase first (see PHRASE_MAX_DOCUMENTS)."""
    units = [u for u in re.split(r"\s+", text.strip()) if _WORD.search(u)]
    if not units:
        return None
    b = _Builder(searcher)
    must = [b.word(u) for u in units]
    words = [t for u in units for t in _tokens(u)]
    clauses = [(tantivy.Occur.Must, q) for q in must] + b.title_bonus()
    if len(words) > 1:
        for f in ("title", "text") if _phrase_affordable(words, searcher) else ("title",):
            exact = tantivy.Query.phrase_query(SCHEMA, f, words)
            clauses.append((tantivy.Occur.Should, _boost(exact, PHRASE_BOOST)))
    query = tantivy.Query.boolean_query(clauses)
    match = tantivy.Query.boolean_query(clauses[: len(must)])
    return Plan(query, match, b.words, b.prefixes, b.cjk, described=" ".join(units), forms=b.other)


# ------------------------------------------------------------------ operators
class _Parser:
    def __init__(self, text: str, searcher: tantivy.Searcher | None) -> None:
        self.toks = _TOKEN.findall(text)
        self.i = 0
        self.b = _Builder(searcher)
        self.negated = 0

    def peek(self) -> str | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def next(self) -> str:
        tok = self.peek()
        if tok is None:
            raise QuerySyntaxError("the query ends too early")
        self.i += 1
        return tok

    def parse(self) -> tantivy.Query:
        q = self.or_()
        if self.peek() is not None:
            raise QuerySyntaxError(f"unexpected {self.peek()!r}")
        return q

    def or_(self) -> tantivy.Query:
        parts = [self.and_()]
        while self.peek() == "OR":
            self.next()
            parts.append(self.and_())
        return parts[0] if len(parts) == 1 else _should(*parts)

    def and_(self) -> tantivy.Query:
        parts = [self.not_()]
        while self.peek() not in (None, ")", "OR", ","):
            if self.peek() == "AND":
                self.next()
            parts.append(self.not_())
        return parts[0] if len(parts) == 1 else _must(*parts)

    def not_(self) -> tantivy.Query:
        left = self.primary()
        while self.peek() == "NOT":
            self.next()
            self.negated += 1
            right = self.primary()
            self.negated -= 1
            left = tantivy.Query.boolean_query(
                [(tantivy.Occur.Must, left), (tantivy.Occur.MustNot, right)]
            )
        return left

    def primary(self, only: str | None = None) -> tantivy.Query:
        tok = self.next()
        positive = not self.negated
        if tok == "(":
            q = self.or_()
            if self.next() != ")":
                raise QuerySyntaxError("unbalanced parenthesis")
            return q
        if tok in _OPERATORS or tok in (")", ","):
            raise QuerySyntaxError(f"{tok} needs a word on each side")
        if tok == "NEAR" and self.peek() == "(":
            return self.near(only)
        if tok.startswith('"'):
            if len(tok) < 2 or not tok.endswith('"'):
                raise QuerySyntaxError("unbalanced quote")
            return self.b.phrase(tok[1:-1], only, positive)
        if ":" in tok:
            name, _, rest = tok.partition(":")
            if name not in ("title", "text") or only:
                raise QuerySyntaxError(f"unknown field {name!r}")
            if rest:
                self.toks[self.i - 1 : self.i] = [rest]
                self.i -= 1
            return self.primary(name)
        if tok.endswith("*"):
            return self.b.prefix(tok[:-1], only, positive)
        if not _WORD.search(tok):
            raise QuerySyntaxError(f"{tok!r} is not a word")
        return self.b.word(tok, only, positive)

    def near(self, only: str | None) -> tantivy.Query:
        self.next()  # (
        words: list[str] = []
        distance = 10
        while self.peek() not in (None, ")", ","):
            tok = self.next()
            words.append(tok.strip('"'))
        if self.peek() == ",":
            self.next()
            number = self.next()
            if not number.isdigit():
                raise QuerySyntaxError("NEAR(…, N) needs a number")
            distance = int(number)
        if self.next() != ")":
            raise QuerySyntaxError("NEAR( is not closed")
        if len(words) < 2:
            raise QuerySyntaxError("NEAR needs two words")
        return self.b.phrase(" ".join(words), only, not self.negated, slop=distance)


def parse(text: str, searcher: tantivy.Searcher | None = None) -> Plan | None:
    """The plan for `text` (None: no words at all, list everything); with a `searcher`, words
    also match their other forms found in that index."""
    text = (text or "").strip()
    if not text:
        return None
    if not _SYNTAX.search(text):
        return plain(text, searcher)
    parser = _Parser(text, searcher)
    try:
        query = parser.parse()
    except (QuerySyntaxError, ValueError):
        fallback = plain(" ".join(_WORD.findall(text)), searcher)
        if fallback is None:
            return None
        fallback.searched_as = "searched as words: " + " ".join(_WORD.findall(text))
        return fallback
    b = parser.b
    ranked = tantivy.Query.boolean_query([(tantivy.Occur.Must, query), *b.title_bonus()])
    return Plan(ranked, query, b.words, b.prefixes, b.cjk, described=text, forms=b.other)
