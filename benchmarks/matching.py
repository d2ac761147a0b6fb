"""The pure matcher's throughput: recommendations with reasons for many students over many
postings, against a naive scorer that tokenises and compares each pair from scratch
(measured on a subset in the same run). No database: it times `jingzhun.jobs.matching`.

    python benchmarks/matching.py [--students 2000] [--postings 50000] [--naive-pairs 2000]

Postings are synthetic (titles, skills and descriptions drawn from a vocabulary of job words,
majors from the 计算机类 and 财经商贸 catalogue entries, cities, salaries, deadlines); the
issue's target is 20,000 cases over 50,000 postings in under 60 s, which this prints an
estimate against. The students go through `matching_pool.Pool` (array parts, a sparse BM25
matrix; the chosen ten through the same `score_pair` as the per-pair matcher, which is also
timed on a tenth of the students).
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

WORDS = ["Python", "软件", "开发", "数据库", "测试", "运维", "会计", "出纳", "财务", "销售", "客服", "前端", "后端", "Java", "网络", "安全", "数据", "分析", "报表", "税务", "审计", "电商", "运营", "新媒体", "设计", "剪辑", "物流", "仓储", "采购", "行政", "人事", "文员", "教育", "培训"]  # fmt: skip
MAJORS = ("510201", "510202", "510203", "510205", "530302", "530301", "530701", "")
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
    return [
        matching.StudentProfile(
            major_code=rng.choice(MAJORS[:-1]),
            major_name="计算机应用技术",
            education=rng.choice((3, 4)),
            cities=(rng.choice(CITIES),),
            salary_min=rng.choice((3000, 4000, 5000, 6000)),
            text=" ".join(rng.choices(WORDS, k=6)),
        )
        for _ in range(count)
    ]


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
    args = parser.parse_args()
    rng = random.Random(7)
    facts, words = make_postings(args.postings, rng)
    students = make_students(args.students, rng)

    start = time.perf_counter()
    pool = Pool(facts, words, today=TODAY)
    built = time.perf_counter() - start
    start = time.perf_counter()
    for student in students:
        found = pool.recommend(student)
        assert len(found) == 10 and all(r.reason for r in found)
    ours = time.perf_counter() - start
    pairs = args.students * args.postings

    # The per-pair matcher (`matching.recommend`) on a tenth of the students, for the record.
    index = matching.TextIndex.build(words)
    start = time.perf_counter()
    for student in students[: max(1, args.students // 10)]:
        matching.recommend(student, facts, today=TODAY, index=index)
    walk = time.perf_counter() - start
    walk_rate = max(1, args.students // 10) * args.postings / walk

    subset = facts[: max(1, args.naive_pairs // 10)]
    start = time.perf_counter()
    for student in students[:10]:
        sorted((naive_score(student, p) for p in subset), reverse=True)[:10]
    naive = time.perf_counter() - start
    naive_pairs = 10 * len(subset)

    ours_rate, naive_rate = pairs / ours, naive_pairs / naive
    print(f"pool of {args.postings:,} postings (arrays, BM25 matrix) built in {built:.2f} s")
    print(f"matcher: {args.students:,} students × {args.postings:,} postings in {ours:.1f} s "
          f"= {ours_rate:,.0f} pairs/s ({ours / args.students * 1000:.0f} ms a student)")  # fmt: skip
    print(f"naive:   {naive_pairs:,} pairs in {naive:.2f} s = {naive_rate:,.0f} pairs/s")
    print(f"per-pair matcher (matching.recommend): {walk_rate:,.0f} pairs/s")
    print(f"ratio pool / naive: {ours_rate / naive_rate:.1f}×")
    estimate = 20_000 * 50_000 / ours_rate
    print(f"20,000 cases × 50,000 postings at this rate: {estimate:,.0f} s (target 60 s)")


if __name__ == "__main__":
    main()
