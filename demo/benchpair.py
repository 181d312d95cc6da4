"""The benchmark's pages in two checkouts at once, request by request (`make bench-pair`).

`manage.py bench` measures one checkout; two runs of it minutes apart on a shared machine
differ by more than the 10 % a change is to be judged by (docs/performance.md: pages whose
code did not change moved by 20 % between rounds). Here each checkout serves the same
pages in a process of its own, and the two are asked in turns, one request each, so that
whatever else the machine does falls on both alike. Each checkout needs its own database
made by seed_demo (one seeded and copied: `createdb -T`), as its bench does.

    python demo/benchpair.py BEFORE_DIR BEFORE_DATABASE_URL AFTER_DIR AFTER_DATABASE_URL
        [--runs 60] [--page NAME ...]

For each page: both medians, their ratio, and the median and quartiles of the ratio of
each pair of requests. demo/benchserve.py is each checkout's side.
"""

import argparse
import os
import statistics
import subprocess
import sys
from pathlib import Path

SERVE = Path(__file__).with_name("benchserve.py")


class Checkout:
    def __init__(self, directory, database_url):
        env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_DEBUG": "false"}
        env.setdefault("DJANGO_SECRET_KEY", "benchpair-only-" + "x" * 50)
        directory = Path(directory).resolve()
        python = directory / ".venv" / "bin" / "python"
        self.process = subprocess.Popen(
            [str(python if python.exists() else sys.executable), str(SERVE)],
            cwd=directory, env=env, text=True,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        )  # fmt: skip
        if self.process.stdout.readline().strip() != "ready":
            sys.exit(f"{directory} did not start: see its error above")

    def time(self, page):
        self.process.stdin.write(page + "\n")
        self.process.stdin.flush()
        answer = self.process.stdout.readline()
        if not answer:
            sys.exit(f"The checkout stopped on {page}: see its error above")
        return float(answer)

    def close(self):
        self.process.stdin.close()
        self.process.wait()


PAGES = [
    "floor view", "dashboard", "dashboard, my patients", "dashboard, 3 months",
    "dashboard, mine, 12 months", "dashboard, lower back", "dashboard, mine, 6 months, knees",
    "time to phase CSV", "phase flow CSV", "outcome curves CSV", "phase week list",
    "patient list", "patient search", "patient detail", "progress page", "log session (GET)",
    "point search", "intake step (POST)", "check-in (POST)", "log session (POST)",
]  # fmt: skip


def compare(before, after, pages, runs):
    for page in pages:  # the first requests warm caches and are not counted
        for _ in range(3):
            before.time(page), after.time(page)
    times = {page: ([], []) for page in pages}
    for run in range(runs):
        for page in pages:
            if run % 2:  # each goes first in every other turn
                before_ms, after_ms = before.time(page), after.time(page)
            else:
                after_ms, before_ms = after.time(page), before.time(page)
            times[page][0].append(before_ms)
            times[page][1].append(after_ms)
    print("| page | before | after | ratio | pair ratio, median (quartiles) |")
    print("|---|---|---|---|---|")
    for page, (befores, afters) in times.items():
        ratios = statistics.quantiles([a / b for b, a in zip(befores, afters, strict=True)], n=4)
        median_before, median_after = statistics.median(befores), statistics.median(afters)
        print(
            f"| {page} | {median_before:.1f} | {median_after:.1f} | "
            f"{median_after / median_before:.2f} | "
            f"{ratios[1]:.2f} ({ratios[0]:.2f}-{ratios[2]:.2f}) |"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("before_dir")
    parser.add_argument("before_database_url")
    parser.add_argument("after_dir")
    parser.add_argument("after_database_url")
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--page", action="append", choices=PAGES, help="default: all")
    args = parser.parse_args()
    if args.runs < 2:
        parser.error("--runs must be at least 2")
    before = Checkout(args.before_dir, args.before_database_url)
    after = Checkout(args.after_dir, args.after_database_url)
    try:
        compare(before, after, args.page or PAGES, args.runs)
    finally:
        before.close()
        after.close()


if __name__ == "__main__":
    main()
