"""The public pages of 依申请公开: the form, the confirmation, tracking, supplement online, the reply —
and that no applicant personal data appears on public pages, in the public API or in the logs."""

import datetime as dt
import logging
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from gongkai.applications import intake, services
from gongkai.applications.models import Application
from gongkai.core.models import Role
from tests.conftest import make_user

from .conftest import APPLICANT

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat
COMPANY = {"kind": "enterprise", "name": "测试科技有限公司", "uscc": "91110000600037341L", "contact_person": "李四",
           "legal_representative": "赵六", "phone": "13900001111", "email": "li@example.com"}
PII = [APPLICANT["name"], APPLICANT["id_number"], APPLICANT["phone"], APPLICANT["email"], APPLICANT["address"]]


def form_key(client, department, kind="person"):
    body = client.get(reverse("applications_portal:apply", args=[department.code]) + f"?kind={kind}").content.decode()
    return re.search(r'name="idempotency_key" value="([^"]+)"', body).group(1)


def person_data(key, **over):
    data = {"applicant": "person", "idempotency_key": key, "name": APPLICANT["name"], "id_type": "resident_id",
            "id_number": APPLICANT["id_number"], "phone": APPLICANT["phone"], "email": APPLICANT["email"],
            "address": APPLICANT["address"], "description": "请公开 2025 年本局行政事业性收费项目清单",
            "requested_forms": ["email"], "delivery_methods": ["online"], "pii_consent": "on"}
    data.update(over)
    return data


def file_person(client, department, **over):
    key = form_key(client, department)
    return client.post(reverse("applications_portal:apply", args=[department.code]), person_data(key, **over))


def test_start_page_lists_the_organisation_tree_and_guidance(client, government, department):
    body = client.get(reverse("applications_portal:start")).content.decode()
    assert government.name in body and department.name in body and "特征性描述" in body


def test_form_shows_the_guide_the_pii_notice_and_the_two_kinds(client, government):
    government.disclosure_office_phone = "010-12345678"
    government.save()
    body = client.get(reverse("applications_portal:apply", args=[government.code])).content.decode()
    assert "测试市政务公开办" in body and "010-12345678" in body
    assert "个人信息处理说明" in body and "身份证件号码" in body
    body = client.get(reverse("applications_portal:apply", args=[government.code]) + "?kind=org").content.decode()
    assert "统一社会信用代码" in body


def test_filing_shows_the_tracking_code_and_the_secret_once(client, department):
    response = file_person(client, department)
    app = Application.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("applications_portal:done", args=[app.tracking_code])
    body = client.get(response["Location"]).content.decode()
    secret = re.search(r'class="code">([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})<', body).group(1)
    assert app.tracking_code in body and "只显示这一次" in body
    assert intake.application_by_secret(tracking_code=app.tracking_code, secret=secret, client_address="x") == app
    again = client.get(response["Location"]).content.decode()
    assert secret not in again and "不再显示" in again
    for value in PII:
        assert value not in body


def test_double_submit_files_one_application(client, department):
    key = form_key(client, department)
    url = reverse("applications_portal:apply", args=[department.code])
    first = client.post(url, person_data(key))
    second = client.post(url, person_data(key))
    assert first.status_code == second.status_code == 302 and first["Location"] == second["Location"]
    assert Application.objects.count() == 1


def test_company_files_with_its_credit_code(client, department):
    key = form_key(client, department, "org")
    data = {"applicant": "org", "idempotency_key": key, "description": "请公开本局 2025 年政府采购合同", "pii_consent": "on",
            **COMPANY}
    response = client.post(reverse("applications_portal:apply", args=[department.code]) + "?kind=org", data)
    assert response.status_code == 302
    app = Application.objects.get()
    assert app.applicant_kind == "enterprise" and app.applicant["uscc"] == COMPANY["uscc"]


def test_invalid_id_number_is_shown_on_the_form(client, department):
    response = file_person(client, department, id_number="110105194912310021")
    assert response.status_code == 400 and "居民身份证号码无效" in response.content.decode()
    assert not Application.objects.exists()


def test_consent_is_required(client, department):
    response = file_person(client, department, pii_consent="")
    assert response.status_code == 400 and "个人信息处理说明" in response.content.decode()


def test_rate_limit_answers_429_with_a_message(client, department, settings):
    settings.APPLICATION_INTAKE_LIMIT_PER_ADDRESS = "1/3600"
    assert file_person(client, department).status_code == 302
    response = file_person(client, department)
    assert response.status_code == 429 and "提交过于频繁" in response.content.decode()
    assert Application.objects.count() == 1


