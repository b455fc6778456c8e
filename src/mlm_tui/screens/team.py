"""The team as a tree: each member with their points this month, loaded as nodes open.

A leader's downline can be thousands deep; only the opened nodes' direct children are
ever read (``team_children``), in a worker, and each node is read once.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Static, Tree
from textual.widgets.tree import TreeNode

from mlm_tui.core.changes import ChangeKind
from mlm_tui.core.errors import DomainError
from mlm_tui.core.models import CompanyProfile, MemberStatus, TeamNode
from mlm_tui.display import data_text
from mlm_tui.formats import format_points, shown_locale
from mlm_tui.i18n import N_, _
from mlm_tui.messages import Failed
from mlm_tui.screens.base import AppScreen
from mlm_tui.widgets.footer import KeysFooter
from mlm_tui.widgets.header import AccountHeader
from mlm_tui.widgets.member_text import status_label


class TeamTree(Tree[TeamNode]):
    """Enter opens the member; Space (or →) opens the branch."""

    BINDINGS = [
        Binding("right", "expand", N_("Open branch"), show=False, id="team.expand"),
        Binding("left", "collapse_or_parent", N_("Close branch"), show=False,
                id="team.collapse"),
    ]

    def action_expand(self) -> None:
        node = self.cursor_node
        if node is not None and node.allow_expand and not node.is_expanded:
            node.expand()

    def action_collapse_or_parent(self) -> None:
        node = self.cursor_node
        if node is None:
            return
        if node.is_expanded:
            node.collapse()
        elif node.parent is not None and node.parent is not self.root:
            self.move_cursor(node.parent)


class TeamScreen(AppScreen[None]):
    DEFAULT_CSS = """
    TeamScreen TeamTree { height: 1fr; margin: 0 1; }
    TeamScreen #status { margin: 0 2; height: auto; color: $text-muted; }
    TeamScreen #status.error { color: $error; }
    """

    # Members (names, status, who sponsors whom) and their orders (points this month).
    SHOWS = frozenset({ChangeKind.TEAM, ChangeKind.ORDERS})

    @dataclass
    class ChildrenLoaded(Message):
        node: TreeNode[TeamNode]
        children: list[TeamNode]

    @dataclass
    class Started(Message):
        me: TeamNode
        children: list[TeamNode]
        company: CompanyProfile

    class ReadAgain(Message):
        def __init__(self, me: TeamNode, children: dict[int, list[TeamNode]]) -> None:
            super().__init__()
            self.me = me
            self.children = children  # by member id: each open branch's members now

    def __init__(self) -> None:
        super().__init__()
        self._company: CompanyProfile | None = None
        self._loaded: set[int] = set()  # member ids whose children are in the tree

    def compose(self) -> ComposeResult:
        yield AccountHeader()
        tree = TeamTree(_("My team"), id="tree")
        tree.auto_expand = False  # Enter opens the member; Space/→ opens the branch
        tree.show_root = False
        yield tree
        yield Static(_("Space or → opens a branch, Enter the member's overview."), id="status")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.title = _("Team")
        self.start()

    @work(thread=True, exclusive=True, exit_on_error=False, group="team-root")
    def start(self) -> None:
        try:
            company = self.company_profile()
            # One request: my own node (my points this month) and my first level.
            root = self.backend.team_root()
        except DomainError as error:
            self.post_message(Failed(error))
            return
        self.post_message(self.Started(root.me, list(root.children), company))

    def reload_changed(self) -> None:
        tree = self.query_one(TeamTree)
        if not tree.root.children:
            return  # not started yet: the first read is still on its way
        opened = [node.data.member.id for node in _nodes(tree.root)
                  if node.data is not None and node.data.member.id in self._loaded
                  and node is not tree.root.children[0]]
        self.read_again(opened)

    @work(thread=True, exclusive=True, exit_on_error=False, group="team-again")
    def read_again(self, opened: list[int]) -> None:
        """Only what is in the tree now: the branches opened, not the whole downline."""
        try:
            root = self.backend.team_root()
            me, mine = root.me, list(root.children)
            children = {member_id: self.backend.team_children(member_id)
                        for member_id in opened}
        except DomainError as error:
            self.post_message(Failed(error))
            return
        children[me.member.id] = mine
        self.post_message(self.ReadAgain(me, children))

    @on(ReadAgain)
    def _read_again(self, message: ReadAgain) -> None:
        tree = self.query_one(TeamTree)
        if not tree.root.children:
            return
        cursor = tree.cursor_node
        me = tree.root.children[0]
        me.data = message.me
        me.set_label(self._label(message.me))
        for node in list(_nodes(tree.root)):
            if node.data is not None and node.data.member.id in message.children:
                self._merge(node, message.children[node.data.member.id])
        if cursor is not None and cursor in _nodes(tree.root):
            # On the same member, wherever rows came or went (once the lines are redrawn).
            tree.call_after_refresh(tree.move_cursor, cursor)

    def _merge(self, node: TreeNode[TeamNode], children: list[TeamNode]) -> None:
        """The branch as read now, keeping the nodes still there (and what is open below
        them) and the order the store gives."""
        wanted = {child.member.id: child for child in children}
        for shown in list(node.children):
            if shown.data is None or shown.data.member.id not in wanted:
                shown.remove()  # gone from the branch (or the "loading…" line)
        shown_by_id = {shown.data.member.id: shown for shown in node.children
                       if shown.data is not None}
        previous: TreeNode[TeamNode] | None = None
        for child in children:
            existing = shown_by_id.get(child.member.id)
            if existing is None:
                existing = (node.add(self._label(child), data=child, after=previous)
                            if previous is not None else
                            node.add(self._label(child), data=child, before=0)
                            if node.children else
                            node.add(self._label(child), data=child))
            else:
                existing.data = child
                existing.set_label(self._label(child))
            existing.allow_expand = child.children > 0
            previous = existing
        node.allow_expand = bool(children) or node.is_root

    @on(Started)
    def _started(self, message: Started) -> None:
        self._company = message.company
        tree = self.query_one(TeamTree)
        tree.clear()
        self._loaded.add(message.me.member.id)
        me = tree.root.add(self._label(message.me), data=message.me, allow_expand=False)
        self._fill(me, message.children)
        me.expand()
        tree.move_cursor(me)
        tree.focus()

    @on(ChildrenLoaded)
    def _children_loaded(self, message: ChildrenLoaded) -> None:
        self._fill(message.node, message.children)

    def _fill(self, node: TreeNode[TeamNode], children: list[TeamNode]) -> None:
        node.remove_children()
        for child in children:
            node.add(self._label(child), data=child, allow_expand=child.children > 0)
        node.allow_expand = bool(children)

    @on(Tree.NodeExpanded)
    def _expanded(self, event: Tree.NodeExpanded[TeamNode]) -> None:
        data = event.node.data
        if data is None or data.member.id in self._loaded:
            return
        self._loaded.add(data.member.id)
        event.node.add_leaf(Text(_("loading…"), style="italic dim"))
        self.load_children(event.node, data.member.id)

    @work(thread=True, exit_on_error=False, group="team-children")
    def load_children(self, node: TreeNode[TeamNode], member_id: int) -> None:
        try:
            children = self.backend.team_children(member_id)
        except DomainError as error:
            self._loaded.discard(member_id)
            self.post_message(Failed(error))
            return
        self.post_message(self.ChildrenLoaded(node, children))

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        status = self.query_one("#status", Static)
        status.update(data_text(message.error.message))
        status.add_class("error")

    @on(Tree.NodeSelected)
    def _selected(self, event: Tree.NodeSelected[TeamNode]) -> None:
        if event.node.data is None:
            return
        from mlm_tui.screens.customer import CustomerScreen

        self.app.push_screen(CustomerScreen(event.node.data.member.id))

    def _label(self, node: TeamNode) -> Text:
        locale = shown_locale(self._company.locale) if self._company else "en"
        label = self._company.points_label if self._company else ""
        text = Text()
        text.append_text(data_text(node.member.full_name,
                                   style="bold" if node.children else ""))
        text.append(f"  {node.member.registration_number}", style="dim")
        text.append_text(data_text(f"  {format_points(node.points_this_month, locale)} {label}"))
        if node.children:
            text.append(f"  ({node.children})", style="dim")
        if node.status is not MemberStatus.ACTIVE:
            text.append(f"  {status_label(node.status)}", style="italic")
        return text


def _nodes(root: TreeNode[TeamNode]) -> list[TreeNode[TeamNode]]:
    """Every node under ``root`` in the tree, depth first."""
    found: list[TreeNode[TeamNode]] = []
    for child in root.children:
        found.append(child)
        found.extend(_nodes(child))
    return found
