"""Themes across units: deviations of a period grouped by kind and by what
their texts say, in a way a person can follow.

1. Each report's text becomes terms: its words, lower-cased, without common
   words and without names (a capitalised word inside a sentence), stemmed with
   Snowball's Finnish stemmer and keyed like search keys them
   (`core.lib.textsearch.word_key`: "lääkkeen" and "lääke" are one term).
2. Each term is weighted by TF-IDF over the period's reports: frequent in the
   report, rare in the period (a word every report uses explains nothing).
3. Within each kind, reports join the group whose centre they are most like
   (cosine similarity of the weights, at least SIMILARITY), else start a group.
4. A group of MIN_REPORTS or more is a theme. Its explanation is its TOP_TERMS
   heaviest terms, shown by the word most used for them. The previous period's
   reports of the kind that are as like its centre count for the trend.

No external service; counts, unit ids and terms only are stored."""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from omavalvonta.core.lib.textsearch import word_key
from omavalvonta.search.query import stem_words

SIMILARITY = 0.2
MIN_REPORTS = 2
TOP_TERMS = 5
MAX_THEMES = 30

# Words that say nothing of what happened (and pronouns, which could point at a person).
_STOP = """
    ja tai että oli on ei se ne hän he me te minä sinä mutta niin myös sen siitä sitä jo vielä nyt sitten kanssa
    ollut olivat olla ole olisi joka jotka mikä mitä tämä tässä siinä kuin koska jos vaan eikä ovat kaikki sekä
    hänen heidän hänet häntä meidän teidän minun sinun sekä noin kun jälkeen aikana ennen koko vain heti yksi
    kaksi ensin uudelleen paljon myöhemmin aamulla illalla yöllä tänään eilen asia asiasta klo kello
    olen olemme olin olimme oma oman omaa yksikkö yksikön yksikössä
"""
STOP_WORDS = frozenset(_STOP.split())
_TOKEN = re.compile(r"[^\W\d_]{3,}")
_SENTENCE_END = ".!?:\n"


def _is_name(text: str, start: int, token: str) -> bool:
    """A capitalised word that does not begin a sentence: a name, left out."""
    if not token[0].isupper():
        return False
    before = text[:start].rstrip(" \t\"'(–-")
    return bool(before) and before[-1] not in _SENTENCE_END


def terms_of(text: str) -> tuple[Counter, dict[str, Counter]]:
    """The text's terms counted, and the words seen for each term."""
    tokens = []
    for m in _TOKEN.finditer(text or ""):
        token = m.group(0)
        if _is_name(text, m.start(), token):
            continue
        low = token.lower()
        if low not in STOP_WORDS:
            tokens.append(low)
    counts: Counter = Counter()
    seen: dict[str, Counter] = defaultdict(Counter)
    for low, stem in zip(tokens, stem_words(tokens), strict=True):
        key = word_key(stem)
        if key:
            counts[key] += 1
            seen[key][low] += 1
    return counts, seen


@dataclass
class Report:
    pk: int
    unit_id: int
    kind: str
    counts: Counter
    seen: dict
    vector: dict = field(default_factory=dict)


@dataclass
class Group:
    kind: str
    members: list = field(default_factory=list)
    centre: dict = field(default_factory=lambda: defaultdict(float))
    previous: int = 0

    def norm(self) -> float:
        return math.sqrt(sum(w * w for w in self.centre.values())) or 1.0

    def add(self, report: Report) -> None:
        self.members.append(report)
        for term, weight in report.vector.items():
            self.centre[term] += weight


def _idf(reports: list[Report]) -> dict[str, float]:
    df: Counter = Counter()
    for r in reports:
        df.update(r.counts.keys())
    n = len(reports)
    return {term: math.log((1 + n) / (1 + count)) + 1.0 for term, count in df.items()}


def _vector(counts: Counter, idf: dict[str, float], default_idf: float) -> dict[str, float]:
    raw = {t: (1.0 + math.log(c)) * idf.get(t, default_idf) for t, c in counts.items()}
    norm = math.sqrt(sum(w * w for w in raw.values())) or 1.0
    return {t: w / norm for t, w in raw.items()}


