"""The search index is derived from the archive: it catches up after kill -9, is rebuilt when
missing or damaged, finds every version, every language, and says how it read a query."""

import gc
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from db import Archive, SearchQuery, StatementInput, engine
from db.filters import UnknownFilterValue
from db.search import check_index

WRITER = Path(__file__).with_name("_crash_writer.py")


def _sql_ids(arc):
    return {r[0] for r in arc.conn.execute("SELECT archive_id FROM statements")}


def _search_ids(arc, text):
    return {h.archive_id for h in arc.search(SearchQuery(text, limit=100_000)).hits}


def test_kill_9_at_random_points_leaves_search_and_archive_in_agreement(tmp_path):
    folder = tmp_path / "crash"
    rng = random.Random(11)
    start = 0
    for _round in range(4):
        proc = subprocess.Popen(
            [sys.executable, str(WRITER), str(folder), str(start)],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert proc.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.05, 1.0))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        with Archive.open(folder) as arc:
            ids = _sql_ids(arc)
            assert _search_ids(arc, "common") == ids
            assert check_index(arc.conn) == []
            # Each statement is found by the words of its current version …
            for key, text in arc.conn.execute(
                "SELECT s.key, v.text FROM statements s JOIN versions v "
                "ON v.id = s.current_version_id ORDER BY s.id DESC LIMIT 25"
            ):
                word = text.split()[1]
                hits = arc.search(SearchQuery(word)).hits
                assert [h.url for h in hits] == [key], word
                assert hits[0].earlier_version is None
            # … and by those of its earlier versions, saying so.
            row = arc.conn.execute(
                "SELECT s.key, v.text, v.seq FROM versions v JOIN statements s "
                "ON s.id = v.statement_id WHERE v.id != s.current_version_id "
                "AND v.text LIKE '%first' ORDER BY v.id DESC LIMIT 1"
            ).fetchone()
            if row is not None:
                hit = arc.search(SearchQuery(f'"{row[1].split()[1]}" first')).hits[0]
                assert (hit.url, hit.earlier_version) == (row[0], row[2])
            start = 1 + max(
                (
                    int(k.rsplit("/", 1)[1])
                    for (k,) in arc.conn.execute("SELECT key FROM statements")
                ),
                default=0,
            )
    assert start > 0


def test_earlier_versions_are_searchable_and_say_so(loaded):
    old = loaded.search(SearchQuery("Bradenburg")).hits
    assert [h.title for h in old] == ["President Biden Announces 17 Key Nominations"]
    assert old[0].earlier_version == 1
    assert "⟦Bradenburg⟧" in old[0].snippet
    new = loaded.search(SearchQuery("Brandenburg")).hits
    assert new[0].archive_id == old[0].archive_id
    assert new[0].earlier_version is None


def test_missing_or_damaged_index_is_rebuilt_with_progress(loaded):
    total = loaded.search(SearchQuery("Ukraine")).total
    loaded.close()
    folder = loaded.folder
    index = folder / "search-index"
    for damage in ("delete", "garble"):
        engine._indexes.clear()  # as a new process would: nothing of the index mapped
        gc.collect()
        if damage == "delete":
            shutil.rmtree(index)
        else:
            for f in index.glob("*.idx"):
                f.write_bytes(b"not an index")
            (index / "meta.json").write_text("{")
        seen: list[tuple[int, int]] = []
        with Archive.open(folder, readonly=True) as arc:
            arc.index_progress = lambda done, whole, seen=seen: seen.append((done, whole))
            assert arc.search(SearchQuery("Ukraine")).total == total
            assert engine.check_index(arc.conn) == []  # the FTS5 part needs a writer
        assert seen
        assert seen[-1][0] == seen[-1][1] > 0


def test_reindex_rebuilds_the_same_index(loaded):
    before = [h.archive_id for h in loaded.search(SearchQuery("nuclear weapons")).hits]
    assert loaded.reindex() == loaded.stats()["versions"]
    assert [h.archive_id for h in loaded.search(SearchQuery("nuclear weapons")).hits] == before


