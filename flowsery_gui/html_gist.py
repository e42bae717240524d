"""The readable gist of an HTML page a server answered with: its title, else its first line
of text. A proxy's error page, a captive portal's login page or the home page of a wrong base
URL says what went wrong in its title more often than anywhere else.

Apart from `explain` so that `html.parser` is imported only when a page came back: the API
answers in JSON, and `flowsery-goal send` starts without it.
"""

from __future__ import annotations

from html.parser import HTMLParser


class _TextExtractor(HTMLParser):
    """Collects an HTML page's title and visible text, skipping scripts and styles."""

    _SKIP = frozenset({"script", "style", "template", "noscript"})
    _BREAKS = frozenset({"br", "p", "div", "h1", "h2", "h3", "h4", "li", "tr", "hr", "center"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title: list[str] = []
        self.text: list[str] = []
        self._skipping = 0
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self._skipping += 1
        elif tag == "title":
            self._in_title = True
        elif tag in self._BREAKS:
            self.text.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP:
            self._skipping = max(0, self._skipping - 1)
        elif tag == "title":
            self._in_title = False
        elif tag in self._BREAKS:
            self.text.append("\n")

    def handle_data(self, data: str) -> None:
        if self._skipping:
            return
        (self.title if self._in_title else self.text).append(data)


def html_text(text: str) -> str | None:
    """The readable gist of an HTML page: its title, else its first line of text, each with
    its runs of white space made one space (`explain.server_message` shortens it)."""
    parser = _TextExtractor()
    try:
        parser.feed(text)
        parser.close()
    except (AssertionError, ValueError):  # html.parser gives up on some broken markup
        pass
    title = " ".join("".join(parser.title).split())
    if title:
        return title
    for line in "".join(parser.text).splitlines():
        words = " ".join(line.split())
        if words:
            return words
    return None
