"""The access matrix: for every URL that takes an object, who gets which status.

Each app lists its URLs in `tests/<app>/access.py` as `ACCESS = {"app:url_name": Access(...)}`.
`build(world)` creates the object in municipality A (and whatever it needs) and returns the
URL's kwargs. `expect` gives the status per persona; personas not named get `default`
(404: outside the scope), and `anonymous` is always sent to the login page unless the URL is
public. tests/test_access_matrix.py fails for a URL pattern that has no entry.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

OK, NOT_FOUND, FORBIDDEN, REDIRECT = 200, 404, 403, 302


@dataclass
class Access:
    build: Callable
    expect: dict[str, int] = field(default_factory=dict)
    default: int = NOT_FOUND
    public: bool = False
    method: str = "get"
    data: dict | None = None

    def status_for(self, persona: str) -> int:
        if persona == "anonymous" and not self.public:
            return self.expect.get("anonymous", REDIRECT)
        return self.expect.get(persona, self.default)
