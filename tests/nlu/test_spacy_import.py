"""A process that understands messages does not carry torch, which the translate extra installs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.nlu.conftest import PROJECT_ROOT

PARSE_AND_REPORT = """
import sys
from pathlib import Path
from nlu.model_store import ensure_model
engine = ensure_model(Path(sys.argv[1]), Path(sys.argv[2])).engine
print(engine.parse("wo ist das büro in bebra").intent.name)
print("torch" in sys.modules)
import torch
print(torch.__name__)
"""


def test_parsing_does_not_import_torch_which_stays_importable(tiny_data_dir: Path, tmp_path: Path) -> None:
    completed = subprocess.run(
        [sys.executable, "-c", PARSE_AND_REPORT, str(tiny_data_dir), str(tmp_path / "models")],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert completed.stdout.split() == ["office_locations", "False", "torch"]
