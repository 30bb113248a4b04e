"""Forms of the back office. They validate input; the services do the work and are the real guard."""

from __future__ import annotations

from django import forms
from django.contrib.auth import forms as auth_forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet

from gongkai.core.models import Organisation, User
from gongkai.documents.doc_numbers import doc_number_problems
from gongkai.documents.models import (
    LIFE_STAGES,
    Audience,
    Document,
    Genre,
    Interpretation,
    Status,
    Topic,
    Validity,
)
from gongkai.documents.selectors import documents_for_user, documents_public
from gongkai.documents.services import EDITABLE_FIELDS

LIFE_STAGE_GROUPS = {"person": "个人", "legal_person": "法人"}


class AccessibleFormMixin:
    """Tie help texts and errors to their controls (aria-describedby, aria-invalid) for screen readers."""

    def full_clean(self):
        super().full_clean()
        for name, field in self.fields.items():
            described = []
            if field.help_text:
                described.append(f"{self.auto_id % self.add_prefix(name)}-help")
            if name in self.errors:
                described.append(f"{self.auto_id % self.add_prefix(name)}-error")
                field.widget.attrs["aria-invalid"] = "true"
            if described:
                field.widget.attrs["aria-describedby"] = " ".join(described)


def apply_service_error(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError next to the fields it names, the rest above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def error_text(error: Exception) -> str:
    """One readable sentence from a service's ValidationError or PermissionDenied."""
    if isinstance(error, ValidationError):
        return "；".join(str(message) for message in error.messages)
    return str(error) or "您没有权限执行该操作。"


def topic_choices(*, all_label: bool) -> list:
    """The gov.cn 主题分类 as a two-level select (one optgroup per top-level category)."""
    topics = list(Topic.objects.order_by("code"))
    children: dict[int, list[Topic]] = {}
    for topic in topics:
        if topic.parent_id:
            children.setdefault(topic.parent_id, []).append(topic)
    choices: list = [("", "—— 请选择 ——" if not all_label else "全部")]
    for topic in topics:
        if topic.parent_id:
            continue
        kids = children.get(topic.pk, [])
        if not kids:
            choices.append((topic.pk, topic.name))
            continue
        options = [(topic.pk, f"{topic.name}（全部）")] if all_label else []
        options += [(kid.pk, kid.name) for kid in kids]
        choices.append((topic.name, options))
    return choices


def life_stage_choices() -> list:
    return [(LIFE_STAGE_GROUPS[group], [(s, s) for s in stages]) for group, stages in LIFE_STAGES.items()]


def find_document(*, user: User, reference: str) -> Document:
    """A document the user may link to, named by its 索引号 or 发文字号."""
    reference = reference.strip()
    scope = (documents_for_user(user=user) | documents_public()).distinct()
    matches = list(scope.filter(Q(index_no=reference) | Q(doc_number=reference))[:2])
    if not matches:
        raise ValidationError(f"找不到索引号或发文字号为“{reference}”的文件（或您无权查看）。")
    if len(matches) > 1:
        raise ValidationError(f"发文字号“{reference}”对应多份文件，请改用索引号。")
    return matches[0]


# --- Documents ----------------------------------------------------------------------------------------


class DocumentFilterForm(AccessibleFormMixin, forms.Form):
    q = forms.CharField(label="关键词", required=False, help_text="在标题、发文字号、索引号中查找")
    organisation = forms.ModelChoiceField(label="机关", queryset=Organisation.objects.none(), required=False,
                                          empty_label="全部")
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部"), *Status.choices])
    validity = forms.ChoiceField(label="有效性", required=False, choices=[("", "全部"), *Validity.choices])
    genre = forms.ChoiceField(label="文种", required=False, choices=[("", "全部"), *Genre.choices])
    topic = forms.ModelChoiceField(label="主题分类", queryset=Topic.objects.all(), required=False)
    year = forms.IntegerField(label="年份", required=False, min_value=1949, max_value=2100,
                              widget=forms.NumberInput(attrs={"inputmode": "numeric"}))

    def __init__(self, *args, organisations: QuerySet[Organisation], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations.order_by("path")
        self.fields["topic"].choices = topic_choices(all_label=True)

    def filter(self, qs: QuerySet[Document]) -> QuerySet[Document]:
        data = self.cleaned_data
        if data.get("q"):
            q = data["q"].strip()
            qs = qs.filter(Q(title__icontains=q) | Q(doc_number__icontains=q) | Q(index_no__icontains=q))
        if data.get("organisation"):
            qs = qs.filter(organisation=data["organisation"])
        for field in ("status", "validity", "genre"):
            if data.get(field):
                qs = qs.filter(**{field: data[field]})
        if data.get("topic"):
            qs = qs.filter(Q(topic=data["topic"]) | Q(topic__parent=data["topic"]))
        if data.get("year"):
            qs = qs.filter(Q(written_on__year=data["year"]) | Q(published_at__year=data["year"]))
        return qs


class DocumentForm(AccessibleFormMixin, forms.ModelForm):
    """Create or edit a document's metadata and body; the service validates and stores it."""

    organisation = forms.ModelChoiceField(label="所属机关", queryset=Organisation.objects.none(), empty_label="—— 请选择 ——")
    issuer_organisations = forms.ModelMultipleChoiceField(
        label="发文机关（平台内机关）", queryset=Organisation.objects.filter(is_active=True).order_by("path"),
        required=False, help_text="可多选（联合发文）；都不填时以所属机关为发文机关",
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    external_issuers = forms.CharField(
        label="发文机关（平台外）", required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="平台外的发文机关名称，每行一个",
    )
    audiences = forms.MultipleChoiceField(label="服务对象", choices=Audience.choices, required=False,
                                          widget=forms.CheckboxSelectMultiple)
    life_stages = forms.MultipleChoiceField(label="生命周期分类", choices=life_stage_choices, required=False,
                                            widget=forms.CheckboxSelectMultiple)
    reason = forms.CharField(label="更正理由", required=False, widget=forms.Textarea(attrs={"rows": 2}),
                             help_text="已提交审核或已发布的文件，修改时必须说明更正理由")

    class Meta:
        model = Document
        fields = EDITABLE_FIELDS
        widgets = {
            "written_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "effective_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "expires_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "summary": forms.Textarea(attrs={"rows": 3}),
            "disclosure_reason": forms.Textarea(attrs={"rows": 2}),
            "body": forms.Textarea(attrs={"rows": 14, "spellcheck": "false"}),
        }
        help_texts = {
            "doc_number": "如 国办发〔2018〕123号；令 用 第N号，如 国务院令第711号",
            "body": "HTML 正文，保存时会自动清除不安全的标签和属性",
        }

    def __init__(self, *args, user: User, creating: bool, organisations: QuerySet[Organisation], **kwargs):
        super().__init__(*args, **kwargs)
        self.creating = creating
        self.fields["topic"].choices = topic_choices(all_label=False)
        if creating:
            self.fields["organisation"].queryset = organisations.order_by("path")
            if organisations.count() == 1:
                self.fields["organisation"].initial = organisations.first()
            del self.fields["reason"]
        else:
            del self.fields["organisation"]
            issuers = list(self.instance.issuers.all())
            self.fields["issuer_organisations"].initial = [i.organisation_id for i in issuers if i.organisation_id]
            self.fields["external_issuers"].initial = "\n".join(i.name for i in issuers if not i.organisation_id)
            if self.instance.status == Status.DRAFT:
                del self.fields["reason"]
            else:
                self.fields["reason"].required = True

    def clean_doc_number(self) -> str:
        # The service checks again; checking here too shows the problem together with the form's other errors.
        value = self.cleaned_data["doc_number"].strip()
        if value and (problems := doc_number_problems(value)):
            raise ValidationError(problems)
        return value

    def issuers(self):
        from gongkai.documents.services import IssuerInput

        result = [IssuerInput(organisation=org) for org in self.cleaned_data["issuer_organisations"]]
        for line in self.cleaned_data["external_issuers"].splitlines():
            if line.strip():
                result.append(IssuerInput(name=line.strip()[:200]))
        return result

    def document_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in EDITABLE_FIELDS}


# --- Lifecycle actions ------------------------------------------------------------------------------------


class EmptyForm(forms.Form):
    pass


class ReasonForm(AccessibleFormMixin, forms.Form):
    reason = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 2}))


