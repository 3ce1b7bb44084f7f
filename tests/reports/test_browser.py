"""The HTML report in a real browser (Debian's Chromium driven by Playwright).

Each chart is screenshotted and must not be blank; the hostile transcript must not run; the page
must fit a phone's width without sideways scrolling (tables scroll inside their own boxes).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update"]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    assert CHROMIUM.exists(), "make test installs Chromium (scripts/ensure-chromium.sh)"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=[*ARGS, "--disable-gpu"]
        )
        yield launched
        launched.close()


def _colours(png: bytes) -> tuple[int, float]:
    """Distinct colours in a screenshot, and the share of pixels that are not white."""
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    counts = image.getcolors(maxcolors=image.width * image.height) or []
    inked = sum(n for n, colour in counts if colour != (255, 255, 255))
    return len(counts), inked / (image.width * image.height)


def _open(browser: Any, path: Path, width: int) -> tuple[Any, list[str]]:
    page = browser.new_page(viewport={"width": width, "height": 900})
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(path.as_uri())
    return page, requests


def test_each_chart_renders_and_nothing_runs(browser: Any, written: dict[str, Path]) -> None:
    page, requests = _open(browser, written["html"], 1200)
    try:
        charts = page.locator("svg.chart")
        names = [charts.nth(i).get_attribute("data-chart") for i in range(charts.count())]
        assert {"saturation", "valence", "network"} <= set(names)
        for i, name in enumerate(names):
            chart = charts.nth(i)
            box = chart.bounding_box()
            assert box and box["width"] > 200 and box["height"] > 100, name
            colours, inked = _colours(chart.screenshot())
            assert colours >= 4 and inked > 0.005, (name, colours, inked)
        assert page.evaluate("typeof window.__pwned") == "undefined"
        assert [url for url in requests if not url.startswith("file:")] == []
    finally:
        page.close()


def test_the_page_fits_a_phone_and_prints(
    browser: Any, written: dict[str, Path], tmp_path: Path
) -> None:
    page, _ = _open(browser, written["html"], 390)
    try:
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0
        chart = page.locator('svg[data-chart="saturation"]')
        assert (chart.bounding_box() or {"width": 0})["width"] <= 390
        page.screenshot(path=str(tmp_path / "phone.png"), full_page=True)
        pdf = page.pdf(format="A4")
        assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
    finally:
        page.close()
