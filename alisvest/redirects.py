"""Where a form sends the person back to: the page named in its `next` field, if it is safe."""

from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request, fallback: str) -> str:
    """`next` from the form (or the query string) when it is a path on this site, else
    `fallback`.

    Only a path will do: `redirect()` would read any other word as a URL name and fail with a
    500, and a control character (a NUL, a line break) has no place in a Location header.
    """
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if (
        next_url.startswith("/")
        and next_url.isprintable()
        and url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure())
    ):
        return next_url
    return fallback
