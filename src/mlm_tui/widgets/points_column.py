"""The points column of a product table: headed with the company's own label ("PV", "BB")."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mlm_tui.i18n import _
from mlm_tui.widgets.flex_table import ColumnSpec

if TYPE_CHECKING:
    from mlm_tui.core.models import CompanyProfile


def points_label(company: CompanyProfile | None) -> str:
    """The company's name for points; a plain one until the company is read."""
    return company.points_label if company else _("Points")


def points_column(company: CompanyProfile | None) -> ColumnSpec:
    return ColumnSpec("points", points_label(company), 5, "right")