def _add(arc, n, text, language="en", **kw):
    arc.add_statement(
        StatementInput("lang", f"https://x.test/{n}", text, title=f"t{n}", language=language, **kw)
    )


def test_stems_find_other_forms_and_exact_forms_rank_first(archive):
    _add(archive, 1, "New sanctions were announced today.")
    _add(archive, 2, "The sanction was announced today.")
    _add(archive, 3, "Введены новые санкции против компаний.", "ru")
    _add(archive, 4, "Пакет санкций обсуждался долго.", "ru")
    _add(archive, 5, "Les sanctions sont levées.", "fr")
    for short, long in (("sanction", "sanctions"), ("санкций", "санкции")):
        a, b = _search_ids(archive, short), _search_ids(archive, long)
        assert b
        assert b <= a
    urls = [h.url for h in archive.search(SearchQuery("sanctions")).hits]
    assert urls[0] in ("https://x.test/1", "https://x.test/5")
    assert "https://x.test/2" in urls[2:]
    assert archive.search(SearchQuery("санкций")).hits[0].url == "https://x.test/4"
    snippet = archive.search(SearchQuery("sanction")).hits[-1].snippet
    assert "⟦sanctions⟧" in snippet


def test_cjk_operators_and_mixed_scripts(archive):
    _add(archive, 1, "中方坚决反对外部势力干涉香港事务。", "zh")
    _add(archive, 2, "台湾是中国领土不可分割的一部分。", "zh")
    _add(archive, 3, "伊朗核问题全面协议 Iran nuclear deal", "zh")
    _add(archive, 4, "香港和台湾的问题。", "zh")
    ids = lambda q: {h.url[-1] for h in archive.search(SearchQuery(q)).hits}  # noqa: E731
    assert ids("香港 OR 台湾") == {"1", "2", "4"}
    assert ids("香港 AND 台湾") == {"4"}
    assert ids("香港 NOT 台湾") == {"1"}
    assert ids('"香港事务"') == {"1"}
    assert ids("Iran 伊朗") == {"3"}
    assert ids("香港") == {"1", "4"}
    assert ids("港") == {"1", "4"}
    hit = archive.search(SearchQuery("香港 OR 台湾")).hits[0]
    assert "⟦" in hit.snippet


def test_persian_letter_variants_and_arabic_diacritics_fold(archive):
    _add(archive, 1, "وزير امور خارجه كشور در كنفرانس سخن گفت", "fa")  # Arabic yeh and kaf
    _add(archive, 2, "قال مُحَمَّدٌ إنّ الاتفاقَ ممكن", "ar")
    assert [h.url for h in archive.search(SearchQuery("وزیر کشور")).hits] == ["https://x.test/1"]
    assert [h.url for h in archive.search(SearchQuery("محمد")).hits] == ["https://x.test/2"]
    assert "⟦وزير⟧" in archive.search(SearchQuery("وزیر")).hits[0].snippet


def test_invalid_syntax_says_how_it_was_searched(loaded):
    result = loaded.search(SearchQuery("sanction AND NOT oil"))
    assert result.searched_as == "searched as words: sanction AND NOT oil"
    assert loaded.search(SearchQuery("sanction NOT oil")).searched_as is None
    assert loaded.search(SearchQuery('"unbalanced')).searched_as == "searched as words: unbalanced"


def test_filter_values_ignore_case_and_unknown_ones_name_the_known(loaded):
    exact = loaded.search(SearchQuery("", sources=["us-whitehouse"])).total
    assert loaded.search(SearchQuery("the", sources=["US-WhiteHouse"])).total > 0
    assert loaded.search(SearchQuery("", sources=["US-WHITEHOUSE"])).total == exact
    assert loaded.search(SearchQuery("", languages=["EN"])).total > 0
    with pytest.raises(UnknownFilterValue, match="unknown source 'us-whitehous'.*us-whitehouse"):
        loaded.search(SearchQuery("Ukraine", sources=["us-whitehous"]))
    with pytest.raises(UnknownFilterValue, match="unknown kind 'pressconf'"):
        loaded.facets(SearchQuery("", kinds=["pressconf"]))


