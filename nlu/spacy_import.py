"""spaCy imported without torch.

spaCy's machine-learning library thinc imports torch whenever it is installed (the translate extra brings
it), for GPU models that blank tokenizers never use: 175 MB more in every worker and a second more to start.
Hidden while spaCy is first imported, torch stays importable for whoever needs it later.
"""

from __future__ import annotations

import sys


def import_spacy_without_torch() -> None:
    if "spacy" in sys.modules or "torch" in sys.modules:
        return
    # A None entry makes "import torch" raise ImportError, which thinc takes for "not installed".
    sys.modules["torch"] = None  # type: ignore[assignment]
    try:
        import spacy  # noqa: F401
    finally:
        if sys.modules.get("torch", 0) is None:
            del sys.modules["torch"]
