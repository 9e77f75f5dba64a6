import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from education_plans.models import Attestation
from tests.access import FORBIDDEN, OK, REDIRECT, Access
from tests.education_plans.factories import (
    AttestationFactory,
    CatalogueFactory,
    GroupSupervisionPeriodFactory,
    LearningActivityFactory,
    ObjectiveFactory,
    ServicePeriodFactory,
)


def _plan(w):
    return {"pk": w.plan_a.pk}


def _period(w):
    return {"pk": ServicePeriodFactory(plan=w.plan_a).pk}


def _group_period(w):
    return {"pk": GroupSupervisionPeriodFactory(alis=w.alis_a).pk}


def _activity(w, **values):
    defaults = {"alis": w.alis_a, "date": timezone.localdate() - datetime.timedelta(days=3)}
    return LearningActivityFactory(**{**defaults, **values})


def _done(w):
    return {"pk": _activity(w).pk}


def _confirmed(w):
    activity = _activity(w, confirmed_by=w.supervisor_a, confirmed_at=timezone.now())
    return {"pk": activity.pk}


def _with_attachment(w):
    activity = _activity(w)
    activity.attachment.save("kursbevis.pdf", ContentFile(b"%PDF-1.7 kursbevis"))
    return {"pk": activity.pk}


def _objective(w):
    catalogue = CatalogueFactory()
    w.plan_a.alm_catalogue = catalogue
    w.plan_a.save()
    return ObjectiveFactory(catalogue=catalogue)


def _plan_objective(w):
    return {"pk": w.plan_a.pk, "objective_pk": _objective(w).pk}


def _attestation(status, decided_by=None):
    def build(w):
        attestation = AttestationFactory(
            plan=w.plan_a,
            objective=_objective(w),
            status=status,
            decided_by=decided_by(w) if decided_by else None,
            decided_at=timezone.now() if decided_by else None,
        )
        return {"pk": attestation.pk}

    return build


def _catalogue(w):
    return {"pk": CatalogueFactory().pk}


# Who sees an ALIS's plan (education_plans.models.alis_visibility): the ALIS, the region's
# advisers, the municipality's managers, the supervisor of today and the education leader
# (manager A in the world). Another ALIS, manager B and the outsider: 404.
READERS = {"adviser": OK, "manager_a": OK, "alis_a": OK, "supervisor_a": OK}
# The plan itself (start, rule set, leader, catalogues): managers and advisers.
ADMINISTER = {"adviser": OK, "manager_a": OK, "alis_a": FORBIDDEN, "supervisor_a": FORBIDDEN}
# Service periods and activities: the ALIS too.
EDIT = {"adviser": OK, "manager_a": OK, "alis_a": OK, "supervisor_a": FORBIDDEN}
EDIT_POST = {
    "adviser": REDIRECT,
    "manager_a": REDIRECT,
    "alis_a": REDIRECT,
    "supervisor_a": FORBIDDEN,
}
# Confirmation: only the ALIS's supervisor of today.
SUPERVISOR_POST = {
    "supervisor_a": REDIRECT,
    "adviser": FORBIDDEN,
    "manager_a": FORBIDDEN,
    "alis_a": FORBIDDEN,
}
# Attestation: the education leader decides; the ALIS asks.
LEADER_POST = {
    "manager_a": REDIRECT,
    "adviser": FORBIDDEN,
    "alis_a": FORBIDDEN,
    "supervisor_a": FORBIDDEN,
}
ALIS_POST = {
    "alis_a": REDIRECT,
    "adviser": FORBIDDEN,
    "manager_a": FORBIDDEN,
    "supervisor_a": FORBIDDEN,
}
# Catalogues are reference data for everyone with a role.
ANY_ROLE = dict.fromkeys(
    ["adviser", "manager_a", "manager_b", "alis_a", "alis_b", "supervisor_a"], OK
)

ACCESS = {
    "education_plans:plan_detail": Access(build=_plan, expect=READERS),
    "education_plans:plan_history": Access(build=_plan, expect=READERS),
    "education_plans:plan_progress": Access(build=_plan, expect=READERS),
    "education_plans:plan_pdf": Access(build=_plan, expect=READERS),
    "education_plans:plan_update": Access(build=_plan, expect=ADMINISTER),
    "education_plans:plan_catalogue_move": Access(build=_plan, expect=ADMINISTER),
    "education_plans:service_period_create": Access(build=_plan, expect=EDIT),
    "education_plans:service_period_update": Access(build=_period, expect=EDIT),
    "education_plans:service_period_delete": Access(build=_period, expect=EDIT_POST, method="post"),
    "education_plans:group_period_create": Access(build=_plan, expect=EDIT),
    "education_plans:group_period_delete": Access(
        build=_group_period, expect=EDIT_POST, method="post"
    ),
    "education_plans:activity_list": Access(build=_plan, expect=READERS),
    "education_plans:activity_create": Access(build=_plan, expect=EDIT),
    "education_plans:activity_detail": Access(build=_done, expect=READERS),
    "education_plans:activity_update": Access(build=_done, expect=EDIT),
    "education_plans:activity_delete": Access(build=_done, expect=EDIT_POST, method="post"),
    "education_plans:activity_attachment": Access(build=_with_attachment, expect=READERS),
    "education_plans:activity_confirm": Access(build=_done, expect=SUPERVISOR_POST, method="post"),
    "education_plans:activity_unconfirm": Access(
        build=_confirmed, expect=SUPERVISOR_POST, method="post"
    ),
    "education_plans:objective_detail": Access(build=_plan_objective, expect=READERS),
    "education_plans:attestation_request": Access(
        build=_plan_objective, expect=ALIS_POST, method="post"
    ),
    "education_plans:attestation_withdraw": Access(
        build=_attestation(Attestation.Status.REQUESTED), expect=ALIS_POST, method="post"
    ),
    "education_plans:attestation_attest": Access(
        build=_attestation(Attestation.Status.REQUESTED), expect=LEADER_POST, method="post"
    ),
    "education_plans:attestation_return": Access(
        build=_attestation(Attestation.Status.REQUESTED),
        expect=LEADER_POST,
        method="post",
        data={"comment": "Mangler vurdering fra veileder."},
    ),
    "education_plans:attestation_recall": Access(
        build=_attestation(Attestation.Status.ATTESTED, decided_by=lambda w: w.manager_a),
        expect=LEADER_POST,
        method="post",
    ),
    "education_plans:catalogue_detail": Access(build=_catalogue, expect=ANY_ROLE),
}
