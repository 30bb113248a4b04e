"""一件事 packages in the back office: a list, a form with the services in order, visible on the portal."""

import pytest
from django.urls import reverse

from gongkai.catalog import services
from gongkai.catalog.models import ServicePackage
from tests.portal.catalog.test_columns_services_gazette import GUIDE

pytestmark = pytest.mark.django_db


@pytest.fixture
def guides(department, other_department):
    first = services.service_item_publish(item=services.service_item_save(organisation=department, code="SC-1", **GUIDE))
    second = services.service_item_publish(item=services.service_item_save(
        organisation=other_department, code="TAX-1", **{**GUIDE, "name": "新办纳税人套餐式服务"}))
    draft = services.service_item_save(organisation=department, code="X-1", name="刻章备案")
    return first, second, draft


def form(department, **changes):
    return {"organisation": department.pk, "slug": "kaiban", "name": "开办企业一件事", "audience": "legal_person",
            "life_stage": "开办", "description": "", "items": "TAX-1\nSC-1", "published": "on", **changes}


def test_a_package_is_made_in_order_across_departments_and_shown_on_the_portal(client, editor, department, guides):
    client.force_login(editor)
    assert reverse("workspace:catalog_packages") in client.get(reverse("workspace:home")).content.decode()
    r = client.post(reverse("workspace:catalog_package_new"), form(department))
    package = ServicePackage.objects.get(slug="kaiban")
    assert r.status_code == 302 and r["Location"] == reverse("workspace:catalog_package_edit", kwargs={"pk": package.pk})
    assert [s.item.code for s in package.steps.order_by("position")] == ["TAX-1", "SC-1"]
    listing = client.get(reverse("workspace:catalog_packages")).content.decode()
    assert listing.index("新办纳税人套餐式服务") < listing.index("个体工商户设立登记")
    public = client.get(reverse("portal:service_package", kwargs={"slug": "kaiban"})).content.decode()
    assert public.index("新办纳税人套餐式服务") < public.index("个体工商户设立登记")
    # Reordered and unpublished from the same form.
    client.post(reverse("workspace:catalog_package_edit", kwargs={"pk": package.pk}),
                form(department, items="SC-1\nTAX-1", published=""))
    package.refresh_from_db()
    assert [s.item.code for s in package.steps.order_by("position")] == ["SC-1", "TAX-1"] and not package.published
    assert client.get(reverse("portal:service_package", kwargs={"slug": "kaiban"})).status_code == 404


def test_bad_input_is_named_on_its_field_and_nothing_is_saved(client, editor, department, guides):
    client.force_login(editor)
    page = client.post(reverse("workspace:catalog_package_new"), form(department, items="SC-1\nNOPE-9")).content.decode()
    assert "<title>错误：" in page and "NOPE-9" in page
    page = client.post(reverse("workspace:catalog_package_new"), form(department, life_stage="上学")).content.decode()
    assert "不属于所选服务对象的生命周期分类" in page
    assert not ServicePackage.objects.exists()


def test_a_draft_guide_in_a_package_is_warned_about(client, editor, department, guides):
    client.force_login(editor)
    r = client.post(reverse("workspace:catalog_package_new"), form(department, items="SC-1\nX-1"), follow=True)
    assert "尚未发布" in r.content.decode() and "刻章备案" in r.content.decode()


def test_another_organisations_package_slug_is_not_taken_over(client, editor, other_editor, department,
                                                               other_department, guides):
    services.service_package_save(organisation=other_department, slug="kaiban", name="别人的一件事", audience="legal_person",
                                  life_stage="开办", items=[guides[1]])
    client.force_login(editor)
    page = client.post(reverse("workspace:catalog_package_new"), form(department)).content.decode()
    assert "已被另一个一件事使用" in page
    assert ServicePackage.objects.get(slug="kaiban").name == "别人的一件事"
