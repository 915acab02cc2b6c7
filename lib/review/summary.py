"""The written summaries of a performance review: two or three sentences made from the facts.

Pure functions over a `Review` (no database): deterministic and exact. A review and each of
its sections open with

1. the lead metric (the section's first metric with a value): its value, its change against
   the comparison period (absolute, and in % for counts and money; rates in %p), and, on a
   neighbourhood's review for staff, its rank among the neighbourhoods;
2. the next one or two metrics with a value, with their changes;
3. the largest movement: on a city's review the neighbourhood whose lead metric changed
   most (absolute change; ties go to the first by code); elsewhere the metric, among those
   not yet named, whose change is largest in % (counts and money).

A value that is undefined (`None`) or suppressed (a partner's view) is left out, never
written as 0; without a comparison (undefined or suppressed there) the change clause is
left out; a change that rounds to nothing reads "같습니다"/"변동이 없습니다" ("unchanged").

Korean particles (`josa`) follow the sound of the last syllable as it is read aloud
(`final_sound`):

- a Hangul syllable by its final consonant (받침): none → 는/가/를/와/로; ㄹ → 은/이/을/과/로
  (ㄹ takes 로, not 으로); any other → 은/이/을/과/으로.
- a number by its Korean reading: 1 일, 7 칠, 8 팔 (ㄹ); 3 삼, 6 육, 0 영, 10 십, 100 백,
  1000 천, 만, 억 (a consonant); 2 이, 4 사, 5 오, 9 구, 조 (none). A decimal reads its last
  digit (2.0 이 점 영), thousands separators are ignored (1,000 천), a round number its
  largest trailing unit (20 이십, 30,000 삼만).
- "%" reads 퍼센트 and "%p" 퍼센트포인트 (no final consonant).
- a Latin letter by its Korean name: L 엘 and R 알 (ㄹ), M 엠 and N 엔 (a consonant), any
  other (에이, 비, 씨, …) none. This reads an abbreviation right (KT는, LH는) and is our
  rule for any word in Latin letters.
- a closing parenthesis: the word before the parentheses decides, as 국립국어원 advises
  for a gloss (관리기간(중앙값)은); with nothing before them, the words inside.
- anything else (Hanja, symbols) is treated as having no final consonant.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Literal

from lib.formatting import (
    format_change,
    format_count,
    format_days,
    format_krw_short,
    format_per_1000,
    format_rate,
    is_missing,
    metric_unit,
)
from lib.i18n import t
from lib.review.model import Fact, Movement, Review, Section
from lib.suppression import is_suppressed

Sound = Literal["none", "rieul", "other"]

# ---- Korean particles -------------------------------------------------------------------

_HANGUL_FIRST, _HANGUL_LAST = 0xAC00, 0xD7A3
_RIEUL = 8  # the index of ㄹ among the final consonants of a Hangul syllable
# The last syllable of each digit read aloud (Sino-Korean): 일 이 삼 사 오 육 칠 팔 구, 영.
_DIGIT: dict[str, Sound] = {
    "0": "other",  # 영
    "1": "rieul",  # 일
    "2": "none",  # 이
    "3": "other",  # 삼
    "4": "none",  # 사
    "5": "none",  # 오
    "6": "other",  # 육
    "7": "rieul",  # 칠
    "8": "rieul",  # 팔
    "9": "none",  # 구
}
# Within a group of four digits, the unit that ends a round number: 십, 백, 천.
_TENS: dict[int, Sound] = {1: "other", 2: "other", 3: "other"}
# The unit of a group of four digits: 만, 억 (a consonant), 조 (none).
_GROUPS: dict[int, Sound] = {1: "other", 2: "other", 3: "none"}
# Latin letters read by their Korean names: 엘, 알 end in ㄹ; 엠, 엔 in another consonant.
_LATIN: dict[str, Sound] = {"l": "rieul", "r": "rieul", "m": "other", "n": "other"}
_NUMBER_AT_END = re.compile(r"(\d[\d,]*(?:\.\d+)?)$")
_TRAILING = " \t\n.,;:!?·'\"]}>"

PARTICLES: dict[str, tuple[str, str, str]] = {
    # pair: (after no final consonant, after ㄹ, after another final consonant)
    "은/는": ("는", "은", "은"),
    "이/가": ("가", "이", "이"),
    "을/를": ("를", "을", "을"),
    "과/와": ("와", "과", "과"),
    "으로/로": ("로", "로", "으로"),
}


def _number_sound(number: str) -> Sound:
    digits = number.replace(",", "")
    if "." in digits:
        return _DIGIT[digits[-1]]  # a decimal reads its last digit: 2.5 이 점 오
    value = int(digits)
    if value == 0:
        return "other"  # 영
    group = 0
    while value % 10_000 == 0:
        value //= 10_000
        group += 1
    if group:
        return _GROUPS.get(group, "none")  # 만, 억, 조 end a round number
    zeros = 0
    while value % 10 == 0:
        value //= 10
        zeros += 1
    return _TENS[zeros] if zeros else _DIGIT[str(value % 10)]


def _strip_parentheses(text: str) -> str:
    """`text` without its trailing parenthesised gloss: the word before it, else the gloss."""
    depth, i = 0, len(text) - 1
    while i >= 0:
        if text[i] == ")":
            depth += 1
        elif text[i] == "(":
            depth -= 1
            if depth == 0:
                break
        i -= 1
    if i < 0:  # unbalanced: read what is left as it is
        return text[:-1]
    before = text[:i].rstrip()
    return before if before else text[i + 1 : -1]


def final_sound(text: str) -> Sound:
    """How `text` ends when read aloud: no final consonant, ㄹ, or another consonant."""
    text = text.rstrip(_TRAILING)
    while text.endswith(")"):
        text = _strip_parentheses(text).rstrip(_TRAILING)
    if not text:
        return "none"
    if text.endswith("%p") or text.endswith("%"):
        return "none"  # 퍼센트(포인트)
    if match := _NUMBER_AT_END.search(text):
        return _number_sound(match.group(1))
    last = text[-1]
    if _HANGUL_FIRST <= ord(last) <= _HANGUL_LAST:
        final = (ord(last) - _HANGUL_FIRST) % 28
        return "none" if final == 0 else ("rieul" if final == _RIEUL else "other")
    if last.isascii() and last.isalpha():
        return _LATIN.get(last.lower(), "none")
    return "none"


def josa(word: str, pair: str) -> str:
    """`word` with the particle of `pair` ("은/는", "이/가", "을/를", "과/와", "으로/로") that
    its last sound takes: 한빛1동은, 온양면은, 아라리는, 서울로, 1일로, 3.5억원으로."""
    forms = PARTICLES[pair]
    sound = final_sound(word)
    return word + forms[("none", "rieul", "other").index(sound)]


# ---- numbers in words -------------------------------------------------------------------

# What each count counts, in Korean (가구, 건, 명, 세대, 개); English writes the number only.
COUNTERS: dict[str, str] = {
    "discovered": "가구",
    "opened": "건",
    "active": "건",
    "closed": "건",
    "active_per_1000": "건",
    "isolated_active": "가구",
    "served_households": "가구",
    "services": "건",
    "donation_count": "건",
    "donors": "명",
    "supported_households": "가구",
    "referrals_sent": "건",
    "referrals_received": "건",
    "pending": "건",
    "overdue": "건",
    "households_visited": "세대",
    "households_found": "세대",
    "ss_active": "명",
    "ss_started": "명",
    "ss_exits": "명",
    "ss_programmes": "개",
}


def amount_text(key: str, value: float, lang: str) -> str:
    """A value (or the size of a change) of metric `key` as a sentence writes it.

    Counts with their counter (55가구, 3명), money as the tiles write it (1,060만원,
    3.5억원; ₩10.6M), rates 80.0%, days 7.0일, per 1,000 households 2.0건.
    """
    unit = metric_unit(key)
    if unit == "krw":
        return format_krw_short(value, lang)
    if unit == "rate":
        return format_rate(value, lang)
    if unit == "days":
        return format_days(value, lang)
    text = format_per_1000(value, lang) if unit == "per_1000" else format_count(value, lang)
    return text + (COUNTERS.get(key, "") if lang == "ko" else "")


def change_text(key: str, change: float, lang: str) -> str:
    """The size of a change, unsigned: counts and money as values, rates in %p (pp)."""
    if metric_unit(key) == "rate":
        return format_change(abs(change), "rate", lang).lstrip("+")
    return amount_text(key, abs(change), lang)


def is_shown(value: object) -> bool:
    """True when a value may be written: defined and not suppressed."""
    return not is_suppressed(value) and not is_missing(value)


def _is_zero(fact: Fact) -> bool:
    """True when the change rounds to nothing as the tiles show it."""
    text = format_change(fact.change, metric_unit(fact.key), "ko", short=True)
    return not text.startswith(("+", "-"))


def _has_change(fact: Fact) -> bool:
    return fact.change is not None and is_shown(fact.previous)


def _ordinal(n: int) -> str:
    if 10 <= n % 100 <= 20:
        return f"{n}th"
    return f"{n}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th') }"


def _lower(label: str) -> str:
    """A label inside an English sentence: lower case, unless it starts with an acronym."""
    return label if label[1:2].isupper() else label[:1].lower() + label[1:]


def _capital(sentence: str) -> str:
    return sentence[:1].upper() + sentence[1:]


# ---- clauses ----------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class _Words:
    """The words a fact's clause is made of, in one language."""

    topic: str  # ko: 발굴 가구는; en: households identified
    subject: str  # ko: 발굴 가구가; en: households identified
    value: str  # 55가구
    value_ro: str  # 55가구로 (en: = value)
    change: str  # 19가구 (empty without a change)
    pct: str  # (25.7%) or empty
    verb: str  # 늘었 / 줄었 / 높아졌 / 낮아졌 (en: up / down); empty without a change
    kind: Literal["change", "same", "plain"]