def test_attachment_upload_through_the_form(client, department):
    key = form_key(client, department)
    data = person_data(key, attachments=[SimpleUploadedFile("身份证.png", b"\x89PNG\r\n\x1a\n....")])
    assert client.post(reverse("applications_portal:apply", args=[department.code]), data).status_code == 302
    assert Application.objects.get().attachments.count() == 1
    key = form_key(client, department)
    data = person_data(key, attachments=[SimpleUploadedFile("a.exe", b"MZ")])
    response = client.post(reverse("applications_portal:apply", args=[department.code]), data)
    assert response.status_code == 400 and "类型不支持" in response.content.decode()


def secret_of(client, response):
    body = client.get(response["Location"]).content.decode()
    return re.search(r'class="code">([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})<', body).group(1)


def test_status_page_needs_the_secret_in_another_browser(client, department):
    response = file_person(client, department)
    secret = secret_of(client, response)
    app = Application.objects.get()
    other = Client()
    status_url = reverse("applications_portal:status", args=[app.tracking_code])
    assert other.get(status_url).status_code == 404
    wrong = other.post(reverse("applications_portal:track"), {"tracking_code": app.tracking_code, "secret": "AAAA-BBBB-CCCC"})
    assert wrong.status_code == 400 and "不正确" in wrong.content.decode()
    ok = other.post(reverse("applications_portal:track"), {"tracking_code": app.tracking_code, "secret": secret})
    assert ok.status_code == 302 and ok["Location"] == status_url
    body = other.get(status_url).content.decode()
    assert "等待" in body and "您提交了申请" in body
    for value in PII:
        assert value not in body


def test_account_holder_follows_own_applications(client, department):
    citizen = make_user("citizen")
    client.force_login(citizen)
    file_person(client, department)
    app = Application.objects.get()
    fresh = Client()
    fresh.force_login(citizen)
    assert app.tracking_code in fresh.get(reverse("applications_portal:track")).content.decode()
    assert fresh.get(reverse("applications_portal:status", args=[app.tracking_code])).status_code == 200
    stranger = Client()
    stranger.force_login(make_user("stranger"))
    assert stranger.get(reverse("applications_portal:status", args=[app.tracking_code])).status_code == 404


def test_supplement_online_and_reply_through_the_pages(client, department, government):
    handler = make_user("handler", department, Role.HANDLER)
    file_person(client, department)
    app = Application.objects.get()
    app = intake.application_confirm(application=app, by=handler, confirmed_on=D("2026-11-23"))
    app = services.application_record_event(application=app, by=handler, type="supplement_requested", occurred_on=D("2026-11-23"),
                          fields={"items": "请写明文件年份", "due_on": "2026-12-08"})
    status_url = reverse("applications_portal:status", args=[app.tracking_code])
    body = client.get(status_url).content.decode()
    assert "需要您补正申请" in body and "请写明文件年份" in body
    bad = client.post(reverse("applications_portal:supplement", args=[app.tracking_code]), {"text": ""})
    assert bad.status_code == 400
    ok = client.post(reverse("applications_portal:supplement", args=[app.tracking_code]), {"text": "2024 年的文件"})
    assert ok.status_code == 302
    app.refresh_from_db()
    assert app.status == "open" and app.events.last().type == "supplement_received"
    assert client.get(reverse("applications_portal:reply", args=[app.tracking_code])).status_code == 404
    legal = make_user("legal", government, Role.LEGAL_REVIEWER)
    review = intake.legal_review_request(application=app, by=handler, outcome="partial", draft="拟部分公开")
    intake.legal_review_decide(review=review, by=legal, approve=True)
    services.application_record_event(application=app, by=handler, type="determination", occurred_on=D("2026-11-23"),
                    fields={"outcome": "partial", "text": "公开收费清单",
                            "withheld_parts": [{"part": "经办人电话", "reason": "个人隐私（第十五条）"}]})
    body = client.get(status_url).content.decode()
    assert "部分公开" in body and "查看答复" in body
    reply = client.get(reverse("applications_portal:reply", args=[app.tracking_code])).content.decode()
    assert "经办人电话" in reply and "个人隐私" in reply and "正在制作或送达中" in reply
    assert "legal" not in reply and "handler" not in reply


