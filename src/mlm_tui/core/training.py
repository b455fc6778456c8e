""""Successful start": the short lessons every newcomer is offered, and their progress.

The lessons are data, in English. Their texts are marked with ``N_`` so the gettext
extractor finds them; the screen translates them with ``_()`` when it shows them (core
never chooses a language).
"""

from __future__ import annotations

from dataclasses import dataclass

from mlm_tui.core.errors import NotFound
from mlm_tui.i18n import N_


@dataclass(frozen=True, slots=True)
class Lesson:
    id: str  # kept in training_progress; never renamed once shipped
    title: str
    paragraphs: tuple[str, ...]


LESSONS: tuple[Lesson, ...] = (
    Lesson(
        "welcome",
        N_("Welcome to the team"),
        (
            N_("You are now a consultant: you buy at the consultant price and earn points "
               "on every order, your own and your customers'."),
            N_("Your registration number is your login and the number your customers and "
               "your sponsor know you by. Keep it at hand."),
            N_("Your sponsor is your first contact for every question. Their name is in "
               "the message that brought your activation code."),
        ),
    ),
    Lesson(
        "catalog",
        N_("Know the catalog"),
        (
            N_("A new catalog starts every few weeks. Prices, points and promotions belong "
               "to the catalog period, so an offer ends when its period closes."),
            N_("Every product has a code printed in the paper catalog. Typing codes in the "
               "quick order is the fastest way to order what a customer ticked."),
            N_("Closed sales are for consultants only: look for them under Promotions."),
        ),
    ),
    Lesson(
        "first_order",
        N_("Your first order"),
        (
            N_("Put the products in the cart, check the points and the total, then choose "
               "a pickup point or delivery and how to pay."),
            N_("Paying from your balance is instant. Top the balance up by card or at a "
               "payment terminal before you order."),
            N_("Your first order is an enrollment order (IN). Later ones are standard "
               "orders (SO), or loyalty orders (AS) if you join the loyalty programme."),
        ),
    ),
    Lesson(
        "points",
        N_("Points and the monthly target"),
        (
            N_("Every product carries points. Your points of a month decide your discount "
               "level and bonuses, so the home screen shows how far you are from the "
               "monthly target and how many days are left."),
            N_("Sponsor and loyalty points can be spent on products. They expire: the home "
               "screen warns you a month before."),
        ),
    ),
    Lesson(
        "customers",
        N_("Looking after customers"),
        (
            N_("Register your customers into your team, so their orders count for you. "
               "Each gets a registration number and an activation code."),
            N_("Find a customer by name; when several share a name, the city and the last "
               "order tell them apart. The overview shows three months of points."),
            N_("Never pass on a customer's personal data. Phones and e-mails are shown "
               "masked; reveal them only when you need to call."),
        ),
    ),
    Lesson(
        "after_the_order",
        N_("After the order"),
        (
            N_("Follow every parcel in one tracking list, whatever the carrier."),
            N_("An order not yet shipped can be cancelled without a reason; a fee for "
               "forming it may be kept. A shipped parcel can be stopped with the carrier; "
               "then its delivery there and back may be kept too."),
            N_("For a faulty product, send a claim with the invoice number. The decision "
               "arrives in your inbox within a week."),
        ),
    ),
    Lesson(
        "stay_active",
        N_("Stay active"),
        (
            N_("An account with no order is removed three months after registration, and "
               "one year after the last order otherwise."),
            N_("The home screen warns you before anyone in your team reaches that point, "
               "so you can call them in time."),
        ),
    ),
)


def lesson(lesson_id: str) -> Lesson:
    for candidate in LESSONS:
        if candidate.id == lesson_id:
            return candidate
    raise NotFound("no such lesson", field="lesson")


def next_lesson(completed: set[str]) -> Lesson | None:
    """The first lesson not done yet, in course order; None when the course is finished."""
    return next((item for item in LESSONS if item.id not in completed), None)


def progress(completed: set[str]) -> tuple[int, int]:
    """(lessons done, lessons in the course); ids of withdrawn lessons do not count."""
    known = {item.id for item in LESSONS}
    return len(completed & known), len(LESSONS)
