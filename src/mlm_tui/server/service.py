"""The company's side of the API: the service role's endpoints, and the payment provider's
notifications.

    POST   /api/v1/service/sessions                      sign in a service account
    DELETE /api/v1/service/sessions/current              sign out
    GET    /api/v1/service/payments?state=pending        the payment requests
    POST   /api/v1/service/payments/{reference}/confirmation
    POST   /api/v1/service/payments/{reference}/rejection   {"reason": "..."}
    POST   /api/v1/service/statements                    a camt.053 or CSV statement as the body
    POST   /api/v1/payments/notifications                the provider's signed notification
    POST   /api/v1/service/shipments                     the warehouse's shipments (CSV or JSON)
    POST   /api/v1/service/shipments/events              the carriers' events (CSV or JSON)
    GET    /api/v1/service/claims?open=true              the claims
    POST   /api/v1/service/claims/{number}/decision      {"accept": true, "credit": "500.50"}
                                                         or {"accept": false, "note": "why"}
    GET    /api/v1/service/delivery-stops?open=true      the queue of delivery stops
    POST   /api/v1/service/delivery-stops/{order_number}/decision
                                                         {"credit": true} or
                                                         {"credit": false, "note": "why"}

Every ``/service/`` endpoint wants a service account's bearer token: a member's token is
refused with 403, as a service token is on every member's endpoint. These are not Backend
methods: nothing a member's app can call reaches them.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from fastapi import Body, FastAPI, Query, Request, Response, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field

from mlm_tui.core import errors as e
from mlm_tui.core.local import (
    claim_decisions,
    delivery_stops,
    payments,
    service_accounts,
    shipments,
)
from mlm_tui.core.local.base import live_session, read_company
from mlm_tui.core.models import PaymentSource, PaymentState
from mlm_tui.core.money import Money
from mlm_tui.core.remote import wire
from mlm_tui.core.remote.routes import API_PREFIX
from mlm_tui.core.rules import provider_signature
from mlm_tui.core.shipment_files import read_carrier_events, read_shipments
from mlm_tui.core.statements import read_statement
from mlm_tui.i18n import N_
from mlm_tui.server.context import ContextOf, ServerContext

_log = logging.getLogger("mlm_tui.server.payments")
_bearer = HTTPBearer(auto_error=False, description="a service account's token")
SERVICE = f"{API_PREFIX}/service"
MAX_STATEMENT = 20 * 1024 * 1024
MAX_NOTIFICATION = 64 * 1024
MAX_SHIPMENTS = 20 * 1024 * 1024
Credentials = Annotated[HTTPAuthorizationCredentials | None, Security(_bearer)]


class ServiceSignIn(BaseModel):
    name: str = Field(max_length=64)
    password: str = Field(max_length=1024)


class Rejection(BaseModel):
    reason: str = Field(max_length=1000)


class ClaimDecision(BaseModel):
    accept: bool
    credit: Decimal | None = Field(default=None, ge=0, max_digits=12, decimal_places=2)
    note: str = Field(default="", max_length=1000)


class StopDecision(BaseModel):
    credit: bool
    note: str = Field(default="", max_length=1000)


@dataclass(frozen=True, slots=True)
class ServiceSessionAnswer:
    token: str
    name: str
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class NotificationAnswer:
    outcome: str


def service_account(context: ServerContext, request: Request,
                    credentials: HTTPAuthorizationCredentials | None
                    ) -> service_accounts.ServiceAccount:
    """The service account of the request's token: 401 without one, 403 for a member's."""
    token = credentials.credentials if credentials else ""
    now = context.clock()
    account = service_accounts.account_of(context.store, token, now=now) if token else None
    if account is not None:
        request.state.member_id = f"service:{account.name}"
        return account
    if token:
        with context.store.read() as conn:
            if live_session(conn, token, now) is not None:
                raise e.Forbidden(N_("This is for the company's service only."))
    raise e.NotAuthenticated(N_("Sign in with a service account."))


def add_service_routes(app: FastAPI, context_of: ContextOf) -> None:
    def answer(annotation: Any, value: Any, status: int = 200) -> Response:
        return Response(wire.dump(annotation, value), status_code=status,
                        media_type="application/json")

    @app.post(f"{SERVICE}/sessions", tags=["service"], status_code=201,
              response_model=ServiceSessionAnswer, summary="Sign in a service account")
    def service_sign_in(request: Request, body: Annotated[ServiceSignIn, Body()]) -> Response:
        context = context_of(request)
        address = request.client.host if request.client else "unknown"
        context.count_request("sign_in", address)
        held = service_accounts.sign_in(context.store, body.name, body.password,
                                        now=context.clock())
        return answer(ServiceSessionAnswer,
                      ServiceSessionAnswer(held.token, held.name, held.expires_at), 201)

    @app.delete(f"{SERVICE}/sessions/current", tags=["service"], status_code=204,
                summary="Sign out the service account")
    def service_sign_out(request: Request, credentials: Credentials = None) -> Response:
        context = context_of(request)
        service_account(context, request, credentials)
        assert credentials is not None
        service_accounts.sign_out(context.store, credentials.credentials)
        return Response(status_code=204)

    @app.get(f"{SERVICE}/payments", tags=["service"],
             response_model=list[payments.PaymentCase], summary="The payment requests")
    def service_payments(request: Request, credentials: Credentials = None,
                         state: PaymentState | None = None) -> Response:
        context = context_of(request)
        service_account(context, request, credentials)
        return answer(list[payments.PaymentCase],
                      payments.list_payments(context.store, state=state))

    @app.post(f"{SERVICE}/payments/{{reference}}/confirmation", tags=["service"],
              response_model=payments.PaymentCase, summary="Confirm that a payment arrived")
    def service_confirm(request: Request, reference: str,
                        credentials: Credentials = None) -> Response:
        context = context_of(request)
        account = service_account(context, request, credentials)
        case = payments.confirm_payment(context.store, reference, now=context.clock(),
                                        source=PaymentSource.SERVICE,
                                        decided_by=account.name)
        return answer(payments.PaymentCase, case)

    @app.post(f"{SERVICE}/payments/{{reference}}/rejection", tags=["service"],
              response_model=payments.PaymentCase, summary="Refuse a payment request")
    def service_reject(request: Request, reference: str, body: Annotated[Rejection, Body()],
                       credentials: Credentials = None) -> Response:
        context = context_of(request)
        account = service_account(context, request, credentials)
        case = payments.reject_payment(context.store, reference, now=context.clock(),
                                       reason=body.reason, source=PaymentSource.SERVICE,
                                       decided_by=account.name)
        return answer(payments.PaymentCase, case)

    @app.post(f"{SERVICE}/statements", tags=["service"],
              response_model=payments.StatementReport,
              summary="Import a bank statement (camt.053 XML or CSV as the body)")
    async def service_statement(request: Request,
                                credentials: Credentials = None) -> Response:
        context = context_of(request)
        account = service_account(context, request, credentials)
        data = await _body(request, MAX_STATEMENT)
        entries = read_statement(data)
        report = payments.import_statement(context.store, entries, now=context.clock(),
                                           decided_by=f"statement by {account.name}")
        return answer(payments.StatementReport, report)

    @app.post(f"{SERVICE}/shipments", tags=["service"], response_model=shipments.ImportReport,
              summary="Ship orders: the warehouse's file (CSV or JSON) as the body")
    async def service_shipments(request: Request,
                                credentials: Credentials = None) -> Response:
        context = context_of(request)
        service_account(context, request, credentials)
        records = read_shipments(await _body(request, MAX_SHIPMENTS))
        report = shipments.ship_orders(context.store, records, now=context.clock())
        return answer(shipments.ImportReport, report)

    @app.post(f"{SERVICE}/shipments/events", tags=["service"],
              response_model=shipments.ImportReport,
              summary="The carriers' events (CSV or JSON) as the body")
    async def service_carrier_events(request: Request,
                                     credentials: Credentials = None) -> Response:
        context = context_of(request)
        service_account(context, request, credentials)
        records = read_carrier_events(await _body(request, MAX_SHIPMENTS))
        report = shipments.record_carrier_events(context.store, records, now=context.clock())
        return answer(shipments.ImportReport, report)

    @app.get(f"{SERVICE}/claims", tags=["service"],
             response_model=list[claim_decisions.ClaimCase], summary="The claims")
    def service_claims(request: Request, credentials: Credentials = None,
                       open_only: Annotated[bool, Query(alias="open")] = False) -> Response:
        context = context_of(request)
        service_account(context, request, credentials)
        return answer(list[claim_decisions.ClaimCase],
                      claim_decisions.list_claims(context.store, open_only=open_only))

    @app.post(f"{SERVICE}/claims/{{number}}/decision", tags=["service"],
              response_model=claim_decisions.ClaimCase,
              summary="Accept a claim (crediting the balance) or reject it")
    def service_decide_claim(request: Request, number: str,
                             body: Annotated[ClaimDecision, Body()],
                             credentials: Credentials = None) -> Response:
        context = context_of(request)
        service_account(context, request, credentials)
        now = context.clock()
        if not body.accept:
            case = claim_decisions.reject_claim(context.store, number, now=now,
                                                reason=body.note)
            return answer(claim_decisions.ClaimCase, case)
        credit = None
        if body.credit is not None:
            with context.store.read() as conn:
                credit = Money(body.credit, read_company(conn).currency)
        case = claim_decisions.accept_claim(context.store, number, now=now, credit=credit,
                                            note=body.note)
        return answer(claim_decisions.ClaimCase, case)

    @app.get(f"{SERVICE}/delivery-stops", tags=["service"],
             response_model=list[delivery_stops.StopCase], summary="The delivery stops")
    def service_delivery_stops(request: Request, credentials: Credentials = None,
                               open_only: Annotated[bool, Query(alias="open")] = False
                               ) -> Response:
        context = context_of(request)
        service_account(context, request, credentials)
        return answer(list[delivery_stops.StopCase],
                      delivery_stops.list_stops(context.store, open_only=open_only))

    @app.post(f"{SERVICE}/delivery-stops/{{order_number}}/decision", tags=["service"],
              response_model=delivery_stops.StopCase,
              summary="Credit a returned parcel, or refuse the stop")
    def service_decide_stop(request: Request, order_number: str,
                            body: Annotated[StopDecision, Body()],
                            credentials: Credentials = None) -> Response:
        context = context_of(request)
        account = service_account(context, request, credentials)
        case = delivery_stops.decide_stop(context.store, order_number, credit=body.credit,
                                          now=context.clock(), decided_by=account.name,
                                          note=body.note)
        return answer(delivery_stops.StopCase, case)

    @app.post(f"{API_PREFIX}/payments/notifications", tags=["payments"],
              response_model=NotificationAnswer,
              summary="A payment provider's signed notification")
    async def provider_notification(request: Request) -> Response:
        context = context_of(request)
        body = await _body(request, MAX_NOTIFICATION)
        now = context.clock()
        provider_signature.check(
            context.settings.payment_provider_secret or "",
            request.headers.get(provider_signature.TIMESTAMP_HEADER),
            request.headers.get(provider_signature.SIGNATURE_HEADER), body, now)
        event = _event(body)
        outcome = payments.receive_provider_event(context.store, event, now=now)
        _log.info("provider event %s for %s: %s", event.event_id[:80], event.reference,
                  outcome)
        return answer(NotificationAnswer, NotificationAnswer(outcome))


async def _body(request: Request, most: int) -> bytes:
    data = b""
    async for chunk in request.stream():
        data += chunk
        if len(data) > most:
            raise e.ValidationError(N_("The request is too large."), field="body")
    return data


def _event(body: bytes) -> payments.ProviderEvent:
    """The notification's JSON: ``{"event_id", "reference", "status": "succeeded" |
    "failed", "amount": "1500.00", "currency": "RUB"}``."""
    try:
        data = json.loads(body)
        status = data["status"]
        if status not in ("succeeded", "failed"):
            raise ValueError(status)
        event_id, reference = str(data["event_id"]), str(data["reference"])
        if not (0 < len(event_id) <= 200 and 0 < len(reference) <= 24):
            raise ValueError(event_id)
        return payments.ProviderEvent(event_id, reference, status == "succeeded",
                                      Decimal(str(data["amount"])), str(data["currency"]))
    except (ValueError, KeyError, TypeError, InvalidOperation) as exc:
        raise e.ValidationError(
            N_("A notification has event_id, reference, status (succeeded or failed), "
                 "amount and currency."), field="body") from exc
