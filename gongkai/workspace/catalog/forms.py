"""Forms of the catalogue's staff pages: a key-area column's rules, a service guide, a 一件事 package, a gazette issue."""

from __future__ import annotations

import json

from django import forms

from gongkai.catalog import conf
from gongkai.catalog.models import KeyAreaColumn
from gongkai.documents.models import LIFE_STAGES, Audience

LIST_HELP = "多个用顿号或逗号分隔"


class ColumnForm(forms.Form):
    name = forms.CharField(label="专栏名称", max_length=60)
    description = forms.CharField(label="说明", max_length=300, required=False)
    genres = forms.CharField(label="文种代码", required=False, help_text="如 notice、report；空：不限文种。" + LIST_HELP)
    topic_codes = forms.CharField(label="主题分类代码", required=False, help_text="如 04.01（财政）。" + LIST_HELP)
    keywords = forms.CharField(label="标题关键词", required=False, help_text=LIST_HELP)
    standard_domains = forms.CharField(label="对应标准目录领域", required=False, help_text=LIST_HELP)
    freshness = forms.ChoiceField(label="更新要求", choices=KeyAreaColumn.Freshness.choices)
    required = forms.CharField(label="每年必须公开的事项（JSON）", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                               help_text='如 [{"name": "部门预算", "keywords": ["预算"], "per_unit": true}]')
    stages = forms.CharField(label="生命周期阶段（JSON）", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text='如 [{"name": "批准", "keywords": ["批复"]}]')
    include_descendants = forms.BooleanField(label="含下级机关的文件", required=False)
    active = forms.BooleanField(label="启用", required=False)

    def _json(self, name):
        raw = (self.cleaned_data.get(name) or "").strip()
        if not raw:
            return []
        try:
            value = json.loads(raw)
        except ValueError as e:
            raise forms.ValidationError("不是有效的 JSON") from e
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise forms.ValidationError("应为对象列表")
        return value

    def clean_required(self):
        return self._json("required")

    def clean_stages(self):
        return self._json("stages")

    @classmethod
    def initial_for(cls, column: KeyAreaColumn) -> dict:
        return {"name": column.name, "description": column.description, "genres": "、".join(column.genres),
                "topic_codes": "、".join(column.topic_codes), "keywords": "、".join(column.keywords),
                "standard_domains": "、".join(column.standard_domains), "freshness": column.freshness,
                "required": json.dumps(column.required, ensure_ascii=False) if column.required else "",
                "stages": json.dumps(column.stages, ensure_ascii=False) if column.stages else "",
                "include_descendants": column.include_descendants, "active": column.active}


STAGE_CHOICES = [(s, f"{dict(Audience.choices)[k]}·{s}") for k, v in LIFE_STAGES.items() for s in v]


