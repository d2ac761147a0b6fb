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

STATIC_PARTS = ("major", "city", "salary", "education")


def _static_key(student: StudentProfile) -> tuple[object, ...]:
    salary = -1 if student.salary_min is None else student.salary_min  # sortable
    return (student.major_code, student.major_name, student.cities, salary, student.education,
            student.internship_employers)  # fmt: skip


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
        self._employer_codes: dict[str, int] = {}
        self.employer = np.array(
            [self._employer_codes.setdefault(f.employer_key, len(self._employer_codes))
             if f.employer_key else -1 for f in p], dtype=np.int64,
        )  # fmt: skip
        self.open = np.array(
            [not f.blacklisted and (f.deadline is None or f.deadline >= today) for f in p],
            dtype=bool,
        )
        self.province = self.city // 10000
        self._majors: dict[tuple[str, str], np.ndarray] = {}
        self._salaries: dict[int | None, np.ndarray] = {}
        self._educations: dict[int, np.ndarray] = {}
        self._eligible: dict[int, np.ndarray] = {}
        self._unstated = np.array([n for n, f in enumerate(p) if not f.majors], dtype=np.int64)
        groups: dict[tuple[str, ...], int] = {}
        for f in p:
            if f.majors:
                groups.setdefault(f.majors, len(groups))
        # one posting per distinct `majors` (its text is not read when majors are stated)
        self._group_postings = [PostingFacts(id=0, title="", education=0, city_code="", majors=m)
                                for m in groups]  # fmt: skip
        self._group = np.array([groups[f.majors] if f.majors else len(groups) for f in p],
                               dtype=np.int64)  # fmt: skip
        self._unstated_texts = [p[n].text for n in self._unstated]
        self._cities: dict[tuple[str, ...], tuple[np.ndarray, np.ndarray]] = {}
        self._words: dict[str, tuple[int, ...]] = {}
        self._last_static: tuple[tuple[object, ...], np.ndarray] | None = None
        self._bm25, self._vocabulary = _bm25_matrix(words)
        self._dense = _dense_columns(self._bm25)

    def major_values(self, student: StudentProfile) -> np.ndarray:
        """`matching.major_fit` of every posting: once per distinct `majors` of the pool, and
        for postings stating none, the same substring tests over their texts."""
        key = (student.major_code, student.major_name)
        if key not in self._majors:
            by_group = np.array(
                [matching.major_fit(student, posting).value for posting in self._group_postings]
                + [0.0]
            )
            values = by_group[self._group]  # postings stating no majors take the extra 0.0
            if len(self._unstated):
                values[self._unstated] = self._text_major_values(student)
            self._majors[key] = values
        return self._majors[key]

    def _text_major_values(self, student: StudentProfile) -> np.ndarray:
        """`major_fit` of the postings stating no majors (in `_unstated` order)."""
        texts = self._unstated_texts
        values = np.full(len(texts), 0.2)
        short = matching.major_class_short(student.major_code)
        if short is not None and len(short) >= 2:
            values[[short in t for t in texts]] = 0.5
        if student.major_name:
            values[[student.major_name in t for t in texts]] = 0.8
        return values

    def text_values(self, student: StudentProfile) -> np.ndarray | None:
        if not student.text:
            return None
        columns = self._word_columns(student.text)
        total = len(self.postings)
        if not columns:
            return np.zeros(total)
        matrix = self._bm25
        sparse_spans = [
            (matrix.indptr[c], matrix.indptr[c + 1]) for c in columns if c not in self._dense
        ]
        scores: np.ndarray = np.zeros(total)
        if sparse_spans:
            rows = np.concatenate([matrix.indices[a:b] for a, b in sparse_spans])
            weights = np.concatenate([matrix.data[a:b] for a, b in sparse_spans])
            scores = np.bincount(rows, weights, minlength=total).astype(np.float64)
        for c in columns:  # frequent words: a dense column each, cheaper than their long lists
            if c in self._dense:
                scores += self._dense[c]
        top = scores.max() or 1.0
        return scores / top

    def _word_columns(self, text: str) -> tuple[int, ...]:
        """The pool's columns of the text's words (tokenised once per distinct text)."""
        if text not in self._words:
            found = {self._vocabulary[w] for w in matching.tokens(text) if w in self._vocabulary}
            self._words[text] = tuple(sorted(found))
        return self._words[text]

    def scores(self, student: StudentProfile) -> tuple[np.ndarray, np.ndarray | None]:
        """Each posting's score for the student (−1 where excluded) and the text part."""
        allowed, total, text = self._total(student)
        return np.where(allowed, np.round(total, 4), -1.0), text

    def _total(self, student: StudentProfile) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
        """Which postings pass the hard filters, every posting's unrounded score, the text part.

        The parts are added in `matching.score_pair`'s order, so each score is the same float."""
        allowed = self._open_for(student.education)
        in_city, city = self._city(student.cities)
        if student.needs_disability_friendly:
            allowed = allowed & self.friendly
        if student.city_required and in_city is not None:
            allowed = allowed & in_city
        static = self._static(student, city)
        text = self.text_values(student)
        names = [*STATIC_PARTS, *(["internship"] if student.internship_employers else [])]
        if text is None:
            return allowed, static / sum(matching.WEIGHTS[k] for k in names), text
        total = static + matching.WEIGHTS["text"] * text
        return allowed, total / sum(matching.WEIGHTS[k] for k in [*names, "text"]), text

    def _static(self, student: StudentProfile, city: np.ndarray) -> np.ndarray:
        """The weighted sum of the parts other than the text, added in `score_pair`'s order
        (so every score is the same float); kept for the next student with the same key."""
        key = _static_key(student)
        if self._last_static is None or self._last_static[0] != key:
            parts = {"major": self.major_values(student), "city": city,
                     "salary": self._salary(student), "education": self._education(student.education)}  # fmt: skip
            if student.internship_employers:
                parts["internship"] = self._internship(student.internship_employers)
            total = np.zeros(len(self.postings))
            for name, values in parts.items():
                total += matching.WEIGHTS[name] * values
            self._last_static = (key, total)
        return self._last_static[1]

    def _internship(self, employers: tuple[str, ...]) -> np.ndarray:
        """`matching.internship_fit` of every posting: 1.0 at an employer the student interned with."""
        codes = [self._employer_codes[e] for e in employers if e in self._employer_codes]
        return np.isin(self.employer, codes).astype(np.float64)

    def _open_for(self, level: int) -> np.ndarray:
        if level not in self._eligible:
            self._eligible[level] = self.open & (self.education <= level)
        return self._eligible[level]

    def _city(self, cities: tuple[str, ...]) -> tuple[np.ndarray | None, np.ndarray]:
        """The mask of the student's cities (None without any) and the city part."""
        if cities not in self._cities:
            codes = [int(c) for c in cities if c]
            if codes:
                in_city = np.isin(self.city, codes)
                in_province = np.isin(self.province, [c // 10000 for c in codes])
                part = np.where(in_city, 1.0, np.where(in_province, 0.5, 0.0))
                self._cities[cities] = (in_city, part)
            else:
                self._cities[cities] = (None, np.full(len(self.postings), 0.5))  # type: ignore[assignment]
        return self._cities[cities]

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

    def recommend_many(
        self, students: Sequence[StudentProfile], *, limit: int = 10
    ) -> list[list[Recommendation]]:
        """`recommend` for each student, in their order. Students sharing every part but the
        text (major, cities, salary, education) are scored one after another, so those parts
        are added once for them all."""
        order = sorted(range(len(students)), key=lambda n: _static_key(students[n]))
        found: list[list[Recommendation]] = [[] for _ in students]
        for n in order:
            found[n] = self.recommend(students[n], limit=limit)
        return found

    def recommend(self, student: StudentProfile, *, limit: int = 10) -> list[Recommendation]:
        """The same recommendations as `matching.recommend` over this pool.

        Scores are compared rounded to four places (as `score_pair` gives them) with ties
        broken by id; rounding only the near-best (within 2e-4 of the limit-th best unrounded
        score, which rounding cannot overtake) keeps that exact at the cost of a few values."""
        allowed, total, text = self._total(student)
        candidates = np.flatnonzero(allowed)
        if not len(candidates):
            return []
        values = total[candidates]
        if len(candidates) > limit:
            floor = np.partition(values, len(values) - limit)[len(values) - limit] - 2e-4
            near = values >= floor
            candidates, values = candidates[near], values[near]
        rounded = np.round(values, 4)
        chosen = candidates[np.lexsort((self.ids[candidates], -rounded))][:limit]
        return [
            matching.score_pair(
                student, self.postings[i], float(text[i]) if text is not None else None
            )
            for i in chosen
        ]


DENSE_COLUMNS = 128  # the most frequent words kept as dense columns (8 bytes a posting each)


def _dense_columns(matrix: sparse.csc_matrix) -> dict[int, np.ndarray]:
    """Dense copies of the columns of words in more than one posting in 32: adding a dense
    column costs less than gathering and counting a long list."""
    total = matrix.shape[0]
    frequency = np.diff(matrix.indptr)
    frequent = np.flatnonzero(frequency * 32 > total)
    frequent = frequent[np.argsort(-frequency[frequent], kind="stable")][:DENSE_COLUMNS]
    return {int(c): matrix[:, [c]].toarray().ravel() for c in frequent}


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
