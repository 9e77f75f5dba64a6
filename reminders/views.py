from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Role, RoleAssignment, User
from accounts.scope import scope_for
from alisvest.history import change_history
from alisvest.redirects import safe_next
from municipalities.models import Region
from reminders import services
from reminders.forms import DigestPreferenceForm, ReminderKindForm, WheelTaskForm
from reminders.kinds import KINDS
from reminders.models import DigestPreference, Notification, WheelCompletion, WheelTask

NOTIFICATIONS_PER_PAGE = 25


def _require_adviser(request) -> None:
    """The kinds' settings and the annual wheel are the office's: others get a 404."""
    if not scope_for(request.user).region_ids:
        raise Http404


# The person's notifications ("Varsler")


@login_required
def notification_list(request):
    kind = request.GET.get("kind", "")
    is_read = ExpressionWrapper(Q(read_at__isnull=False), output_field=BooleanField())
    notifications = Notification.objects.visible_to(request.user).current()
    if kind in KINDS:
        notifications = notifications.filter(kind=kind)
    notifications = notifications.order_by(is_read, "-recorded_on", "due_date", "title", "pk")
    page_obj = Paginator(notifications, NOTIFICATIONS_PER_PAGE).get_page(request.GET.get("page"))
    kinds = Notification.objects.visible_to(request.user).current().kind_counts()
    context = {
        "page_obj": page_obj,
        "kinds": kinds,
        "kind": kind if kind in KINDS else "",
        "total": sum(row["total"] for row in kinds),
        "unread_count": sum(row["unread"] for row in kinds),
        "preference": DigestPreference.objects.filter(user=request.user).first(),
        "today": timezone.localdate(),
        "is_adviser": bool(scope_for(request.user).region_ids),
    }
    return render(request, "reminders/notification_list.html", context)


@login_required
@require_POST
def notification_read(request, pk):
    notification = get_object_or_404(Notification.objects.visible_to(request.user), pk=pk)
    services.notification_mark_read(notification=notification, by=request.user)
    if request.htmx:
        context = {"notification": notification, "today": timezone.localdate()}
        return render(request, "reminders/_notification.html", context)
    return redirect(safe_next(request, reverse("reminders:notification_list")))


@login_required
@require_POST
def notifications_read_all(request):
    count = services.notifications_mark_all_read(user=request.user)
    messages.success(request, _("%(count)s notifications marked as read.") % {"count": count})
    return redirect("reminders:notification_list")


