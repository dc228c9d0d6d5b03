"""Training time, parse latency, throughput and memory of the embedded NLU engine.

    .venv/bin/python benchmarks/nlu_speed.py [--data nlu/data]

Trains on the full training data in this process, stores the model, then measures parsing in a fresh
process that only loads it, as a serving worker does: every training example is parsed once after a warm-up,
one message at a time. Targets: training under 30 s, p99 parse under 5 ms, under 300 MB resident.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nlu.model_store import load_model, save_model, train_model  # noqa: E402
from nlu.training_data import load_training_data  # noqa: E402

WARM_UP = 200


def memory_mb(field: str) -> float:
    """A memory figure of this process from ``/proc/self/status``: VmRSS now, VmHWM the peak."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def measure(model: Path, messages: Path) -> dict[str, float]:
    """Parse every message with a loaded model; latencies in milliseconds, memory in MB."""
    started = time.perf_counter()
    engine = load_model(model)
    load_seconds = time.perf_counter() - started
    texts: list[str] = json.loads(messages.read_text(encoding="utf-8"))
    # Spread over the whole list, so that every language's tokenizer is created before measuring.
    for text in texts[:: max(1, len(texts) // WARM_UP)]:
        engine.parse(text)
    latencies = []
    begun = time.perf_counter()
    for text in texts:
        started = time.perf_counter()
        engine.parse(text)
        latencies.append((time.perf_counter() - started) * 1000)
    elapsed = time.perf_counter() - begun
    latencies.sort()
    return {
        "messages": len(texts),
        "load_s": load_seconds,
        "p50_ms": statistics.median(latencies),
        "p99_ms": latencies[int(0.99 * (len(latencies) - 1))],
        "max_ms": latencies[-1],
        "per_second": len(texts) / elapsed,
        "rss_mb": memory_mb("VmRSS"),
        "peak_rss_mb": memory_mb("VmHWM"),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT / "nlu" / "data")
    parser.add_argument("--measure", type=Path, nargs=2, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.measure:
        print(json.dumps(measure(*arguments.measure)))
        return 0
    started = time.perf_counter()
    engine = train_model(arguments.data)
    training = time.perf_counter() - started
    texts = [example.text for example in load_training_data(arguments.data).examples]
    with tempfile.TemporaryDirectory() as directory:
        model = Path(directory) / "model.pkl"
        save_model(engine, model)
        size_mb = model.stat().st_size / 1e6
        messages = Path(directory) / "messages.json"
        messages.write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")
        measured = subprocess.run(
            [sys.executable, __file__, "--measure", str(model), str(messages)],
            check=True,
            capture_output=True,
            text=True,
        )
    result = json.loads(measured.stdout)
    rows = [
        ("training examples", f"{result['messages']}", ""),
        ("training time", f"{training:.1f} s", "< 30 s"),
        ("model file", f"{size_mb:.1f} MB", ""),
        ("model load", f"{result['load_s'] * 1000:.0f} ms", "< 1 s"),
        ("parse p50", f"{result['p50_ms']:.2f} ms", ""),
        ("parse p99", f"{result['p99_ms']:.2f} ms", "< 5 ms"),
        ("parse max", f"{result['max_ms']:.2f} ms", ""),
        ("throughput", f"{result['per_second']:.0f} messages/s", ""),
        ("resident memory", f"{result['rss_mb']:.0f} MB", "< 300 MB"),
        ("peak resident memory", f"{result['peak_rss_mb']:.0f} MB", ""),
    ]
    print(f"{'measure':<22} {'value':>18} {'target':>10}")
    for name, value, target in rows:
        print(f"{name:<22} {value:>18} {target:>10}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
