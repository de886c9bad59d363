"""Find visible template text that is not marked for translation (a heuristic, on purpose).

Jinja comments, ``{{ ... }}`` expressions, ``{% ... %}`` statements and ``{% trans %}``
blocks are removed first; what is left is HTML whose text nodes and human-readable
attributes (title, placeholder, alt, aria-label, a button's value) must hold no words.
Plain-text templates (e-mails) are all visible text once the Jinja parts are gone.
Inside the Jinja parts, a capitalised sentence in quotes that is not an argument of
``_()``/``gettext()``/``ngettext()``/``pgettext()`` (``post_button(url, 'Remove')``) counts too.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

# Words that are the same in every language: the product's name and technical abbreviations.
ALLOWED_WORDS = {
    *("SOMET", "QR", "PDF", "XLSX", "CSV", "ZIP", "JSON", "PEM", "ICS", "iCal", "ID", "URL"),
    *("UTC", "API", "SHA", "Ed"),  # "Ed" of Ed25519
}
VISIBLE_ATTRIBUTES = {"title", "placeholder", "alt", "aria-label", "aria-description"}

_COMMENT = re.compile(r"\{#.*?#\}", re.DOTALL)
_TRANS_BLOCK = re.compile(r"\{%-?\s*trans\b.*?%\}.*?\{%-?\s*endtrans\s*-?%\}", re.DOTALL)
_EXPRESSION = re.compile(r"\{\{.*?\}\}", re.DOTALL)
_STATEMENT = re.compile(r"\{%.*?%\}", re.DOTALL)
_RAW = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>", re.DOTALL | re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)
_LITERAL = re.compile(
    r"""(?P<before>[\w.]*\(\s*(?:'[^']*'\s*,\s*)?|\w+\s*=\s*|,\s*|\s)"""
    r"""(?P<q>['"])(?P<text>[A-Z][a-z]+(?: [A-Za-z’']+)*[.!?:…]?)(?P=q)"""
)
_MARKED_BEFORE = re.compile(r"(^|\W)(_|gettext|ngettext|pgettext|npgettext)\(\s*('[^']*'\s*,\s*)?$")
_PATH = re.compile(r"\S*/\S*")  # a URL or path glued to an expression: "{{ url }}/my/placements/"


def without_jinja(source: str) -> str:
    """The template with every Jinja part replaced by a space (so words do not join up)."""
    source = _COMMENT.sub(" ", source)
    source = _TRANS_BLOCK.sub(" ", source)
    source = _EXPRESSION.sub(" ", source)
    return _STATEMENT.sub(" ", source)


def words_in(text: str) -> list[str]:
    """The words of ``text`` that are not allowed as they are."""
    return [word for word in _WORD.findall(_PATH.sub(" ", text)) if word not in ALLOWED_WORDS]


class _TextCollector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_data(self, data):
        if words_in(data):
            self.found.append(" ".join(data.split()))

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attrs:
            visible = name in VISIBLE_ATTRIBUTES or (
                name == "value" and attributes.get("type") in ("submit", "button", "reset")
            )
            if visible and value and words_in(value):
                self.found.append(f'{name}="{value.strip()}"')


def unmarked_literals(source: str) -> list[str]:
    """Capitalised sentences in quotes inside Jinja code that are not gettext arguments."""
    found = []
    for code in _JINJA.finditer(_TRANS_BLOCK.sub(" ", _COMMENT.sub(" ", source))):
        for literal in _LITERAL.finditer(code.group()):
            if not _MARKED_BEFORE.search(literal.group("before")) and words_in(literal["text"]):
                found.append(repr(literal.group("text")))
    return found


def unmarked_text(source: str, *, html: bool = True) -> list[str]:
    """The pieces of visible text in a template source that are not marked for translation."""
    text = without_jinja(source)
    if not html:
        lines = [" ".join(line.split()) for line in text.splitlines() if words_in(line)]
        return lines + unmarked_literals(source)
    collector = _TextCollector()
    collector.feed(_RAW.sub(" ", text))
    collector.close()
    return collector.found + unmarked_literals(source)


def unmarked_text_in_templates(root: Path) -> dict[str, list[str]]:
    """``{relative path: [unmarked pieces]}`` for every template under ``root`` with any."""
    found = {}
    for path in sorted([*root.rglob("*.html"), *root.rglob("*.txt")]):
        pieces = unmarked_text(path.read_text(encoding="utf-8"), html=path.suffix == ".html")
        if pieces:
            found[path.relative_to(root).as_posix()] = pieces
    return found
