"""The matcher over a whole pool at once, for many students (every active case).

Pure: numpy and scipy, no Django. `matching.recommend` walks every posting in Python (about
40,000 pairs a second); here each part is an array over the pool — education, city, salary,
deadline and blacklist as columns, BM25 as a sparse postings × words matrix multiplied by the
student's words — so a student costs a few array operations. Only the chosen postings go
through `matching.score_pair`, which gives the same parts, score and reason as `recommend`.
Major relatedness depends on the student's major only: it is computed once per distinct major
(`major_fit` once per distinct `majors` of the pool, a substring test per posting otherwise).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence

import numpy as np
from scipy import sparse

from jingzhun.jobs import matching
from jingzhun.jobs.matching import PostingFacts, Recommendation, StudentProfile


class Pool:
    def __init__(
        self, postings: Sequence[PostingFacts], words: Sequence[Sequence[str]], *, today: dt.date
    ) -> None:
        self.postings = list(postings)
        self.today = today
        p = self.postings
        self.ids = np.array([f.id for f in p], dtype=np.int64)
        self.education = np.array([f.education for f in p], dtype=np.int16)
        self.city = np.array([int(f.city_code or 0) for f in p], dtype=np.int64)
        self.low = np.array(
            [f.salary_min if f.salary_min is not None else -1 for f in p], dtype=np.float64
        )
        self.high = np.array(
            [f.salary_max if f.salary_max is not None else -1 for f in p], dtype=np.float64
        )
        self.friendly = np.array([f.disability_friendly for f in p], dtype=bool)
        self.open = np.array(
            [not f.blacklisted and (f.deadline is None or f.deadline >= today) for f in p],
            dtype=bool,
        )
        self.province = self.city // 10000
        self._majors: dict[tuple[str, str], np.ndarray] = {}
        self._salaries: dict[int | None, np.ndarray] = {}
        self._educations: dict[int, np.ndarray] = {}
        self._bm25, self._vocabulary = _bm25_matrix(words)

    def major_values(self, student: StudentProfile) -> np.ndarray:
        key = (student.major_code, student.major_name)
        if key not in self._majors:
            by_majors: dict[tuple[str, ...], float] = {}
            values = np.empty(len(self.postings))
            for number, posting in enumerate(self.postings):
                if posting.majors:
                    if posting.majors not in by_majors:
                        by_majors[posting.majors] = matching.major_fit(student, posting).value
                    values[number] = by_majors[posting.majors]
                else:
                    values[number] = matching.major_fit(student, posting).value
            self._majors[key] = values
        return self._majors[key]

    def text_values(self, student: StudentProfile) -> np.ndarray | None:
        if not student.text:
            return None
        words = {w for w in matching.tokens(student.text) if w in self._vocabulary}
        matrix, total = self._bm25, len(self.postings)
        spans = [
            (matrix.indptr[c], matrix.indptr[c + 1]) for c in (self._vocabulary[w] for w in words)
        ]
        if not spans:
            return np.zeros(total)
        rows = np.concatenate([matrix.indices[a:b] for a, b in spans])
        weights = np.concatenate([matrix.data[a:b] for a, b in spans])
        scores = np.bincount(rows, weights, minlength=total)
        top = scores.max() or 1.0
        return scores / top

    def scores(self, student: StudentProfile) -> tuple[np.ndarray, np.ndarray | None]:
        """Each posting's score for the student (−1 where excluded) and the text part."""
        allowed = self.open & (self.education <= student.education)
        cities = [int(c) for c in student.cities if c]
        if student.needs_disability_friendly:
            allowed &= self.friendly
        if cities:
            in_city = np.logical_or.reduce([self.city == c for c in cities])
            in_province = np.logical_or.reduce([self.province == c // 10000 for c in cities])
            city = np.where(in_city, 1.0, np.where(in_province, 0.5, 0.0))
            if student.city_required:
                allowed &= in_city
        else:
            city = np.full(len(self.postings), 0.5)
        parts = {
            "major": self.major_values(student),
            "city": city,
            "salary": self._salary(student),
            "education": self._education(student.education),
        }
        text = self.text_values(student)
        if text is not None:
            parts["text"] = text
        weight = sum(matching.WEIGHTS[k] for k in parts)
        total = sum(matching.WEIGHTS[k] * v for k, v in parts.items()) / weight
        return np.where(allowed, np.round(total, 4), -1.0), text

    def _education(self, level: int) -> np.ndarray:
        if level not in self._educations:
            self._educations[level] = np.where(self.education == level, 1.0, 0.8)
        return self._educations[level]

    def _salary(self, student: StudentProfile) -> np.ndarray:
        if student.salary_min not in self._salaries:
            self._salaries[student.salary_min] = self._salary_values(student.salary_min)
        return self._salaries[student.salary_min]

    def _salary_values(self, salary_min: int | None) -> np.ndarray:
        shown = (self.low >= 0) | (self.high >= 0)
        if salary_min is None:
            return np.full(len(self.postings), 0.5)
        expected = float(salary_min)
        top = np.where(self.high >= 0, self.high, np.where(self.low >= 0, self.low, 0.0))
        value = np.where(
            (self.low >= 0) & (self.low >= expected),
            1.0,
            np.where(top >= expected, 0.8, np.maximum(0.0, top / expected - 0.3)),
        )
        return np.where(shown, value, 0.5)

    def recommend(self, student: StudentProfile, *, limit: int = 10) -> list[Recommendation]:
        """The same recommendations as `matching.recommend` over this pool."""
        score, text = self.scores(student)
        allowed = np.nonzero(score >= 0)[0]
        if not len(allowed):
            return []
        if len(allowed) > limit:
            threshold = np.partition(score[allowed], -limit)[-limit]
            allowed = allowed[score[allowed] >= threshold]
        chosen = allowed[np.lexsort((self.ids[allowed], -score[allowed]))][:limit]
        return [
            matching.score_pair(
                student, self.postings[i], float(text[i]) if text is not None else None
            )
            for i in chosen
        ]


def _bm25_matrix(
    documents: Sequence[Sequence[str]], k1: float = 1.5, b: float = 0.75
) -> tuple[sparse.csc_matrix, dict[str, int]]:
    """Postings × words, each cell the word's BM25 weight in the posting (as `TextIndex`)."""
    vocabulary: dict[str, int] = {}
    rows, columns, counts = [], [], []
    lengths = np.array([len(d) for d in documents], dtype=np.float64)
    for number, words in enumerate(documents):
        for word, count in Counter(words).items():
            rows.append(number)
            columns.append(vocabulary.setdefault(word, len(vocabulary)))
            counts.append(count)
    total = len(documents)
    tf = np.array(counts, dtype=np.float64)
    row = np.array(rows, dtype=np.int64)
    column = np.array(columns, dtype=np.int64)
    average = (lengths.sum() / total if total else 1.0) or 1.0
    frequency = np.bincount(column, minlength=len(vocabulary)).astype(np.float64)
    idf = np.log(1 + (total - frequency + 0.5) / (frequency + 0.5))
    norm = tf + k1 * (1 - b + b * lengths[row] / average) if len(row) else tf
    weight = idf[column] * tf * (k1 + 1) / norm if len(row) else tf
    matrix = sparse.csc_matrix((weight, (row, column)), shape=(total, len(vocabulary)))
    return matrix, vocabulary
