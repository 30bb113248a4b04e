"""Reads of the core package, above all: which organisations a user may see and act for."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from .models import Membership, Organisation, Role, SiteIdentity, User

# Roles that can draft and edit the library content of their organisation.
EDITING_ROLES = {Role.EDITOR, Role.REVIEWER, Role.SIGNER, Role.OFFICE_ADMIN}


def user_is_platform_admin(user: User) -> bool:
    if not user.is_authenticated:
        return False
    return user.is_superuser or Membership.objects.filter(user=user, role=Role.PLATFORM_ADMIN).exists()


def user_is_staff_member(user: User) -> bool:
    return user.is_authenticated and (user.is_superuser or user.memberships.exists())


def user_roles(*, user: User, organisation: Organisation) -> set[str]:
    """The roles `user` holds for `organisation`: their own, plus office-admin rights from an ancestor."""
    if not user.is_authenticated:
        return set()
    if user_is_platform_admin(user):
        return set(Role.values)
    roles: set[str] = set()
    for membership in user.memberships.select_related("organisation"):
        org = membership.organisation
        if org.pk == organisation.pk:
            roles.add(membership.role)
        elif membership.role == Role.OFFICE_ADMIN and organisation.path.startswith(org.path):
            roles.add(Role.OFFICE_ADMIN)
    return roles


def organisations_for_user(*, user: User, roles: set[str] | None = None) -> QuerySet[Organisation]:
    """Organisations whose content `user` may see in the back office.

    Platform administrators see all; a disclosure-office administrator sees their organisation and
    every descendant; everybody else sees the organisations they are members of.
    """
    if not user.is_authenticated:
        return Organisation.objects.none()
    if user_is_platform_admin(user):
        return Organisation.objects.all()
    memberships = list(user.memberships.select_related("organisation"))
    if roles is not None:
        memberships = [m for m in memberships if m.role in roles or m.role == Role.OFFICE_ADMIN]
    condition = Q(pk__in=[m.organisation_id for m in memberships])
    for m in memberships:
        if m.role == Role.OFFICE_ADMIN:
            condition |= Q(path__startswith=m.organisation.path)
    if not memberships:
        return Organisation.objects.none()
    return Organisation.objects.filter(condition)


def organisation_descendants(*, organisation: Organisation, include_self: bool = True) -> QuerySet[Organisation]:
    qs = Organisation.objects.filter(path__startswith=organisation.path)
    return qs if include_self else qs.exclude(pk=organisation.pk)


def organisations_receiving_applications() -> QuerySet[Organisation]:
    """The bodies that receive 依申请公开 applications (条例 第二十七条), in tree order: active ones that handle
    applications. The one answer for the application form, the annual-report list and the compliance list;
    an external source (the national laws corpus) is not among them."""
    return Organisation.objects.filter(is_active=True, handles_applications=True).order_by("path")


def site_identity() -> SiteIdentity | None:
    """The platform's website identification for the footer (one row, pk 1), or None before it is set up."""
    return SiteIdentity.objects.filter(pk=1).first()


def organisation_tree() -> list[Organisation]:
    """All active organisations in tree order (parents before children)."""
    return list(Organisation.objects.filter(is_active=True).order_by("path"))
