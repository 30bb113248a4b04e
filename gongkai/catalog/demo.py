"""The catalogue's part of the demo data: the standard catalogue loaded and adopted, owners assigned, one item
linked to content and one overdue, a configured catalogue structure for one department, the change history;
the key-area columns with budget, project and relief documents, service guides and 一件事 packages (one guide
incomplete), two issues of the gazette."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from gongkai.core.html import html_to_text
from gongkai.core.models import Organisation
from gongkai.documents import services as doc_services
from gongkai.documents.models import Document, Topic

from . import conf, selectors, services
from .models import AdoptedItem, CatalogueNode, GazetteIssue

# Which demo department owns which standard-catalogue domain (by the code of DEMO_DEPARTMENTS).
OWNERS = {"重大建设项目": "DEMO00002", "义务教育": "DEMO00003", "就业": "DEMO00004", "社会保险": "DEMO00004",
          "城乡规划": "DEMO00005", "食品药品监管": "DEMO00006", "公共法律服务": "DEMO00007"}


def load_demo_catalog(*, government: Organisation, stdout=None) -> None:
    """Idempotent: run after the demo organisations and library exist."""
    domains, items = services.standard_catalogue_load()
    added = services.standard_catalogue_adopt(organisation=government, level="县级")
    by_code = {o.code: o for o in Organisation.objects.filter(code__in=set(OWNERS.values()))}
    for item in AdoptedItem.objects.filter(organisation=government, owner__isnull=True):
        owner = by_code.get(OWNERS.get(item.domain, ""), government)
        services.adopted_item_update(item=item, owner=owner)
    # One item fulfilled by a real document of the library, one whose information changed long ago (overdue).
    edu = AdoptedItem.objects.filter(organisation=government, domain="义务教育", level2="招生政策").first()
    doc = Document.objects.filter(status="published", title__contains="教育").order_by("-published_at").first()
    if edu is not None and doc is not None and not edu.documents.exists():
        services.adopted_item_update(item=edu, documents=[doc])
    fin = AdoptedItem.objects.filter(organisation=government, domain="财政预决算", level2="部门预算").first()
    if fin is not None and fin.changed_on is None:
        services.adopted_item_update(item=fin, changed_on=timezone.localdate() - dt.timedelta(days=60))
    # The education bureau arranges its catalogue by its own headings.
    bureau = by_code.get("DEMO00003")
    if bureau is not None and not CatalogueNode.objects.filter(organisation=bureau).exists():
        services.catalogue_structure_set(organisation=bureau, nodes=[
            {"name": "政策文件", "genres": ["rule", "normative", "law", "order", "decision", "opinion"]},
            {"name": "通知公告", "genres": ["notice", "announcement", "public_notice", "circular"]},
            {"name": "工作报告", "genres": ["report"]},
        ])
    made = load_demo_columns(government=government)
    n_services = load_demo_services(government=government)
    n_issues = load_demo_gazette(government=government, documents=made)
    for org in Organisation.objects.filter(is_active=True):
        services.catalogue_sync(organisation=org)
    if stdout is not None:
        stdout.write(f"基层政务公开标准目录：{domains} 个领域、{items} 个事项；{government.name}新采用 {added} 项。")
        stdout.write(f"重点领域专栏 {len(conf.KEY_AREA_COLUMNS)} 个（示例文件 {len(made)} 份）；办事指南 {n_services} 项；"
                     f"新出版政府公报 {n_issues} 期。")


# --- 重点领域专栏, 办事指南, 政府公报 ----------------------------------------------------------------------------------

def _doc(org: Organisation, title: str, *, at: dt.datetime, topic: str | None = None, genre: str = "notice",
         body: str = "", doc_number: str = "", written_on: dt.date | None = None) -> Document:
    """A published document of the demo library (drafted, approved and published by the system, as an import)."""
    existing = Document.objects.filter(organisation=org, title=title).first()
    if existing is not None:
        return existing
    topic_obj = Topic.objects.filter(name=topic).order_by("-parent_id").first() if topic else None
    doc = doc_services.document_create(organisation=org, by=None, title=title, topic=topic_obj, genre=genre, body=body,
                                       doc_number=doc_number, written_on=written_on or at.date(),
                                       summary=html_to_text(body)[:120])
    doc_services.document_submit(document=doc, by=None)
    doc_services.document_approve(document=doc, by=None)
    return doc_services.document_publish(document=doc, by=None, at=at)


def _at(year: int, month: int, day: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, 10))


BUDGET_BODY = ("<p>根据《中华人民共和国预算法》第十四条，现将{org}{year}年部门{kind}公开如下。</p>"
               "<p>一、部门基本情况。{org}内设机构和所属单位的收支全部纳入部门{kind}编制。</p>"
               "<p>二、收支总体情况。{year}年收入合计与支出合计平衡，其中一般公共预算财政拨款占主要部分。</p>"
               "<p>三、“三公”经费情况。因公出国（境）费、公务用车购置及运行费、公务接待费均比上年有所下降。</p>")


def load_demo_columns(*, government: Organisation) -> list[Document]:
    """The default key-area columns of the government, fed by budget, project, relief and housing documents of
    its departments (two budget units miss one item, one project has no 竣工 yet: the workspace shows it)."""
    services.key_area_columns_seed(organisation=government)
    today = timezone.localdate()
    made = []
    departments = list(Organisation.objects.filter(code__in=["DEMO00002", "DEMO00003", "DEMO00004"]).order_by("code"))
    for n, org in enumerate(departments):
        for year in (today.year - 1, today.year):
            made.append(_doc(org, f"{org.name}{year}年部门预算", at=_at(year, 2, 20 + n), topic="财政", genre="report",
                             body=BUDGET_BODY.format(org=org.name, year=year, kind="预算")))
            if n < 2:  # the third unit has not published its final account
                made.append(_doc(org, f"{org.name}{year - 1}年部门决算", at=_at(year, 7, 10 + n), topic="财政",
                                 genre="report", body=BUDGET_BODY.format(org=org.name, year=year - 1, kind="决算")))
    dev = Organisation.objects.filter(code="DEMO00002").first()
    if dev is not None:
        made.append(_doc(dev, "关于示例市城南片区学校建设项目可行性研究报告的批复", topic="重大建设项目",
                         at=_at(today.year, 3, 12), doc_number=f"示发改投资〔{today.year}〕12号",
                         body="<p>市教育局：你局报来的城南片区学校建设项目可行性研究报告收悉。经研究，同意建设该项目，"
                              "总建筑面积约4.2万平方米，总投资约3.1亿元，资金由市级财政安排。</p>"))
        made.append(_doc(dev, "示例市城南片区学校建设项目施工招标公告", topic="重大建设项目", genre="announcement",
                         at=_at(today.year, 5, 6),
                         body="<p>本招标项目已由市发展改革委批准建设，项目业主为市教育局，现对该项目施工进行公开招标。</p>"))
    hr = Organisation.objects.filter(code="DEMO00004").first()
    if hr is not None:
        made.append(_doc(hr, f"关于调整{today.year}年城乡最低生活保障标准和特困人员救助供养标准的通知", topic="社会福利",
                         at=_at(today.year, 6, 28), doc_number=f"示人社发〔{today.year}〕21号",
                         body="<p>自本年7月1日起，城市最低生活保障标准调整为每人每月960元，农村最低生活保障标准调整为每人每月780元。</p>"))
        made.append(_doc(hr, "关于开展高校毕业生就业服务月活动的通知", topic="劳动就业", at=timezone.now() - dt.timedelta(days=10),
                         body="<p>为做好高校毕业生就业工作，现决定开展就业服务月活动，举办专场招聘会20场。</p>"))
    return made


SERVICE_ITEMS = [
    ("DEMO00003", "JY-0001", dict(
        name="义务教育阶段新生入学登记", kind="公共服务",
        basis_text="《中华人民共和国义务教育法》第十二条：适龄儿童、少年免试入学。地方各级人民政府应当保障适龄儿童、少年在户籍所在地学校就近入学。",
        conditions="年满6周岁的适龄儿童；户籍在本市学区内，或父母一方持有本市居住证。",
        materials=[{"name": "户口簿", "form": "原件及复印件", "copies": "1", "source": "公安机关", "sample": "户主页和儿童本人页"},
                   {"name": "房屋所有权证或不动产权证书（或租赁备案证明）", "form": "原件及复印件", "copies": "1", "source": "不动产登记机构"},
                   {"name": "儿童预防接种证", "form": "原件", "copies": "1", "source": "接种单位"}],
        location="示例市政务服务中心二楼教育窗口（示例市人民路100号）", hours="工作日上午9:00-12:00，下午13:30-17:00（法定节假日除外）",
        phone="0000-12345001", process=["网上报名或窗口提交材料", "学校初审", "区教育局复核", "公布录取结果并发放入学通知书"],
        legal_limit="无", promised_limit="10个工作日", fee="不收费", consult="电话 0000-12345001；市政务服务中心教育窗口",
        complaint="12345政务服务便民热线；示例市教育局监督电话 0000-12345009", audiences=["person"], life_stages=["上学"])),
    ("DEMO00004", "RS-0001", dict(
        name="城乡居民基本养老保险参保登记", kind="公共服务",
        basis_text="《中华人民共和国社会保险法》第二十条、第二十二条；《国务院关于建立统一的城乡居民基本养老保险制度的意见》（国发〔2014〕8号）",
        conditions="年满16周岁（不含在校学生），非国家机关和事业单位工作人员，不属于职工基本养老保险制度覆盖范围的城乡居民。",
        materials=[{"name": "居民身份证", "form": "原件", "copies": "1", "source": "公安机关"},
                   {"name": "城乡居民基本养老保险参保登记表", "form": "原件", "copies": "1", "source": "窗口领取或网上下载",
                    "sample": "参照窗口样表填写姓名、身份证号码、户籍地址、缴费档次"}],
        location="户籍所在地乡镇（街道）便民服务中心社保窗口", hours="工作日上午9:00-12:00，下午13:30-17:00",
        phone="0000-12345002", process=["提交申请", "窗口受理并核验身份", "录入系统办结"], legal_limit="无", promised_limit="即办",
        fee="不收费", consult="电话 0000-12345002", complaint="12345政务服务便民热线", audiences=["person"], life_stages=["养老", "就业"])),
    ("DEMO00004", "RS-0002", dict(
        name="灵活就业人员就业登记", kind="公共服务", basis_text="《中华人民共和国就业促进法》第三十五条；《就业服务与就业管理规定》第六十二条",
        conditions="在法定劳动年龄内、有劳动能力和就业要求，以灵活方式就业的人员。",
        materials=[{"name": "居民身份证", "form": "原件", "copies": "1", "source": "公安机关"}],
        location="示例市政务服务中心三楼人力社保窗口", hours="工作日上午9:00-12:00，下午13:30-17:00", phone="0000-12345003",
        process=["提交申请", "窗口审核", "办结并告知"], legal_limit="无", promised_limit="即办", fee="不收费",
        consult="电话 0000-12345003", complaint="12345政务服务便民热线", audiences=["person"], life_stages=["就业"])),
    ("DEMO00006", "SC-0001", dict(
        name="个体工商户设立登记", kind="行政许可",
        basis_text="《促进个体工商户发展条例》第八条；《中华人民共和国市场主体登记管理条例》第三条、第十九条",
        conditions="有经营能力的公民；经营范围不属于法律法规禁止的行业。",
        materials=[{"name": "个体工商户登记（备案）申请书", "form": "原件", "copies": "1", "source": "窗口领取或网上填报",
                    "sample": "样表见窗口，经营者签字"},
                   {"name": "经营者居民身份证", "form": "复印件", "copies": "1", "source": "公安机关"},
                   {"name": "经营场所使用证明", "form": "复印件", "copies": "1", "source": "申请人自备"}],
        location="示例市政务服务中心一楼市场监管窗口", hours="工作日上午9:00-12:00，下午13:30-17:00", phone="0000-12345004",
        process=["网上或窗口申请", "受理审查", "核准登记", "领取营业执照"], legal_limit="3个工作日", promised_limit="1个工作日",
        fee="不收费", consult="电话 0000-12345004", complaint="12315投诉举报热线；12345政务服务便民热线",
        audiences=["legal_person"], life_stages=["开办"], online_url="https://zwfw.example.gov.cn/")),
    ("DEMO00005", "ZR-0001", dict(
        name="不动产登记资料查询", kind="公共服务", basis_text="《不动产登记暂行条例》第二十七条；《不动产登记资料查询暂行办法》",
        conditions="权利人、利害关系人可以依法查询、复制不动产登记资料。",
        materials=[{"name": "不动产登记资料查询申请书", "form": "原件", "copies": "1", "source": "窗口领取"},
                   {"name": "查询人身份证明", "form": "原件", "copies": "1", "source": "申请人自备"}],
        location="示例市不动产登记中心（示例市建设路8号）", hours="工作日上午9:00-12:00，下午13:30-17:00", phone="0000-12345005",
        process=["提交申请", "审核", "出具查询结果"], legal_limit="无", promised_limit="即办", fee="不收费",
        consult="电话 0000-12345005", complaint="12345政务服务便民热线", audiences=["person", "legal_person"],
        life_stages=["住房", "经营"])),
    # Being drafted: no 办理地点 and 办理流程 yet, so it cannot be published (the workspace lists what is missing).
    ("DEMO00006", "SC-0002", dict(
        name="食品经营许可", kind="行政许可", basis_text="《中华人民共和国食品安全法》第三十五条",
        conditions="有与经营的食品品种、数量相适应的场所和设备。",
        materials=[{"name": "食品经营许可申请书", "form": "原件", "copies": "1"}], hours="工作日", phone="0000-12345004",
        audiences=["legal_person"], life_stages=["经营"])),
]


def load_demo_services(*, government: Organisation) -> int:
    orgs = {o.code: o for o in Organisation.objects.filter(code__in={c for c, _k, _f in SERVICE_ITEMS})}
    items = {}
    for org_code, code, fields in SERVICE_ITEMS:
        if org_code not in orgs:
            continue
        item = services.service_item_save(organisation=orgs[org_code], code=code, **fields)
        if item.state == item.State.DRAFT and not selectors.service_item_missing(item=item):
            services.service_item_publish(item=item)
        items[code] = item
    if {"JY-0001", "RS-0001"} <= set(items) and "DEMO00003" in orgs:
        services.service_package_save(organisation=orgs["DEMO00003"], slug="shangxue", name="入学一件事", audience="person",
                                      life_stage="上学", items=[items["JY-0001"]],
                                      description="适龄儿童入学：一次提交户籍、住房和接种证明，教育、公安、卫生健康部门数据共享核验。")
    if "SC-0001" in items:
        services.service_package_save(organisation=items["SC-0001"].organisation, slug="kaiban", name="开办企业一件事",
                                      audience="legal_person", life_stage="开办", items=[items["SC-0001"]],
                                      description="设立登记、公章刻制、涉税事项、社保登记一次申请、一窗受理、一日办结。")
    if {"RS-0002", "RS-0001"} <= set(items):
        services.service_package_save(organisation=items["RS-0002"].organisation, slug="jiuye", name="就业一件事",
                                      audience="person", life_stage="就业", items=[items["RS-0002"], items["RS-0001"]],
                                      description="灵活就业人员办理就业登记后，可同时办理城乡居民养老保险参保登记。")
    return len(items)


def load_demo_gazette(*, government: Organisation, documents: list[Document]) -> int:
    """Two issues of the 示例市人民政府公报 from documents of the library (published, with their PDF)."""
    if GazetteIssue.objects.filter(organisation=government).exists():
        return 0
    today = timezone.localdate()
    seeds = list(Document.objects.filter(organisation=government, status="published", disclosure_attribute="proactive")
                 .order_by("published_at")[:3])
    budget = [d for d in documents if "预算" in d.title or "决算" in d.title]
    others = [d for d in documents if d not in budget]
    plans = [
        (1, dt.date(today.year, 3, 31), [(d, "政府文件") for d in seeds[:2]] + [(d, "部门文件") for d in budget[:2]]),
        (2, dt.date(today.year, 6, 30), [(d, "政府文件") for d in seeds[2:3]] + [(d, "部门文件") for d in others[:3] + budget[2:3]]),
    ]
    n = 0
    for number, day, articles in plans:
        if not articles:
            continue
        issue = services.gazette_issue_create(organisation=government, year=today.year, number=number, published_on=day,
                                              total_number=120 + number)
        services.gazette_issue_set_articles(issue=issue, articles=articles)
        services.gazette_issue_publish(issue=issue)
        n += 1
    return n
