"""The whole-body deadline is enforced on the socket; completeness comes from the framing."""

from __future__ import annotations

import threading

from scraper.fetch import Fetcher, FetchSettings
from scraper.warcstore import WarcStore, read_exchange

SETTINGS = FetchSettings(read_timeout=5.0, total_timeout=1.0, retries=0)


def drip(server, path: str, total: int, pause: float, *, chunked: bool = False, stop_at=None):
    """A route sending `total` bytes one at a time, `pause` s apart; counts what got out."""
    sent = {"bytes": 0}
    release = threading.Event()
    server.on_close.append(release.set)

    def handler(h):
        h.send_response(200)
        h.send_header("Content-Type", "text/html; charset=utf-8")
        if chunked:
            h.send_header("Transfer-Encoding", "chunked")
        else:
            h.send_header("Content-Length", str(total))
        h.end_headers()
        try:
            for n in range(total):
                if stop_at is not None and n == stop_at:
                    h.connection.shutdown(2)
                    return None
                h.wfile.write(b"1\r\nx\r\n" if chunked else b"x")
                h.wfile.flush()
                sent["bytes"] += 1
                if release.wait(pause):
                    return None
            if chunked:
                h.wfile.write(b"0\r\n\r\n")
                h.wfile.flush()
        except OSError:
            pass
        return None

    server.routes[path] = handler
    return sent


def test_a_dripping_body_is_cut_at_the_deadline_not_after_it_ends(server, tmp_path):
    # 200 bytes at one per 0.3 s would take a minute; the deadline is 1 s after the request.
    sent = drip(server, "/drip", 200, 0.3)
    store = WarcStore(tmp_path, "drip.warc.gz")
    exchange = Fetcher(store.record, SETTINGS).get(f"{server.base}/drip", delay=0)
    store.close()
    assert exchange.error == "body not complete after 1s"
    # The WARC keeps what arrived, marked as cut by time (WARC 1.1 WARC-Truncated: time).
    kept = read_exchange(tmp_path / exchange.warc_file, exchange.warc_offset)
    assert kept.error == "truncated in the WARC (time)"
    assert kept.raw_body == exchange.raw_body
    assert exchange.retryable
    # What arrived before the cut is kept as evidence; the server was stopped well short.
    assert 0 < len(exchange.raw_body) < 200
    assert sent["bytes"] < 200


def test_a_slow_body_that_arrives_whole_before_the_deadline_is_kept(server):
    drip(server, "/slow", 8, 0.02)
    settings = FetchSettings(read_timeout=5.0, total_timeout=30.0, retries=0)
    exchange = Fetcher(lambda e: None, settings).get(f"{server.base}/slow", delay=0)
    assert exchange.error is None
    assert exchange.body == b"x" * 8


def test_chunked_bodies_are_judged_by_their_last_chunk(server):
    drip(server, "/chunked", 6, 0.0, chunked=True)
    drip(server, "/cut", 6, 0.0, chunked=True, stop_at=3)
    settings = FetchSettings(read_timeout=5.0, total_timeout=30.0, retries=0)
    fetcher = Fetcher(lambda e: None, settings)
    whole = fetcher.get(f"{server.base}/chunked", delay=0)
    assert (whole.error, whole.body) == (None, b"x" * 6)
    cut = fetcher.get(f"{server.base}/cut", delay=0)
    assert (cut.error or "").startswith("truncated body")
