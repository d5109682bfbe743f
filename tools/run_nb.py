"""Execute notebooks in place so their saved outputs (figures, tables, printed numbers) are fresh.

Cells carrying a test flag from settings.ini (`#| slow`) are skipped unless named with --flags,
exactly as `nbdev_test` skips them. Usage: python tools/run_nb.py nbs/01_ae.ipynb [more.ipynb] [--flags slow]
"""
import argparse, os, sys, time
from pathlib import Path

from execnb.nbio import read_nb, write_nb
from execnb.shell import CaptureShell
from nbdev.config import get_config
from nbdev.process import NBProcessor, extract_directives


def skip_cell(cell, flags):
    "Should `cell` stay unexecuted: markdown, `#| eval: false`, or a test flag not asked for?"
    if cell.cell_type != 'code': return True
    d = extract_directives(cell, remove=False)
    if d.get('eval:', [''])[0].lower() == 'false': return True
    return bool(flags & d.keys())


def runs_fresh(cell, flags) -> bool:
    "`skip_cell`, and clear the saved outputs of a cell that will run (execnb keeps the old ones when it prints nothing)."
    if skip_cell(cell, flags): return True
    cell.outputs = []
    return False


def run_notebook(path:Path, flags:set):
    "Run every cell of `path` in a fresh shell (cwd = its folder) and save the outputs into it."
    nb = read_nb(path)
    shell = CaptureShell(path)
    cwd = os.getcwd()
    os.chdir(path.parent)
    try: shell.run_all(nb, exc_stop=True, preproc=lambda c: runs_fresh(c, flags))
    finally: os.chdir(cwd)
    write_nb(nb, path)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('notebooks', nargs='+', type=Path, help='notebooks to run and save')
    p.add_argument('--flags', default='', help='space separated test flags to run anyway (e.g. "slow")')
    a = p.parse_args()
    skip = set(get_config().tst_flags.split()) - set(a.flags.split())
    os.environ['IN_TEST'] = '1'
    for nb in a.notebooks:
        if not nb.exists(): sys.exit(f'run_nb: no notebook {nb}')
        t = time.time()
        run_notebook(nb.resolve(), skip)
        print(f'{nb}: ran in {time.time() - t:.1f}s')


if __name__ == '__main__': main()
