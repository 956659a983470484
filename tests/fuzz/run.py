"""Runs each libFuzzer harness for a short while, as part of make check.

Usage: python3.11 tests/fuzz/run.py --seconds N FUZZER ...

Each fuzzer starts from its corpus in tests/fuzz/corpus/<name> (read
only: new inputs go to a scratch directory) and runs for N seconds; a
crash, a sanitizer report or a failed check is a failure, and the input
that caused it is kept in tests/fuzz/crashes/ to be added as a regression
case.  The last line is "N passed, N failed".
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("fuzzers", nargs="+")
    args = parser.parse_args()
    passed = failed = 0
    crashes = os.path.join(HERE, "crashes")
    for fuzzer in args.fuzzers:
        name = os.path.basename(fuzzer).removeprefix("fuzz_")
        corpus = os.path.join(HERE, "corpus", name)
        with tempfile.TemporaryDirectory(prefix="pyhost-fuzz-") as scratch:
            env = dict(os.environ, PYTHONMALLOC="malloc",
                       ASAN_OPTIONS="detect_leaks=0:allocator_may_return_null=1")
            os.makedirs(crashes, exist_ok=True)
            result = subprocess.run(
                [fuzzer, f"-max_total_time={args.seconds}", "-timeout=10",
                 "-rss_limit_mb=4096", f"-artifact_prefix={crashes}/{name}-",
                 scratch, corpus],
                capture_output=True, text=True, env=env,
                timeout=args.seconds + 120)
        runs = re.findall(r"#(\d+)\s+DONE", result.stderr)
        if result.returncode == 0:
            passed += 1
            print(f"ok   {name}: {runs[-1] if runs else '?'} runs in "
                  f"{args.seconds} s", flush=True)
        else:
            failed += 1
            print(f"FAIL {name}\n     " + result.stderr[-3000:], flush=True)
        if os.path.isdir(crashes) and not os.listdir(crashes):
            os.rmdir(crashes)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