def _words(fact: Fact, lang: str) -> _Words:
    metric = fact.metric
    label = metric.label(lang)
    value = amount_text(fact.key, fact.value, lang)
    if lang == "ko":
        topic, subject, value_ro = (
            josa(label, "은/는"),
            josa(label, "이/가"),
            josa(value, "으로/로"),
        )
    else:
        topic = subject = _lower(label)
        value_ro = value
    if not _has_change(fact):
        return _Words(topic, subject, value, value_ro, "", "", "", "plain")
    if _is_zero(fact):
        return _Words(topic, subject, value, value_ro, "", "", "", "same")
    level = "level" if metric_unit(fact.key) in ("rate", "per_1000") else "amount"
    verb = t(f"summary.{'up' if fact.change > 0 else 'down'}.{level}", lang)
    pct = ""
    if fact.percent is not None and isinstance(fact.percent, Decimal):
        pct = t("summary.pct", lang, pct=f"{abs(fact.percent):,.1f}")
    return _Words(
        topic,
        subject,
        value,
        value_ro,
        change_text(fact.key, fact.change, lang),
        pct,
        verb,
        "change",
    )


def _rank(fact: Fact, lang: str, level: str = "neighbourhood") -> str | None:
    if fact.rank is None or fact.ranked is None:
        return None
    key = "summary.rank_per_1000" if fact.metric.rank_per_1000 else "summary.rank"
    if level != "neighbourhood":  # a district or province ranks among its siblings
        key = f"{key}.{level}"
    rank = str(fact.rank) if lang == "ko" else _ordinal(fact.rank)
    return t(key, lang, n=fact.ranked, rank=rank)


