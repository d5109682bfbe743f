"""The project's test command (`make test`): sync checks, every notebook's tests, the docs build and browser check.

1. `nbdev_export` must not change the package (vae_nbdev/ is in sync with the notebooks);
2. `nbdev_clean` must not change any notebook (notebooks are committed clean);
3. README.md must equal what tools/build_readme.py makes from nbs/index.ipynb;
4. no banned library density/KL/reparameterisation call appears in vae_nbdev/;
5. `nbdev_test` runs every notebook (cells flagged `slow` are skipped unless --flags slow);
6. the offline docs site builds and, when Chromium is installed, every page passes the browser check.
Ends with one line `N passed, N failed`, counting each check and each notebook; exits 1 if anything failed.
"""
import argparse, hashlib, os, re, shutil, subprocess, sys, time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
BANNED = re.compile(r'torch\.distributions|\bkl_div\b|binary_cross_entropy|gaussian_nll_loss|scipy\.stats|\.rsample\(')


def tree_digest(paths) -> dict:
    "Content hash of every file under `paths` (files or folders), keyed by path."
    files = [f for p in paths for f in ([p] if p.is_file() else sorted(p.rglob('*'))) if f.is_file() and '__pycache__' not in f.parts]
    return {str(f.relative_to(ROOT)): hashlib.sha256(f.read_bytes()).hexdigest() for f in files}


def changed_by(cmd, paths) -> list:
    "Run `cmd` and return the files under `paths` that it created, changed or removed."
    before = tree_digest(paths)
    subprocess.run(cmd, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    after = tree_digest(paths)
    return sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))


def check_export():
    bad = changed_by([BIN/'nbdev_export'], [ROOT/'vae_nbdev'])
    return not bad, 'package in sync with the notebooks' if not bad else f"nbdev_export changed {', '.join(bad)}: commit the export"


def check_clean():
    nbs = sorted((ROOT/'nbs').glob('*.ipynb'))
    bad = changed_by([BIN/'nbdev_clean'], nbs)
    return not bad, 'notebooks clean' if not bad else f"nbdev_clean changed {', '.join(bad)}: commit the cleaned notebooks"


def check_readme():
    r = subprocess.run([sys.executable, ROOT/'tools'/'build_readme.py', '--check'], cwd=ROOT, capture_output=True, text=True)
    return r.returncode == 0, (r.stdout + r.stderr).strip()


def check_banned():
    hits = [f'{f.name}:{i}' for f in sorted((ROOT/'vae_nbdev').glob('*.py'))
            for i, line in enumerate(f.read_text().splitlines(), 1) if BANNED.search(line.split('#')[0])]
    return not hits, 'no library densities, KL or reparameterisation in vae_nbdev/' if not hits else f"banned calls at {', '.join(hits)}"


def run_notebooks(flags:str):
    "Run nbdev_test, streaming its output; return {notebook: passed}."
    cmd = [BIN/'nbdev_test', '--do_print', '--timing'] + (['--flags', flags] if flags else [])
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    started, failed, lines = [], set(), []
    for line in proc.stdout:
        sys.stdout.write(line); lines.append(line)
        if line.startswith('Starting '): started.append(Path(line.split(' ', 1)[1].strip()).name)
    proc.wait()
    text = ''.join(lines)
    if 'Failed On The Following Notebooks' in text:
        failed = set(re.findall(r'^\t(\S+\.ipynb)$', text.split('Failed On The Following Notebooks')[1], flags=re.M))
    if proc.returncode and not failed: failed = {'nbdev_test'}  # crashed before naming a notebook
    return {nb: nb not in failed for nb in started} | {nb: False for nb in failed if nb not in started}


def check_docs():
    r = subprocess.run([sys.executable, ROOT/'tools'/'build_docs.py'], cwd=ROOT, capture_output=True, text=True)
    if r.returncode: return False, 'docs build failed: ' + (r.stdout + r.stderr).strip().splitlines()[-1]
    r = subprocess.run([sys.executable, ROOT/'tools'/'check_docs.py'], cwd=ROOT, capture_output=True, text=True)
    out = (r.stdout + r.stderr).strip()
    print(out)
    return r.returncode == 0, out.splitlines()[-1] if out else 'docs check printed nothing'


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--flags', default='', help='test flags to run anyway, e.g. "slow" for the long cells')
    p.add_argument('--skip-docs', action='store_true', help='skip the docs build and browser check')
    a = p.parse_args()
    if not os.environ.get('VAE_DATA_DIR'): print('note: VAE_DATA_DIR is not set; notebooks will look in ~/.cache/vae_nbdev')
    results, t0 = {}, time.time()
    for name, check in (('export', check_export), ('clean', check_clean), ('readme', check_readme), ('banned-calls', check_banned)):
        ok, msg = check()
        results[name] = ok
        print(f"{'PASS' if ok else 'FAIL'} {name}: {msg}", flush=True)
    nb = run_notebooks(a.flags)
    for k, ok in nb.items(): print(f"{'PASS' if ok else 'FAIL'} {k}")
    results.update(nb)
    if not a.skip_docs:
        ok, msg = check_docs()
        results['docs'] = ok
        print(f"{'PASS' if ok else 'FAIL'} docs: {msg}")
    npass = sum(results.values())
    print(f'({time.time() - t0:.0f}s; checks and notebooks counted)')
    print(f'{npass} passed, {len(results) - npass} failed')
    sys.exit(0 if npass == len(results) else 1)


if __name__ == '__main__': main()
