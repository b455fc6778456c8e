"""LocalBackend: search_members, member, member_overview, monthly_volume, team_volume, team_children."""

from __future__ import annotations

from mlm_tui.core.local.base import LocalBase


class TeamMixin(LocalBase):
    pass
