"""The default study timed from a fresh results folder, as one process or under torchrun, and its numbers compared with the committed run's.

Runs `vae_experiments --out OUT --no-progress` (the default study of `make experiments`: four models, 50 epochs,
K = 5000 on the whole test set, the K sweep, the figures) in a new folder and times it by the wall clock; with
--procs N it runs the same command under `torchrun --standalone --nproc-per-node N` (one thread a process). Then it
writes a table of each model's test numbers beside the committed run's (nbs/results), with the difference in units
of the committed standard error, and adds the run's wall time to the table of every configuration timed so far.
With --seeds S every model is trained from S seeds (`--seeds S` of the study, the replicas stacked).
Usage: python bench/study_time.py [--procs N] [--seeds S] [--out /tmp/fresh_study] [--results bench/results] [--render]
"""
import argparse, json, os, platform, subprocess, sys, time
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parent.parent


def command(out:Path, procs:int, seeds:int=1) -> tuple:  # (argv, environment)
    "The default study's command into `out`: plain for one process, under torchrun with one thread a process for more."
    args = ['--out', str(out), '--no-progress'] + (['--seeds', str(seeds)] if seeds > 1 else [])
    if procs == 1: return [sys.executable, '-m', 'vae_nbdev.study', *args], dict(os.environ)
    return ([sys.executable, '-m', 'torch.distributed.run', '--standalone', '--nproc-per-node', str(procs), '-m', 'vae_nbdev.study', *args],
            {**os.environ, 'OMP_NUM_THREADS': '1'})


def run_fresh(out:Path, procs:int, seeds:int=1) -> float:
    "Run the default study into the new folder `out` with `procs` processes and `seeds` seeds; return its wall-clock seconds."
    if out.exists(): sys.exit(f'{out} exists: the timing must start from a fresh results folder')
    argv, env = command(out, procs, seeds)
    t = time.time()
    subprocess.run(argv, env=env, check=True)
    return time.time() - t


def stage_seconds(m:dict) -> dict:
    """Training and evaluation seconds summed over the models of a metrics dict; the replicas of a model trained as one
    stack each carry the stack's time, which is counted once."""
    e = m['models']
    stacks = {(n.rsplit('_s', 1)[0] if n.rsplit('_s', 1)[-1].isdigit() else n, round(v['train_seconds'], 1)) for n, v in e.items()}
    return {'training': sum(t for _, t in stacks), 'evaluation': sum(v['evaluation']['seconds'] for v in e.values())}


def number_rows(fresh:dict, committed:dict) -> list:
    "Each model's test numbers beside the committed run's, the difference in committed standard errors."
    rows = []
    for name, e in fresh['models'].items():
        for key, v in e['test'].items():
            c = committed['models'][name]['test'][key]
            z = (v['mean'] - c['mean']) / c['stderr'] if c.get('stderr') else None
            rows.append({'model': name, 'estimator': key, 'fresh': v['mean'], 'committed': c['mean'], 'z': z})
    return rows


def render(runs:dict, latest:str) -> str:
    "The markdown of every configuration's row (with its date) and the latest run's numbers beside the committed run's."
    lines = ['| run | date | wall clock (min) | training, summed over models, a stack once (min) | evaluation, summed (min) | largest difference from the committed numbers (committed std. errors) |',
             '|---|---|---|---|---|---|']
    for key, r in sorted(runs.items(), key=lambda kv: (kv[0] != 'pool', kv[0])):
        zs = [abs(x['z']) for x in r['numbers'] if x['z'] is not None]
        lines.append(f"| {r['how']} | {r['environment'].rsplit(', ', 1)[-1]} | {r['wall_seconds'] / 60:.1f} | "
                     f"{r['stage_seconds']['training'] / 60:.1f} | {r['stage_seconds']['evaluation'] / 60:.1f} | {max(zs):.2f} |")
    r = runs[latest]
    table = ['| model | estimator | fresh run | committed run | difference / committed std. error |', '|---|---|---|---|---|']
    table += [f"| {x['model']} | {x['estimator']} | {x['fresh']:.2f} | {x['committed']:.2f} | {'' if x['z'] is None else format(x['z'], '+.2f')} |"
              for x in r['numbers']]
    return ('The default study (`make experiments`) from a fresh results folder, by configuration (each row its latest run; '
            'the machine\'s speed differs between dates, see bench/results/speed_check):\n\n' + '\n'.join(lines)
            + f"\n\nThe numbers of the latest run ({r['how']}) beside the committed run's:\n\n" + '\n'.join(table)
            + '\n\n' + r['environment'] + '\n')


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--procs', type=int, default=1, help='processes: 1 runs the plain command, N > 1 runs it under torchrun (default: 1)')
    p.add_argument('--seeds', type=int, default=1, help='trainings of each model, from seeds 0..S-1 (default: 1)')
    p.add_argument('--out', default=None, help='the fresh results folder (default: /tmp/fresh_study_pN or _pN_sS)')
    p.add_argument('--results', default=str(ROOT/'bench'/'results'), help='folder for study_time.md/.json')
    p.add_argument('--render', action='store_true', help="run nothing: rewrite study_time.md from study_time.json's runs "
                   '(the latest is the one --procs and --seeds name)')
    a = p.parse_args()
    key = str(a.procs) + (f'_s{a.seeds}' if a.seeds > 1 else '')
    res = Path(a.results); res.mkdir(parents=True, exist_ok=True)
    if a.render:
        runs = json.loads((res/'study_time.json').read_text())['runs']
        if key not in runs: sys.exit(f"study_time.py: no run '{key}' in {res/'study_time.json'}: one of {', '.join(runs)}")
        (res/'study_time.md').write_text(text := render(runs, key)); print(text); return
    out = Path(a.out or f'/tmp/fresh_study_p{key}')
    wall = run_fresh(out, a.procs, a.seeds)
    fresh = json.loads((out/'metrics.json').read_text())
    committed = json.loads((ROOT/'nbs'/'results'/'metrics.json').read_text())
    rows, st = number_rows(fresh, committed), stage_seconds(fresh)
    env = (f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, torch {torch.__version__}, "
           f"device {fresh['device']}, {time.strftime('%Y-%m-%d')}")
    name = 'study_time' + ('' if fresh['device'] == 'cpu' else '_' + fresh['device'].split(':')[0])
    store = res/f'{name}.json'
    old = json.loads(store.read_text()) if store.exists() else {}
    runs = old.get('runs') or ({'pool': {**old, 'how': "the study's former worker pool, 2 processes of one thread (removed)"}} if old else {})
    how = ('one process' if a.procs == 1 else f'torchrun, {a.procs} processes of one thread') + (f', {a.seeds} seeds' if a.seeds > 1 else '')
    runs[key] = {'how': how, 'wall_seconds': wall, 'stage_seconds': st, 'numbers': rows, 'environment': env,
                 'settings': fresh['settings']}
    text = render(runs, key)
    print(text)
    (res/f'{name}.md').write_text(text)
    store.write_text(json.dumps({'runs': runs}, indent=1))


if __name__ == '__main__': main()
