from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, Count, IntegerField, Prefetch, Q, Value, When
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.scope import scope_for
from alisvest.documents import document_response
from alisvest.history import change_history
from alisvest.pdf import pdf_response, render_pdf
from courses import ical, services, tasks
from courses.exports import participants_xlsx
from courses.forms import (
    AdviserRegistrationForm,
    CourseEventForm,
    CourseForm,
    EventFilter,
    SelfRegistrationForm,
    SessionFormSet,
    session_data,
)
from courses.models import (
    Attendance,
    CalendarFeed,
    Certificate,
    Course,
    CourseEvent,
    EventSession,
    Registration,
)
from municipalities.models import Region

EVENTS_PER_PAGE = 20
PEOPLE_PER_PAGE = 50
ATTENDANCE_PER_PAGE = 100
Status = Registration.Status


def _require_adviser(request) -> None:
    if not scope_for(request.user).region_ids:
        raise Http404


def _event(request, pk) -> CourseEvent:
    return get_object_or_404(
        CourseEvent.objects.visible_to(request.user)
        .select_related("course")
        .with_dates()
        .with_counts(),
        pk=pk,
    )


def _event_for_adviser(request, pk) -> CourseEvent:
    """The event, if the person advises its region: outside their sight a 404; a published
    event of which they are not an adviser a 403."""
    event = _event(request, pk)
    if event.course.region_id not in scope_for(request.user).region_ids:
        raise PermissionDenied
    return event