def test_speakers_are_canonical_through_a_user_extendable_alias_table(archive):
    for n, speaker in enumerate(
        ["President Biden", "President Joseph R. Biden, Jr.", "耿爽", "Geng Shuang", "Li Wei"]
    ):
        _add(archive, n, f"remarks on trade {n}", speaker=speaker)
    facets = archive.facets(SearchQuery("trade"))["speaker"]
    assert facets == {"Joseph R. Biden Jr.": 2, "Geng Shuang": 2, "Li Wei": 1}
    assert archive.facets(SearchQuery(""))["speaker"] == facets
    biden = archive.search(SearchQuery("trade", speakers=["Joseph R. Biden Jr."]))
    assert {h.speaker for h in biden.hits} == {"President Biden", "President Joseph R. Biden, Jr."}
    assert archive.search(SearchQuery("", speakers=["耿爽"])).total == 2
    assert archive.search(SearchQuery("", speakers=["li wei"])).total == 1  # case-insensitive
    (archive.folder / "speakers.json").write_text(
        '{"version": 2, "people": {"Li Wei": ["李伟"], "Geng Shuang": ["Mr. Geng"]}}',
        encoding="utf-8",
    )
    _add(archive, 9, "trade talks", speaker="李伟")
    _add(archive, 10, "trade deal", speaker="Mr. Geng")
    facets = archive.facets(SearchQuery("trade"))["speaker"]
    assert facets == {"Joseph R. Biden Jr.": 2, "Geng Shuang": 3, "Li Wei": 2}


