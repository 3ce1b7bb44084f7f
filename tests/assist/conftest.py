"""The packaged model, loaded once per run for the tests that need it (marked slow)."""

from __future__ import annotations

import pytest

from thematica.assist.embedders import Embedder, load_embedder, packaged_model_available

#: For tests of the real model: they run in ``make test``, which installs the extra.
needs_model = pytest.mark.skipif(
    not packaged_model_available(),
    reason="the assist extra is not installed (make test installs it)",
)


@pytest.fixture(scope="session")
def minilm() -> Embedder:
    return load_embedder("minilm")
