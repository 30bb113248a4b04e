"""Who may see what in the back office, and which buttons to show.

Only the pages' presentation is decided here: the services check roles and states again and are the
real guard. Objects outside the user's organisations are answered with 404 so their existence does not
leak.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404, render

from gongkai.core.models import AuditEvent, Membership, Organisation, Role, User
from gongkai.core.selectors import (
    organisations_for_user,
    user_is_platform_admin,
    user_is_staff_member,
    user_roles,
)
from gongkai.documents.models import DisclosureAttribute, Document, Interpretation, Status
from gongkai.documents.selectors import documents_for_user
from gongkai.documents.services import DRAFTING_ROLES, PUBLISHING_ROLES, REVIEWING_ROLES


def staff_required(view):
    """Logged-in staff only: anonymous users go to the login page, members of the public get a 403 page."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not user_is_staff_member(request.user):
            return render(request, "workspace/forbidden.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper


def user_is_audit_viewer(user: User) -> bool:
    """Platform administrators and disclosure-office administrators may read the audit log."""
    if not user.is_authenticated:
        return False
    return user_is_platform_admin(user) or user.memberships.filter(role=Role.OFFICE_ADMIN).exists()


def audit_events_for_user(*, user: User) -> QuerySet[AuditEvent]:
    """The audit events a user may read: all for platform admins, their organisations' for office admins.

    Events without an organisation (logins, logouts) are shown to an office admin when the actor is a
    member of one of their organisations.
    """
    if user_is_platform_admin(user):
        return AuditEvent.objects.all()
    if not user_is_audit_viewer(user):
        return AuditEvent.objects.none()
    scope = organisations_for_user(user=user, roles={Role.OFFICE_ADMIN})
    members = Membership.objects.filter(organisation__in=scope).values("user_id")
    return AuditEvent.objects.filter(Q(organisation__in=scope) | Q(organisation__isnull=True, actor_id__in=members))


def visible_document(user: User, pk: int) -> Document:
    return get_object_or_404(documents_for_user(user=user).select_related("organisation", "topic__parent"), pk=pk)


def interpretations_for_user(*, user: User) -> QuerySet[Interpretation]:
    """Interpretations of the user's organisations, and any interpretation of a document they may see."""
    organisations = organisations_for_user(user=user)
    linked = Interpretation.documents.through.objects.filter(document__organisation__in=organisations)
    return Interpretation.objects.filter(
        Q(organisation__in=organisations) | Q(pk__in=linked.values("interpretation_id"))
    )


def visible_interpretation(user: User, pk: int) -> Interpretation:
    return get_object_or_404(interpretations_for_user(user=user).select_related("organisation"), pk=pk)


def drafting_organisations(user: User) -> QuerySet[Organisation]:
    """Organisations in which the user may draft (create documents and interpretations)."""
    return organisations_for_user(user=user, roles=set(DRAFTING_ROLES))


def document_actions(user: User, document: Document) -> set[str]:
    """The lifecycle buttons to show for `document` to `user`."""
    roles = user_roles(user=user, organisation=document.organisation)
    status = document.status
    proactive = document.disclosure_attribute == DisclosureAttribute.PROACTIVE
    actions: set[str] = set()
    if roles & DRAFTING_ROLES:
        if status != Status.WITHDRAWN:
            actions |= {"edit", "attach", "interpret"}
        if status == Status.DRAFT:
            actions.add("submit")
    if roles & REVIEWING_ROLES and status == Status.IN_REVIEW:
        actions |= {"return", "approve"}
    if roles & PUBLISHING_ROLES:
        if status == Status.APPROVED and proactive:
            actions.add("schedule")
        if status in (Status.APPROVED, Status.SCHEDULED) and proactive:
            actions.add("publish")
        if status == Status.PUBLISHED:
            actions |= {"amend", "repeal", "expire"}
        if status != Status.WITHDRAWN:
            actions.add("withdraw")
    return actions


def interpretation_actions(user: User, interpretation: Interpretation) -> set[str]:
    roles = user_roles(user=user, organisation=interpretation.organisation)
    state = interpretation.state
    actions: set[str] = set()
    if roles & DRAFTING_ROLES and state == Interpretation.State.DRAFT:
        actions |= {"edit", "attach"}
    if roles & PUBLISHING_ROLES:
        if state == Interpretation.State.DRAFT:
            actions.add("publish")
        if state != Interpretation.State.WITHDRAWN:
            actions.add("withdraw")
    return actions
