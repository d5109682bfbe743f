"""The project's test gate (`make test`): nbdev's own commands, then the checks nbdev does not have.

  sync          `nbdev_clean` and `nbdev_export` must not change nbs/ or vae_nbdev/ as git sees them
  quarto-link   nbs/_quarto.yml is the relative symlink to the one Quarto configuration, ../_quarto.yml
  readme        README.md is what tools/build_readme.py makes from nbs/index.ipynb
  sdist         the source distribution builds, installs into a fresh environment, imports and runs `vae_experiments --help`
  banned-calls  no library density, KL or reparameterisation call in vae_nbdev/
  import-order  every chapter imports only modules of chapters numbered before it (index.ipynb, the home page, excepted)
  <notebook>    `nbdev_test` (output streamed; cells flagged `slow` run only with --flags slow), one line a notebook;
                its notebooks run side by side, one a core, each with its share of the cores as torch threads
  docs-build    the offline docs site (tools/build_docs.py)
  docs-browser  every page in headless Chromium (tools/check_docs.py); SKIP, not a pass, where Chromium is missing
Prints one `PASS|FAIL|SKIP name: message` line per check and ends with `N passed, N failed` (`, N skipped` added
when something was skipped); exits 1 if anything failed.
"""
import argparse, os, re, subprocess, sys, tempfile, time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT/'tools'))
LABEL = {True: 'PASS', False: 'FAIL', None: 'SKIP'}  # a check's result: passed, failed, skipped
BANNED = re.compile(r'torch\.distributions|\bkl_div\b|binary_cross_entropy|gaussian_nll_loss|scipy\.stats|\.rsample\(')


def git(*args, **kw) -> str:
    return subprocess.run(['git', *args], cwd=ROOT, capture_output=True, text=True, check=True, **kw).stdout


def git_view(paths=('nbs', 'vae_nbdev')) -> dict:
    "Git's view of `paths`: {file: (status, blob id)} for each file that differs from HEAD or is untracked."
    view, entries = {}, iter(git('status', '--porcelain', '-z', '--untracked-files=all', '--', *paths).split('\0'))
    for e in entries:
        if not e: continue
        view[e[3:]] = e[:2]
        if e[0] in 'RC': next(entries)  # a staged rename or copy names its source next
    files = [f for f in view if (ROOT/f).is_file()]
    ids = dict(zip(files, git('hash-object', '--stdin-paths', input='\n'.join(files)).split())) if files else {}
    return {f: (code, ids.get(f)) for f, code in view.items()}


def check_sync():
    """In CI's clean clone this is `git diff --exit-code` after the two commands; comparing git's view before and
    after them instead means a developer's uncommitted edits are not mistaken for changes the commands made."""
    before = git_view()
    for cmd in ('nbdev_clean', 'nbdev_export'):
        r = subprocess.run([BIN/cmd], cwd=ROOT, capture_output=True, text=True)
        if r.returncode: return False, f"{cmd} failed: " + ((r.stderr or r.stdout).strip().splitlines() or ['no output'])[-1]
    after = git_view()
    changed = sorted(f for f in before.keys() | after.keys() if before.get(f) != after.get(f))
    if changed: return False, f"nbdev_clean/nbdev_export changed {', '.join(changed)}: commit what they wrote"
    return True, 'nbdev_clean and nbdev_export change nothing in nbs/ and vae_nbdev/'


def check_quarto_link():
    # A symlink, not a generated copy: nbdev finds nbs/_quarto.yml through it (`Path.exists` follows links) and
    # `nbdev.serve.proc_nbs` copies the target's content into _proc/ (shutil.copy2 follows links), so nothing to regenerate.
    link = ROOT/'nbs'/'_quarto.yml'
    ok = link.is_symlink() and os.readlink(link) == '../_quarto.yml' and link.is_file()
    return ok, ('nbs/_quarto.yml -> ../_quarto.yml' if ok else
                'nbs/_quarto.yml must be a symlink to ../_quarto.yml: `ln -sf ../_quarto.yml nbs/_quarto.yml`')


def check_readme():
    r = subprocess.run([sys.executable, ROOT/'tools'/'build_readme.py', '--check'], cwd=ROOT, capture_output=True, text=True)
    return r.returncode == 0, (r.stdout.strip().splitlines() or r.stderr.strip().splitlines() or ['no output'])[0]


