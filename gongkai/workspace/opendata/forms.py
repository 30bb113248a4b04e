from django import forms

from gongkai.opendata import conf
from gongkai.opendata.models import DataDomain, Dataset


class DatasetForm(forms.Form):
    name = forms.SlugField(label="标识", max_length=100, help_text="小写字母、数字和连字符，用于网址和接口")
    title = forms.CharField(label="名称", max_length=300)
    organisation = forms.ModelChoiceField(label="提供单位", queryset=None)
    notes = forms.CharField(label="描述", widget=forms.Textarea(attrs={"rows": 4}), required=False)
    tags = forms.CharField(label="标签", required=False, help_text="以逗号分隔")
    domains = forms.ModelMultipleChoiceField(label="数据领域", queryset=DataDomain.objects.all(), required=False,
                                             to_field_name="name", widget=forms.CheckboxSelectMultiple)
    licence_id = forms.ChoiceField(label="许可协议", choices=[(lic["id"], lic["title"]) for lic in conf.LICENCES])
    frequency = forms.ChoiceField(label="更新频率", choices=Dataset.Frequency.choices)
    access_level = forms.ChoiceField(label="开放属性", choices=Dataset.Access.choices)
    access_reason = forms.CharField(label="开放条件或不予开放理由", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    contact_name = forms.CharField(label="联系部门", required=False)
    contact_email = forms.EmailField(label="联系邮箱", required=False)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class ResourceForm(forms.Form):
    name = forms.CharField(label="资源名称", max_length=300)
    upload = forms.FileField(label="上传文件（CSV、XLSX、JSON、PDF…）", required=False)
    url = forms.URLField(label="或外部链接", required=False)
    description = forms.CharField(label="说明", required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 2}), required=False)
