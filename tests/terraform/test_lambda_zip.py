"""The scaler package: reproducible bytes, only sources, and a clear error when sources lack."""

from __future__ import annotations

import zipfile

from tools.build_lambda_zip import main


def test_same_sources_give_the_same_zip(tmp_path):
    src = tmp_path / "lambda_src"
    (src / "__pycache__").mkdir(parents=True)
    (src / "scaler.py").write_text("def handler(event, context):\n    return {}\n")
    (src / "__pycache__" / "scaler.cpython-312.pyc").write_bytes(b"\x00")
    first, second = tmp_path / "a.zip", tmp_path / "b.zip"
    assert main(["--src", str(src), "--out", str(first), "--require", "scaler.py"]) == 0
    (src / "scaler.py").touch()  # a newer mtime must not change the package
    assert main(["--src", str(src), "--out", str(second)]) == 0
    assert first.read_bytes() == second.read_bytes()
    assert zipfile.ZipFile(first).namelist() == ["scaler.py"]


def test_missing_sources_are_reported(tmp_path, capsys):
    assert main(["--src", str(tmp_path / "nowhere"), "--out", str(tmp_path / "x.zip")]) == 2
    (tmp_path / "empty").mkdir()
    assert main(["--src", str(tmp_path / "empty"), "--out", str(tmp_path / "x.zip"), "--require", "scaler.py"]) == 2
    assert "lacks scaler.py" in capsys.readouterr().err
    assert not (tmp_path / "x.zip").exists()
