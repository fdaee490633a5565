"""Independent checks on rendered reports, shared by the HTML and diff tests: a real HTML parser, no shortcuts."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

FIXTURE = Path(__file__).parent / "fixtures" / "report_design.json"
SVG_NAMESPACES = {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}


def design_report() -> dict[str, Any]:
    """DESIGN.md's example report, extended to two categories and three domains (one with a hostile name)."""
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


class Page(HTMLParser):
    """Everything the checks need from a page: tags, fetchable URLs, svg labels and data-key cells."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.fetched: list[str] = []
        self.svgs: list[str] = []
        self.cells: dict[str, str] = {}
        self.text: list[str] = []
        self._key: str | None = None
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        values = dict(attrs)
        for name in ("src", "href", "xlink:href", "data", "poster", "srcset", "action"):
            target = values.get(name)
            if target and not target.startswith("#"):
                self.fetched.append(target)
        if tag == "svg":
            self.svgs.append(values.get("aria-label") or "")
        if tag == "td" and values.get("data-key"):
            self._key = values["data-key"]
            self.cells[self._key] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "td":
            self._key = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._key is not None:
            self.cells[self._key] += data


def assert_self_contained(text: str) -> Page:
    """No script, external stylesheet, image, font or frame; the only URLs are SVG namespace names."""
    page = Page(text)
    assert not {"script", "link", "img", "iframe", "object", "embed"} & set(page.tags)
    assert page.fetched == []
    assert "@import" not in text and not re.search(r"url\(\s*(?!#)", text)  # url(#clip) is in-page
    urls = set(re.findall(r"https?://[^\s\"'<>)]+", text))
    assert urls <= SVG_NAMESPACES, urls - SVG_NAMESPACES
    return page


def json_value(report: dict[str, Any], key: str) -> Any:
    """The report.json value at a dotted key whose parts may themselves contain dots (domain names)."""
    value: Any = report
    parts = key.split(".")
    while parts:
        for size in range(len(parts), 0, -1):  # the longest prefix that is a key wins: "news.example.org"
            head = ".".join(parts[:size])
            if isinstance(value, dict) and head in value:
                value, parts = value[head], parts[size:]
                break
            if isinstance(value, list) and size == 1 and head.isdigit():
                value, parts = value[int(head)], parts[1:]
                break
        else:
            return None
    return value


def parse_shown(text: str) -> Any:
    """A shown figure back to a number (or None / bool), the inverse of the display format."""
    text = text.strip().replace("\\", "")
    if text in ("—", "vacuous"):
        return None
    if text in ("yes", "no"):
        return text == "yes"
    number = text.replace(",", "")
    return float(number) if re.search(r"[.e]", number) else int(number)


def assert_same_number(shown: str, expected: Any) -> None:
    """A shown figure equals the JSON value: ints exactly, floats to the 6 significant digits shown."""
    value = parse_shown(shown)
    if expected is None or isinstance(expected, bool):
        assert value == expected, (shown, expected)
    elif isinstance(expected, int):
        assert value == expected, (shown, expected)
    else:
        assert abs(value - expected) <= 5e-6 * max(abs(expected), 1e-300) + 0.05 * (abs(expected) >= 1000), (shown, expected)


def markdown_tables(text: str) -> dict[str, list[list[str]]]:
    """Markdown pipe tables by their `## heading`, as rows of unescaped cells (header row first)."""
    tables: dict[str, list[list[str]]] = {}
    heading = ""
    for line in text.splitlines():
        if line.startswith("## "):
            heading = line[3:].replace("\\", "")
        elif line.startswith("|") and not line.startswith("|---"):
            cells = re.split(r"(?<!\\)\|", line.strip()[1:-1])
            tables.setdefault(heading, []).append([re.sub(r"\\(.)", r"\1", c.strip()) for c in cells])
    return tables
