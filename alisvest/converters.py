class MunicipalityNumberConverter:
    """Four digits: municipalities are addressed by their kommunenummer (/kommuner/4601/)."""

    regex = r"\d{4}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return str(value)
