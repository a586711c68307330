"""Pages of the funding app. Thin: read through the selectors (scoped: out-of-scope ids answer 404), change
through the services, and put a DomainError back on the form field it names."""

from .applications import *  # noqa: F403
from .crosschecks import *  # noqa: F403
from .drafts import *  # noqa: F403
from .matching import *  # noqa: F403
from .payments import *  # noqa: F403
from .public import *  # noqa: F403
from .rounds import *  # noqa: F403
from .simulator import *  # noqa: F403
