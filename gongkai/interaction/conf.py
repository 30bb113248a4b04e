"""Domain defaults of 政民互动, each with its source. Boxes store their own copy (editable by staff).

- Reply standards in working days: 5 for 咨询 (the simple-question standard some provinces use, RULES §5:
  "make it configurable"), 15 for 信箱 and 投诉建议 (issue 21 default, local practice).
- The 3-month rule (RULES §5, 国办秘函〔2019〕19号 互动回应差): within the last year no valid message of a
  consultation-type column may stay unanswered for over 3 months.
"""

BOX_KINDS = {"mailbox": "领导信箱", "consultation": "咨询", "complaint": "投诉建议"}
DEFAULT_REPLY_DAYS = {"mailbox": 15, "consultation": 5, "complaint": 15}  # working days (issue 21; RULES §5)
UNANSWERED_LIMIT_MONTHS = 3  # RULES §5: 互动回应差, unanswered for over 3 months
UNANSWERED_LOOKBACK_MONTHS = 12  # RULES §5: "within the last year"
INVALID_REASONS = {"abuse": "含辱骂、攻击等不当内容", "duplicate": "重复留言", "not_ours": "不属于本机关职责范围"}
SUBJECT_MAX_CHARS = 100
TEXT_MAX_CHARS = 3000
SUBMIT_LIMIT_PER_ADDRESS = "5/3600"  # local rule: abuse limit of the public form
TRACKING_LIMIT_PER_ADDRESS = "20/3600"
