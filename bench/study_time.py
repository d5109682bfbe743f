"""The default study timed from a fresh results folder, and its numbers compared with the committed run's.

Runs `vae_experiments --out OUT --no-progress` (the default study of `make experiments`: four models, 50 epochs,
K = 5000 on the whole test set, the K sweep, the figures, with the default --jobs) in a new folder and times it by the wall clock; or, with
--seconds, reads a run already made into OUT with that wall time. Then it writes a table of each model's test
numbers beside the committed run's (nbs/results), with the difference in units of the committed standard error.
Usage: python bench/study_time.py [--out /tmp/fresh_study] [--seconds S] [--results bench/results]
"""
import argparse, json, platform, subprocess, sys, time
from pathlib import Path

import torch

from vae_nbdev.study import study_jobs

ROOT = Path(__file__).resolve().parent.parent


def run_fresh(out:Path) -> float:
    "Run the default study into the new folder `out`; return its wall-clock seconds."
    if out.exists(): sys.exit(f'{out} exists: the timing must start from a fresh results folder')
    t = time.time()
    subprocess.run([sys.executable, '-c', 'from vae_nbdev.study import main; main()', '--out', str(out), '--no-progress'], check=True)
    return time.time() - t


def stage_seconds(m:dict) -> dict:
    "Training and evaluation seconds summed over the models of a metrics dict."
    e = m['models'].values()
    return {'training': sum(v['train_seconds'] for v in e), 'evaluation': sum(v['evaluation']['seconds'] for v in e)}


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--out', default='/tmp/fresh_study', help='the fresh results folder (default: %(default)s)')
    p.add_argument('--seconds', type=float, default=None, help='wall time of a run already made into --out (skips the run)')
    p.add_argument('--results', default=str(ROOT/'bench'/'results'), help='folder for study_time.md/.json')
    a = p.parse_args()
    out = Path(a.out)
    wall = a.seconds if a.seconds is not None else run_fresh(out)
    fresh = json.loads((out/'metrics.json').read_text())
    committed = json.loads((ROOT/'nbs'/'results'/'metrics.json').read_text())
    lines = ['| model | estimator | fresh run | committed run | difference / committed std. error |', '|---|---|---|---|---|']
    rows = []
    for name, e in fresh['models'].items():
        for key, v in e['test'].items():
            c = committed['models'][name]['test'][key]
            z = (v['mean'] - c['mean']) / c['stderr'] if c.get('stderr') else None
            rows.append({'model': name, 'estimator': key, 'fresh': v['mean'], 'committed': c['mean'], 'z': z})
            lines.append(f"| {name} | {key} | {v['mean']:.2f} | {c['mean']:.2f} | {'' if z is None else f'{z:+.2f}'} |")
    st = stage_seconds(fresh)
    env = (f"{platform.processor() or platform.machine()}, {torch.get_num_threads()} torch threads, torch {torch.__version__}, "
           f"device {fresh['device']}, {time.strftime('%Y-%m-%d')}")
    jobs = study_jobs(None, fresh['device'])  # the default --jobs of a run on this machine
    head = (f"Default study from a fresh folder: {wall / 60:.1f} minutes wall clock, {jobs} model{'s' if jobs > 1 else ''} at a time. "
            f"Summed over the models: training {st['training'] / 60:.1f} minutes, evaluation {st['evaluation'] / 60:.1f}"
            + (f" (the models ran side by side, so these sums exceed the wall clock)." if jobs > 1 else "; the rest is the K sweep and the figures."))
    text = head + '\n\n' + '\n'.join(lines) + '\n\n' + env + '\n'
    print(text)
    res = Path(a.results); res.mkdir(parents=True, exist_ok=True)
    name = 'study_time' + ('' if fresh['device'] == 'cpu' else '_' + fresh['device'].split(':')[0])
    (res/f'{name}.md').write_text(text)
    (res/f'{name}.json').write_text(json.dumps({'wall_seconds': wall, 'stage_seconds': st, 'numbers': rows,
                                                   'settings': fresh['settings'], 'environment': env}, indent=1))


if __name__ == '__main__': main()
