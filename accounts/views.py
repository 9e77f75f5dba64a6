import logging
import smtplib

from allauth.account.internal.flows.login import record_authentication
from allauth.account.utils import perform_login
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts import services
from accounts.filters import InvitationFilter, RoleAssignmentFilter
from accounts.forms import AcceptInvitationForm, EndAssignmentForm, InvitationForm, ProfileForm
from accounts.middleware import NEXT_SESSION_KEY
from accounts.models import Invitation, RoleAssignment, in_sentence
from accounts.scope import scope_for
from alisvest import panels
from alisvest.history import change_history

PER_PAGE = 50
logger = logging.getLogger(__name__)
# The e-mail goes out inside the invitation's transaction: when sending fails, nothing is saved.
MAIL_ERRORS = (smtplib.SMTPException, OSError)
NOT_SENT = gettext_lazy(
    "The e-mail could not be sent, so nothing was saved. Try again in a moment; if it keeps "
    "failing, tell the ALIS Vest office."
)


def _require_access_admin(request) -> None:
    """The people-and-roles pages are for advisers and managers; to anyone else they do not
    exist."""
    if not scope_for(request.user).can_invite:
        raise Http404


def _roles_of(user):
    return user.role_assignments.select_related("municipality", "region", "created_by")


@login_required
def home(request):
    """Each role's start page: every app adds the sections for the roles the person holds."""
    today = timezone.localdate()
    roles = list(_roles_of(request.user).active(today).order_by("role", "municipality__name"))
    context = {
        "scope": scope_for(request.user),
        "roles": roles,
        "ended_roles": [] if roles else list(_roles_of(request.user).ended(today)[:3]),
        "upcoming_roles": list(_roles_of(request.user).upcoming(today)),
        "sections": panels.collect("home", request),
    }
    return render(request, "accounts/home.html", context)


