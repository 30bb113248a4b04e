"""The matching rules of the subscription index, table-driven over plain facts (no database)."""

import pytest

from gongkai.subscriptions.matching import DocumentFacts, SubscriptionIndex, region_covered

CITY, COUNTY, NEIGHBOUR = "/1/", "/1/5/", "/1/6/"


def doc(**kw) -> DocumentFacts:
    base = {"id": 1, "title": "t", "url": "/d/1/", "organisation_id": 10, "jurisdiction": CITY}
    return DocumentFacts(**{**base, **kw})


@pytest.mark.parametrize(("profile", "document", "expected"), [
    # shared life stage → match, reason names the profile and the stage
    ({"audience": "person", "tags": {"stage:就业"}}, {"tags": frozenset({"stage:就业"})}, "因为您订阅了：我 · 就业"),
    # no shared tag → nothing
    ({"audience": "person", "tags": {"stage:住房"}}, {"tags": frozenset({"stage:就业"})}, None),
    # the document addresses 法人 only → no person
    ({"audience": "person", "tags": {"stage:就业"}},
     {"tags": frozenset({"stage:就业"}), "audiences": frozenset({"legal_person"})}, None),
    # a 退役军人 policy narrows: a job seeker who is no veteran does not get it …
    ({"audience": "person", "tags": {"stage:就业", "group:高校毕业生"}},
     {"tags": frozenset({"stage:就业", "group:退役军人"})}, None),
    # … a veteran does
    ({"audience": "person", "tags": {"group:退役军人"}},
     {"tags": frozenset({"stage:就业", "group:退役军人"})}, "因为您订阅了：我 · 退役军人"),
    # enterprise: shared stage but another industry named by the document → no
    ({"audience": "legal_person", "tags": {"estage:开办", "industry:C"}},
     {"tags": frozenset({"estage:开办", "industry:H"})}, None),
    # small enterprise, 开办: a 小微企业 opening policy of no industry → yes, both reasons
    ({"audience": "legal_person", "tags": {"estage:开办", "size:小型"}},
     {"tags": frozenset({"estage:开办", "size:小型", "size:微型"})}, "因为您订阅了：我 · 开办 · 小型"),
    # a large enterprise does not get the 小微 policy
    ({"audience": "legal_person", "tags": {"estage:开办", "size:大型"}},
     {"tags": frozenset({"estage:开办", "size:小型", "size:微型"})}, None),
    # an industry named by a housing notice does not narrow a person's profile
    ({"audience": "person", "tags": {"stage:住房"}},
     {"tags": frozenset({"stage:住房", "industry:K"})}, "因为您订阅了：我 · 住房"),
    # region: a city document reaches a profile in one of its counties
    ({"audience": "person", "tags": {"stage:养老"}, "region_path": COUNTY},
     {"tags": frozenset({"stage:养老"}), "jurisdiction": CITY}, "因为您订阅了：我 · 养老"),
    # a county document does not reach the neighbouring county
    ({"audience": "person", "tags": {"stage:养老"}, "region_path": NEIGHBOUR},
     {"tags": frozenset({"stage:养老"}), "jurisdiction": COUNTY}, None),
    # a national document (no government) reaches every region
    ({"audience": "person", "tags": {"stage:养老"}, "region_path": NEIGHBOUR},
     {"tags": frozenset({"stage:养老"}), "jurisdiction": ""}, "因为您订阅了：我 · 养老"),
])
def test_profile_rules(profile, document, expected):
    index = SubscriptionIndex()
    index.add_profile(subscription_id=7, subscriber_id=3, name="我", region_path=profile.get("region_path", ""),
                      audience=profile["audience"], tags=profile["tags"])
    matches = index.match_new(doc(**document))
    assert [m.reason for m in matches] == ([expected] if expected else [])


def test_suggested_tags_say_so():
    index = SubscriptionIndex()
    index.add_profile(subscription_id=1, subscriber_id=1, name="我", audience="person", region_path="", tags={"stage:住房"})
    [match] = index.match_new(doc(tags=frozenset({"stage:住房"}), tags_suggested=True))
    assert match.reason.endswith("（标签为系统建议）")


@pytest.mark.parametrize(("query", "document", "hit"), [
    ({"q": "养老 补贴"}, {"words": frozenset({"养老", "补贴", "通知"})}, True),
    ({"q": "养老 补贴"}, {"words": frozenset({"养老", "通知"})}, False),  # every word must be there
    ({"q": "补贴", "genre": "notice"}, {"words": frozenset({"补贴"}), "genre": "opinion"}, False),
    ({"q": "补贴", "issuer": "测试市民政局"}, {"words": frozenset({"补贴"}), "issuer_names": frozenset({"测试市民政局"})}, True),
    ({"topic": "民政、扶贫、救灾"}, {"topic_label": "民政、扶贫、救灾\\社会福利", "topic_parent_name": "民政、扶贫、救灾"}, True),
    ({"year": "2024"}, {"year": "2023"}, False),
])
def test_saved_search_rules(query, document, hit):
    index = SubscriptionIndex()
    index.add_search(subscription_id=5, subscriber_id=2, query=query)
    matches = index.match_new(doc(**document))
    assert bool(matches) is hit
    if hit:
        assert matches[0].reason.startswith("因为您订阅了检索：")


def test_topic_column_and_document_entries():
    index = SubscriptionIndex()
    index.add_simple("topic", subscription_id=1, subscriber_id=1, label="民政、扶贫、救灾", target_id=40)
    index.add_simple("column", subscription_id=2, subscriber_id=1, label="测试市民政局", target_id=10)
    index.add_simple("document", subscription_id=3, subscriber_id=1, label="老办法", target_id=99)
    matches = index.match_new(doc(topic_id=41, topic_parent_id=40))
    assert {m.subscription_id for m in matches} == {1, 2}
    assert [m.subscription_id for m in index.match_document_event(99, "被废止")] == [3]
    assert index.match_document_event(98, "被废止") == []


@pytest.mark.parametrize(("jurisdiction", "region", "covered"), [
    ("", "/1/", True), ("/1/", "", True), ("/1/", "/1/5/", True), ("/1/5/", "/1/", True), ("/1/5/", "/1/6/", False),
])
def test_region_rule(jurisdiction, region, covered):
    assert region_covered(jurisdiction=jurisdiction, region_path=region) is covered