def test_readers_search_while_a_writer_writes(tmp_path):
    folder = tmp_path / "busy"
    proc = subprocess.Popen(
        [sys.executable, str(WRITER), str(folder), "0"], stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout.readline().strip() == "ready"
        totals = []
        for _ in range(20):
            with Archive.open(folder, readonly=True) as arc:
                hits = arc.search(SearchQuery("common", limit=50)).hits
                held = _sql_ids(arc)
                totals.append(len(held))
            assert {h.archive_id for h in hits} <= held  # nothing the archive does not hold
            time.sleep(0.02)
        assert totals[-1] >= totals[0]
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    with Archive.open(folder) as arc:
        assert _search_ids(arc, "common") == _sql_ids(arc)


def test_bad_date_with_text_is_an_error_without_rebuilding_the_index(loaded, monkeypatch):
    from db.tindex import SearchIndex

    def no_rebuild(*args, **kwargs):
        raise AssertionError("rebuilt")

    loaded.search(SearchQuery("Ukraine"))
    monkeypatch.setattr(SearchIndex, "rebuild", no_rebuild)
    with pytest.raises(ValueError, match="not a date"):
        loaded.search(SearchQuery("Ukraine", since="last tuesday"))
    with pytest.raises(ValueError, match="not a date"):
        loaded.facets(SearchQuery("Ukraine", until="soon"))


def test_date_orders_and_exports_reach_past_the_count_cap(loaded, monkeypatch):
    from db import search as search_module
    from db.export import export_records

    everything = _search_ids(loaded, "the")
    monkeypatch.setattr(search_module, "COUNT_CAP", 5)
    newest = loaded.search(SearchQuery("the", order="date", limit=200))
    assert not newest.total_exact
    assert {h.archive_id for h in newest.hits} == everything
    dates = [h.published for h in newest.hits if h.published]
    assert dates == sorted(dates, reverse=True)
    titles = loaded.search(SearchQuery("the", order="title", limit=200))
    assert {h.archive_id for h in titles.hits} == everything
    exported = {r["url"] for r in export_records(loaded, SearchQuery("the"))}
    assert len(exported) == len(everything)


def test_a_long_import_keeps_its_writer_so_that_segments_are_merged(tmp_path):
    """Each commit adds a segment; a writer dropped after every commit cancelled tantivy's
    merges (80 segments after a 200k import, searches 3x slower). The indexing thread keeps it
    while commits come, and lets its merges finish when it gives it up."""
    import tantivy

    commits = 30
    with Archive.open(tmp_path / "arc", create=True) as arc:
        arc.search(SearchQuery("anything"))  # the index exists: commits are indexed in step
        with arc.transaction():
            for n in range(commits):
                for m in range(3):
                    url = f"https://www.state.gov/{n}-{m}/"
                    arc.add_statement(StatementInput("us-state", url, f"Batch {n} item {m}."))
                arc.commit_and_continue()
                arc.settle()  # each commit indexed in a pass of its own (a segment each)
        index_folder = engine.index_path(arc.folder)
    searcher = tantivy.Index.open(str(index_folder)).searcher()
    assert searcher.num_docs == commits * 3 + 1  # the statements and the index's metadata
    assert searcher.num_segments < 12  # merged (each commit left one segment otherwise)
    with Archive.open(tmp_path / "arc") as arc:
        assert arc.search(SearchQuery("item")).total == commits * 3
        assert check_index(arc.conn) == []


def test_a_phrase_ranks_first_unless_all_its_words_are_common(archive, monkeypatch):
    """Checking common words as a phrase reads positions in most documents: above
    PHRASE_MAX_DOCUMENTS (the rarest word's document count) the text phrase bonus is skipped."""
    from db import tquery

    _add(archive, 1, "Mat, sat.")  # both words, not as the phrase; short: BM25 prefers it
    _add(archive, 2, "Then we all sat mat in hand and waited for a very long while.")
    assert [h.url for h in archive.search(SearchQuery("sat mat")).hits] == [
        "https://x.test/2",
        "https://x.test/1",
    ]
    monkeypatch.setattr(tquery, "PHRASE_MAX_DOCUMENTS", 1)  # both words are in 2 documents
    assert [h.url for h in archive.search(SearchQuery("sat mat")).hits] == [
        "https://x.test/1",
        "https://x.test/2",
    ]


def test_a_word_in_most_documents_is_not_widened_to_its_other_forms(archive, monkeypatch):
    from db import tquery

    _add(archive, 1, "New sanctions were announced today.")
    _add(archive, 2, "The sanction was announced today.")
    _add(archive, 3, "Les sanctions sont levées.", "fr")
    _add(archive, 4, "Nothing to see.")
    _add(archive, 5, "Nothing at all.")
    monkeypatch.setattr(tquery, "COMMON_MIN_DOCUMENTS", 0)
    monkeypatch.setattr(tquery, "COMMON_SHARE", 0.3)  # "sanctions" is in 2 of 5: common
    assert _search_ids(archive, "sanctions") == _search_ids(archive, '"sanctions"')
    assert len(_search_ids(archive, "sanctions")) == 2
    assert len(_search_ids(archive, "sanction")) == 3  # in 1 of 5: widened as before


def test_facets_of_the_empty_query_come_from_the_index_and_agree_with_sql(loaded):
    """Grouping every statement in SQL took seconds at 1M; the index's fast fields count the
    same values, with and without a chosen filter."""
    import db.search as fts

    for query in (SearchQuery(), SearchQuery(languages=["en"]), SearchQuery(since="2022")):
        counts = loaded.facets(query)
        sql = fts.facets(loaded.conn, query, engine=False)
        for name in ("source", "country", "language", "kind", "year"):
            assert counts[name] == sql[name], (name, query)
    assert sum(loaded.facets(SearchQuery())["source"].values()) == loaded.stats()["statements"]


def test_the_title_is_part_of_the_statement_and_ranks_higher(archive):
    """`text` holds the title and the body (one posting list per word); the title field only
    ranks, and `title:` still restricts to it."""
    archive.add_statement(
        StatementInput("lang", "https://x.test/t", "Talks ended late.", title="Ceasefire in Gaza")
    )
    _add(archive, 2, "A ceasefire was discussed; talks in Gaza ended late, and much else.")
    _add(archive, 3, "Talks ended late with no word of a truce.")
    assert [h.url for h in archive.search(SearchQuery("ceasefire talks")).hits] == [
        "https://x.test/t",  # the title holds a word: first, though the body is shorter
        "https://x.test/2",
    ]
    assert [h.url for h in archive.search(SearchQuery("ceasefire AND talks")).hits][0] == (
        "https://x.test/t"
    )
    assert {h.url for h in archive.search(SearchQuery("title:gaza")).hits} == {"https://x.test/t"}
    assert {h.url for h in archive.search(SearchQuery("gaza")).hits} == {
        "https://x.test/t",
        "https://x.test/2",
    }
    # an exact phrase never runs from the end of the title into the text
    assert not _search_ids(archive, '"gaza talks"')
    assert _search_ids(archive, '"in gaza"') == _search_ids(archive, "gaza")


def test_speaker_counts_are_exact_across_index_segments(archive, monkeypatch):
    """Each segment's tallies are counted in full: a speaker just outside one segment's best
    (by text, the engine kept 10x the requested number per segment) is not short there."""
    import db.search as fts

    monkeypatch.setattr(fts, "_SPEAKER_LIMIT", 2)
    n = 0

    def say(speaker, times):
        nonlocal n
        for _ in range(times):
            n += 1
            _add(archive, n, f"Statement number {n}.", speaker=speaker)

    with archive.transaction():  # one segment: 25 speakers twice each, "Top" once
        for i in range(25):
            say(f"Speaker {i:02d}", 2)
        say("Top", 1)
    archive.settle()
    with archive.transaction():  # another: "Top" ten times
        say("Top", 10)
    archive.settle()
    searcher = engine.ensure(archive.conn, archive.folder, writable=False).searcher()
    assert searcher.num_segments >= 2
    assert archive.facets(SearchQuery())["speaker"] == {"Top": 11, "Speaker 00": 2}
    assert archive.facets(SearchQuery("statement"))["speaker"] == {"Top": 11, "Speaker 00": 2}


def test_a_word_in_many_titles_gets_no_title_bonus(archive, monkeypatch):
    """Checking every match against the title clauses of words most titles hold cost a third
    of a search at 1M; above TITLE_COMMON_SHARE of the titles a word only has to match."""
    from db import tquery

    for n, title in enumerate(["Statement on Gaza", "Statement", "Statement", "Note"]):
        archive.add_statement(StatementInput("lang", f"https://x.test/{n}", "Words.", title=title))
    archive.settle()
    searcher = engine.ensure(archive.conn, archive.folder, writable=False).searcher(fresh=True)
    assert searcher.doc_freq("title", "statement") == 3

    def bonuses():
        b = tquery._Builder(searcher)
        b.word("statement")  # in 3 of 4 titles
        b.word("gaza")  # in 1 of 4
        return len(b.title_bonus())

    assert bonuses() == 2  # a small archive: every word (TITLE_COMMON_MIN_DOCUMENTS)
    monkeypatch.setattr(tquery, "TITLE_COMMON_MIN_DOCUMENTS", 0)
    monkeypatch.setattr(tquery, "TITLE_COMMON_SHARE", 0.5)
    assert bonuses() == 1
    monkeypatch.setattr(tquery, "TITLE_COMMON_SHARE", 0.8)
    assert bonuses() == 2


def test_another_form_of_a_word_in_the_title_ranks_higher(archive):
    """ "Sanctions" in a title counts for `sanction` too (less than the form typed)."""
    archive.add_statement(
        StatementInput(
            "lang",
            "https://x.test/b",
            "The sanction was announced. Sanctions follow.",
            title="Note",
        )
    )
    archive.add_statement(
        StatementInput(
            "lang", "https://x.test/a", "The sanction was announced. Nothing follows.",
            title="Sanctions",
        )
    )  # fmt: skip
    assert [h.url for h in archive.search(SearchQuery("sanction")).hits] == [
        "https://x.test/a",
        "https://x.test/b",
    ]
