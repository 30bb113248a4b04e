from __future__ import annotations

from django import forms

from gongkai.core.models import Organisation

from ..forms import AccessibleFormMixin, find_document


def _lines(value: str) -> list[str]:
    return [x.strip() for x in (value or "").splitlines() if x.strip()]


def _words(value: str) -> list[str]:
    return [x.strip() for x in (value or "").replace("，", ",").replace("、", ",").split(",") if x.strip()]


class EntryForm(AccessibleFormMixin, forms.Form):
    question = forms.CharField(label="问题", max_length=500)
    alternatives = forms.CharField(label="其他问法", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                                   help_text="每行一种群众常用的问法（如“社保卡掉了”），匹配时一并使用。")
    answer = forms.CharField(label="答复", widget=forms.Textarea(attrs={"rows": 8}))
    organisation = forms.ModelChoiceField(label="答复机关", queryset=Organisation.objects.none(), required=False)
    department = forms.CharField(label="答复部门（显示名称）", max_length=200, required=False)
    sources = forms.CharField(label="政策依据", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                              help_text="每行一份文件：索引号或发文字号，可在空格后写条款，如“000014349/2024-00012 第十二条”。")
    topics = forms.CharField(label="主题", required=False, help_text="用逗号分隔，如“社会保障，就业”。")
    audiences = forms.CharField(label="服务对象/人生阶段", required=False, help_text="用逗号分隔，如“老年人，退休”。")

    def __init__(self, *args, user=None, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["organisation"].queryset = organisations if organisations is not None else Organisation.objects.none()

    def clean_sources(self):
        found, articles = [], {}
        for line in _lines(self.cleaned_data["sources"]):
            reference, _, article = line.partition(" ")
            try:
                document = find_document(user=self.user, reference=reference)
            except forms.ValidationError as exc:
                raise forms.ValidationError(exc.messages) from exc
            found.append(document)
            if article.strip():
                articles[document.pk] = article.strip()
        self.source_articles = articles
        return found

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {"question": d["question"], "answer": d["answer"], "alternatives": _lines(d["alternatives"]),
                "organisation": d["organisation"], "department": d["department"] or (d["organisation"].name if d["organisation"] else ""),
                "sources": d["sources"], "source_articles": self.source_articles,
                "topics": _words(d["topics"]), "audiences": _words(d["audiences"])}


def initial_of(entry) -> dict:
    return {
        "question": entry.question, "alternatives": "\n".join(entry.alternatives), "answer": entry.answer,
        "organisation": entry.organisation_id, "department": entry.department,
        "sources": "\n".join(f"{d.index_no} {entry.source_articles.get(str(d.pk), '')}".strip() for d in entry.sources.all()),
        "topics": "，".join(entry.topics), "audiences": "，".join(entry.audiences),
    }
