"""Free text to a topic: "toi da dat chuan chua", "Tôi đã đạt chuẩn chưa?" and "am I qualified"
all mean /status.

Text is folded (rules.text) and compared phrase by phrase against windows of the same
number of words, give or take one ("camket" or "cam ket"), with rapidfuzz for typos. A longer
phrase is more specific and wins; ties go to the topic listed first.
"""

from __future__ import annotations

from rapidfuzz import fuzz

from handlers.topics import Topic
from rules.text import fold


def _phrases(text: str) -> tuple[str, ...]:
    return tuple(phrase.strip() for phrase in text.split("|"))


# Folded phrasings, Vietnamese then English, separated by "|". Order matters for ties:
# "khi nao het cam ket" is about the bond, "han chot dang ky khoa hoc" about deadlines.
PHRASES: dict[Topic, tuple[str, ...]] = {
    Topic.BOND: _phrases(
        "cam ket | cam ket phuc vu | boi hoan | den bu | boi thuong | hoan tra | nghi viec | "
        "tra lai tien | thoi gian phuc vu | bond | reimburse | reimbursement | pay back | repay | "
        "commitment | quit my job"
    ),
    Topic.STATUS: _phrases(
        "dat chuan | du chuan | chuan hoa | tieu chuan | tinh trang | trang thai | con thieu | "
        "thieu gi | du dieu kien | standard | standards | status | qualified | qualifications | "
        "missing"
    ),
    Topic.DEADLINES: _phrases(
        "han dao tao | han chot | thoi han | lich hoc | lich dao tao | den han | boi duong | "
        "cap nhat kien thuc | deadline | deadlines | due | schedule | refresher | when"
    ),
    Topic.COURSES: _phrases(
        "khoa hoc | lop hoc | mo lop | dang ky | lop nao | khoa nao | course | courses | class | "
        "classes | register | enrol | enroll | training"
    ),
    Topic.SETTINGS: _phrases(
        "cai dat | ngon ngu | tieng anh | tieng viet | gio yen lang | khong lam phien | "
        "tat thong bao | settings | language | english | quiet hours | mute | notifications"
    ),
    Topic.HELP: _phrases(
        "tro giup | giup | huong dan | lam duoc gi | help | menu | what can you do"
    ),
}


def _threshold(target: str) -> float:
    """How alike a window must be: exact for short words, about one typo in eight letters."""
    if len(target) <= 4:
        return 100.0
    if len(target) <= 6:
        return 83.0
    return 80.0


def _score(words: list[str], phrase: str) -> float:
    """The best likeness of ``phrase`` to a run of words in the text, or 0 below threshold.
    A run one word shorter must be nearly exact: it stands for words typed together
    ("camket"), not for a word left out ("phi dao tao" is not "han dao tao")."""
    size = phrase.count(" ") + 1
    target = phrase.replace(" ", "")
    best = 0.0
    for length in range(max(1, size - 1), size + 2):
        needed = _threshold(target) if length >= size else max(_threshold(target), 90.0)
        for start in range(len(words) - length + 1):
            score = fuzz.ratio("".join(words[start : start + length]), target)
            if score >= needed:
                best = max(best, score)
    return best


def match(text: str) -> Topic | None:
    """The topic ``text`` asks about, or None when it matches nothing."""
    words = fold(text).split()
    best: tuple[int, float, int] | None = None
    found: Topic | None = None
    for order, (topic, phrases) in enumerate(PHRASES.items()):
        for phrase in phrases:
            score = _score(words, phrase)
            if not score:
                continue
            key = (phrase.count(" ") + 1, score, -order)
            if best is None or key > best:
                best, found = key, topic
    return found
