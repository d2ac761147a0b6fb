"""How well the matcher finds the job a graduate really took: hit rate@k and NDCG@k.

For every graduate whose destination is an employer (the destination codes that count as
employed) the *closest postings* in today's pool are, in this order:

1. `employer_city` — postings of the same employer (employer names compared by their
   normalised key, as the posting import merges them) in the destination's city;
2. `employer` — postings of the same employer elsewhere, when it has none in that city;
3. `occupation_city` — when the employer posts nothing: postings in the destination's city
   whose occupation (or title) is the position the graduate held at that employer during the
   placement internship (the registry records no occupation on the destination itself).

Graduates with none of these are left out and counted. Each graduate is then ranked with the
profile the registry held (major, education, newest job intention, certificates, disability
record: the destination is never an input) by the matcher, by a baseline that ranks by major
relatedness only, and by chance (every candidate tied). Every ranker ranks the same candidates —
the pool after the matcher's hard filters for that student — so the comparison is about the
order; a closest posting the filters removed counts as a miss for all. Tied scores are
averaged over every order (`ranking_metrics`).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
from django.utils import timezone

from jingzhun.jobs import selectors
from jingzhun.jobs.credit_code import normalise_employer_name
from jingzhun.jobs.matching_pool import Pool
from jingzhun.jobs.places import city_code
from jingzhun.jobs.ranking_metrics import rank_quality
from jingzhun.jobs.recommendations import pool_facts, profiles_for
from jingzhun.jobs.requirements import title_key
from jingzhun.students.models import DestinationCode, Internship, Student

EMPLOYER_CITY, EMPLOYER, OCCUPATION_CITY = "employer_city", "employer", "occupation_city"
RULES = (EMPLOYER_CITY, EMPLOYER, OCCUPATION_CITY)
RANKERS = ("matcher", "major only", "chance")


@dataclass(frozen=True)
class PostingKey:
    employer: str  # normalised employer name
    city: str  # six-digit code
    occupation: str  # title key of the posting's occupation
    title: str  # title key of the posting's title


@dataclass(frozen=True)
class Destination:
    employer: str  # normalised employer name
    city: str  # six-digit code, "" when not understood
    occupation: str = ""  # title key of the position held there, "" when unknown


class PoolKeys:
    """The pool's postings by employer and by (city, occupation or title), for lookups."""

    def __init__(self, postings: list[PostingKey]) -> None:
        self.by_employer: dict[str, list[int]] = {}
        self.by_city_job: dict[tuple[str, str], set[int]] = {}
        for i, p in enumerate(postings):
            self.by_employer.setdefault(p.employer, []).append(i)
            for job in {p.occupation, p.title} - {""}:
                self.by_city_job.setdefault((p.city, job), set()).add(i)
        self.postings = postings


def closest_postings(destination: Destination, pool: PoolKeys) -> tuple[str, list[int]]:
    """The rule that applied and the indexes of the closest postings (empty: none close)."""
    same = pool.by_employer.get(destination.employer, []) if destination.employer else []
    in_city = [i for i in same if destination.city and pool.postings[i].city == destination.city]
    if in_city:
        return EMPLOYER_CITY, in_city
    if same:
        return EMPLOYER, list(same)
    if destination.occupation and destination.city:
        found = pool.by_city_job.get((destination.city, destination.occupation), set())
        if found:
            return OCCUPATION_CITY, sorted(found)
    return "", []


@dataclass
class MatchingEvaluation:
    k: int
    postings: int
    graduates: int  # with an employer destination
    by_rule: Counter[str] = field(default_factory=Counter)
    hit: dict[str, float] = field(default_factory=dict)  # mean over the evaluated graduates
    ndcg: dict[str, float] = field(default_factory=dict)
    closest_mean: float = 0.0  # closest postings per evaluated graduate
    candidates_mean: float = 0.0  # postings left after the hard filters

    @property
    def evaluated(self) -> int:
        return sum(self.by_rule.values())

    @property
    def skipped(self) -> int:
        return self.graduates - self.evaluated


def employed_graduates(*, institution_id: int) -> list[Student]:
    employed = DestinationCode.objects.filter(category=DestinationCode.Category.EMPLOYED)
    return list(
        Student.objects.filter(institution_id=institution_id, status=Student.Status.GRADUATED,
                               destination__code__in=employed.values("code"))
        .exclude(destination__employer_name="")
        .select_related("major", "destination").order_by("pk")
    )  # fmt: skip


def _destinations(students: list[Student]) -> dict[int, Destination]:
    positions: dict[tuple[int, str], str] = {}
    for student_id, employer, position in (
        Internship.objects.filter(student_id__in=[s.pk for s in students])
        .exclude(position="")
        .values_list("student_id", "employer_name", "position")
    ):
        positions[(student_id, normalise_employer_name(employer))] = title_key(position)
    found = {}
    for s in students:
        employer = normalise_employer_name(s.destination.employer_name)
        code, _problem = city_code(s.destination.city) if s.destination.city else ("", None)
        found[s.pk] = Destination(employer, code or "", positions.get((s.pk, employer), ""))
    return found


def matching_evaluate(
    *, institution_id: int, k: int = 10, today: dt.date | None = None
) -> MatchingEvaluation:
    today = today or timezone.localdate()
    facts, words = pool_facts(institution_id=institution_id, today=today)
    keys = {
        pk: PostingKey(employer, city, title_key(occupation), title)
        for pk, employer, city, occupation, title in selectors.postings_for_students(
            institution_id=institution_id, today=today
        ).values_list("pk", "employer__name_key", "city_code", "occupation", "title_key")
    }
    keyed = PoolKeys([keys[f.id] for f in facts])
    students = employed_graduates(institution_id=institution_id)
    result = MatchingEvaluation(k=k, postings=len(facts), graduates=len(students))
    if not facts or not students:
        return result
    pool = Pool(facts, words, today=today)
    profiles = profiles_for(students)
    destinations = _destinations(students)
    sums: dict[str, list[float]] = {name: [0.0, 0.0] for name in RANKERS}
    closest = candidates = 0
    for student in students:
        rule, indexes = closest_postings(destinations[student.pk], keyed)
        if not rule:
            continue
        result.by_rule[rule] += 1
        relevant = np.zeros(len(facts), dtype=bool)
        relevant[indexes] = True
        profile = profiles[student.pk]
        score, _text = pool.scores(profile)
        allowed = score >= 0
        closest += len(indexes)
        candidates += int(allowed.sum())
        rankings = {
            "matcher": score[allowed],
            "major only": pool.major_values(profile)[allowed],
            "chance": np.zeros(int(allowed.sum())),
        }
        for name, values in rankings.items():
            quality = rank_quality(values, relevant[allowed], k=k, relevant_total=len(indexes))
            sums[name][0] += quality.hit
            sums[name][1] += quality.ndcg
    n = result.evaluated
    if n:
        result.hit = {name: s[0] / n for name, s in sums.items()}
        result.ndcg = {name: s[1] / n for name, s in sums.items()}
        result.closest_mean, result.candidates_mean = closest / n, candidates / n
    return result