def check_banned():
    hits = [f'{f.name}:{i}' for f in sorted((ROOT/'vae_nbdev').glob('*.py'))
            for i, line in enumerate(f.read_text().splitlines(), 1) if BANNED.search(line.split('#')[0])]
    return not hits, f"banned calls at {', '.join(hits)}" if hits else 'no library densities, KL or reparameterisation in vae_nbdev/'


def check_import_order():
    "Each notebook's `vae_nbdev.<module>` imports name modules whose notebooks sort before it."
    import json
    def code(p): return [''.join(c['source']) for c in json.loads(p.read_text())['cells'] if c['cell_type'] == 'code']
    nbs = sorted(p for p in (ROOT/'nbs').glob('[0-9]*.ipynb'))
    home = {m.group(1): p.name for p in nbs if (m := re.search(r'#\|\s*default_exp\s+(\S+)', (code(p) or [''])[0]))}
    late = [f'{p.name} imports vae_nbdev.{u} ({home[u]})' for p in nbs
            for u in sorted(set(re.findall(r'(?:from|import)\s+vae_nbdev\.(\w+)', '\n'.join(code(p)))))
            if home.get(u, '') > p.name]
    return not late, f"later chapters imported: {', '.join(late)}" if late else f'{len(nbs)} chapters import only earlier ones'


def check_sdist():
    """Build the sdist, install it with pip into a fresh virtual environment and use it from outside the checkout.
    The fresh environment borrows this one's dependencies through a .pth line (torch is gigabytes), which puts that
    folder on sys.path without running its .pth files, so the editable install of this checkout stays invisible."""
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        def run(*cmd, cwd=tmp):
            r = subprocess.run([str(c) for c in cmd], cwd=cwd, capture_output=True, text=True)
            lines = (r.stderr or r.stdout).strip().splitlines() or ['no output']
            ends = [i for i, l in enumerate(lines) if '[end of output]' in l]  # pip quotes the build's own error above this
            return r.returncode == 0, lines[ends[0] - 1 if ends else -1].strip()
        src = tmp/'src'  # the checkout's files as git sees them, so no stale egg-info from an earlier build can help
        for f in git('ls-files', '-z', '--cached', '--others', '--exclude-standard').split('\0'):
            if f and (ROOT/f).is_file() and not (ROOT/f).is_symlink():
                (src/f).parent.mkdir(parents=True, exist_ok=True)
                (src/f).write_bytes((ROOT/f).read_bytes())
        ok, msg = run(sys.executable, 'setup.py', '-q', 'sdist', '-d', tmp/'dist', cwd=src)
        sdists = list((tmp/'dist').glob('*.tar.gz'))
        if not ok or len(sdists) != 1: return False, f'setup.py sdist failed: {msg}'
        ok, msg = run(sys.executable, '-m', 'venv', tmp/'env')
        if not ok: return False, f'could not make a fresh environment: {msg}'
        site = next((tmp/'env'/'lib').glob('python*/site-packages'))
        deps = subprocess.run([sys.executable, '-c', 'import sysconfig; print(sysconfig.get_paths()["purelib"])'],
                              capture_output=True, text=True).stdout.strip()
        (site/'borrowed-deps.pth').write_text(deps + '\n')
        py = tmp/'env'/'bin'/'python'
        ok, msg = run(py, '-m', 'pip', 'install', '-q', '--no-deps', '--no-build-isolation', '--no-index', sdists[0])
        if not ok: return False, f'pip install {sdists[0].name} failed: {msg}'
        ok, msg = run(py, '-c', f'import vae_nbdev.study as s; assert s.__file__.startswith({str(site)!r}), s.__file__')
        if not ok: return False, f'the installed sdist does not import from the fresh environment: {msg}'
        ok, msg = run(tmp/'env'/'bin'/'vae_experiments', '--help')
        return ok, f'{sdists[0].name} installs into a fresh environment and runs vae_experiments --help' if ok else f'vae_experiments --help failed: {msg}'


