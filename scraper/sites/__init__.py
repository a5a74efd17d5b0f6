"""Per-site Python, registered by source id, for what selectors cannot express."""

from __future__ import annotations

from lxml import etree

_REGISTRY: dict[str, SiteRules] = {}


class SiteRules:
    """Hooks a site may override; the defaults do nothing."""

    def page_count(self, root: etree._Element, text: str) -> int | None:
        """How many listing pages there are, when the page says so."""
        return None

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
    from scraper.sites import fmprc  # noqa: F401  (registers itself)
