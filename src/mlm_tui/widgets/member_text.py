"""How a member's kind and status read on screen, the same on every screen."""

from __future__ import annotations

from mlm_tui.core.models import MemberKind, MemberStatus
from mlm_tui.i18n import _


def status_label(status: MemberStatus) -> str:
    labels = {
        MemberStatus.ACTIVE: _("active"),
        MemberStatus.PENDING: _("not activated"),
        MemberStatus.CLOSED: _("closed"),
    }
    return labels[status]


def kind_label(kind: MemberKind) -> str:
    return _("Consultant") if kind is MemberKind.CONSULTANT else _("Customer")
