"""The company profile: stored as JSON in the store, read into :class:`CompanyProfile`."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import fields
from decimal import Decimal
from typing import Any

from mlm_tui.core.models import (
    Carrier,
    CompanyProfile,
    DeliveryMethod,
    PaymentMethod,
    PickupPoint,
)
from mlm_tui.core.money import Money

_HERMES_TRACKING = "https://www.myhermes.de/empfangen/sendungsverfolgung/sendungsinformation/#{number}"
_DHL_TRACKING = "https://www.dhl.de/de/privatkunden/pakete-empfangen/verfolgen.html?piececode={number}"
_DEFAULTS = {f.name: f.default for f in fields(CompanyProfile)}


def profile_to_json(profile: CompanyProfile) -> str:
    def money(m: Money | None) -> str | None:
        return None if m is None else str(m.amount)

    return json.dumps(
        {
            "name": profile.name,
            "currency": profile.currency,
            "locale": profile.locale,
            "points_label": profile.points_label,
            "consultant_discount": str(profile.consultant_discount),
            "cancellation_forming_fee": money(profile.cancellation_forming_fee),
            "cancellation_round_trip_fee": money(profile.cancellation_round_trip_fee),
            "delivery_fee": money(profile.delivery_fee),
            "free_delivery_from": money(profile.free_delivery_from),
            "monthly_points_target": str(profile.monthly_points_target),
            "carriers": [[c.code, c.name, c.tracking_url, c.country] for c in profile.carriers],
            "payment_methods": [p.value for p in profile.payment_methods],
            "pickup_points": [
                [p.code, p.name, p.address, p.kind.value, p.country]
                for p in profile.pickup_points
            ],
            "claim_decision_days": profile.claim_decision_days,
            "retention_no_order_months": profile.retention_no_order_months,
            "retention_after_last_order_months": profile.retention_after_last_order_months,
            "wallet_points_share": str(profile.wallet_points_share),
            "wallet_points_valid_days": profile.wallet_points_valid_days,
            "money_per_wallet_point": str(profile.money_per_wallet_point),
            "demo_payments": profile.demo_payments,
            "vat_standard_rate": str(profile.vat_standard_rate),
            "vat_reduced": [[name, str(rate)] for name, rate in profile.vat_reduced],
        },
        ensure_ascii=False,
    )


def profile_from_json(text: str) -> CompanyProfile:
    data = json.loads(text)
    currency = data["currency"]

    def money(value: str | None) -> Money | None:
        return None if value is None else Money(Decimal(value), currency)

    return CompanyProfile(
        name=data["name"],
        currency=currency,
        locale=data["locale"],
        points_label=data["points_label"],
        consultant_discount=Decimal(data["consultant_discount"]),
        **_cancellation_fees(data, money, currency),
        delivery_fee=money(data["delivery_fee"]) or Money.zero(currency),
        free_delivery_from=money(data.get("free_delivery_from")),
        monthly_points_target=Decimal(data["monthly_points_target"]),
        carriers=tuple(Carrier(*c) for c in data["carriers"]),
        payment_methods=tuple(PaymentMethod(p) for p in data["payment_methods"]),
        # Stored before carriers and points named their country: the rest is "" (anywhere).
        pickup_points=tuple(
            PickupPoint(code, name, address, DeliveryMethod(kind), *rest)
            for code, name, address, kind, *rest in data["pickup_points"]
        ),
        claim_decision_days=data.get("claim_decision_days", 7),
        retention_no_order_months=data.get("retention_no_order_months", 3),
        retention_after_last_order_months=data.get("retention_after_last_order_months", 12),
        # A profile stored before the wallet settings existed gets the defaults.
        wallet_points_share=Decimal(data.get("wallet_points_share",
                                             _DEFAULTS["wallet_points_share"])),
        wallet_points_valid_days=data.get("wallet_points_valid_days",
                                          _DEFAULTS["wallet_points_valid_days"]),
        money_per_wallet_point=Decimal(data.get("money_per_wallet_point",
                                                _DEFAULTS["money_per_wallet_point"])),
        demo_payments=data.get("demo_payments", False) is True,
        # A profile stored before VAT was set charges none until the company sets it.
        vat_standard_rate=Decimal(data.get("vat_standard_rate", "0")),
        vat_reduced=tuple((name, Decimal(rate)) for name, rate in data.get("vat_reduced", ())),
    )


def market_country(company: CompanyProfile) -> str:
    """The country the company sells in (ISO 3166: ``RU``, ``DE``), from its locale: the
    locale's own territory (``de_AT`` -> ``AT``), else where its language is mostly spoken
    (``ru`` -> ``RU``, ``kk`` -> ``KZ``). A phone number typed without a country code, or
    an address typed on its screens, belongs there."""
    from babel.core import Locale, get_global, parse_locale

    locale = Locale.parse(company.locale.replace("-", "_"))
    if locale.territory:
        return locale.territory
    likely = get_global("likely_subtags").get(locale.language, "")
    territory = parse_locale(likely)[1] if likely else None
    return territory or ""
def _cancellation_fees(data: dict[str, Any], money: Callable[[str | None], Money | None],
                       currency: str) -> dict[str, Money]:
    if "cancellation_forming_fee" not in data:
        # A profile stored as one flat fee: it stays what an unshipped cancel costs, and
        # nothing more is charged for the round trip until the company sets it.
        return {"cancellation_forming_fee": money(data.get("cancellation_fee"))
                or Money.zero(currency),
                "cancellation_round_trip_fee": Money.zero(currency)}
    return {
        "cancellation_forming_fee": money(data["cancellation_forming_fee"])
        or Money.zero(currency),
        "cancellation_round_trip_fee": money(data.get("cancellation_round_trip_fee"))
        or Money.zero(currency),
    }


def demo_company(market: str = "ru") -> CompanyProfile:
    """The demo company of a market: Russian (RUB, BB) or German (EUR, PV)."""
    if market == "de":
        return CompanyProfile(
            name="Aromaviva GmbH",
            currency="EUR",
            locale="de",
            points_label="PV",
            consultant_discount=Decimal("0.25"),
            cancellation_forming_fee=Money(Decimal("4.90"), "EUR"),
            cancellation_round_trip_fee=Money(Decimal("9.80"), "EUR"),
            delivery_fee=Money(Decimal("5.90"), "EUR"),
            free_delivery_from=Money(Decimal("100"), "EUR"),
            monthly_points_target=Decimal(100),
            carriers=(
                Carrier("hermes", "Hermes", _HERMES_TRACKING, "DE"),
                Carrier("dhl", "DHL", _DHL_TRACKING, "DE"),
                # Members living in Russia get their parcels by the Russian post.
                Carrier("pochta", "Почта России", "https://www.pochta.ru/tracking#{number}", "RU"),
            ),
            payment_methods=(PaymentMethod.BALANCE, PaymentMethod.CASH_TO_COURIER,
                             PaymentMethod.INSTALMENTS),
            # MwSt: 19 %; food supplements are food, at the reduced 7 %.
            vat_standard_rate=Decimal("0.19"),
            vat_reduced=(("Nahrungsergänzung", Decimal("0.07")),),
            pickup_points=(
                PickupPoint("B-01", "Servicecenter Berlin", "10115 Berlin, Invalidenstraße 12",
                            DeliveryMethod.SERVICE_CENTRE, "DE"),
                PickupPoint("M-01", "Paketshop München", "80331 München, Sendlinger Str. 5",
                            DeliveryMethod.PICKUP_POINT, "DE"),
            ),
        )
    return CompanyProfile(
        name="Северное сияние",
        currency="RUB",
        locale="ru",
        points_label="BB",
        consultant_discount=Decimal("0.20"),
        cancellation_forming_fee=Money(Decimal("150"), "RUB"),
        cancellation_round_trip_fee=Money(Decimal("300"), "RUB"),
        delivery_fee=Money(Decimal("299"), "RUB"),
        free_delivery_from=Money(Decimal("5000"), "RUB"),
        monthly_points_target=Decimal(150),
        carriers=(
            Carrier("cdek", "СДЭК", "https://www.cdek.ru/ru/tracking?order_id={number}", "RU"),
            Carrier("pochta", "Почта России", "https://www.pochta.ru/tracking#{number}", "RU"),
            # Members living in Germany get their parcels by Hermes.
            Carrier("hermes", "Hermes", _HERMES_TRACKING, "DE"),
        ),
        payment_methods=(PaymentMethod.BALANCE, PaymentMethod.SERVICE_CENTRE,
                         PaymentMethod.CASH_TO_COURIER, PaymentMethod.INSTALMENTS),
        # НДС: 22 % since 2026; goods for children at the reduced 10 %.
        vat_standard_rate=Decimal("0.22"),
        vat_reduced=(("Для детей", Decimal("0.10")),),
        pickup_points=(
            PickupPoint("SC-MSK-1", "СЦ Москва, Тверская", "125009, Москва, ул. Тверская, 7",
                        DeliveryMethod.SERVICE_CENTRE, "RU"),
            PickupPoint("PP-MSK-2", "Пункт выдачи «Сокол»", "125080, Москва, Волоколамское ш., 1",
                        DeliveryMethod.PICKUP_POINT, "RU"),
            PickupPoint("PP-SPB-1", "Пункт выдачи «Невский»",
                        "191025, Санкт-Петербург, Невский пр., 48", DeliveryMethod.PICKUP_POINT,
                        "RU"),
        ),
    )
