from alisvest.formats.nb.formats import *  # noqa: F403