def _comparison(review: Review, lang: str) -> str:
    return t(f"compare.name.{review.compare}", lang)


def opening_sentence(review: Review, fact: Fact) -> str:
    """The first sentence: period, scope, the lead metric, its change and its rank."""
    lang = review.lang
    w = _words(fact, lang)
    cmp = _comparison(review, lang)
    rank = _rank(fact, lang, review.rank_level)
    fields = {
        "period": review.period.label(lang),
        "scope": review.scope_name,
        "topic": w.topic,
        "value": w.value,
        "value_ro": w.value_ro,
        "change": w.change,
        "pct": w.pct,
        "verb": w.verb,
        "than": t("summary.than", lang, cmp=cmp),
        "cmp": cmp,
        "cmp_wa": josa(cmp, "과/와") if lang == "ko" else cmp,
    }
    if w.kind == "plain":
        if rank is None:
            return t("summary.open.plain", lang, **fields)
        return t("summary.open.plain_rank", lang, rank=rank, **fields)
    end = t("summary.end", lang) if rank is None else t("summary.end.rank", lang, rank=rank)
    return t(f"summary.open.{w.kind}", lang, end=end, **fields)


def _clause(fact: Fact, lang: str, last: bool) -> str:
    w = _words(fact, lang)
    end = t(f"summary.clause.{w.kind}.{'end' if last else 'link'}", lang)
    return t(
        f"summary.clause.{w.kind}",
        lang,
        topic=w.topic,
        value=w.value,
        value_ro=w.value_ro,
        change=w.change,
        pct=w.pct,
        verb=w.verb,
        end=end,
    )