@login_required
def my_account(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if form.is_valid():
        try:
            services.profile_update(user=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your details are saved."))
            return redirect("accounts:my_account")
    context = {
        "form": form,
        "assignments": _roles_of(request.user).order_by("-valid_from"),
        "today": timezone.localdate(),
        "has_totp": Authenticator.objects.filter(
            user=request.user, type=Authenticator.Type.TOTP
        ).exists(),
    }
    return render(request, "accounts/my_account.html", context)


@login_required
def two_factor_required(request):
    """Where advisers and managers without an authenticator are sent (accounts.middleware)."""
    scope = scope_for(request.user)
    if not scope.requires_two_factor:
        return redirect("home")
    has_totp = Authenticator.objects.filter(
        user=request.user, type=Authenticator.Type.TOTP
    ).exists()
    if has_totp:
        return two_factor_done(request)
    return render(request, "accounts/two_factor_required.html", {"scope": scope})


@login_required
def two_factor_done(request):
    """After the recovery codes: on to the page the person was going to."""
    next_url = request.session.pop(NEXT_SESSION_KEY, "")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = reverse("home")
    return redirect(next_url)


# Role assignments


@login_required
def role_assignment_list(request):
    _require_access_admin(request)
    assignments = (
        RoleAssignment.objects.visible_to(request.user)
        .select_related("user", "municipality", "region", "created_by")
        .order_by("user__last_name", "user__first_name", "role", "pk")
    )
    filterset = RoleAssignmentFilter(request.GET, queryset=assignments, user=request.user)
    page_obj = Paginator(filterset.qs, PER_PAGE).get_page(request.GET.get("page"))
    scope = scope_for(request.user)
    for assignment in page_obj:
        assignment.can_end = scope.can_end(assignment) and assignment.is_active()
    context = {"filter": filterset, "page_obj": page_obj, "today": timezone.localdate()}
    template = "accounts/role_assignment_list.html"
    if request.htmx and request.htmx.target == "assignment-table":
        template = "accounts/_role_assignment_table.html"
    return render(request, template, context)


def _visible_assignment(request, pk):
    return get_object_or_404(
        RoleAssignment.objects.visible_to(request.user).select_related(
            "user", "municipality", "region", "created_by"
        ),
        pk=pk,
    )


@login_required
def role_assignment_detail(request, pk):
    assignment = _visible_assignment(request, pk)
    context = {
        "assignment": assignment,
        "can_end": scope_for(request.user).can_end(assignment) and assignment.is_active(),
        "history": change_history(assignment),
        "invitation": assignment.invitations.select_related("invited_by").first(),
        "today": timezone.localdate(),
    }
    return render(request, "accounts/role_assignment_detail.html", context)


@login_required
def role_assignment_end(request, pk):
    assignment = _visible_assignment(request, pk)
    if not scope_for(request.user).can_end(assignment):
        raise PermissionDenied
    form = EndAssignmentForm(request.POST or None)
    if form.is_valid():
        try:
            services.role_assignment_end(
                assignment=assignment, by=request.user, on=form.cleaned_data["valid_to"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("%(person)s’s role as %(role)s is ended.")
                % {"person": assignment.user, "role": in_sentence(assignment.get_role_display())},
            )
            return redirect("accounts:role_assignment_detail", pk=assignment.pk)
    return render(
        request, "accounts/role_assignment_end.html", {"assignment": assignment, "form": form}
    )


# Invitations


@login_required
def invitation_list(request):
    _require_access_admin(request)
    invitations = (
        Invitation.objects.visible_to(request.user)
        .select_related("municipality", "invited_by", "accepted_by")
        .order_by("-sent_at", "-pk")
    )
    filterset = InvitationFilter(request.GET, queryset=invitations)
    page_obj = Paginator(filterset.qs, PER_PAGE).get_page(request.GET.get("page"))
    scope = scope_for(request.user)
    now = timezone.now()
    for invitation in page_obj:
        invitation.current_status = invitation.status(now)
        invitation.can_change = invitation.is_open and scope.can_grant(
            invitation.role, invitation.municipality
        )
    return render(
        request, "accounts/invitation_list.html", {"filter": filterset, "page_obj": page_obj}
    )


@login_required
def invitation_create(request):
    _require_access_admin(request)
    form = InvitationForm(request.POST or None, user=request.user)
    if form.is_valid():
        try:
            invitation, created = services.invitation_create(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        except MAIL_ERRORS:
            logger.exception("Invitation e-mail not sent")
            form.add_error(None, NOT_SENT)
        else:
            if created:
                message = _("The invitation is sent to %(email)s.")
            else:
                message = _(
                    "%(email)s already had an open invitation to this role: it is sent again "
                    "with a new link, and the old link no longer works."
                )
            messages.success(request, message % {"email": invitation.email})
            return redirect("accounts:invitation_list")
    context = {"form": form, "settings_expiry_days": settings.INVITATION_EXPIRY_DAYS}
    return render(request, "accounts/invitation_form.html", context)


def _invitation_changed(request, pk, change, message):
    invitation = get_object_or_404(
        Invitation.objects.visible_to(request.user).select_related("municipality"), pk=pk
    )
    try:
        change(invitation=invitation, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except MAIL_ERRORS:
        logger.exception("Invitation e-mail not sent")
        messages.error(request, NOT_SENT)
    else:
        messages.success(request, message % {"email": invitation.email})
    return redirect("accounts:invitation_list")


@login_required
@require_POST
def invitation_resend(request, pk):
    return _invitation_changed(
        request,
        pk,
        services.invitation_resend,
        _("A new link is sent to %(email)s; the old one no longer works."),
    )


@login_required
@require_POST
def invitation_revoke(request, pk):
    return _invitation_changed(
        request,
        pk,
        services.invitation_revoke,
        _("The invitation to %(email)s is revoked; its link no longer works."),
    )


@never_cache
def invitation_accept(request, token):
    """The link in the e-mail. Anyone holding it may open it (it is the proof), so it needs
    no login; what it offers depends on whether the invited address has an account."""
    invitation = Invitation.objects.select_related("municipality", "invited_by").for_token(token)
    if invitation is None or invitation.status() != Invitation.Status.PENDING:
        status = invitation.status() if invitation else "unknown"
        context = {"invitation": invitation, "status": status}
        return render(
            request,
            "accounts/invitation_invalid.html",
            context,
            status=404 if invitation is None else 410,
        )
    account = services.invitation_account(invitation)
    context = {"invitation": invitation, "account": account}
    if request.user.is_authenticated and (account is None or request.user.pk != account.pk):
        return render(request, "accounts/invitation_wrong_person.html", context)
    if not services.invitation_needs_password(invitation):
        return _accept_as_logged_in_person(request, invitation, context)
    form = AcceptInvitationForm(request.POST or None, invitation=invitation, account=account)
    if form.is_valid():
        try:
            person = services.invitation_accept(
                invitation=invitation,
                password=form.cleaned_data["password1"],
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Welcome! Your account is ready."))
            # The person typed their password just now: allauth records that as a fresh
            # (re)authentication, so setting up two-factor next does not ask for it again.
            record_authentication(
                request, person, method="password", email=person.email, reauthenticated=True
            )
            return perform_login(request, person, email=person.email, redirect_url=reverse("home"))
    context["form"] = form
    return render(request, "accounts/invitation_accept.html", context)


def _accept_as_logged_in_person(request, invitation, context):
    if not request.user.is_authenticated:
        login_url = reverse("account_login") + "?next=" + request.path
        return render(
            request, "accounts/invitation_login.html", {**context, "login_url": login_url}
        )
    if request.method == "POST":
        services.invitation_accept(invitation=invitation, user=request.user)
        messages.success(
            request,
            _("You now have the role %(role)s for %(municipality)s.")
            % {
                "role": in_sentence(invitation.get_role_display()),
                "municipality": invitation.municipality,
            },
        )
        return redirect("home")
    return render(request, "accounts/invitation_confirm.html", context)
