"""GOV.UK: every page has a Content API twin (`/api/content<path>`) with the same content as JSON.

The JSON is read instead of the HTML page: title, `first_published_at`, the body HTML
(`details.body`, a `div.govspeak`), the document type and the locale come as fields, so no
selector can drift with the site's design system. Statements keep the public page's address.
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit, urlunsplit

from scraper.sites import SiteRules, register

API = "/api/content"
_KINDS = {
    "press_release": "statement",
    "news_story": "news",
    "world_news_story": "news",
    "government_response": "statement",
    "speech": "speech",
    "oral_statement": "statement",
    "written_statement": "statement",
    "authored_article": "remarks",
}


@register("gb-fcdo")
class GovUk(SiteRules):
    def page_url(self, url: str) -> str:
        parts = urlsplit(url)
        if parts.netloc != "www.gov.uk" or parts.path.startswith(API):
            return url
        return urlunsplit(("https", parts.netloc, API + parts.path, "", ""))

    def public_url(self, url: str) -> str:
        parts = urlsplit(url)
        if not parts.path.startswith(API + "/"):
            return url
        return urlunsplit(("https", parts.netloc, parts.path[len(API) :], "", ""))

    def extract(self, text: str, url: str) -> dict | None:
        if not text.lstrip().startswith("{"):
            return None  # the HTML page: the configured selectors apply
        try:
            item = json.loads(text)
        except json.JSONDecodeError:
            return None
        if not isinstance(item, dict) or not isinstance(item.get("details"), dict):
            return None
        details = item["details"]
        published = item.get("first_published_at") or details.get("first_public_at")
        people = (item.get("links") or {}).get("speaker") or []
        return {
            "title": item.get("title"),
            "html": details.get("body") or "",
            "published_raw": published,
            "speaker": (people[0].get("title") if people else None)
            or details.get("speaker_without_profile"),
            "kind": _KINDS.get(item.get("document_type", "")),
            "language": item.get("locale"),
        }
