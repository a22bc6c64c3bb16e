"""Headless Chromium for the tests of what a person sees in a browser.

The browser is Debian's `chromium`, driven by playwright (no browser of its
own is downloaded); LHC-Forms and poppler come from `tests/browser/install`.
When any of them is missing the tests fail, saying what to run: a browser test
that skips would pass on a machine where nothing was checked.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser

BROWSER_DIR = Path(__file__).parent / "browser"
INSTALL = "tests/browser/install"
# Chromium's own connections (updates, sync, lookups) are refused on a closed network.
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def need(program: str) -> str:
    """The path of `program`, or a failed test that says how to install it."""
    path = shutil.which(program)
    if path is None:
        pytest.fail(f"{program} is not installed; run {INSTALL}", pytrace=False)
    return path


@contextmanager
def chromium() -> Iterator[Browser]:
    """A headless Debian chromium, driven by playwright."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("playwright is not installed; run pip install -e '.[test]'", pytrace=False)
    executable = need("chromium")
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=executable, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@contextmanager
def serving(directory: Path) -> Iterator[str]:
    """`directory` served on a free port of localhost: the base URL."""
    handler = functools.partial(_Quiet, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
