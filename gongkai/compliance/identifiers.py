"""Personal identifiers: the one rule for what a 居民身份证号码 is, used by the content checks and by intake.

GB 11643-1999: six digits of the 行政区划代码, eight of the birth date, three of order, one check digit
(ISO 7064 MOD 11-2). The region part is the code of the place where the number was **first assigned**,
at the time it was assigned — not at the time of birth. A person born in 1985 whose number was issued
after 宿城区 (321302) was created in 1996 carries 321302. `stdnum.cn.ric` checks the region against the
birth year and so rejects every adult whose county was created or renumbered after their birth; here a
region code that existed at any time is accepted, and a code that was never issued stays invalid.
"""

from __future__ import annotations

import datetime
import functools
import unicodedata

from stdnum import numdb
from stdnum.cn import ric

_EARLIEST_BIRTH = datetime.date(1880, 1, 1)


def resident_id_compact(number: str) -> str:
    """Full-width digits and ｘ to ASCII, separators and spaces removed, upper case."""
    value = unicodedata.normalize("NFKC", number or "")
    return "".join(ch for ch in value if ch.isalnum()).upper()


@functools.lru_cache(maxsize=4096)
def region_code_ever_issued(code: str) -> bool:
    """True when the six-digit code was a 行政区划代码 at some time (python-stdnum's dated code list)."""
    if len(code) != 6 or not code.isdigit():
        return False
    return any("county" in props for _part, props in numdb.get("cn/loc").info(code))


def resident_id_is_valid(number: str, *, today: datetime.date | None = None) -> bool:
    """An 18-character 居民身份证号码 with a right check digit, a real past birth date and an issued region."""
    number = resident_id_compact(number)
    if len(number) != 18 or not number[:17].isdigit() or number[17] not in "0123456789X":
        return False
    if ric.calc_check_digit(number) != number[17]:
        return False
    try:
        birth = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    if not _EARLIEST_BIRTH <= birth <= (today or datetime.date.today()):
        return False
    return region_code_ever_issued(number[:6])
