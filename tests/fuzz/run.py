"""Runs each libFuzzer harness for a short while, as part of make check.

Usage: python3.11 tests/fuzz/run.py --seconds N [-k SUBSTRING] [-v] FUZZER ...

Each fuzzer starts from its corpus in tests/fuzz/corpus/<name> (read
only: new inputs go to a scratch directory) and runs for N seconds; a
crash, a sanitizer report or a failed check is a failure, and the input
that caused it is kept in tests/fuzz/crashes/ to be added as a regression
case.  The last line is "N passed, N failed".
"""
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
CRASHES = os.path.join(HERE, "crashes")
sys.path.insert(0, os.path.dirname(HERE))
import harness  # noqa: E402
from harness import check  # noqa: E402


def corpus_name(fuzzer):
    return os.path.basename(fuzzer).removeprefix("fuzz_")


def fuzz(fuzzer, seconds):
    """Runs fuzzer from its corpus for seconds; fails on any finding."""
    name = corpus_name(fuzzer)
    corpus = os.path.join(HERE, "corpus", name)
    env = dict(os.environ, PYTHONMALLOC="malloc",
               ASAN_OPTIONS="detect_leaks=0:allocator_may_return_null=1")
    os.makedirs(CRASHES, exist_ok=True)
    try:
        with tempfile.TemporaryDirectory(prefix="pyhost-fuzz-") as scratch:
            result = subprocess.run(
                [fuzzer, f"-max_total_time={seconds}", "-timeout=10",
                 "-rss_limit_mb=4096", f"-artifact_prefix={CRASHES}/{name}-",
                 scratch, corpus],
                capture_output=True, text=True, env=env,
                timeout=seconds + 120)
    finally:
        if os.path.isdir(CRASHES) and not os.listdir(CRASHES):
            os.rmdir(CRASHES)
    check(result.returncode == 0, result.stderr[-3000:])
    runs = re.findall(r"#(\d+)\s+DONE", result.stderr)
    return f"{runs[-1] if runs else '?'} runs in {seconds} s"


def main():
    parser = harness.parser(__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("fuzzers", nargs="+")
    args = parser.parse_args()
    cases = [(corpus_name(fuzzer),
              lambda fuzzer=fuzzer: fuzz(fuzzer, args.seconds))
             for fuzzer in args.fuzzers]
    return harness.run(cases, args)


if __name__ == "__main__":
    sys.exit(main())