class ScheduleForm(AccessibleFormMixin, forms.Form):
    publish_at = forms.DateTimeField(label="发布时间", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))


class ReferenceFormMixin:
    """A form with a field naming another document by 索引号 or 发文字号."""

    reference_field = "reference"
    reference_required = True

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_reference(self):
        value = self.cleaned_data.get("reference", "").strip()
        if not value:
            if self.reference_required:
                raise ValidationError("请填写文件的索引号或发文字号。")
            return None
        return find_document(user=self.user, reference=value)


class AmendForm(ReferenceFormMixin, AccessibleFormMixin, forms.Form):
    reference = forms.CharField(label="修改该文件的文件（索引号或发文字号）")
    effective_on = forms.DateField(label="修改生效日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RepealForm(ReferenceFormMixin, AccessibleFormMixin, forms.Form):
    reference_required = False
    effective_on = forms.DateField(label="废止日期", widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label="废止理由", widget=forms.Textarea(attrs={"rows": 2}))
    reference = forms.CharField(label="废止该文件的文件（可选，索引号或发文字号）", required=False)


class ExpireForm(AccessibleFormMixin, forms.Form):
    effective_on = forms.DateField(label="失效日期", widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class AttachmentForm(AccessibleFormMixin, forms.Form):
    file = forms.FileField(label="附件", allow_empty_file=True)


# --- Interpretations -------------------------------------------------------------------------------------


class InterpretationForm(AccessibleFormMixin, forms.ModelForm):
    organisation = forms.ModelChoiceField(label="解读机关", queryset=Organisation.objects.none(), empty_label="—— 请选择 ——")
    document_refs = forms.CharField(
        label="解读的文件", widget=forms.Textarea(attrs={"rows": 3}),
        help_text="每行一个索引号或发文字号；只能关联您有权查看的文件",
    )
    media_url = forms.URLField(label="音视频/图解地址", required=False, assume_scheme="https")

    class Meta:
        model = Interpretation
        fields = ["title", "form", "body", "media_url"]
        widgets = {"body": forms.Textarea(attrs={"rows": 12, "spellcheck": "false"})}
        help_texts = {"body": "HTML 正文，保存时会自动清除不安全的标签和属性"}

    def __init__(self, *args, user: User, organisations: QuerySet[Organisation], creating: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if creating:
            self.fields["organisation"].queryset = organisations.order_by("path")
            if organisations.count() == 1:
                self.fields["organisation"].initial = organisations.first()
        else:
            del self.fields["organisation"]
            self.fields["document_refs"].initial = "\n".join(d.index_no for d in self.instance.documents.all())

    def clean_document_refs(self) -> list[Document]:
        documents: list[Document] = []
        errors = []
        for line in self.cleaned_data["document_refs"].splitlines():
            if not line.strip():
                continue
            try:
                document = find_document(user=self.user, reference=line)
            except ValidationError as exc:
                errors.extend(exc.messages)
                continue
            if document not in documents:
                documents.append(document)
        if errors:
            raise ValidationError(errors)
        if not documents:
            raise ValidationError("政策解读必须关联至少一份文件。")
        return documents


class PasswordChangeForm(AccessibleFormMixin, auth_forms.PasswordChangeForm):
    """Django's form with the configured validators; messages Django's Chinese catalogue lacks are given here."""

    MESSAGES = {"password_too_short": "密码太短，至少需要 %(min_length)d 个字符。"}

    def add_error(self, field, error):
        if isinstance(error, ValidationError) and hasattr(error, "error_list"):
            error = ValidationError([
                ValidationError(self.MESSAGES[e.code], code=e.code, params=e.params) if e.code in self.MESSAGES else e
                for e in error.error_list
            ])
        super().add_error(field, error)


class AuditFilterForm(AccessibleFormMixin, forms.Form):
    action = forms.CharField(label="操作", required=False, help_text="如 document.publish、auth.login")
    actor = forms.CharField(label="操作人", required=False)
    object = forms.CharField(label="对象", required=False, help_text="对象名称或编号")
    start = forms.DateField(label="起始日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="截止日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise ValidationError("截止日期不能早于起始日期。")
        return data
