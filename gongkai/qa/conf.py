"""Defaults of the policy Q&A base (政策问答库), each with its source."""

# Abstention: the best entry's score relative to the query's own maximum (the query's words and bigrams all
# matched in one entry = 1.0). Calibrated by bench/qa_quality.py on the tune split of qa_dev at the issue's
# operating point, 90% of answerable questions answered (issue 20); the trade-off on the test split, on
# held-out and off-base questions, is in docs/qa.md. A higher value answers less and wrongly less often.
ABSTAIN_BELOW = 0.23

# Colloquial → official terms (issue 20; grows from the data). Both forms are indexed and queried.
SYNONYMS = {
    "社保卡": "社会保障卡",
    "退休金": "养老金",
    "落户": "户籍迁入",
    "医保": "医疗保险",
    "社保": "社会保险",
    "公积金": "住房公积金",
    "低保": "最低生活保障",
    "身份证": "居民身份证",
}

# An entry older than this many days is listed as stale for staff review (seed 003 一(二): keep current).
STALE_AFTER_DAYS = 365

MAX_ANSWERS = 10

# Two entries whose words (question and answer) have at least this cosine are shown side by side as
# near-duplicates to merge (issue 20). Local choice, the same cut as the bench's near-duplicate column;
# on qa_dev it pairs 遇到险情怎么办 ×2, the two 暴雪 guides ….
DUPLICATE_ABOVE = 0.5

# Where a citizen can ask a person when the base cannot answer (issue 20: the consultation mailbox of the
# interaction package); the face uses the first that exists, else the hotline below.
HOTLINE = "12345"