@login_required
def preferences(request):
    preference = DigestPreference.objects.filter(user=request.user).first()
    settings = services.kind_settings()
    optional = [kind for kind in settings.values() if kind.enabled and kind.optional]
    muted = set(preference.muted_kinds.all()) if preference else set()
    initial = {
        "frequency": preference.frequency if preference else "daily",
        "weekday": preference.weekday if preference else None,
        "receive": [kind for kind in optional if kind not in muted],
    }
    form = DigestPreferenceForm(request.POST or None, initial=initial, optional_kinds=optional)
    if form.is_valid():
        try:
            services.digest_preference_set(
                user=request.user,
                frequency=form.cleaned_data["frequency"],
                weekday=form.cleaned_data["weekday"],
                muted=form.muted(),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your notification settings are saved."))
            return redirect("reminders:notification_list")
    return render(request, "reminders/preferences.html", {"form": form})


# Advisers: the kinds and their settings


@login_required
def kind_list(request):
    _require_adviser(request)
    settings = services.kind_settings(create=False)
    rows = [(KINDS[code], setting) for code, setting in settings.items()]
    return render(request, "reminders/kind_list.html", {"rows": rows})


@login_required
def kind_update(request, code):
    _require_adviser(request)
    if code not in KINDS:
        raise Http404
    setting = services.kind_settings()[code]
    form = ReminderKindForm(request.POST or None, instance=setting)
    if form.is_valid():
        try:
            services.reminder_kind_update(kind=setting, by=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The reminder settings are saved."))
            return redirect("reminders:kind_list")
    context = {"form": form, "kind": KINDS[code], "setting": setting}
    return render(request, "reminders/kind_form.html", context)


# Advisers: the annual wheel


def _year(request) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = None
    return year if year and 2000 <= year <= 2100 else timezone.localdate().year


@login_required
def wheel(request):
    """The year's calendar of the annual wheel: twelve months, each task on its date."""
    _require_adviser(request)
    year = _year(request)
    tasks = list(
        WheelTask.objects.visible_to(request.user)
        .active()
        .prefetch_related("owners")
        .select_related("region")
    )
    done = dict(
        WheelCompletion.objects.filter(task__in=tasks, year=year).values_list("task_id", "done_at")
    )
    months = {month: [] for month in MONTHS}
    for task in tasks:
        date = task.date_in(year)
        months[date.month].append({"task": task, "date": date, "done_at": done.get(task.pk)})
    context = {
        "year": year,
        "months": [
            (
                month,
                MONTHS[month],
                sorted(items, key=lambda item: (item["date"], item["task"].title)),
            )
            for month, items in months.items()
        ],
        "today": timezone.localdate(),
        "inactive": WheelTask.objects.visible_to(request.user).filter(is_active=False),
        "task_count": len(tasks),
    }
    return render(request, "reminders/wheel.html", context)


def _advisers(regions):
    holders = RoleAssignment.objects.active().filter(role=Role.ADVISER, region__in=regions)
    return User.objects.filter(is_active=True, pk__in=holders.values("user_id")).order_by(
        "first_name", "last_name"
    )


def _wheel_url(task: WheelTask, year: int | None = None) -> str:
    year = year or timezone.localdate().year
    return reverse("reminders:wheel") + f"?year={year}#task-{task.pk}"


@login_required
def wheel_task_create(request):
    _require_adviser(request)
    regions = Region.objects.filter(pk__in=scope_for(request.user).region_ids)
    region = regions.order_by("pk").first()
    form = WheelTaskForm(request.POST or None, owners=_advisers([region]))
    if form.is_valid():
        try:
            task = services.wheel_task_create(
                region=region,
                by=request.user,
                data=form.values(),
                owners=form.cleaned_data["owners"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The task is added to the annual wheel."))
            return redirect(_wheel_url(task))
    return render(request, "reminders/wheel_task_form.html", {"form": form, "task": None})


@login_required
def wheel_task_update(request, pk):
    task = get_object_or_404(
        WheelTask.objects.visible_to(request.user).select_related("region"), pk=pk
    )
    form = WheelTaskForm(request.POST or None, instance=task, owners=_advisers([task.region]))
    if form.is_valid():
        try:
            services.wheel_task_update(
                task=task, by=request.user, data=form.values(), owners=form.cleaned_data["owners"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The task is saved."))
            return redirect(_wheel_url(task))
    return render(request, "reminders/wheel_task_form.html", {"form": form, "task": task})


@login_required
def wheel_task_history(request, pk):
    task = get_object_or_404(WheelTask.objects.visible_to(request.user), pk=pk)
    context = {"task": task, "history": change_history(task)}
    return render(request, "reminders/wheel_task_history.html", context)


def _occurrence_changed(request, pk, year, change):
    task = get_object_or_404(WheelTask.objects.visible_to(request.user), pk=pk)
    if not 2000 <= year <= 2100:
        raise Http404
    change(task=task, year=year, by=request.user)
    if request.htmx:
        completion = WheelCompletion.objects.filter(task=task, year=year).first()
        item = {
            "task": task,
            "date": task.date_in(year),
            "done_at": completion.done_at if completion else None,
        }
        context = {"item": item, "year": year, "today": timezone.localdate()}
        return render(request, "reminders/_wheel_task.html", context)
    return redirect(_wheel_url(task, year))


@login_required
@require_POST
def wheel_occurrence_done(request, pk, year):
    return _occurrence_changed(request, pk, year, services.wheel_occurrence_complete)


@login_required
@require_POST
def wheel_occurrence_reopen(request, pk, year):
    return _occurrence_changed(request, pk, year, services.wheel_occurrence_reopen)
