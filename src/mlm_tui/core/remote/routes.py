"""The HTTP API as one table: which request each Backend method is.

The server builds its endpoints from this table and ``RemoteBackend`` builds its calls
from it, so the two cannot disagree. A method's argument and return types come from the
``Backend`` protocol's annotations; where each argument travels follows from the verb:
a name in the path template is a path parameter, the rest go in the query string for
GET and DELETE and in a JSON object body for POST and PUT. A dataclass argument of a GET
(``OrderFilter``) spreads its fields over the query string.
"""

from __future__ import annotations

import dataclasses
import inspect
import re
import typing
from dataclasses import dataclass
from functools import cache
from typing import Any

from mlm_tui.core.backend import Backend

API_PREFIX = "/api/v1"
JSON = "application/json"
PDF = "application/pdf"


@dataclass(frozen=True, slots=True)
class Param:
    name: str
    annotation: Any
    # "path", "query", "body", "query-fields" (a dataclass spread out), or "bearer" (the
    # token ``resume`` is given travels as the request's bearer token)
    where: str
    default: Any = inspect.Parameter.empty

    @property
    def required(self) -> bool:
        return self.default is inspect.Parameter.empty


@dataclass(frozen=True, slots=True)
class Route:
    method: str  # the Backend method's name
    verb: str
    path: str  # under API_PREFIX
    # Creates something: the request carries an Idempotency-Key, the server keeps the
    # first answer under it, and a retry with the same key gets that answer again.
    creates: bool = False
    # Needs no session: signing in, and what is the same for everyone.
    public: bool = False
    status: int = 200

    @property
    def retryable(self) -> bool:
        """Safe to send again after a dropped connection."""
        return self.verb in ("GET", "PUT", "DELETE") or self.creates

    @property
    def path_names(self) -> tuple[str, ...]:
        return tuple(re.findall(r"{(\w+)}", self.path))

    def params(self) -> tuple[Param, ...]:
        return _params(self.method, self.verb, self.path_names)

    def returns(self) -> Any:
        return _hints(self.method)["return"]

    @property
    def media_type(self) -> str:
        """What the answer is: a document (``bytes``) is a PDF, anything else JSON."""
        return PDF if self.returns() is bytes else JSON


def _r(method: str, verb: str, path: str, **options: Any) -> Route:
    if verb == "POST" and options.get("creates"):
        options.setdefault("status", 201)
    return Route(method, verb, path, **options)


