"""Demo data: the qa_dev Q&A base (SHARED_DIR/data/qa_dev.jsonl), imported in bulk and published, with topics
and audiences for browsing; and a few curated entries citing documents of the demo library, one of which
cites a repealed document and so is flagged (hidden from answers until re-approved).

qa_dev is a development set without a stated licence: it is read in place, never copied into the repository."""

import json
from pathlib import Path

from django.conf import settings

from gongkai.documents.models import Document, Status, Validity

from .models import Entry, EntryState
from .services import qa_entry_publish, qa_entry_save, qa_flag_for_document, qa_import

# The answering departments of qa_dev → a browsing topic (the entries' own departments, grouped).
DEPARTMENT_TOPICS = {
    "应急局": "应急避险", "规划自然资源委": "规划与自然资源", "体育局": "体育健身", "人力资源社会保障局": "社会保障与就业",
    "科委": "科技", "医保局": "医疗保障", "交通委": "交通出行", "交管局": "交通出行", "住房公积金管理中心": "住房公积金",
    "文物局": "文物保护", "药监局": "药品安全", "城市管理委": "城市管理", "北京市公安局公安交通管理局": "交通出行",
    "北京公安局公安交通管理局": "交通出行", "北京住房公积金管理中心": "住房公积金",
}
# Words of the question → an audience or life stage (服务对象/人生阶段), for browsing.
AUDIENCE_WORDS = {
    "退休": "退休人员", "养老": "老年人", "老人": "老年人", "学生": "学生", "毕业": "高校毕业生", "驾驶": "驾驶人",
    "驾照": "驾驶人", "企业": "企业", "单位": "用人单位", "失业": "求职与失业人员", "就业": "求职与失业人员",
    "生育": "生育", "孩子": "家有儿童", "儿童": "家有儿童", "购房": "购房租房", "租房": "购房租房", "残疾": "残疾人",
}


def _label(question: str) -> list[str]:
    return list(dict.fromkeys(a for w, a in AUDIENCE_WORDS.items() if w in question))


def load_demo_qa(*, stdout) -> None:
    path = Path(settings.SHARED_DIR) / "data" / "qa_dev.jsonl"
    if not path.exists():
        stdout.write(f"政策问答：未找到 {path}，跳过。")
        return
    # qa_dev has a row with an empty answer; the import refuses a file with any bad line, so the demo
    # leaves such rows out first.
    rows = [line for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and all(str(json.loads(line).get(k) or "").strip() for k in ("question", "answer"))]
    report = qa_import(rows, publish=True)
    stdout.write(f"政策问答：新增 {report.created}，未变 {report.unchanged}，错误 {len(report.errors)}")
    labelled = []
    for entry in Entry.objects.filter(origin__in=["", "import"]).only("id", "question", "department", "topics"):
        if entry.topics:
            continue
        topic = DEPARTMENT_TOPICS.get(entry.department)
        entry.topics, entry.audiences = ([topic] if topic else []), _label(entry.question)
        labelled.append(entry)
    Entry.objects.bulk_update(labelled, ["topics", "audiences"], batch_size=500)
    _curated(stdout)


def _curated(stdout) -> None:
    """Entries citing the demo library: one per document in force that has none yet (up to three), and one
    citing a repealed document, which the validity rule flags at once."""
    if Entry.objects.filter(origin="demo").exists():
        return
    public = Document.objects.filter(status=Status.PUBLISHED)
    made = 0
    for document in public.filter(validity=Validity.VALID).order_by("id")[:3]:
        entry = qa_entry_save(
            question=f"《{document.title[:40]}》在哪里可以看到全文？",
            answer=f"《{document.title}》已在本平台政策文件库公开，可在文件页面查看全文、政策解读和附件；如有疑问，可联系发文机关。",
            department=document.organisation.name, organisation=document.organisation, sources=[document],
            topics=["政务公开"], origin="demo")
        qa_entry_publish(entry=entry, by=None, check_roles=False)
        made += 1
    repealed = public.filter(validity__in=[Validity.REPEALED, Validity.EXPIRED]).order_by("id").first()
    if repealed is not None:
        entry = qa_entry_save(
            question=f"《{repealed.title[:40]}》现在还执行吗？",
            answer=f"请以现行有效的文件为准：《{repealed.title}》的效力状态见文件页面。",
            department=repealed.organisation.name, organisation=repealed.organisation, origin="demo")
        entry.sources.set([repealed])
        Entry.objects.filter(pk=entry.pk).update(state=EntryState.PUBLISHED)
        qa_flag_for_document(repealed)
        made += 1
    stdout.write(f"政策问答：引用文件库的示例条目 {made} 条（其中来源已废止的条目已标为待复核）")