class ServiceItemForm(forms.Form):
    organisation = forms.ModelChoiceField(label="实施机关", queryset=None)
    code = forms.CharField(label="事项编码", max_length=60)
    name = forms.CharField(label="事项名称", max_length=200)
    kind = forms.CharField(label="事项类型", max_length=40, required=False, help_text="如 行政许可、行政给付、公共服务")
    basis_text = forms.CharField(label="设定依据", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    basis_index_nos = forms.CharField(label="依据文件（索引号）", required=False, widget=forms.Textarea(attrs={"rows": 2}),
                                      help_text="文件库中的依据文件，每行一个索引号")
    conditions = forms.CharField(label="申请条件", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    materials = forms.CharField(label="办理材料", required=False, widget=forms.Textarea(attrs={"rows": 4}),
                                help_text="每行一项：材料名称|形式（原件/复印件）|份数|来源|样例或填写说明")
    location = forms.CharField(label="办理地点", max_length=300, required=False)
    hours = forms.CharField(label="办理时间", max_length=200, required=False)
    phone = forms.CharField(label="联系电话", max_length=64, required=False)
    process = forms.CharField(label="办理流程", required=False, widget=forms.Textarea(attrs={"rows": 4}), help_text="每行一步")
    legal_limit = forms.CharField(label="法定办结时限", max_length=60, required=False)
    promised_limit = forms.CharField(label="承诺办结时限", max_length=60, required=False)
    fee = forms.CharField(label="收费标准", max_length=300, required=False, help_text="不收费的写“不收费”")
    fee_basis = forms.CharField(label="收费依据", max_length=300, required=False)
    consult = forms.CharField(label="咨询方式", max_length=300, required=False)
    complaint = forms.CharField(label="投诉方式", max_length=300, required=False)
    online_url = forms.URLField(label="网上办理地址", required=False, assume_scheme="https")
    audiences = forms.MultipleChoiceField(label="服务对象", choices=Audience.choices, required=False,
                                          widget=forms.CheckboxSelectMultiple)
    life_stages = forms.MultipleChoiceField(label="生命周期分类", choices=STAGE_CHOICES, required=False,
                                            widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations

    def materials_list(self) -> list[dict]:
        out = []
        for line in (self.cleaned_data.get("materials") or "").splitlines():
            parts = [p.strip() for p in line.split("|")] + [""] * 5
            if parts[0]:
                out.append(dict(zip(("name", "form", "copies", "source", "sample"), parts[:5], strict=True)))
        return out

    @staticmethod
    def initial_for(item) -> dict:
        return {
            "organisation": item.organisation_id, "code": item.code, "name": item.name, "kind": item.kind,
            "basis_text": item.basis_text, "basis_index_nos": "\n".join(d.index_no for d in item.basis_documents.all()),
            "conditions": item.conditions, "location": item.location, "hours": item.hours, "phone": item.phone,
            "materials": "\n".join("|".join(m.get(k, "") for k in ("name", "form", "copies", "source", "sample"))
                                   for m in item.materials),
            "process": "\n".join(item.process), "legal_limit": item.legal_limit, "promised_limit": item.promised_limit,
            "fee": item.fee, "fee_basis": item.fee_basis, "consult": item.consult, "complaint": item.complaint,
            "online_url": item.online_url, "audiences": item.audiences, "life_stages": item.life_stages,
        }


class GazetteIssueForm(forms.Form):
    year = forms.IntegerField(label="年", min_value=1949, max_value=2100)
    number = forms.IntegerField(label="期", min_value=1, max_value=99)
    total_number = forms.IntegerField(label="总期号", min_value=1, required=False, help_text="空：接上一期")
    published_on = forms.DateField(label="出版日期", widget=forms.DateInput(attrs={"type": "date"}))


class GazetteContentsForm(forms.Form):
    contents = forms.CharField(
        label="本期文件", widget=forms.Textarea(attrs={"rows": 10}),
        help_text="每行一篇，依次排列：栏目|索引号。栏目如 " + "、".join(conf.GAZETTE_SECTIONS))


class AdoptedItemForm(forms.Form):
    """Adapt an item of the 基层政务公开标准目录: name, owner, time limit, when its information changed, content."""

    level1 = forms.CharField(label="一级事项", max_length=100)
    level2 = forms.CharField(label="二级事项", max_length=100)
    owner = forms.ModelChoiceField(label="公开主体", queryset=None, required=False)
    time_limit_working_days = forms.IntegerField(label="公开时限（工作日）", min_value=1, max_value=365)
    changed_on = forms.DateField(label="信息形成或变更日期", required=False, widget=forms.DateInput(attrs={"type": "date"}),
                                 help_text="时限从这一天起算")
    index_nos = forms.CharField(label="对应内容（索引号）", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                                help_text="文件库中履行本事项的文件，每行一个索引号")
    active = forms.BooleanField(label="启用", required=False)

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = organisations


class ServicePackageForm(forms.Form):
    """一件事: a life event's services across departments, in the order a citizen goes through them."""

    organisation = forms.ModelChoiceField(label="牵头机关", queryset=None)
    slug = forms.SlugField(label="代码", max_length=40, help_text="用于网址，如 kaiban-qiye（字母、数字、连字符）；保存后不能修改")
    name = forms.CharField(label="名称", max_length=100, help_text="如 开办企业一件事")
    audience = forms.ChoiceField(label="服务对象", choices=[(a.value, a.label) for a in Audience if a.value in LIFE_STAGES])
    life_stage = forms.ChoiceField(label="生命周期", choices=[(s, s) for stages in LIFE_STAGES.values() for s in stages],
                                   help_text="个人：" + "、".join(LIFE_STAGES["person"]) + "；法人：" + "、".join(LIFE_STAGES["legal_person"]))
    description = forms.CharField(label="说明", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    items = forms.CharField(label="事项（按办理顺序）", widget=forms.Textarea(attrs={"rows": 6}),
                            help_text="每行一个办事指南的事项编码，按群众办理的先后排列；可跨部门")
    published = forms.BooleanField(label="在网站公开", required=False, initial=True,
                                   help_text="公开页面只列出已发布的办事指南")

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations

    def item_codes(self) -> list[str]:
        codes = [line.strip() for line in self.cleaned_data["items"].splitlines() if line.strip()]
        return list(dict.fromkeys(codes))

    def clean(self):
        data = super().clean()
        audience, stage = data.get("audience"), data.get("life_stage")
        if audience and stage and stage not in LIFE_STAGES.get(audience, []):
            self.add_error("life_stage", f"“{stage}”不属于所选服务对象的生命周期分类")
        return data

    @staticmethod
    def initial_for(package) -> dict:
        return {"organisation": package.organisation, "slug": package.slug, "name": package.name,
                "audience": package.audience, "life_stage": package.life_stage, "description": package.description,
                "items": "\n".join(step.item.code for step in package.steps.select_related("item").order_by("position")),
                "published": package.published}
