"""Papermill's nbclient engine, saving the executed notebook when it starts and when it ends
(also when a cell fails, times out or the kernel dies: papermill completes the notebook in a
`finally`), instead of twice per cell. Each save writes and validates the whole notebook, charts
and all: with a data step, a trail and a display per section that was a second per build."""

from __future__ import annotations

from papermill.engines import NBClientEngine, NotebookExecutionManager, papermill_engines

NAAM = "jaarverslag"


class _Beheerder(NotebookExecutionManager):
    """A notebook manager that writes the notebook only at the start and the end of a run."""

    def save(self, **kwargs):
        self.last_save_time = self.now()  # papermill's calls after each cell: nothing to write yet

    def _schrijf(self):
        NotebookExecutionManager.save(self)

    def notebook_start(self, **kwargs):
        super().notebook_start(**kwargs)
        self._schrijf()

    def notebook_complete(self, **kwargs):
        super().notebook_complete(**kwargs)
        self._schrijf()


class Motor(NBClientEngine):
    @classmethod
    def execute_notebook(cls, nb, kernel_name, output_path=None, progress_bar=True, log_output=False, **kwargs):
        """As papermill's Engine.execute_notebook, with the manager above."""
        kwargs.pop("autosave_cell_every", None)  # no saves during the run: the end always writes
        manager = _Beheerder(nb, output_path=output_path, progress_bar=progress_bar, log_output=log_output)
        manager.notebook_start()
        try:
            cls.execute_managed_notebook(manager, kernel_name, log_output=log_output, **kwargs)
        finally:
            manager.cleanup_pbar()
            manager.notebook_complete()
        return manager.nb


papermill_engines.register(NAAM, Motor)
