from tests.access import OK, Access

ACCESS = {
    "municipalities:municipality_detail": Access(
        build=lambda w: {"number": w.muni_a.number},
        expect={"adviser": OK, "manager_a": OK},
    ),
}
