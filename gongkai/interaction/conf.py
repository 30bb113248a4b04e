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

# Attachments of a message (local rule; the same limits as the application form's defaults).
ATTACHMENT_MAX_FILES = 3
ATTACHMENT_MAX_MB = 10
ATTACHMENT_EXTENSIONS = ("pdf", "jpg", "jpeg", "png", "docx", "txt")

# 我为政府网站找错. RULES.md does not give these periods; they are the standard of the national platform
# (全国政府网站“我为政府网站找错”监督举报平台: 转办 within 1 working day of receipt, the site's sponsor replies
# within 3 working days of the forwarding; issue 21 "configurable"). Each report stores its own copy.
ERROR_REPORT_KINDS = {"typo": "错别字", "broken_link": "链接失效", "outdated": "内容过时", "unreachable": "无法访问",
                      "other": "其他"}
# Wording reports feed the content checker's findings (issue 21): every 错别字 report, and a report of another
# kind whose description quotes the wrong and the right wording (“A”写成了“B” / “B”应为“A”).
ERROR_REPORT_WORDING_KINDS = ("typo",)
ERROR_REPORT_FORWARD_DAYS = 1  # working days from receipt to 转办 (national platform standard)
ERROR_REPORT_REPLY_DAYS = 3  # working days from 转办 to reply (national platform standard)
ERROR_REPORT_OUTCOMES = {"fixed": "已改正", "no_problem": "经核实无误", "not_ours": "非本网站问题"}
ERROR_REPORT_TEXT_MAX_CHARS = 1000
ERROR_REPORT_LIMIT_PER_ADDRESS = "10/3600"  # local rule: abuse limit of the 找错 form

# 在线访谈. Seed 001 (十一): departments closely related to the economy and livelihood hold at least one
# online interview per year on the portal; the assessment reads the count per department per year.
INTERVIEWS_PER_YEAR_MIN = 1  # seed 001 (十一) “每年至少在县政府门户网站上开展1次在线访谈活动”
INTERVIEW_QUESTION_MAX_CHARS = 500
# Interview photos: the library's attachment rules (settings.ATTACHMENT_MAX_MB / ATTACHMENT_EXTENSIONS, through
# documents.services.attachment_validate), narrowed to pictures a browser shows, checked by their first bytes.
INTERVIEW_PHOTO_EXTENSIONS = ("jpg", "jpeg", "png", "gif")
INTERVIEW_PHOTOS_MAX = 20
INTERVIEW_PHOTO_ALT_MAX_CHARS = 200
INTERVIEW_QUESTION_LIMIT_PER_ADDRESS = "10/3600"  # local rule: abuse limit of the question form

# 网上调查 (seed 004 四: 通过政府网站开展在线访谈、意见征集、网上调查). One answer per person without collecting
# identity: a random per-browser token in a cookie, stored only as a keyed hash; answers rate-limited per address.
SURVEY_KINDS = {"single": "单选", "multiple": "多选", "text": "填空"}
SURVEY_TEXT_MAX_CHARS = 500
SURVEY_LIMIT_PER_ADDRESS = "20/3600"  # local rule: abuse limit of the answer form (a household shares an address)