ROUTES: tuple[Route, ...] = (
    # --- store and company -----------------------------------------------------------------
    _r("company", "GET", "/company", public=True),
    _r("is_empty", "GET", "/store/empty", public=True),
    _r("message_delivery", "GET", "/message-delivery", public=True),
    _r("changes_since", "GET", "/changes", public=True),
    # --- sessions --------------------------------------------------------------------------
    _r("login", "POST", "/sessions", public=True, status=201),
    # ``resume`` sends the token it is given as its bearer token, and gets the session.
    _r("resume", "GET", "/sessions/current", public=True),
    _r("logout", "DELETE", "/sessions/current", public=True),
    _r("me", "GET", "/me"),
    _r("account_summary", "GET", "/me/summary"),
    # --- SSH keys (a fingerprint holds "/": it travels in the query string) --------------
    _r("ssh_keys", "GET", "/me/ssh-keys"),
    _r("add_ssh_key", "POST", "/me/ssh-keys", creates=True),
    _r("remove_ssh_key", "DELETE", "/me/ssh-keys"),
    _r("set_language", "PUT", "/me/language"),
    # --- password reset and registration ---------------------------------------------------
    _r("request_password_reset", "POST", "/password-resets", public=True, status=202),
    _r("confirm_password_reset", "POST", "/password-resets/confirmation", public=True),
    _r("register_member", "POST", "/members", creates=True),
    _r("activate_member", "POST", "/activations", public=True, status=201),
    # --- catalog ---------------------------------------------------------------------------
    _r("periods", "GET", "/catalog/periods"),
    _r("current_period", "GET", "/catalog/periods/current"),
    _r("categories", "GET", "/catalog/categories"),
    _r("search_products", "GET", "/products"),
    _r("search_products_page", "GET", "/products/pages"),
    _r("catalog_overview", "GET", "/catalog/overview"),
    # A paste may hold hundreds of codes: too many for a query string. Reads only.
    _r("products_by_code", "POST", "/products/lookup"),
    _r("product_digests", "GET", "/catalog/digests"),
    _r("product", "GET", "/products/{code}"),
    _r("promotions", "GET", "/promotions"),
    _r("period_promotions", "GET", "/catalog/periods/current/promotions"),
    # --- cart and checkout -----------------------------------------------------------------
    _r("cart", "GET", "/cart"),
    _r("add_to_cart", "POST", "/cart/lines", creates=True, status=200),
    # Quick order and paste: many lines in one request, each refused or taken alone.
    _r("add_lines_to_cart", "POST", "/cart/line-batches", creates=True, status=200),
    _r("clear_cart", "DELETE", "/cart/lines"),
    _r("set_cart_quantity", "PUT", "/cart/lines/{code}"),
    _r("remove_from_cart", "DELETE", "/cart/lines/{code}"),
    _r("set_paid_with_points", "PUT", "/cart/lines/{code}/paid-with-points"),
    _r("choose_delivery_product", "PUT", "/cart/delivery-product"),
    _r("repeat_order", "POST", "/cart/repeats", creates=True, status=200),
    _r("place_order", "POST", "/orders", creates=True),
    # An order made ready offline, placed whole (not from the cart) at the totals seen;
    # its quote is a read, sent as a body because the lines may be many.
    _r("place_prepared_order", "POST", "/orders/prepared", creates=True),
    _r("place_prepared_orders", "POST", "/orders/prepared/batch", creates=True),
    _r("quote_prepared_order", "POST", "/orders/prepared/quotes"),
    _r("checkout_overview", "GET", "/checkout"),
    # --- orders ----------------------------------------------------------------------------
    _r("orders_page", "GET", "/orders"),
    _r("count_orders", "GET", "/orders/count"),
    _r("order_months", "GET", "/orders/months"),
    _r("order_history", "GET", "/orders/history"),
    _r("order_month_counts", "GET", "/orders/month-counts"),
    _r("order", "GET", "/orders/{number}"),
    _r("cancellation_quote", "GET", "/orders/{number}/cancellation"),
    _r("cancel_order", "POST", "/orders/{number}/cancellation", creates=True, status=200),
    _r("request_delivery_stop", "POST", "/orders/{number}/delivery-stop", creates=True,
       status=200),
    _r("correct_order_source", "PUT", "/orders/{order_number}/source"),
    _r("shipment", "GET", "/orders/{order_number}/shipment"),
    _r("shipments_in_transit", "GET", "/shipments/in-transit"),
    # Before ``/invoices/{number}``, which would take "….pdf" for a number.
    _r("invoice_pdf", "GET", "/invoices/{number}.pdf"),
    _r("invoice", "GET", "/invoices/{number}"),
    _r("email_invoice", "POST", "/invoices/{number}/emails", creates=True),
    # --- customers and team ----------------------------------------------------------------
    _r("search_members", "GET", "/members"),
    _r("member", "GET", "/members/{member_id}"),
    _r("member_overview", "GET", "/members/{member_id}/overview"),
    _r("monthly_volume", "GET", "/members/{member_id}/volume"),
    _r("team_volume", "GET", "/members/{member_id}/team-volume"),
    _r("team_children", "GET", "/members/{member_id}/children"),
    _r("team_root", "GET", "/team"),
    # --- balance and points ----------------------------------------------------------------
    _r("balance", "GET", "/balance"),
    _r("balance_ledger", "GET", "/balance/ledger"),
    _r("top_up", "POST", "/balance/top-ups", creates=True),
    _r("payment_requests", "GET", "/balance/top-ups"),
    _r("confirm_demo_payment", "POST", "/payments/{reference}/demo-payment", creates=True,
       status=200),
    _r("points_wallet", "GET", "/points"),
    _r("points_ledger", "GET", "/points/ledger"),
    _r("wallet_overview", "GET", "/wallet"),
    # --- claims and notifications ----------------------------------------------------------
    _r("submit_claim", "POST", "/claims", creates=True),
    _r("claims", "GET", "/claims"),
    _r("claimable_invoice", "GET", "/invoices/{invoice_number}/claimable"),
    _r("notifications", "GET", "/notifications"),
    _r("mark_notification_read", "PUT", "/notifications/{notification_id}/read",
       creates=True),
    # --- home and training -----------------------------------------------------------------
    _r("alerts", "GET", "/alerts"),
    _r("training_progress", "GET", "/training/done"),
    _r("complete_lesson", "PUT", "/training/done/{lesson_id}"),
)

# Answered by the client itself, never sent.
CLIENT_SIDE = frozenset({"describe", "close", "session"})

BY_METHOD: dict[str, Route] = {route.method: route for route in ROUTES}


def backend_methods() -> list[str]:
    """Every public method of the Backend protocol."""
    return sorted(name for name, member in vars(Backend).items()
                  if callable(member) and not name.startswith("_"))


@cache
def _hints(method: str) -> dict[str, Any]:
    return typing.get_type_hints(getattr(Backend, method))


@cache
def _params(method: str, verb: str, path_names: tuple[str, ...]) -> tuple[Param, ...]:
    hints = _hints(method)
    signature = inspect.signature(getattr(Backend, method))
    found = []
    for name, parameter in signature.parameters.items():
        if name == "self":
            continue
        annotation = hints[name]
        if method == "resume" and name == "token":
            where = "bearer"
        elif name in path_names:
            where = "path"
        elif verb in ("GET", "DELETE"):
            where = "query-fields" if dataclasses.is_dataclass(annotation) else "query"
        else:
            where = "body"
        found.append(Param(name, annotation, where, parameter.default))
    return tuple(found)


def expand_path(route: Route, values: dict[str, Any]) -> str:
    """The route's path with its path parameters filled in (each quoted whole)."""
    from urllib.parse import quote

    return re.sub(r"{(\w+)}", lambda m: quote(str(values[m.group(1)]), safe=""), route.path)
