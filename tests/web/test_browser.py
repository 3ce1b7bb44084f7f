"""The coding view in real Chromium: select by mouse and by keyboard, code, reload, and find the
exact span stored, on text with emoji and accents; axe-core on every page; screenshots.

Set THEMATICA_SCREENSHOTS=docs/screenshots to refresh the README's screenshots.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.web.conftest import DOCUMENT, STUDY
from thematica.services.coding import coded_segments

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update"]


@pytest.fixture
def server(app: Any) -> Iterator[str]:
    import uvicorn

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="warning", timeout_graceful_shutdown=1
    )
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not running.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    running.should_exit = True
    thread.join(5)


@pytest.fixture
def browser() -> Iterator[Any]:
    assert CHROMIUM.exists(), "make test installs Chromium (scripts/ensure-chromium.sh)"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=[*ARGS, "--disable-gpu"]
        )
        yield launched
        launched.close()


def _signed_in(browser: Any, app: Any, server: str, user: str, width: int = 1280) -> Any:
    page = browser.new_page(viewport={"width": width, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.errors = errors
    page.goto(f"{server}/signin/{app.state.thematica.links.issue(user)}")
    assert page.url.endswith("/studies")
    return page


def _open_document(page: Any, server: str, loads: int = 1) -> None:
    page.goto(f"{server}/studies/{STUDY}/documents/{DOCUMENT}")
    page.wait_for_selector(f'#coding[data-ready="{loads}"]')


def _screenshot(page: Any, path: Path) -> None:
    """A small PNG (a 64-colour palette is plenty for these calm pages)."""
    import io

    from PIL import Image

    path.parent.mkdir(parents=True, exist_ok=True)
    image = Image.open(io.BytesIO(page.screenshot())).convert("RGB")
    image.quantize(colors=64).save(path, optimize=True)


def _utf16(text: str, point: int) -> int:
    return len(text[:point].encode("utf-16-le")) // 2


BOUNDS = """([start, end]) => {
  const segs = [...document.querySelectorAll('.seg')];
  const find = (offset) => {
    const seg = segs.find((s) => +s.dataset.start <= offset
      && offset < +s.dataset.start + s.firstChild.data.length);
    return [seg.firstChild, offset - seg.dataset.start];
  };
  const rect = (offset, width) => {
    const [node, local] = find(offset);
    const range = document.createRange();
    range.setStart(node, local);
    range.setEnd(node, local + width);
    return range.getBoundingClientRect();
  };
  const first = rect(start, 1);
  const last = rect(end - 2, 2);  // the last character may be a surrogate pair
  return [first.left + 1, first.top + first.height / 2, last.right - 1, last.top + last.height / 2];
}"""


def test_select_by_mouse_code_reload_and_find_the_exact_span(
    browser: Any, app: Any, server: str, served: dict[str, Any]
) -> None:
    page = _signed_in(browser, app, server, "cara")
    _open_document(page, server)
    from thematica.services.documents import get_document

    text = get_document(served["db"], DOCUMENT, study=STUDY).text
    passage = "café; my supervisor 👍🏽"
    start = text.index(passage)
    end = start + len(passage)
    x1, y1, x2, y2 = page.evaluate(BOUNDS, [_utf16(text, start), _utf16(text, end)])
    page.mouse.move(x1, y1)
    page.mouse.down()
    page.mouse.move(x2, y2, steps=8)
    page.mouse.up()
    assert page.locator("#selection").inner_text() == passage
    page.click("#code-it")
    page.fill("#picker-search", "superv")
    assert "A supervisor." in page.inner_text("#picker-detail")
    page.keyboard.press("Enter")
    page.click('#picker-valence [data-valence="facilitator"]')
    page.wait_for_selector("#toast:has-text('Coded as')")
    page.reload()
    page.wait_for_selector('#coding[data-ready="1"]')
    assert page.locator(".stripe").count() == 1
    [row] = coded_segments(served["db"], STUDY)
    assert (row["start"], row["end"], row["text"]) == (start, end, passage)
    assert row["code"] == "Support > Supervision" and row["valence"] == "facilitator"
    assert page.errors == []


def test_select_by_keyboard_code_change_remove_and_undo(
    browser: Any, app: Any, server: str, served: dict[str, Any]
) -> None:
    page = _signed_in(browser, app, server, "cara")
    _open_document(page, server)
    page.focus("#transcript")
    page.keyboard.press("ArrowDown")  # the start of Ama's first turn (after her label)
    for _ in range(len("It started in a café; my supervisor ")):  # one grapheme per character
        page.keyboard.press("ArrowRight")
    for _ in range(len("👍🏽 really") - 1):  # the thumb and its skin tone are one grapheme
        page.keyboard.press("Shift+ArrowRight")
    assert page.locator("#selection").inner_text() == "👍🏽 really"
    page.keyboard.press("c")
    page.keyboard.type("pay")
    page.keyboard.press("Enter")
    page.keyboard.press("b")
    page.wait_for_selector("#toast:has-text('Coded as Pay (barrier)')")
    [row] = coded_segments(served["db"], STUDY)
    assert row["text"] == "👍🏽 really" and row["valence"] == "barrier"

    # Open it from its stripe, change the valence, remove it, and undo the removal.
    page.click(".stripe")
    page.click('#coding-box [data-valence="mixed"]')
    page.wait_for_selector("#toast:has-text('Changed valence')")
    assert coded_segments(served["db"], STUDY)[0]["valence"] == "mixed"
    page.click(".stripe")
    page.click("#coding-remove")
    page.wait_for_selector("#toast:has-text('Removed Pay')")
    assert coded_segments(served["db"], STUDY) == []
    page.keyboard.press("Control+z")
    page.wait_for_selector("#toast:has-text('Undone')")
    [back] = coded_segments(served["db"], STUDY)
    assert (back["text"], back["valence"], back["code"]) == ("👍🏽 really", "mixed", "Pay")
    assert page.errors == []


def test_overlapping_codings_get_their_own_stripes(
    browser: Any, app: Any, server: str, served: dict[str, Any]
) -> None:
    from thematica.services.coding import apply_coding
    from thematica.services.documents import get_document

    text = get_document(served["db"], DOCUMENT, study=STUDY).text
    start = text.index("my supervisor")
    for code, end in [("Pay", start + 20), ("Support", start + 40)]:
        apply_coding(served["db"], DOCUMENT, start, end, code, coder="cara", study=STUDY)
    page = _signed_in(browser, app, server, "cara")
    _open_document(page, server)
    boxes = [page.locator(".stripe").nth(i).bounding_box() for i in range(2)]
    assert boxes[0] and boxes[1] and boxes[0]["x"] != boxes[1]["x"]  # side by side, not on top


def test_two_browsers_see_each_others_codings_live(
    browser: Any, app: Any, server: str, served: dict[str, Any]
) -> None:
    cara = _signed_in(browser, app, server, "cara")
    olu = browser.new_context().new_page()
    olu.goto(f"{server}/signin/{app.state.thematica.links.issue('olu')}")
    _open_document(cara, server)
    _open_document(olu, server)
    assert olu.locator(".stripe").count() == 0
    cara.focus("#transcript")
    cara.keyboard.press("ArrowDown")
    for _ in range(6):
        cara.keyboard.press("Shift+ArrowRight")
    cara.keyboard.press("c")
    cara.keyboard.type("pay")
    cara.keyboard.press("Enter")
    cara.keyboard.press("n")
    cara.wait_for_selector("#toast:has-text('Coded as Pay')")
    started = time.monotonic()
    olu.wait_for_selector(".stripe", timeout=5000)
    assert time.monotonic() - started < 1.5  # within about a second (polling every 0.25 s)
    assert "coded by cara" in (olu.locator(".stripe").get_attribute("aria-label") or "")
    olu.context.close()


@pytest.mark.parametrize("width", [1280, 420])
def test_every_page_passes_axe_and_fits(
    browser: Any, app: Any, server: str, served: dict[str, Any], width: int
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    from thematica.services.coding import apply_coding

    apply_coding(served["db"], DOCUMENT, 60, 90, "Pay", coder="cara", study=STUDY)
    shots = os.environ.get("THEMATICA_SCREENSHOTS")
    page = _signed_in(browser, app, server, "cara", width)
    pages = {
        "studies": f"{server}/studies",
        "study": f"{server}/studies/{STUDY}",
        "coding": f"{server}/studies/{STUDY}/documents/{DOCUMENT}",
    }
    for name, url in pages.items():
        page.goto(url)
        if name == "coding":
            page.wait_for_selector('#coding[data-ready="1"]')
            page.click(".stripe")
        results = Axe().run(page)
        assert len(results.response["passes"]) > 10  # axe-core really ran
        bad = [
            (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
            for v in results.response["violations"]
            if v["impact"] in {"serious", "critical"}
        ]
        assert bad == [], (name, width, bad)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, (name, width, overflow)
        if shots:
            _screenshot(page, Path(shots) / f"{name}-{width}.png")
    page.context.clear_cookies()
    page.goto(f"{server}/signin")
    impacts = {v["impact"] for v in Axe().run(page).response["violations"]}
    assert not impacts & {"serious", "critical"}
    assert page.errors == []
