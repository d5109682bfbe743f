"""The evaluation under torchrun: two processes against one, on the study's committed d = 10 VAE (issue 27).

Runs `vae_evaluate nbs/results/checkpoints/vae_d10.pt` (evaluate_log_likelihood with seed 0, the batches' random
streams of their own) three ways: one process with one thread, one process with two threads (the plain command on
this machine), and `torchrun --standalone --nproc-per-node 2` with one thread a process; for IWAE-5000 on the first
--iwae-images test images and for the default (AIS with its schedule tuned and certified by BDMC) on the first
--ais-images. Each row: the evaluation's seconds (the model and data loaded), the whole command's wall clock, the
mean, and whether every image's value equals the one-process, one-thread run's to the last bit.
Usage: python bench/eval_ranks.py [--iwae-images 2000] [--ais-images 500]
"""
import argparse, json, os, platform, subprocess, sys, tempfile, time
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parent
CKPT = ROOT.parent/'nbs'/'results'/'checkpoints'/'vae_d10.pt'
RUNS = {'one process, 1 thread': ((), 1), 'one process, 2 threads': ((), 2),
        'torchrun, 2 processes of 1 thread': (('-m', 'torch.distributed.run', '--standalone', '--nproc-per-node', '2'), 1)}


def evaluate(launcher:tuple, threads:int, argv:list, out:Path) -> tuple:  # (result JSON, wall seconds)
    cmd = [sys.executable, *launcher, '-m', 'vae_nbdev.evaluate', str(CKPT), '--no-progress', '--out', str(out), *argv]
    t = time.time()
    subprocess.run(cmd, env={**os.environ, 'OMP_NUM_THREADS': str(threads)}, check=True, capture_output=True, text=True)
    return json.loads(out.read_text()), time.time() - t


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--iwae-images', type=int, default=2000, help='test images for IWAE-5000 (default: %(default)s)')
    p.add_argument('--ais-images', type=int, default=500, help='test images for the default AIS (default: %(default)s)')
    a = p.parse_args()
    jobs = {'iwae, K = 5000': ['--method', 'iwae', '-K', '5000', '--images', str(a.iwae_images)],
            'default (tuned AIS)': ['--method', 'best', '--images', str(a.ais_images)]}
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for job, argv in jobs.items():
            base = None
            for how, (launcher, threads) in RUNS.items():
                r, wall = evaluate(launcher, threads, argv, Path(tmp)/'r.json')
                base = base or r
                rows.append({'estimate': job, 'images': r['images'], 'run': how, 'seconds': r['seconds'], 'wall': wall, 'mean': r['mean'],
                             'same_values': r['values'] == base['values'], 'settings': r['certificate']['settings']})
                print(rows[-1], flush=True)
    lines = ['| estimate | images | run | evaluation (s) | whole command (s) | mean | every value equal to the first row\'s |',
             '|---|---|---|---|---|---|---|']
    lines += [f"| {r['estimate']} | {r['images']} | {r['run']} | {r['seconds']:.1f} | {r['wall']:.1f} | {r['mean']:.4f} | "
              f"{'yes' if r['same_values'] else 'no'} |" for r in rows]
    for job in jobs:
        s = {r['run']: r['seconds'] for r in rows if r['estimate'] == job}
        lines.append(f"\n{job}: torchrun's two processes take {s['torchrun, 2 processes of 1 thread'] / s['one process, 2 threads']:.2f} "
                     f"of the plain command's evaluation time and {s['torchrun, 2 processes of 1 thread'] / s['one process, 1 thread']:.2f} "
                     "of one process with one thread.")
    env = (f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, torch {torch.__version__}, "
           f"{time.strftime('%Y-%m-%d')}")
    text = '\n'.join(lines) + '\n\n' + env + '\n'
    print(text)
    (ROOT/'results'/'eval_ranks.md').write_text(text)
    (ROOT/'results'/'eval_ranks.json').write_text(json.dumps({'rows': rows, 'environment': env}, indent=1))


if __name__ == '__main__': main()
