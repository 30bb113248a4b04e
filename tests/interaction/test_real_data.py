"""The 3-month rule and the statistics on the real messages (../shared/data/messages_with_replies.jsonl)."""

import datetime as dt
import itertools

from gongkai.interaction import selectors
from gongkai.interaction.models import Message
from gongkai.interaction.services import messages_import
from tests.conftest import shared_data


def test_three_month_rule_on_imported_real_messages(box, tmp_path):
    source = shared_data("messages_with_replies.jsonl")
    subset = tmp_path / "first400.jsonl"
    with open(source, encoding="utf-8") as fh:
        subset.write_text("".join(itertools.islice(fh, 400)), encoding="utf-8")
    result = messages_import(path=subset, mailbox=box)
    assert result.created == 400 and not result.errors
    late = [m for m in Message.objects.all() if (m.replied_at.date() - m.submitted_at.date()).days > 92]
    found = selectors.unanswered_over_limit(today=dt.date(2019, 12, 31), lookback_months=120)
    assert late and {o.message.pk for o in found} >= {m.pk for m in late}
    assert all(o.replied_late for o in found)
    stats = selectors.statistics(since=dt.date(2010, 1, 1), until=dt.date(2020, 12, 31), today=dt.date(2020, 12, 31))
    assert stats[0].volume == 400 and stats[0].over_three_months == len(found)
    assert stats[0].median_working_days is not None and 0 < stats[0].on_time + stats[0].late == 400
