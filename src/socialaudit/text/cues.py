"""The first, simple cues: question marks and question words, VADER sentiment for complaint and
praise. Documented here because findings depend on them:

* question: the text has a `?`, or starts (after @mentions) with a question word or auxiliary
  (how, what, why, when, where, who, which, can, could, is, are, do, does, did, will, would, should);
* complaint: VADER compound <= -0.3, or a negative compound with a complaint word;
* praise: VADER compound >= 0.5 with a thanks/praise word, and not a complaint.
"""

from __future__ import annotations

import re

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

_vader = SentimentIntensityAnalyzer()

QUESTION_WORDS = (
    "how", "what", "why", "when", "where", "who", "which", "can", "could", "is", "are", "do",
    "does", "did", "will", "would", "should", "any", "anyone",
)
COMPLAINT_WORDS = ("still", "again", "waiting", "refund", "cancelled", "canceled", "broken", "never", "worst", "terrible")
PRAISE_WORDS = ("thank", "thanks", "thx", "love", "great", "awesome", "amazing", "best", "excellent", "brilliant")

_LEAD = re.compile(r"^(?:[@#]\S+\s+)*")
_WORD = re.compile(r"[a-z']+")


def label_one(text: str, from_brand: bool) -> dict:
    cues: dict[str, list[str]] = {}
    compound = _vader.polarity_scores(text)["compound"] if text else 0.0
    sentiment = "positive" if compound >= 0.05 else "negative" if compound <= -0.05 else "neutral"
    cues["sentiment"] = [f"vader={compound:+.2f}"]
    words = _WORD.findall(text.lower())
    body = _LEAD.sub("", text.strip()).lower()
    first = _WORD.match(body)
    q: list[str] = []
    if "?" in text:
        q.append("?")
    if first and first.group(0) in QUESTION_WORDS:
        q.append(f"starts with '{first.group(0)}'")
    complaint_hits = [w for w in words if w in COMPLAINT_WORDS]
    c: list[str] = []
    if compound <= -0.3:
        c.append(f"vader={compound:+.2f}")
    elif compound < 0 and complaint_hits:
        c += [f"vader={compound:+.2f}", *complaint_hits]
    praise_hits = [w for w in words if w.rstrip("s") in PRAISE_WORDS or w in PRAISE_WORDS]
    p: list[str] = []
    if compound >= 0.5 and praise_hits and not c:
        p += [f"vader={compound:+.2f}", *praise_hits]
    cues.update({"question": q, "complaint": c, "praise": p})
    is_q, is_c, is_p = bool(q) and not from_brand, bool(c) and not from_brand, bool(p) and not from_brand
    intent = "complaint" if is_c else "question" if is_q else "praise" if is_p else "other"
    return {
        "sentiment": sentiment,
        "sentiment_score": compound,
        "is_question": is_q,
        "is_complaint": is_c,
        "is_praise": is_p,
        "intent": intent,
        "content_type": ("care_reply" if from_brand and text.startswith("@") else "other") if from_brand else None,
        "cues": {k: v for k, v in cues.items() if v},
    }
