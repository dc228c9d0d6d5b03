"""The ``wegweiser nlu`` commands, run as a person runs them."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from tests.conftest import PROJECT_ROOT, WEGWEISER, wegweiser_env


def run(arguments: list[str], data_dir: Path, var: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*WEGWEISER, "nlu", *arguments],
        input=stdin,
        env=wegweiser_env(var, WEGWEISER_NLU_DATA_DIR=str(data_dir)),
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )


def test_train_says_where_the_model_went_and_how_long_it_took(tiny_data_dir: Path, tmp_path: Path) -> None:
    result = run(["train"], tiny_data_dir, tmp_path / "var")
    assert result.returncode == 0, result.stderr
    model_line, time_line = result.stdout.splitlines()
    assert Path(model_line.removeprefix("model: ")).is_file()
    assert time_line.startswith("trained in ") and time_line.endswith(" s")


def test_parse_answers_each_line_with_one_json_object(tiny_data_dir: Path, tmp_path: Path) -> None:
    result = run(["parse"], tiny_data_dir, tmp_path / "var", stdin="Wo ist das Büro in Bebra?\n\nعندي موعد\n")
    assert result.returncode == 0, result.stderr
    answers = [json.loads(line) for line in result.stdout.splitlines()]
    assert [answer["text"] for answer in answers] == ["Wo ist das Büro in Bebra?", "", "عندي موعد"]
    assert answers[0]["intent"]["name"] == "office_locations"
    assert answers[0]["entities"] == [{"entity": "town", "value": "Bebra", "start": 19, "end": 24}]
    assert answers[1]["intent"]["name"] == "nlu_fallback"
    assert answers[2]["language"]["code"] == "ar"


def test_evaluate_prints_a_table_and_writes_the_report(tiny_data_dir: Path, tmp_path: Path) -> None:
    result = run(["evaluate", "--out", str(tmp_path / "report")], tiny_data_dir, tmp_path / "var")
    assert result.returncode == 0, result.stderr
    assert "accuracy" in result.stdout and "emergency recall" in result.stdout
    assert (tmp_path / "report" / "report.md").is_file()


def test_malformed_training_data_is_reported_with_file_and_line(tiny_data_dir: Path, tmp_path: Path) -> None:
    (tiny_data_dir / "en.yml").write_text("nlu:\n- intent: greet\n  examples: |\n    hello\n", encoding="utf-8")
    result = run(["train"], tiny_data_dir, tmp_path / "var")
    assert result.returncode == 1
    assert f"{tiny_data_dir / 'en.yml'}:4: an example must start with `- `" in result.stderr
