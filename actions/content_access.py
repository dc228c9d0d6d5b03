"""The content store as the actions see it: loaded once, reloaded when staff publish.

Actions run in the bot's process and, unchanged, in a Rasa action server; in
both they find the content directory through the one configuration.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable
from pathlib import Path

from bot.config import Settings
from content.models import Catalogue
from content.store import Content, ContentError, load_content

logger = logging.getLogger(__name__)

_RECHECK_SECONDS = 1.0


class ContentSource:
    """Keeps the loaded content of a directory fresh by watching file modification times."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._lock = threading.Lock()
        self._content: Content | None = None
        self._stamp: tuple[tuple[str, int], ...] = ()
        self._checked = 0.0

    def _files_stamp(self) -> tuple[tuple[str, int], ...]:
        return tuple(sorted((str(path), path.stat().st_mtime_ns) for path in self.directory.rglob("*.yml")))

    def content(self) -> Content:
        with self._lock:
            now = time.monotonic()
            if self._content is None or now - self._checked >= _RECHECK_SECONDS:
                self._checked = now
                stamp = self._files_stamp()
                if self._content is None or stamp != self._stamp:
                    self._content = self._reload()
                    self._stamp = stamp
            return self._content

    def replace(self, write: Callable[[Path], None]) -> Content:
        """Let ``write`` change the directory's files, then switch to the content they hold at once.

        Callers keep getting the previous content while the new files load, and keep it for good if they
        are invalid; nobody loads the directory while ``write`` is halfway through it.
        """
        with self._lock:
            write(self.directory)
            stamp = self._files_stamp()
            # Until the load below is done, callers get the previous content without looking at the files.
            self._checked = math.inf
        try:
            content = self._reload()
            with self._lock:
                self._content, self._stamp = content, stamp
            return content
        finally:
            self._checked = time.monotonic()

    def _reload(self) -> Content:
        try:
            return load_content(self.directory)
        except ContentError:
            # A half-edited store must not silence the bot: keep answering with what last loaded.
            if self._content is None:
                raise
            logger.exception("content in %s is invalid; keeping the previous content", self.directory)
            return self._content


_sources: dict[Path, ContentSource] = {}


def content_source(directory: Path | None = None) -> ContentSource:
    """The shared source for ``directory`` (default: the configured content directory)."""
    resolved = (directory or Settings().content_dir).resolve()
    if resolved not in _sources:
        _sources[resolved] = ContentSource(resolved)
    return _sources[resolved]


def catalogue(language: str) -> Catalogue:
    return content_source().content().catalogue(language)
