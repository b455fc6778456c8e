"""LocalBackend: "Successful start" progress (training_progress, complete_lesson)."""

from __future__ import annotations

from sqlalchemy import insert, select

from mlm_tui.core import training
from mlm_tui.core.local import schema as t
from mlm_tui.core.local.base import LocalBase


class TrainingMixin(LocalBase):
    def training_progress(self) -> set[str]:
        with self.store.read() as conn:
            rows = conn.execute(
                select(t.training_progress.c.lesson)
                .where(t.training_progress.c.member_id == self._me_id())
            ).scalars()
            return set(rows)

    def complete_lesson(self, lesson_id: str) -> set[str]:
        training.lesson(lesson_id)  # NotFound (field "lesson") for an unknown id
        me = self._me_id()
        with self.store.write() as conn:
            done = conn.execute(
                select(t.training_progress.c.lesson).where(
                    (t.training_progress.c.member_id == me)
                    & (t.training_progress.c.lesson == lesson_id)
                )
            ).first()
            # Finishing a lesson twice keeps the first date: that is when it was learnt.
            if done is None:
                conn.execute(
                    insert(t.training_progress).values(
                        member_id=me, lesson=lesson_id, completed_at=self.clock()
                    )
                )
        return self.training_progress()