def test_no_personal_data_on_public_pages_api_or_logs(client, department, caplog):
    handler = make_user("handler", department, Role.HANDLER)
    with caplog.at_level(logging.DEBUG):
        response = file_person(client, department)
        client.get(response["Location"])
        app = Application.objects.get()
        intake.application_confirm(application=app, by=handler, confirmed_on=D("2026-11-23"))
        pages = [client.get(reverse("applications_portal:status", args=[app.tracking_code])),
                 client.get(reverse("applications_portal:track")),
                 client.get(reverse("applications_portal:start"))]
        anonymous = Client()
        api = [anonymous.get("/api/v1/applications/"), anonymous.get(f"/api/v1/applications/{app.pk}/"),
               anonymous.get("/api/v1/organisations")]
        file_person(client, department, id_number="110105194912310021")  # an invalid form must not log it either
    from gongkai.applications.selectors import application_public_status

    public = str(application_public_status(tracking_code=app.tracking_code))
    for value in PII:
        assert value not in caplog.text, value
        for r in pages + api:
            assert value not in r.content.decode(), (r.request["PATH_INFO"], value)
        assert value not in public
    assert api[0].status_code in (401, 403) and api[1].status_code in (401, 403)
    assert "110105194912310021" not in caplog.text


def test_rate_limit_uses_the_proxys_forwarded_address_only_behind_a_proxy(client, department, settings):
    settings.APPLICATION_INTAKE_LIMIT_PER_ADDRESS = "1/3600"
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    key = form_key(client, department)
    url = reverse("applications_portal:apply", args=[department.code])
    assert client.post(url, person_data(key), HTTP_X_FORWARDED_FOR="10.0.0.1, 198.51.100.1").status_code == 302
    other = {**person_data(form_key(client, department)), "id_number": "11010519491231002X"}
    # a client-chosen first entry does not escape the limit of the address the proxy saw
    response = client.post(url, other, HTTP_X_FORWARDED_FOR="10.9.9.9, 198.51.100.1")
    assert response.status_code == 429
    assert client.post(url, {**other, "idempotency_key": form_key(client, department)},
                       HTTP_X_FORWARDED_FOR="198.51.100.2").status_code == 302


def test_public_pages_have_landmarks_labels_and_no_inline_scripts_or_styles(client, department):
    file_person(client, department)
    app = Application.objects.get()
    urls = [reverse("applications_portal:start"), reverse("applications_portal:apply", args=[department.code]),
            reverse("applications_portal:apply", args=[department.code]) + "?kind=org",
            reverse("applications_portal:track"), reverse("applications_portal:status", args=[app.tracking_code])]
    for url in urls:
        body = client.get(url).content.decode()
        assert 'lang="zh-Hans"' in body and "<main" in body and "<nav" in body and "跳到主要内容" in body
        assert not re.search(r"<script(?![^>]*\bsrc=)", body)  # only the platform's own script files (CSP)
        assert " style=" not in body and " onclick=" not in body
        for tag in re.findall(r"<(?:input|select|textarea)[^>]*>", body):
            input_id = re.search(r'\bid="([^"]+)"', tag)
            if 'type="hidden"' not in tag and input_id:
                assert f'for="{input_id.group(1)}"' in body, (url, tag)


def test_applicant_downloads_the_sent_reply_letter_and_nothing_else(client, department, government):
    from gongkai.applications import letters

    department.reconsideration_body = "测试市人民政府"
    department.court = "测试市人民法院"
    department.save()
    handler = make_user("handler", department, Role.HANDLER)
    file_person(client, department)
    app = intake.application_confirm(application=Application.objects.get(), by=handler, confirmed_on=D("2026-11-23"))
    app = services.application_record_event(application=app, by=handler, type="determination", occurred_on=D("2026-11-23"),
                          fields={"outcome": "disclosed", "text": "现将收费清单提供给您。"})
    reply_url = reverse("applications_portal:reply", args=[app.tracking_code])
    assert "正在制作或送达中" in client.get(reply_url).content.decode()
    letter = letters.letter_draft(application=app, kind="reply", by=handler)
    problems = letters.letter_problems(letter=letter)
    if problems:  # complete what the draft leaves for staff to fill
        letter = letters.letter_update(letter=letter, by=handler, **{
            f: getattr(letter, f).replace("【", "").replace("】", "") for f in letters.EDITABLE})
    letter = letters.letter_send(letter=letter, by=handler)
    body = client.get(reply_url).content.decode()
    pdf_url = reverse("applications_portal:letter", args=[app.tracking_code, letter.pk, "pdf"])
    assert pdf_url in body
    response = client.get(pdf_url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response).startswith(b"%PDF")
    assert Client().get(pdf_url).status_code == 404  # another browser without the secret
    assert client.get(reverse("applications_portal:letter", args=[app.tracking_code, letter.pk, "exe"])).status_code == 404
