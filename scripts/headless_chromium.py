"""Headless Chromium, driven over the DevTools protocol on a pipe: for screenshots of the reports
and for tests that lay a page out in a real browser.

`--remote-debugging-pipe` makes Chromium read protocol messages on fd 3 and write them on fd 4
(JSON, each ended by a NUL byte), so this needs neither a WebDriver, nor a port, nor a package:
the standard library and the Debian `chromium` package. Offline: the browser is started with
every background connection off (no updates, sync, component or safe-browsing downloads) and a
fresh profile that is deleted afterwards.

    with Chromium() as browser:
        page = browser.open("file:///tmp/report.html", width=390)
        page.evaluate("document.title")
        page.screenshot(Path("shot.png"), full_page=True)
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import select
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

BINARIES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--no-first-run",
    "--no-default-browser-check",
    "--hide-scrollbars",
    "--mute-audio",
)


class BrowserError(RuntimeError):
    pass


def find_chromium() -> str | None:
    """The Chromium binary on PATH, or None."""
    return next((found for name in BINARIES if (found := shutil.which(name))), None)


class Chromium:
    """One headless browser process; `open` gives a page at a given viewport width."""

    def __init__(self, binary: str | None = None, timeout: float = 30.0) -> None:
        self.binary = binary or find_chromium()
        if self.binary is None:
            raise BrowserError(f"no Chromium found on PATH (looked for {', '.join(BINARIES)})")
        self.timeout = timeout
        self._next_id = 0
        self._buffer = b""
        self._events: list[dict[str, Any]] = []

    def __enter__(self) -> Chromium:
        self._profile = tempfile.mkdtemp(prefix="socialaudit-chromium-")
        # The child reads commands on fd 3 and writes answers on fd 4.
        child_in, self._to_browser = os.pipe()
        self._from_browser, child_out = os.pipe()

        def wire_fds() -> None:  # runs in the child between fork and exec
            low_in, low_out = os.dup(child_in), os.dup(child_out)  # out of the way of 3 and 4
            os.dup2(low_in, 3)
            os.dup2(low_out, 4)

        self._proc = subprocess.Popen(
            [self.binary, *FLAGS, f"--user-data-dir={self._profile}", "--remote-debugging-pipe"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=wire_fds,  # safe here: nothing else runs threads while it starts
            close_fds=False,
        )
        os.close(child_in)
        os.close(child_out)
        return self

    def __exit__(self, *exc: object) -> None:
        with contextlib.suppress(BrowserError, OSError):  # it may be gone already
            self.send("Browser.close")
        try:
            self._proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()
        for fd in (self._to_browser, self._from_browser):
            os.close(fd)
        shutil.rmtree(self._profile, ignore_errors=True)

    # -- the protocol ------------------------------------------------------------------------

    def send(
        self, method: str, params: dict[str, Any] | None = None, session: str | None = None
    ) -> dict[str, Any]:
        """Send one command and wait for its answer (events that arrive meanwhile are kept)."""
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session is not None:
            message["sessionId"] = session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        while True:
            answer = self._read()
            if answer.get("id") == self._next_id:
                if "error" in answer:
                    raise BrowserError(f"{method}: {answer['error'].get('message')}")
                return answer.get("result", {})
            if "method" in answer:
                self._events.append(answer)

    def wait_for(self, event: str, session: str | None = None) -> dict[str, Any]:
        """Wait for an event (one that already arrived counts)."""
        while True:
            for i, seen in enumerate(self._events):
                if seen.get("method") == event and seen.get("sessionId") == session:
                    return self._events.pop(i).get("params", {})
            message = self._read()
            if "method" in message:
                self._events.append(message)

    def _read(self) -> dict[str, Any]:
        deadline = time.monotonic() + self.timeout
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            ready, _, _ = select.select([self._from_browser], [], [], max(left, 0))
            if not ready:
                raise BrowserError(f"Chromium did not answer within {self.timeout:.0f} s")
            chunk = os.read(self._from_browser, 1 << 20)
            if not chunk:
                raise BrowserError("Chromium closed the pipe (it crashed or could not start)")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    # -- pages -------------------------------------------------------------------------------

    def open(self, url: str, width: int, height: int = 900) -> Page:
        """A new tab at `width` x `height` CSS pixels (a phone below 600 px wide: touch,
        the page's viewport meta honoured), with `url` loaded."""
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]
        page = Page(self, session, width, height)
        self.send("Page.enable", session=session)
        page.resize(height)
        self.send("Page.navigate", {"url": url}, session=session)
        self.wait_for("Page.loadEventFired", session=session)
        return page


class Page:
    def __init__(self, browser: Chromium, session: str, width: int, height: int) -> None:
        self.browser, self.session, self.width, self.height = browser, session, width, height

    def resize(self, height: int) -> None:
        self.height = height
        self.browser.send(
            "Emulation.setDeviceMetricsOverride",
            {
                "width": self.width,
                "height": height,
                "deviceScaleFactor": 1,
                "mobile": self.width < 600,
            },
            session=self.session,
        )

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page (DevTools runs it whatever the
        page's Content-Security-Policy says: the report itself allows no script)."""
        result = self.browser.send(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": True},
            session=self.session,
        )
        if "exceptionDetails" in result:
            raise BrowserError(f"script failed: {result['exceptionDetails'].get('text')}")
        return result.get("result", {}).get("value")

    def screenshot(
        self, path: Path, *, full_page: bool = False, max_height: int | None = None
    ) -> None:
        """A PNG of the viewport, or of the whole page (cut at `max_height` CSS pixels)."""
        if full_page:
            size = self.browser.send("Page.getLayoutMetrics", session=self.session)
            height = int(size["cssContentSize"]["height"])
            self.resize(min(height, max_height) if max_height else height)
        data = self.browser.send("Page.captureScreenshot", {"format": "png"}, session=self.session)[
            "data"
        ]
        path.write_bytes(base64.b64decode(data))