def _form_errors(form, exc: ValidationError) -> None:
    """A service's refusal beside the fields it names, the rest at the top of the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _error_message(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _calendar_response(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{slugify(name) or "kurs"}.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response


# The calendar


@login_required
def event_list(request):
    """Upcoming published events (and the region's drafts, for its advisers); `when=past`
    shows the events that are over, newest first."""
    past = request.GET.get("when") == "past"
    events = (
        CourseEvent.objects.visible_to(request.user)
        .select_related("course")
        .with_dates()
        .with_counts()
    )
    events = events.past().order_by("-starts_at", "-pk") if past else events.upcoming()
    if not past:
        events = events.order_by("starts_at", "pk")
    filterset = EventFilter(request.GET, queryset=events)
    page_obj = Paginator(filterset.qs, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    mine = dict(
        Registration.objects.active()
        .filter(user=request.user, event__in=[e.pk for e in page_obj])
        .values_list("event_id", "status")
    )
    for event in page_obj:
        event.my_status = mine.get(event.pk)
    context = {
        "filter": filterset,
        "page_obj": page_obj,
        "past": past,
        "advises": bool(scope_for(request.user).region_ids),
    }
    template = "courses/event_list.html"
    if request.htmx and request.htmx.target == "event-list":
        template = "courses/_event_list.html"
    return render(request, template, context)


@login_required
def event_detail(request, pk):
    event = _event(request, pk)
    scope = scope_for(request.user)
    mine = (
        Registration.objects.active()
        .filter(event=event, user=request.user)
        .select_related("event")
        .first()
    )
    closed = event.registration_closed_reason()
    form = None
    if mine is None and closed is None and event.is_published:
        form = SelfRegistrationForm(event=event)
    context = {
        "event": event,
        "sessions": event.sessions.all(),
        "mine": mine,
        "form": form,
        "all_full": all(row["left"] == 0 for row in event.places()),
        "closed": closed,
        "advises": event.course.region_id in scope.region_ids,
        "now": timezone.now(),
    }
    return render(request, "courses/event_detail.html", context)


@login_required
def event_ical(request, pk):
    event = _event(request, pk)
    return _calendar_response(ical.event_calendar(event), event.name)


# Courses and events (advisers)


@login_required
def course_list(request):
    _require_adviser(request)
    courses = Course.objects.visible_to(request.user).select_related("region")
    page_obj = Paginator(courses, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "courses/course_list.html", {"page_obj": page_obj})


def _regions(request):
    return Region.objects.filter(pk__in=scope_for(request.user).region_ids)


@login_required
def course_create(request):
    _require_adviser(request)
    regions = _regions(request)
    form = CourseForm(request.POST or None, regions=regions)
    if form.is_valid():
        region = form.cleaned_data.get("region") or regions.get()
        course = services.course_create(region=region, by=request.user, data=form.cleaned_data)
        messages.success(request, _("The course is saved. Add its first event."))
        return redirect("courses:event_create", course.pk)
    return render(request, "courses/course_form.html", {"form": form, "course": None})


@login_required
def course_update(request, pk):
    course = get_object_or_404(Course.objects.visible_to(request.user), pk=pk)
    form = CourseForm(request.POST or None, instance=course, regions=_regions(request))
    if form.is_valid():
        services.course_update(course=course, by=request.user, data=form.cleaned_data)
        messages.success(request, _("The course is saved."))
        return redirect("courses:course_list")
    return render(request, "courses/course_form.html", {"form": form, "course": course})


def _event_form(request, course, event=None):
    data = request.POST if request.method == "POST" else None
    initial = {} if event else {"target_group": course.target_group}
    form = CourseEventForm(data, instance=event, initial=initial)
    formset = SessionFormSet(data, instance=event or CourseEvent())
    if data is not None and form.is_valid() and formset.is_valid():
        sessions, removed = session_data(formset)
        try:
            if event is None:
                event = services.event_create(
                    course=course, by=request.user, data=form.cleaned_data, sessions=sessions
                )
                messages.success(
                    request, _("The event is saved as a draft. Publish it when ready.")
                )
            else:
                services.event_update(
                    event=event,
                    by=request.user,
                    data=form.cleaned_data,
                    sessions=sessions,
                    removed=removed,
                )
                messages.success(request, _("The event is saved."))
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            return redirect(event)
    context = {"course": course, "event": event, "form": form, "formset": formset}
    return render(request, "courses/event_form.html", context)


@login_required
def event_create(request, course_pk):
    course = get_object_or_404(Course.objects.visible_to(request.user), pk=course_pk)
    return _event_form(request, course)


@login_required
def event_update(request, pk):
    event = _event_for_adviser(request, pk)
    return _event_form(request, event.course, event)


@login_required
@require_POST
def event_publish(request, pk):
    event = _event_for_adviser(request, pk)
    try:
        services.event_publish(event=event, by=request.user)
    except ValidationError as exc:
        _error_message(request, exc)
    else:
        messages.success(request, _("The event is published in the course calendar."))
    return redirect(event)


@login_required
@require_POST
def event_unpublish(request, pk):
    event = _event_for_adviser(request, pk)
    try:
        services.event_unpublish(event=event, by=request.user)
    except ValidationError as exc:
        _error_message(request, exc)
    else:
        messages.success(request, _("The event is a draft again: only advisers see it."))
    return redirect(event)


@login_required
def event_history(request, pk):
    event = _event_for_adviser(request, pk)
    context = {"event": event, "object": event, "history": change_history(event)}
    return render(request, "courses/event_history.html", context)


# Registration


@login_required
@require_POST
def registration_create(request, pk):
    """A person registers themselves."""
    event = _event(request, pk)
    form = SelfRegistrationForm(request.POST, event=event)
    if not form.is_valid():
        messages.error(request, _("Choose how you will take part."))
        return redirect(event)
    try:
        registration = services.registration_create(
            event=event,
            by=request.user,
            user=request.user,
            format=form.cleaned_data["format"],
            organisation=form.cleaned_data["organisation"],
        )
    except ValidationError as exc:
        _error_message(request, exc)
        return redirect(event)
    if registration.status == Status.CONFIRMED:
        messages.success(request, _("You are registered. A confirmation is on its way by e-mail."))
    else:
        messages.warning(
            request,
            _(
                "The event is full: you are number %(rank)s on the waiting list. We e-mail you "
                "if you get a place."
            )
            % {"rank": registration.waitlist_rank},
        )
    return redirect(event)


@login_required
def registration_add(request, pk):
    """An adviser registers someone else, with or without an account."""
    event = _event_for_adviser(request, pk)
    form = AdviserRegistrationForm(request.POST or None, event=event)
    if form.is_valid():
        try:
            registration = services.registration_create(
                event=event, by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            if registration.status == Status.CONFIRMED:
                text = _("%(name)s is registered.")
            else:
                text = _("%(name)s is number %(rank)s on the waiting list.")
            messages.success(
                request, text % {"name": registration.name, "rank": registration.waitlist_rank}
            )
            return redirect("courses:event_participants", event.pk)
    return render(request, "courses/registration_add.html", {"event": event, "form": form})


def _registration(request, pk) -> Registration:
    return get_object_or_404(
        Registration.objects.visible_to(request.user).select_related(
            "event__course", "user", "waitlist_moved_by", "cancelled_by", "registered_by"
        ),
        pk=pk,
    )


@login_required
def registration_detail(request, pk):
    registration = _registration(request, pk)
    event = registration.event
    advises = event.course.region_id in scope_for(request.user).region_ids
    attendance = {a.session_id: a for a in registration.attendances.select_related("recorded_by")}
    context = {
        "registration": registration,
        "event": event,
        "sessions": [(s, attendance.get(s.pk)) for s in event.sessions.all()],
        "certificates": registration.certificates.select_related("issued_by", "revoked_by"),
        "advises": advises,
        "attended": any(a.present for a in attendance.values()),
        "cancel_closed": None
        if advises or registration.status == Status.WAITING
        else event.cancellation_closed_reason(),
        "history": change_history(registration) if advises else None,
    }
    return render(request, "courses/registration_detail.html", context)


@login_required
@require_POST
def registration_cancel(request, pk):
    registration = _registration(request, pk)
    advises = registration.event.course.region_id in scope_for(request.user).region_ids
    try:
        services.registration_cancel(registration=registration, by=request.user)
    except ValidationError as exc:
        _error_message(request, exc)
        return redirect(registration)
    if registration.user_id == request.user.pk:
        messages.success(request, _("Your registration is cancelled."))
    else:
        messages.success(
            request, _("The registration of %(name)s is cancelled.") % {"name": registration.name}
        )
    if advises:
        return redirect("courses:event_participants", registration.event_id)
    return redirect(registration.event)


# Participants and the waiting list (advisers)


def _participants(event, status):
    order = (
        ("format", "waitlist_rank", "created_at")
        if status == Status.WAITING
        else ("name", "created_at")
    )
    return (
        event.registrations.filter(status=status)
        .select_related("user", "waitlist_moved_by", "cancelled_by")
        .prefetch_related(
            Prefetch("certificates", Certificate.objects.current(), to_attr="current_certificates")
        )
        .with_attendance()
        .order_by(*order, "pk")
    )


@login_required
def event_participants(request, pk):
    event = _event_for_adviser(request, pk)
    status = request.GET.get("status", Status.CONFIRMED)
    if status not in Status.values:
        status = Status.CONFIRMED
    page_obj = Paginator(_participants(event, status), PEOPLE_PER_PAGE).get_page(
        request.GET.get("page")
    )
    if status == Status.WAITING:
        for registration in page_obj:
            length = getattr(event, f"waiting_{registration.format}")
            registration.is_last = registration.waitlist_rank == length
    counts = dict(
        event.registrations.values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    context = {
        "event": event,
        "status": status,
        "page_obj": page_obj,
        "tabs": [(value, label, counts.get(value, 0)) for value, label in Status.choices],
        "sessions": event.sessions.all(),
        "pending_certificates": event.registrations.awaiting_certificate().count()
        if event.ends_at and event.ends_at < timezone.now()
        else 0,
    }
    if request.htmx and request.htmx.target == "participants":
        return render(request, "courses/_participants.html", context)
    return render(request, "courses/participants.html", context)


@login_required
@require_POST
def waitlist_move(request, pk, action):
    registration = _registration(request, pk)
    if registration.event.course.region_id not in scope_for(request.user).region_ids:
        raise PermissionDenied
    try:
        services.waitlist_move(registration=registration, by=request.user, action=action)
    except ValidationError as exc:
        _error_message(request, exc)
    url = reverse("courses:event_participants", args=[registration.event_id])
    return redirect(f"{url}?status=waiting")


@login_required
def participants_export(request, pk):
    event = _event_for_adviser(request, pk)
    registrations = (
        event.registrations.with_attendance()
        .prefetch_related("attendances", "certificates")
        .annotate(
            status_order=Case(
                When(status=Status.CONFIRMED, then=Value(0)),
                When(status=Status.WAITING, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
        .order_by("status_order", "format", "waitlist_rank", "name", "pk")
    )
    content = participants_xlsx(event, registrations)
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = slugify(f"deltakere {event.name}")[:80]
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    response["Cache-Control"] = "private, no-store"
    return response


# Attendance


@login_required
def attendance_sheet(request, pk):
    """The printable A4 list to sign at the door: everyone with a place, a column per session."""
    event = _event_for_adviser(request, pk)
    registrations = event.registrations.confirmed().order_by("format", "name", "pk")
    context = {
        "event": event,
        "sessions": list(event.sessions.all()),
        "registrations": registrations,
        "printed_at": timezone.now(),
    }
    pdf = render_pdf("pdf/course_attendance_sheet.html", context, request=request)
    return pdf_response(pdf, f"oppmote {event.name}")


def _session_for_adviser(request, pk) -> EventSession:
    session = get_object_or_404(
        EventSession.objects.visible_to(request.user).select_related("event__course"), pk=pk
    )
    if session.event.course.region_id not in scope_for(request.user).region_ids:
        raise PermissionDenied
    return session


@login_required
def session_attendance(request, pk):
    """Taking attendance on a phone: one big button per person with a place."""
    session = _session_for_adviser(request, pk)
    event = session.event
    q = request.GET.get("q", "").strip()
    registrations = event.registrations.confirmed().select_related("user").order_by("name", "pk")
    if q:
        registrations = registrations.filter(Q(name__icontains=q) | Q(organisation__icontains=q))
    page_obj = Paginator(registrations, ATTENDANCE_PER_PAGE).get_page(request.GET.get("page"))
    present = set(
        Attendance.objects.filter(
            session=session, present=True, registration__in=[r.pk for r in page_obj]
        ).values_list("registration_id", flat=True)
    )
    context = {
        "session": session,
        "event": event,
        "sessions": event.sessions.all(),
        "rows": [(r, r.pk in present) for r in page_obj],
        "page_obj": page_obj,
        "q": q,
        "present_count": Attendance.objects.filter(session=session, present=True).count(),
        "total": event.registrations.confirmed().count(),
        "too_early": session.local_date > timezone.localdate(),
    }
    if request.htmx and request.htmx.target == "attendance-list":
        return render(request, "courses/_attendance_list.html", context)
    return render(request, "courses/attendance.html", context)


@login_required
@require_POST
def attendance_toggle(request, pk, session_pk):
    registration = _registration(request, pk)
    session = _session_for_adviser(request, session_pk)
    if session.event_id != registration.event_id:
        raise Http404
    present = request.POST.get("present") == "1"
    error = None
    try:
        services.attendance_set(
            registration=registration, session=session, present=present, by=request.user
        )
    except ValidationError as exc:
        error = " ".join(exc.messages)
        present = Attendance.objects.filter(
            registration=registration, session=session, present=True
        ).exists()
    if request.htmx:
        context = {
            "registration": registration,
            "session": session,
            "present": present,
            "error": error,
            "oob": True,
            "present_count": session.attendances.filter(present=True).count(),
            "total": registration.event.registrations.confirmed().count(),
        }
        return render(request, "courses/_attendance_row.html", context)
    if error:
        messages.error(request, error)
    return redirect("courses:session_attendance", session.pk)


# Certificates


@login_required
@require_POST
def certificates_issue(request, pk):
    event = _event_for_adviser(request, pk)
    tasks.issue_certificates.delay_on_commit(event.pk, request.user.pk)
    messages.success(
        request,
        _(
            "Certificates are being made for everyone who attended and has none yet. Each "
            "person gets theirs by e-mail."
        ),
    )
    return redirect("courses:event_participants", event.pk)


@login_required
def certificate_download(request, pk):
    certificate = get_object_or_404(
        Certificate.objects.visible_to(request.user).select_related("registration"), pk=pk
    )
    return document_response(certificate.file, filename=f"kursbevis {certificate.number}.pdf")


@login_required
@require_POST
def certificate_revoke(request, pk):
    certificate = get_object_or_404(
        Certificate.objects.visible_to(request.user).select_related("registration__event__course"),
        pk=pk,
    )
    registration = certificate.registration
    if registration.event.course.region_id not in scope_for(request.user).region_ids:
        raise PermissionDenied
    services.certificate_revoke(certificate=certificate, by=request.user)
    messages.success(
        request,
        _("The certificate %(number)s is revoked. Correct the attendance and issue a new one.")
        % {"number": certificate.number},
    )
    return redirect(registration)


# The person's own page and calendar feed


@login_required
def my_registrations(request):
    now = timezone.now()
    registrations = (
        Registration.objects.filter(user=request.user)
        .select_related("event__course")
        .prefetch_related(
            Prefetch("certificates", Certificate.objects.current(), to_attr="current_certificates")
        )
        .with_event_dates()
    )
    upcoming = registrations.active().filter(event_ends_at__gte=now).order_by("event_starts_at")
    past = registrations.filter(event_ends_at__lt=now).exclude(status=Status.WAITING)
    page_obj = Paginator(past.order_by("-event_starts_at", "-pk"), PEOPLE_PER_PAGE).get_page(
        request.GET.get("page")
    )
    feed = CalendarFeed.objects.filter(user=request.user).first()
    context = {
        "upcoming": upcoming,
        "page_obj": page_obj,
        "feed": feed,
        "feed_url": request.build_absolute_uri(reverse("courses:calendar_feed", args=[feed.token]))
        if feed
        else "",
    }
    return render(request, "courses/my_registrations.html", context)


def calendar_feed(request, token):
    """The person's registrations as iCalendar, for a calendar that subscribes without
    logging in: the secret address is the key."""
    feed = get_object_or_404(CalendarFeed.objects.select_related("user"), token=token)
    if not feed.user.is_active:
        raise Http404
    registrations = (
        Registration.objects.active()
        .filter(user=feed.user, event__is_published=True)
        .select_related("event__course")
        .prefetch_related("event__sessions")
    )
    return _calendar_response(
        ical.registrations_calendar(registrations, name=_("ALIS Vest courses")), "alis-vest-kurs"
    )


@login_required
@require_POST
def calendar_feed_enable(request):
    services.calendar_feed_enable(user=request.user)
    messages.success(request, _("Your calendar address is ready: copy it into your calendar."))
    return redirect("courses:my_registrations")


@login_required
@require_POST
def calendar_feed_reset(request):
    services.calendar_feed_reset(user=request.user)
    messages.success(request, _("You have a new calendar address. The old one no longer works."))
    return redirect("courses:my_registrations")


@login_required
@require_POST
def calendar_feed_disable(request):
    services.calendar_feed_disable(user=request.user)
    messages.success(request, _("The calendar address is turned off."))
    return redirect("courses:my_registrations")