def _best_group(vector: dict, groups: list[Group], index: dict[str, set[int]]) -> tuple[int | None, float]:
    """The group whose centre is most like `vector` (cosine), through the term
    index: only groups sharing a term are compared."""
    dots: dict[int, float] = defaultdict(float)
    for term, weight in vector.items():
        for g in index.get(term, ()):
            dots[g] += weight * groups[g].centre[term]
    best, best_sim = None, 0.0
    for g, dot in dots.items():
        sim = dot / groups[g].norm()
        if sim > best_sim:
            best, best_sim = g, sim
    return best, best_sim


def _cluster(reports: list[Report]) -> list[Group]:
    """Each report (oldest first) into the most like group of its kind, or a new one."""
    groups: list[Group] = []
    # kind -> term -> the groups of that kind whose centre has the term.
    index: dict[str, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    for r in sorted(reports, key=lambda r: r.pk):
        best, sim = _best_group(r.vector, groups, index[r.kind])
        if best is None or sim < SIMILARITY:
            groups.append(Group(kind=r.kind))
            best = len(groups) - 1
        groups[best].add(r)
        for term in r.vector:
            index[r.kind][term].add(best)
    return groups


def _count_previous(themes: list[Group], previous_rows, idf: dict, default_idf: float) -> None:
    """Each report of the period before counts for the theme of its kind it is most like (if like enough)."""
    index: dict[str, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    for i, g in enumerate(themes):
        for term in g.centre:
            index[g.kind][term].add(i)
    for _pk, _unit_id, kind, text in previous_rows:
        counts, _seen = terms_of(text) if kind in index else (None, None)
        if not counts:
            continue
        best, sim = _best_group(_vector(counts, idf, default_idf), themes, index[kind])
        if best is not None and sim >= SIMILARITY:
            themes[best].previous += 1


def _describe(g: Group) -> dict:
    words: dict[str, Counter] = defaultdict(Counter)
    for r in g.members:
        for term, seen in r.seen.items():
            words[term].update(seen)
    top = sorted(g.centre.items(), key=lambda tw: (-tw[1], tw[0]))[:TOP_TERMS]
    unit_ids = sorted({r.unit_id for r in g.members})
    return {
        "kind": g.kind,
        "terms": [[term, words[term].most_common(1)[0][0], round(weight / len(g.members), 3)] for term, weight in top],
        "count": len(g.members),
        "units_affected": len(unit_ids),
        "previous_count": g.previous,
        "deviation_ids": sorted(r.pk for r in g.members),
        "unit_ids": unit_ids,
    }


def group_reports(rows, previous_rows=()) -> list[dict]:
    """Themes of `rows` ((id, unit id, kind, text), as the deviations area gives
    them), with the previous period's `previous_rows` counted for the trend:
    dicts of kind, terms [[term, word, weight]], count, units_affected,
    previous_count, deviation_ids, unit_ids; most reports first."""
    reports = []
    for pk, unit_id, kind, text in rows:
        counts, seen = terms_of(text)
        if counts:
            reports.append(Report(pk, unit_id, kind, counts, seen))
    if not reports:
        return []
    idf = _idf(reports)
    default_idf = math.log(1 + len(reports)) + 1.0
    for r in reports:
        r.vector = _vector(r.counts, idf, default_idf)
    themes = [g for g in _cluster(reports) if len(g.members) >= MIN_REPORTS]
    _count_previous(themes, previous_rows, idf, default_idf)
    result = [_describe(g) for g in themes]
    result.sort(key=lambda t: (-t["count"], -t["units_affected"], t["kind"], t["deviation_ids"][0]))
    return result[:MAX_THEMES]


def trend(count: int, previous: int) -> str:
    if previous == 0:
        return "new"
    if count > previous:
        return "up"
    if count < previous:
        return "down"
    return "same"
