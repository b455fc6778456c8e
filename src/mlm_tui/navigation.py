"""Where a user can go: one entry per top-level screen.

The app builds its key bindings, the help screen and the command palette from this
list, so adding a screen is adding an entry here. ``screen`` is "module:Class" under
``mlm_tui.screens`` and is imported only when first opened (start-up stays fast).
"""

from __future__ import annotations

from dataclasses import dataclass

from mlm_tui.i18n import N_


@dataclass(frozen=True, slots=True)
class Destination:
    id: str  # binding id, so users can remap it
    key: str  # default key
    title: str  # untranslated (N_); translated where shown
    description: str
    screen: str  # "catalog:CatalogScreen"


DESTINATIONS: list[Destination] = [
    # The first destination is where logging in lands.
    Destination("catalog", "f2", N_("Catalog"), N_("Browse and search the catalog"),
                "catalog:CatalogScreen"),
    Destination("quick_order", "f3", N_("Quick order"), N_("Order by product codes"),
                "quick_order:QuickOrderScreen"),
    Destination("cart", "f4", N_("Cart"), N_("The cart with points and totals"), "cart:CartScreen"),
]

# The back office: order history, parcels, and one's returns and claims.
DESTINATIONS += [
    Destination("orders", "f5", N_("Orders"),
                N_("Order history: filter, jump to a month, export"), "orders:OrdersScreen"),
    Destination("in_transit", "f6", N_("Parcels"),
                N_("Every parcel on its way, across carriers"), "in_transit:InTransitScreen"),
    # ctrl+y: the other F keys and control letters are taken here, by Input or by the
    # terminal (F11 is often full screen); only the paste dialog's TextArea uses ctrl+y
    # (redo), and no destination opens over a dialog.
    Destination("claims", "ctrl+y", N_("My claims"),
                N_("Your returns and claims: status and decisions"), "claims:ClaimsScreen"),
]

# The team: home alerts, customers, the downline, recruiting, money, news and training.
DESTINATIONS += [
    Destination("home", "ctrl+o", N_("Home"),
                N_("What needs doing today: points, expiries, members"), "home:HomeScreen"),
    Destination("customers", "f7", N_("Customers"), N_("Find a member of your team by name"),
                "customers:CustomersScreen"),
    Destination("team", "f8", N_("Team"), N_("Your downline as a tree, with points this month"),
                "team:TeamScreen"),
    Destination("wallet", "f9", N_("Balance"), N_("Balance and points: history and top-up"),
                "wallet:WalletScreen"),
    Destination("inbox", "f10", N_("Inbox"), N_("Claim decisions, parcels, promotions"),
                "inbox:InboxScreen"),
    Destination("register", "ctrl+n", N_("Register"),
                N_("Register a new consultant into your team"), "register:RegisterScreen"),
    Destination("promotions", "f12", N_("Promotions"),
                N_("This period's promotions and closed sales"), "promotions:PromotionsScreen"),
    Destination("training", "ctrl+t", N_("Training"),
                N_("Successful start: lessons for newcomers"), "training:TrainingScreen"),
    # ctrl+backslash: every F key and the free control letters are taken; Input keeps
    # ctrl+k. The palette reaches it too, and [keys] in config.toml can move it.
    Destination("ssh_keys", "ctrl+backslash", N_("SSH keys"),
                N_("Your keys for signing in over SSH: add, list, remove"),
                "ssh_keys:SshKeysScreen"),
]
