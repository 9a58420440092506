"""Reading documents: text, HTML, JSONL and folders; language detection."""

from __future__ import annotations

import json

import pytest

from rasid.errors import EncodingError, InputError
from rasid.text import detect_language, make_document, read_documents


def test_formats(tmp_path) -> None:
    (tmp_path / "a.txt").write_text("قتل جندي في هجوم لداعش في كركوك", encoding="utf-8")
    (tmp_path / "b.html").write_text("<html><head><title>T</title><script>var x=1;</script></head><body><article>"
                                     "<p>Two soldiers were killed in an ISIS attack in Kirkuk on Sunday, officials said.</p>"
                                     "</article></body></html>", encoding="utf-8")
    (tmp_path / "c.jsonl").write_text(json.dumps({"id": "x1", "text": "نص", "published": "2021-01-02",
                                                  "url": "u", "lang": "ar", "title": "t"}, ensure_ascii=False)
                                      + "\n\n", encoding="utf-8")
    docs = {d.id: d for d in read_documents([tmp_path])}
    assert set(docs) == {"a", "b", "x1"}
    assert docs["a"].lang == "ar" and docs["b"].lang == "en"
    assert "var x" not in docs["b"].text and "Kirkuk" in docs["b"].text
    assert docs["x1"].published.isoformat() == "2021-01-02"


def test_detect_language() -> None:
    assert detect_language("قتل جندي") == "ar"
    assert detect_language("a soldier was killed") == "en"
    assert detect_language("12 34") is None


def test_bad_files(tmp_path) -> None:
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01\x02binary")
    with pytest.raises(InputError, match="binary"):
        list(read_documents(tmp_path / "bin.txt"))
    (tmp_path / "bad.txt").write_bytes(b"caf\xe9 \xff\xfe\xfa ok")
    with pytest.raises(EncodingError, match="bad.txt"):
        list(read_documents(tmp_path / "bad.txt"))
    (tmp_path / "bad.jsonl").write_text('{"id": 1}\n', encoding="utf-8")
    with pytest.raises(InputError, match="bad.jsonl:1"):
        list(read_documents(tmp_path / "bad.jsonl"))
    with pytest.raises(InputError, match="no such file"):
        list(read_documents(tmp_path / "missing.txt"))
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    assert list(read_documents(tmp_path / "empty.txt")) == []


def test_cp1256_arabic(tmp_path) -> None:
    (tmp_path / "w.txt").write_bytes("قتل جندي في هجوم لداعش في محافظة كركوك شمال العراق اليوم".encode("cp1256"))
    assert "كركوك" in next(iter(read_documents(tmp_path / "w.txt"))).text


def test_make_document_types() -> None:
    with pytest.raises(InputError):
        make_document(123)  # type: ignore[arg-type]
