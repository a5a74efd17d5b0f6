"""Evidence and crawl state: WARC first, then capture rows; archive work on the writer thread."""

from __future__ import annotations

import hashlib
import threading

from db import Archive, CaptureRecord, StatementInput
from db import crawl as state
from scraper.dbqueue import DbQueue
from scraper.exchange import Exchange
from scraper.warcstore import WarcReplay, WarcStore


class Recording:
    """Writes each exchange to the run's WARC, then its capture row; keeps the crawl state."""

    def __init__(self, arc: Archive, db: DbQueue, store: WarcStore) -> None:
        self.arc = arc
        self.db = db
        self.store = store
        self.replay: WarcReplay | None = None
        self._infos_copied: set = set()
        self._info_lock = threading.Lock()

    # ---------------------------------------------------------- recorders (any thread)
    def record_live(self, exchange: Exchange) -> None:
        """WARC record first (the evidence), then the capture row pointing at it."""
        self.store.record(exchange)
        exchange.capture_id = self.db.call(self._add_capture, exchange)

    def record_replayed(self, exchange: Exchange) -> None:
        """Copy the replayed record into the archive's WARC once; reuse its capture on resume."""
        exchange.payload_sha256 = hashlib.sha256(exchange.raw_body).hexdigest()
        existing = self.db.call(
            state.find_capture_by_content,
            self.arc,
            exchange.url,
            exchange.fetched_at,
            exchange.payload_sha256,
        )
        if existing is not None:
            exchange.capture_id = existing
            return
        if self.replay is not None and exchange.warc_offset is not None:
            where = (exchange.warc_offset, exchange.warc_length or 0)
            self._copy_context(self.replay, where)
            member = self.replay.member(*where)
            offset, length = self.store.copy_member(member)
            exchange.warc_file, exchange.warc_offset, exchange.warc_length = (
                self.store.relative,
                offset,
                length,
            )
        exchange.capture_id = self.db.call(self._add_capture, exchange)

    def _copy_context(self, replay: WarcReplay, response: tuple[int, int]) -> None:
        """Before a copied response: the source WARC's warcinfo (once) and the response's
        request record, verbatim, so the archive's WARC keeps the whole exchange."""
        with self._info_lock:
            first = replay.warcinfo is not None and replay.path not in self._infos_copied
            self._infos_copied.add(replay.path)
        if first:
            self.store.copy_member(replay.member(*replay.warcinfo))
        request = replay.requests.get(response)
        if request is not None:
            self.store.copy_member(replay.member(*request))

    # ---------------------------------------------------------- writer-thread operations
    def _add_capture(self, exchange: Exchange) -> int:
        return self.arc.add_capture(
            CaptureRecord(
                url=exchange.url,
                fetched_at=exchange.fetched_at,
                status=exchange.status,
                warc_file=exchange.warc_file,
                warc_offset=exchange.warc_offset,
                warc_length=exchange.warc_length,
                payload_sha256=exchange.payload_sha256,
                error=exchange.error,
            )
        )

    def statement(self, statement: StatementInput, url: str) -> str:
        """Commit one statement (and forget its past failure) in one transaction."""
        with self.arc.transaction():
            result = self.arc.add_statement(statement)
            state.clear_failure(self.arc, statement.source_id, url)
        return result.status

    def failure(
        self,
        source_id: str,
        url: str,
        reason: str,
        capture_id: int | None,
        key: str | None = None,
    ) -> None:
        state.record_failure(self.arc, source_id, url, reason, capture_id, key)

    def cleared(self, source_id: str, url: str) -> None:
        state.clear_failure(self.arc, source_id, url)

    def failures(self, source_id: str) -> list[dict]:
        return state.failures(self.arc, source_id)

    def disallowed(self, source_id: str, url: str) -> None:
        state.record_disallowed(self.arc, source_id, url)

    def validators(self, url: str) -> dict[str, str]:
        return state.get_validators(self.arc, url)

    def remember_validators(self, url: str, exchange: Exchange) -> None:
        state.set_validators(
            self.arc, url, exchange.header("ETag"), exchange.header("Last-Modified")
        )

    def known(self, source_id: str, key: str) -> bool:
        return self.arc.find_statement(source_id, key) is not None

    def held(self, source_id: str, key: str) -> str | None:
        """None when the statement is not archived, else its latest declared modification
        time ('' when it declares none)."""
        row = self.arc.conn.execute(
            """SELECT v.declared_modified FROM statements s
               JOIN versions v ON v.id = s.current_version_id
               WHERE s.source_id = ? AND s.key = ?""",
            (source_id, key),
        ).fetchone()
        return None if row is None else (row[0] or "")