def thread_env() -> dict:
    """The environment for `nbdev_test`: it runs one notebook per core (at most 8 at once), and a torch process takes
    every core for itself unless told, so each gets its share of the cores (OMP_NUM_THREADS, unless already set).
    On two cores, two notebooks of two threads each took at least 2.6 times as long (bench/results/test_time.md)."""
    cpus = os.cpu_count() or 1
    return {'OMP_NUM_THREADS': str(max(1, cpus // min(cpus, 8))), **os.environ}


def run_notebooks(flags:str) -> dict:
    "Run `nbdev_test`, streaming its output; return {notebook: passed}."
    cmd = [BIN/'nbdev_test', '--do_print', '--timing'] + (['--flags', flags] if flags else [])
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=thread_env())
    started, text, began, took = [], '', {}, {}
    for line in proc.stdout:
        sys.stdout.write(line); text += line
        if line.startswith('Starting '):
            started.append(Path(line.split(' ', 1)[1].strip()).name); began[started[-1]] = time.time()
        if line.startswith('- Completed '):
            nb = Path(line.split(' ', 2)[2].strip()).name; took[nb] = time.time() - began.get(nb, time.time())
    proc.wait()
    print('wall time per notebook (two run side by side), slowest first: '
          + ', '.join(f'{nb} {t:.0f}s' for nb, t in sorted(took.items(), key=lambda kv: -kv[1])))
    failed = set(re.findall(r'^\t(\S+\.ipynb)$', text.split('Failed On The Following Notebooks')[-1], re.M)) \
        if 'Failed On The Following Notebooks' in text else set()
    if proc.returncode and not failed: failed = {'nbdev_test'}  # it stopped before naming a notebook
    return {nb: nb not in failed for nb in started} | {nb: False for nb in failed - set(started)}


def check_docs_build():
    r = subprocess.run([sys.executable, ROOT/'tools'/'build_docs.py'], cwd=ROOT, capture_output=True, text=True)
    last = ((r.stdout + r.stderr).strip().splitlines() or ['no output'])[-1]
    return r.returncode == 0, last if r.returncode == 0 else f'build failed: {last}'


def check_docs_browser():
    from check_docs import chromium_paths
    if chromium_paths() is None:
        return None, 'chromium and chromedriver are not installed (Debian: apt-get install chromium chromium-driver)'
    r = subprocess.run([sys.executable, ROOT/'tools'/'check_docs.py'], cwd=ROOT, capture_output=True, text=True)
    out = (r.stdout + r.stderr).strip()
    print(out)
    return r.returncode == 0, (out.splitlines() or ['check_docs printed nothing'])[-1]


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--flags', default='', help='test flags to run anyway, passed to nbdev_test (e.g. "slow")')
    p.add_argument('--skip-notebooks', action='store_true', help='skip nbdev_test (counted as skipped)')
    p.add_argument('--skip-docs', action='store_true', help='skip the docs build and browser check (counted as skipped)')
    a = p.parse_args()
    if not os.environ.get('VAE_DATA_DIR'): print('note: VAE_DATA_DIR is not set; notebooks will look in ~/.cache/vae_nbdev')
    results, t0 = {}, time.time()

    def report(name, ok, msg=''):
        results[name] = ok
        print(f'{LABEL[ok]} {name}' + (f': {msg}' if msg else ''), flush=True)

    for name, check in (('sync', check_sync), ('quarto-link', check_quarto_link), ('readme', check_readme),
                        ('banned-calls', check_banned), ('import-order', check_import_order), ('sdist', check_sdist)):
        report(name, *check())
    if a.skip_notebooks: report('notebooks', None, '--skip-notebooks')
    else:
        for nb, ok in run_notebooks(a.flags).items(): report(nb, ok)
    if a.skip_docs:
        for name in ('docs-build', 'docs-browser'): report(name, None, '--skip-docs')
    else:
        ok, msg = check_docs_build()
        report('docs-build', ok, msg)
        report('docs-browser', *(check_docs_browser() if ok else (None, 'the docs build failed')))
    n = {v: sum(r is v for r in results.values()) for v in (True, False, None)}
    print(f'({time.time() - t0:.0f}s; checks and notebooks counted)')
    print(f'{n[True]} passed, {n[False]} failed' + (f', {n[None]} skipped' if n[None] else ''))
    sys.exit(1 if n[False] else 0)


if __name__ == '__main__': main()
