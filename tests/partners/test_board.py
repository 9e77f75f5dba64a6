"""The position board: who posts for which municipality or institution, expiry, the public
page and its feed."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from municipalities.models import PartnerKind
from partners.models import Posting, PostingKind
from partners.services import posting_save, posting_withdraw
from tests.alis_agreements.factories import PositionFactory
from tests.municipalities.factories import CountyFactory, PartnerFactory
from tests.partners.factories import PostingFactory
from tests.queries import assert_constant_queries

D = datetime.date
BOARD = reverse("board")


@pytest.fixture
def today(time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 23, 12, tzinfo=datetime.UTC))
    return D(2026, 11, 23)


@pytest.fixture
def helse_bergen(world):
    return PartnerFactory(
        region=world.region,
        name="Helse Bergen",
        kind=PartnerKind.HEALTH_TRUST,
        county=world.muni_a.county,
    )


FIELDS = {
    "place": "Haukeland, medisinsk avdeling",
    "period_start": D(2027, 2, 1),
    "period_end": D(2027, 7, 31),
    "percentage": 100,
    "description": "",
    "contact_name": "Kari Kommuneoverlege",
    "contact_email": "kari@kommune.example.no",
    "contact_phone": "",
    "deadline": D(2026, 12, 15),
}


def post(by, **extra):
    return posting_save(by=by, **{"title": "", **FIELDS, **extra})


# Who posts what


def test_a_manager_posts_an_alis_position_of_their_municipality(world, today):
    posting = post(world.manager_a, position=world.position_a)

    assert posting.kind == PostingKind.ALIS_POSITION
    assert posting.municipality == world.muni_a and posting.region == world.region
    assert posting.display_title == world.position_a.title  # one source: the position record


def test_a_manager_cannot_post_another_municipalitys_position(world, today):
    with pytest.raises(PermissionDenied):
        post(world.manager_b, position=world.position_a)
    assert not Posting.objects.exists()


def test_only_advisers_post_an_institutions_place(world, today, helse_bergen):
    with pytest.raises(PermissionDenied):
        post(world.manager_a, institution=helse_bergen, title="Vikariat indremedisin")

    posting = post(world.adviser, institution=helse_bergen, title="Vikariat indremedisin")

    assert posting.kind == PostingKind.INSTITUTION_PLACE and posting.municipality is None


@pytest.mark.parametrize("persona", ["alis_a", "supervisor_a", "outsider"])
def test_others_post_nothing(world, today, helse_bergen, persona):
    with pytest.raises(PermissionDenied):
        post(world.user(persona), position=world.position_a)
    with pytest.raises(PermissionDenied):
        post(world.user(persona), institution=helse_bergen, title="X")


def test_a_place_needs_a_title_a_contact_and_a_deadline_ahead(world, today, helse_bergen):
    with pytest.raises(ValidationError):
        post(world.adviser, institution=helse_bergen)
    with pytest.raises(ValidationError):
        post(world.adviser, institution=helse_bergen, title="X", contact_email="")
    with pytest.raises(ValidationError):
        post(world.adviser, position=world.position_a, deadline=D(2026, 11, 22))
    assert not Posting.objects.exists()


def test_an_association_is_not_an_institution(world, today):
    ks = PartnerFactory(region=world.region, kind=PartnerKind.ASSOCIATION)
    with pytest.raises(ValidationError):
        post(world.adviser, institution=ks, title="X")


# Expiry


def test_a_posting_is_open_until_its_deadline_and_gone_the_day_after(world):
    posting = PostingFactory(
        region=world.region, position=world.position_a, deadline=D(2026, 12, 15)
    )

    assert list(Posting.objects.open(D(2026, 12, 15))) == [posting]
    assert not Posting.objects.open(D(2026, 12, 16)).exists()


def test_a_withdrawn_posting_leaves_the_board(world, today):
    posting = PostingFactory(region=world.region, position=world.position_a)

    posting_withdraw(posting=posting, by=world.manager_a)

    assert not Posting.objects.open().exists()
    with pytest.raises(PermissionDenied):
        posting_withdraw(posting=posting, by=world.manager_b)


# The public page


def test_the_public_board_shows_only_open_postings_without_login(world, client, time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 23, 12, tzinfo=datetime.UTC))
    open_one = PostingFactory(region=world.region, position=world.position_a, place="Åpen plass")
    PostingFactory(
        region=world.region,
        position=world.position_a,
        deadline=D(2026, 11, 22),
        place="Utløpt plass",
    )
    PostingFactory(
        region=world.region,
        position=world.position_a,
        place="Trukket plass",
        withdrawn_at=datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC),
    )

    response = client.get(BOARD)

    assert response.status_code == 200
    assert list(response.context["page_obj"]) == [open_one]
    html = response.content.decode()
    assert "Åpen plass" in html and "Utløpt plass" not in html and "Trukket plass" not in html


def test_the_board_shows_the_contact_and_no_one_else(world, client, today):
    posting = post(world.manager_a, position=world.position_a)

    html = client.get(BOARD).content.decode()

    assert posting.contact_email in html and posting.contact_name in html
    for secret in (world.manager_a.email, str(world.manager_a), world.alis_a.email):
        assert secret not in html


def test_the_board_filters_by_county_kind_and_period(world, client, today, helse_bergen):
    rogaland = CountyFactory(number="11", name="Rogaland")
    stavanger = PostingFactory(
        region=world.region, position=PositionFactory(municipality=world.muni_b), place="Stavanger"
    )
    sogndal = PostingFactory(
        region=world.region,
        position=world.position_a,
        period_start=D(2027, 8, 1),
        place="Sogndal",
    )
    place = post(world.adviser, institution=helse_bergen, title="Vikariat")

    def found(**params):
        return list(client.get(BOARD, params).context["page_obj"])

    assert found(county=rogaland.pk) == [stavanger]
    assert set(found(county=world.muni_a.county.pk)) == {sogndal, place}
    assert found(kind=PostingKind.INSTITUTION_PLACE) == [place]
    assert sogndal not in found(end="01.06.2027")
    assert set(found(start="01.08.2027")) == {sogndal, stavanger}  # open-ended periods


def test_the_feed_lists_open_postings(world, client, today):
    PostingFactory(region=world.region, position=world.position_a, place="Åpen plass")
    PostingFactory(
        region=world.region, position=world.position_a, deadline=D(2026, 11, 1), place="Gammel"
    )

    response = client.get(reverse("board_feed"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    body = response.content.decode()
    assert "Åpen plass" in body and "Gammel" not in body


def test_the_board_query_count_stays_constant(world, client, today, helse_bergen):
    PostingFactory(region=world.region, position=world.position_a)

    def grow():
        for _n in range(5):
            PostingFactory(region=world.region, position=PositionFactory(municipality=world.muni_b))
            post(world.adviser, institution=helse_bergen, title="Vikariat")

    assert_constant_queries(client, BOARD, grow)


# The postings page (logged in)


def test_manager_posts_through_the_page(world, client_for, today):
    response = client_for(world.manager_a).post(
        reverse("partners:posting_create"),
        {
            "position": world.position_a.pk,
            "place": "Sogndal legekontor",
            "period_start": "01.02.2027",
            "percentage": "100",
            "contact_name": "Kari Leder",
            "contact_email": "kari@kommune-a.example",
            "deadline": "15.12.2026",
        },
    )

    assert response.status_code == 302
    assert Posting.objects.get().municipality == world.muni_a


def test_a_manager_is_not_offered_institutions_or_other_positions(world, client_for, today):
    form = client_for(world.manager_a).get(reverse("partners:posting_create")).context["form"]

    assert "institution" not in form.fields
    assert list(form.fields["position"].queryset) == [world.position_a]


@pytest.mark.parametrize("persona", ["alis_a", "outsider"])
def test_others_have_no_postings_page(world, client_for, persona):
    client = client_for(world.user(persona))
    assert client.get(reverse("partners:posting_list")).status_code == 404
    assert client.get(reverse("partners:posting_create")).status_code == 404


def test_posting_list_query_count_stays_constant(world, client_for, today):
    PostingFactory(region=world.region, position=world.position_a)

    def grow():
        for _n in range(10):
            PostingFactory(region=world.region, position=world.position_a)

    assert_constant_queries(client_for(world.manager_a), reverse("partners:posting_list"), grow)
