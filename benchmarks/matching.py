"""The pure matcher's throughput: recommendations with reasons for many students over many
postings, against a naive scorer that tokenises and compares each pair from scratch
(measured on a subset in the same run). No database: it times `jingzhun.jobs.matching`.

    python benchmarks/matching.py [--students 2000] [--postings 50000] [--naive-pairs 20000]
    python benchmarks/matching.py --students 20000      # the issue's full size

Postings are synthetic (titles, skills and descriptions drawn from a vocabulary of job words,
majors from the demo college's 40 catalogue entries, cities, salaries, deadlines); the
issue's target is 20,000 cases over 50,000 postings in under 60 s, which this prints an
estimate against (or measures, with `--students 20000`). The students go through
`matching_pool.Pool` (cached masks and parts, a sparse BM25 matrix with dense columns for
frequent words, rounding only near the best); the chosen ten through the same `score_pair` as
the per-pair matcher, which is run on `--check` students and must give identical results.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import random
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from jingzhun.jobs import matching
from jingzhun.jobs.matching_pool import Pool
from jingzhun.org.major_catalogue import major_lookup
from jingzhun.students.demo.catalogue import MAJORS as DEMO_MAJORS

WORDS = ["Python", "软件", "开发", "数据库", "测试", "运维", "会计", "出纳", "财务", "销售", "客服", "前端", "后端", "Java", "网络", "安全", "数据", "分析", "报表", "税务", "审计", "电商", "运营", "新媒体", "设计", "剪辑", "物流", "仓储", "采购", "行政", "人事", "文员", "教育", "培训"]  # fmt: skip
# The demo college's majors (40 codes of the 2021 catalogue) and postings stating none.
MAJORS = (*(m.moe_code for m in DEMO_MAJORS), "")
CITIES = ("410100", "410300", "110000", "310000", "440100", "440300", "420100", "610100")
TODAY = dt.date(2026, 11, 1)


def make_postings(
    count: int, rng: random.Random
) -> tuple[list[matching.PostingFacts], list[list[str]]]:
    facts, words = [], []
    for pid in range(count):
        text = " ".join(rng.choices(WORDS, k=rng.randint(20, 80)))
        low = rng.choice((3000, 4000, 5000, 6000, 8000, 10000))
        facts.append(matching.PostingFacts(
            id=pid, title=" ".join(rng.choices(WORDS, k=2)), education=rng.choice((0, 2, 3, 3, 4)),
            city_code=rng.choice(CITIES), salary_min=low, salary_max=low + rng.choice((1000, 2000, 4000)),
            deadline=TODAY + dt.timedelta(days=rng.randint(-30, 90)), blacklisted=rng.random() < 0.02,
            disability_friendly=rng.random() < 0.05,
            majors=tuple(m for m in rng.sample(MAJORS, 2) if m), text=text,
        ))  # fmt: skip
        words.append(text.lower().split())
    return facts, words


def make_students(count: int, rng: random.Random) -> list[matching.StudentProfile]:
    students = []
    for _ in range(count):
        code = rng.choice(MAJORS[:-1])
        entry = major_lookup(code)
        students.append(matching.StudentProfile(
            major_code=code, major_name=entry.name if entry else "", education=rng.choice((3, 4)),
            cities=(rng.choice(CITIES),), city_required=rng.random() < 0.1,
            salary_min=rng.choice((3000, 4000, 5000, 6000)), text=" ".join(rng.choices(WORDS, k=6)),
        ))  # fmt: skip
    return students


def naive_score(student: matching.StudentProfile, posting: matching.PostingFacts) -> float:
    """Every pair from scratch: filters, parts, and a cosine of word counts tokenised anew."""
    if matching.excluded(student, posting, TODAY):
        return -1.0
    a, b = Counter(student.text.lower().split()), Counter(posting.text.lower().split())
    dot = sum(a[w] * b[w] for w in a)
    cosine = dot / (
        math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values())) or 1
    )
    parts = (matching.major_fit(student, posting).value, matching.city_fit(student, posting).value,
             matching.salary_fit(student, posting).value, matching.education_fit(student, posting).value)  # fmt: skip
    return sum(parts) / 4 * 0.8 + cosine * 0.2


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--students", type=int, default=2000)
    parser.add_argument("--postings", type=int, default=50_000)
    parser.add_argument("--naive-pairs", type=int, default=20_000)
    parser.add_argument(
        "--check", type=int, default=50, help="students checked against the pure matcher"
    )
    args = parser.parse_args()
    rng = random.Random(7)
    facts, words = make_postings(args.postings, rng)
    students = make_students(args.students, rng)

    start, cpu = time.perf_counter(), time.process_time()
    pool = Pool(facts, words, today=TODAY)
    built, built_cpu = time.perf_counter() - start, time.process_time() - cpu
    start, cpu = time.perf_counter(), time.process_time()
    for found in pool.recommend_many(students):
        assert len(found) == 10 and all(r.reason for r in found)
    ours, ours_cpu = time.perf_counter() - start, time.process_time() - cpu
    pairs = args.students * args.postings

    # The per-pair matcher (`matching.recommend`) on a few students: the same results, and its rate.
    index = matching.TextIndex.build(words)
    checked = students[: max(1, min(args.check, args.students))]
    start = time.perf_counter()
    for student in checked:
        assert matching.recommend(student, facts, today=TODAY, index=index) == pool.recommend(
            student
        )
    walk = time.perf_counter() - start
    walk_rate = len(checked) * args.postings / walk

    subset = facts[: max(1, args.naive_pairs // 10)]
    start, cpu = time.perf_counter(), time.process_time()
    for student in students[:10]:
        sorted((naive_score(student, p) for p in subset), reverse=True)[:10]
    naive, naive_cpu = time.perf_counter() - start, time.process_time() - cpu
    naive_pairs = 10 * len(subset)

    ours_rate, naive_rate = pairs / ours, naive_pairs / naive
    cpu_ratio = (pairs / ours_cpu) / (naive_pairs / naive_cpu)
    print(f"pool of {args.postings:,} postings (arrays, BM25 matrix) built in {built:.2f} s")
    print(f"matcher: {args.students:,} students × {args.postings:,} postings in {ours:.1f} s "
          f"= {ours_rate:,.0f} pairs/s ({ours / args.students * 1000:.2f} ms a student)")  # fmt: skip
    print(f"total with the pool build: {built + ours:.1f} s wall, {built_cpu + ours_cpu:.1f} s CPU "
          "(the wall time also counts other processes on a shared machine)")  # fmt: skip
    print(f"naive:   {naive_pairs:,} pairs in {naive:.2f} s = {naive_rate:,.0f} pairs/s")
    print(f"per-pair matcher (matching.recommend): {walk_rate:,.0f} pairs/s; "
          f"{len(checked)} students' top ten identical to the pool's")  # fmt: skip
    print(f"ratio pool / naive: {ours_rate / naive_rate:.1f}× wall, {cpu_ratio:.1f}× CPU")
    estimate = built + 20_000 * 50_000 / ours_rate
    print(f"20,000 cases × 50,000 postings at this rate: {estimate:,.0f} s (target 60 s)")


if __name__ == "__main__":
    main()
