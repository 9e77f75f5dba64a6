from decimal import Decimal

from alisvest.templatetags.portal import kr, thousands


def test_kroner_as_the_office_writes_them():
    assert kr(200000) == "kr\u00a0200\u00a0000"
    assert kr(Decimal("250000.00")) == "kr\u00a0250\u00a0000"
    assert kr(-50000) == "kr\u00a0−50\u00a0000"
    assert kr(None) == ""


def test_thousands():
    assert thousands(286930) == "286\u00a0930"
    assert thousands(188) == "188"
