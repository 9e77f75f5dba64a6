from tests.access import FORBIDDEN, OK, REDIRECT, Access
from tests.partners.factories import ArrangementFactory, ArrangementPartyFactory, PostingFactory


def _arrangement(w):
    """An arrangement municipality A has joined (its managers read it)."""
    party = ArrangementPartyFactory(
        arrangement=ArrangementFactory(region=w.region), municipality=w.muni_a
    )
    return {"pk": party.arrangement.pk}


def _posting(w):
    """Municipality A's ALIS position, posted (its managers and the region's advisers keep it)."""
    return {"pk": PostingFactory(region=w.region, position=w.position_a).pk}


# Advisers write; the managers of a party municipality read (changing: 403); everyone else 404.
READ = {"adviser": OK, "manager_a": OK}
WRITE = {"adviser": OK, "manager_a": FORBIDDEN}
# The forms are posted empty: the adviser gets them back with their errors.
POST_EMPTY = {"adviser": 400, "manager_a": FORBIDDEN}

ACCESS = {
    "partners:arrangement_detail": Access(build=_arrangement, expect=READ),
    "partners:arrangement_update": Access(build=_arrangement, expect=WRITE),
    "partners:party_add": Access(build=_arrangement, expect=POST_EMPTY, method="post"),
    "partners:places_set": Access(build=_arrangement, expect=POST_EMPTY, method="post"),
    "partners:arrangement_sign": Access(build=_arrangement, expect=POST_EMPTY, method="post"),
    "partners:arrangement_pdf": Access(build=_arrangement, expect=READ),
    "partners:posting_update": Access(build=_posting, expect=READ),
    "partners:posting_withdraw": Access(
        build=_posting, expect={"adviser": REDIRECT, "manager_a": REDIRECT}, method="post"
    ),
}
