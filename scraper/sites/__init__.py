"""Per-site Python, registered by source id, for what selectors cannot express."""

from __future__ import annotations

from lxml import etree

_REGISTRY: dict[str, SiteRules] = {}


class SiteRules:
    """Hooks a site may override; the defaults do nothing."""

    def page_count(self, root: etree._Element, text: str) -> int | None:
        """How many listing pages there are, when the page says so."""
        return None

    def page_url(self, url: str) -> str:
        """The URL to fetch for an article (an API twin of the page, say)."""
        return url

    def public_url(self, url: str) -> str:
        """The statement's address for a fetched (or imported) URL: `page_url` undone."""
        return url

    def extract(self, text: str, url: str) -> dict | None:
        """Fields read straight from a page the selectors do not fit (JSON); None: use them.

        Keys: title, html, published_raw, and optionally speaker, kind, language.
        """
        return None

    def clean(self, body: etree._Element) -> None:
        """Remove page furniture from the body element in place (before text is taken)."""

    def refine(self, fields: dict, root: etree._Element, url: str) -> dict:
        """Adjust extracted fields (title, published, speaker, kind, text, html)."""
        return fields


def register(*source_ids: str):
    """Class decorator: use these rules for the given source ids (duplicates are an error)."""

    def wrap(cls: type[SiteRules]) -> type[SiteRules]:
        for source_id in source_ids:
            if source_id in _REGISTRY:
                raise ValueError(f"site rules for {source_id!r} registered twice")
            _REGISTRY[source_id] = cls()
        return cls

    return wrap


def rules_for(source_id: str) -> SiteRules | None:
    """The registered rules for a source id, or None (selectors alone)."""
    _load()
    return _REGISTRY.get(source_id)


def _load() -> None:
    from scraper.sites import fmprc, govuk, kremlin, mfa_ir, mid  # noqa: F401  (register themselves)
