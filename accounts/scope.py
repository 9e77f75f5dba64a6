"""What a person may see: computed once per request from their active role assignments.

Every `visible_to(user)` in the project starts here, so the rules of DESIGN.md ("Who uses it")
live in one place: advisers see their region, managers their municipalities, everyone their own
records. Superusers (staff admin) see every region.
"""

from dataclasses import dataclass

from accounts.models import Role, RoleAssignment

# Who brings whom in (issue 3): the office's advisers invite the municipalities' managers (and
# group leaders, whose groups often span municipalities); a manager invites the ALIS doctors,
# supervisors and group leaders of their own municipality — an external supervisor too, with
# the role scoped to the inviting municipality. Advisers themselves are made by staff admin.
ADVISER_GRANTS = frozenset({Role.MANAGER, Role.GROUP_LEADER})
MANAGER_GRANTS = frozenset({Role.ALIS, Role.SUPERVISOR, Role.GROUP_LEADER})

# Roles whose holders must use two-factor authentication (TOTP) before anything else works.
TWO_FACTOR_ROLES = frozenset({Role.ADVISER, Role.MANAGER})


@dataclass(frozen=True)
class Scope:
    user_id: int | None
    roles: frozenset[str]
    region_ids: frozenset[int]
    managed_municipality_ids: frozenset[int]
    is_superuser: bool = False

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None

    @property
    def is_adviser(self) -> bool:
        return Role.ADVISER in self.roles or self.is_superuser

    @property
    def is_manager(self) -> bool:
        return Role.MANAGER in self.roles

    def has_role(self, role: str) -> bool:
        return role in self.roles

    @property
    def requires_two_factor(self) -> bool:
        """Advisers and managers (and staff admin) see many people's records: a password
        alone is not enough for them."""
        return self.is_superuser or bool(self.roles & TWO_FACTOR_ROLES)

    def roles_granted_in(self, municipality) -> frozenset[str]:
        """The roles this person may give others in a municipality (by invitation)."""
        roles = frozenset()
        if municipality.region_id in self.region_ids:
            roles |= ADVISER_GRANTS
        if municipality.pk in self.managed_municipality_ids:
            roles |= MANAGER_GRANTS
        return roles

    def can_grant(self, role: str, municipality) -> bool:
        return role in self.roles_granted_in(municipality)

    @property
    def can_invite(self) -> bool:
        return bool(self.region_ids or self.managed_municipality_ids)

    def can_end(self, assignment) -> bool:
        """Advisers end any municipal role in their region; managers the roles they grant in
        their municipalities. Nobody ends their own role here, and adviser roles are ended by
        staff admin."""
        if assignment.user_id == self.user_id or assignment.municipality_id is None:
            return False
        return assignment.municipality.region_id in self.region_ids or self.can_grant(
            assignment.role, assignment.municipality
        )

    def can_manage_municipality(self, municipality) -> bool:
        """Advisers of the municipality's region and its managers may change its records."""
        return (
            municipality.region_id in self.region_ids
            or municipality.pk in self.managed_municipality_ids
        )


ANONYMOUS = Scope(None, frozenset(), frozenset(), frozenset())


def scope_for(user) -> Scope:
    if user is None or not user.is_authenticated or not user.is_active:
        return ANONYMOUS
    cached = getattr(user, "_scope", None)
    if cached is not None:
        return cached
    roles, regions, managed = set(), set(), set()
    for role, region_id, municipality_id in (
        RoleAssignment.objects.filter(user_id=user.pk)
        .active()
        .values_list("role", "region_id", "municipality_id")
    ):
        roles.add(role)
        if role == Role.ADVISER and region_id:
            regions.add(region_id)
        if role == Role.MANAGER and municipality_id:
            managed.add(municipality_id)
    if user.is_superuser:
        from municipalities.models import Region

        regions.update(Region.objects.values_list("pk", flat=True))
    scope = Scope(
        user_id=user.pk,
        roles=frozenset(roles),
        region_ids=frozenset(regions),
        managed_municipality_ids=frozenset(managed),
        is_superuser=user.is_superuser,
    )
    user._scope = scope
    return scope


def forget_scope(user) -> None:
    """Drop the cached scope, after the person's role assignments changed."""
    user.__dict__.pop("_scope", None)
