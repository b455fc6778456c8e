"""The company's retention rules as pure date arithmetic (no store, no I/O).

With no order ever, an account is due a number of months after registration; otherwise
a number of months after the last order. :mod:`mlm_tui.core.local.retention` applies them to
the store; the home screen's alerts warn before they bite.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime
from enum import StrEnum

from mlm_tui.core.models import CompanyProfile


class RetentionRule(StrEnum):
    NO_ORDER = "no_order"  # never ordered: counted from registration
    AFTER_LAST_ORDER = "after_last_order"  # counted from the last order


def add_months(moment: date, months: int) -> date:
    """The same day ``months`` later, clamped to the month's end (31 Jan + 1 = 28/29 Feb)."""
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return date(year, month, day)


def retention_due_on(
    registered_at: datetime, last_order_at: datetime | None, company: CompanyProfile
) -> tuple[RetentionRule, date]:
    """Which rule applies to an account and the day it becomes due."""
    if last_order_at is None:
        return RetentionRule.NO_ORDER, add_months(
            registered_at.date(), company.retention_no_order_months
        )
    return RetentionRule.AFTER_LAST_ORDER, add_months(
        last_order_at.date(), company.retention_after_last_order_months
    )
