import pytest
from django.core.exceptions import ValidationError

from gongkai.compliance import services as compliance_services
from gongkai.core.hooks import Hook
from gongkai.documents import hooks as document_hooks
from gongkai.search import services as search_services


def test_a_hook_calls_each_receiver_once_in_registration_order():
    hook = Hook("example")
    calls = []
    first = hook.register(lambda **kw: calls.append(("first", kw)) or 1)
    hook.register(lambda **kw: calls.append(("second", kw)) or 2)
    hook.register(first)  # registering again changes nothing
    assert hook(x=1) == [1, 2]
    assert calls == [("first", {"x": 1}), ("second", {"x": 1})]


def test_a_receiver_refuses_a_step_by_raising():
    hook = Hook("gate")

    def gate(**kw):
        raise ValidationError("不可发布")

    hook.register(gate)
    with pytest.raises(ValidationError):
        hook(document=None)


def test_search_and_compliance_register_with_the_library_hooks_at_start_up():
    # documents never imports them: they register in AppConfig.ready (docs/architecture.md).
    assert search_services.search_index_on_commit in document_hooks.document_changed.receivers
    assert search_services.search_index_documents in document_hooks.documents_written.receivers
    assert compliance_services.publication_gate in document_hooks.publication_gate.receivers
    assert compliance_services.item_saved in document_hooks.item_saved.receivers