def more_sentence(facts: Sequence[Fact], lang: str) -> str | None:
    """One sentence of one or two further metrics, with their changes."""
    if not facts:
        return None
    clauses = [_clause(f, lang, i == len(facts) - 1) for i, f in enumerate(facts)]
    text = " ".join(clauses)
    return _capital(text) if lang == "en" else text


def _largest(moves: Sequence[Movement]) -> Movement | None:
    """The neighbourhood whose change is largest (absolute); the first of equals."""
    best: Movement | None = None
    for move in moves:
        fact = move.fact
        if not _has_change(fact) or not is_shown(fact.value) or _is_zero(fact):
            continue
        if best is None or abs(fact.change) > abs(best.fact.change):
            best = move
    return best


def mover_sentence(review: Review, moves: Sequence[Movement]) -> str | None:
    """City: the neighbourhood that moved most on the section's lead metric."""
    if len(moves) < 2:  # one neighbourhood is the scope itself: nothing to single out
        return None
    move = _largest(moves)
    if move is None:
        return None
    lang = review.lang
    w = _words(move.fact, lang)
    name = move.name
    level = review.movement_level
    return t(
        "summary.mover.city" if level == "neighbourhood" else f"summary.mover.{level}",
        lang,
        name_ro=josa(name, "으로/로") if lang == "ko" else name,
        subject=w.subject,
        change=w.change,
        pct=w.pct,
        verb=w.verb,
    )


def metric_mover_sentence(review: Review, facts: Sequence[Fact]) -> str | None:
    """A neighbourhood or agency: the metric, among `facts`, whose change is largest in %."""
    best: Fact | None = None
    for fact in facts:
        if not is_shown(fact.value) or not _has_change(fact) or fact.percent is None:
            continue
        if _is_zero(fact) or fact.percent == 0:
            continue
        if best is None or abs(fact.percent) > abs(best.percent):
            best = fact
    if best is None:
        return None
    lang = review.lang
    w = _words(best, lang)
    label = best.metric.label(lang)
    cmp = _comparison(review, lang)
    return t(
        "summary.mover.metric",
        lang,
        topic_ro=josa(label, "으로/로") if lang == "ko" else _lower(label),
        than=t("summary.than", lang, cmp=cmp),
        change=w.change,
        pct=w.pct,
        verb=w.verb,
    )


# ---- summaries --------------------------------------------------------------------------


def section_summary(review: Review, section: Section) -> tuple[str, ...]:
    """Two or three sentences opening `section` (none when no metric has a value)."""
    shown = [f for f in section.facts if is_shown(f.value)]
    if not shown:
        return ()
    lead, more = shown[0], shown[1:3]
    sentences = [opening_sentence(review, lead), more_sentence(more, review.lang)]
    if review.kind in ("city", "district", "province"):
        sentences.append(mover_sentence(review, section.movements))
    else:
        named = {lead.key, *(f.key for f in more)}
        rest = [f for f in section.facts if f.key not in named]
        sentences.append(metric_mover_sentence(review, rest))
    return tuple(s for s in sentences if s)


def review_summary(review: Review) -> tuple[str, ...]:
    """The review's opening sentences: its first (headline) section's summary."""
    if not review.sections:
        return ()
    return section_summary(review, review.sections[0])


def with_summaries(review: Review) -> Review:
    """`review` with its own and every section's summary written."""
    sections = tuple(
        dataclasses.replace(s, summary=section_summary(review, s)) for s in review.sections
    )
    review = dataclasses.replace(review, sections=sections)
    return dataclasses.replace(review, summary=review_summary(review))
