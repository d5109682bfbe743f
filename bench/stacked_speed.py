"""Stacked training against training alone: seconds per model and epoch of the study's VAE, M models in one step.

  alone      vae_nbdev.training.train_model: one VAE(d=10, 784, hidden=(400,)) at a time (the baseline)
  stack M    vae_nbdev.stacked.train_stacked: M such VAEs from M seeds, their weights stacked, one step for all

Each row trains one epoch of batch 100 (Adam 1e-3, the ELBO) on the first --images binarized MNIST digits; the rows
alternate --reps times. The table shows the median seconds per model, scaled to an epoch of 600 batches, and its
ratio to training alone measured in the same run (below 1: stacking is cheaper per model), and the time of the
whole stack against one model alone. Usage: python bench/stacked_speed.py [--images 6000] [--reps 3] [--sizes 2,3,10]
[--device auto] [--out bench/results]
"""
import argparse, json, platform, statistics, time
from pathlib import Path

import torch

from vae_nbdev.data import load_mnist
from vae_nbdev.stacked import train_stacked
from vae_nbdev.training import default_device, train_model
from vae_nbdev.vae import VAE


def seconds_alone(x, device) -> float:
    "Wall-clock seconds of one epoch of one VAE trained alone."
    torch.manual_seed(0); m = VAE(10, 784)
    t = time.perf_counter(); train_model(m, data=x, num_epochs=1, seed=0, device=device, progress=False)
    return time.perf_counter() - t


def seconds_stacked(x, M:int, device) -> float:
    "Wall-clock seconds of one epoch of M VAEs trained as one stack."
    torch.manual_seed(0); ms = [VAE(10, 784) for _ in range(M)]
    t = time.perf_counter(); train_stacked(ms, list(range(M)), data=x, num_epochs=1, device=device, progress=False)
    return time.perf_counter() - t


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--images', type=int, default=6000, help='training images, a multiple of 100 (default: %(default)s)')
    p.add_argument('--reps', type=int, default=3, help='alternating repetitions (default: %(default)s)')
    p.add_argument('--sizes', default='2,3,10', help='stack sizes M, comma-separated (default: %(default)s)')
    p.add_argument('--device', default='auto', help='auto (CUDA when present), cpu or cuda (default: %(default)s)')
    p.add_argument('--out', default=str(Path(__file__).resolve().parent/'results'), help='folder for the table (default: bench/results)')
    a = p.parse_args()
    device = default_device() if a.device == 'auto' else torch.device(a.device)
    sizes = [int(s) for s in a.sizes.split(',')]
    x = load_mnist()[0].tensors[0][:a.images]
    scale = 600 / (a.images // 100)  # to an epoch of 600 batches
    seconds_alone(x[:1000], device); seconds_stacked(x[:1000], 2, device)  # warm-up (allocations, kernels)
    runs = {'alone': [], **{f'stack {M}': [] for M in sizes}}
    for _ in range(a.reps):
        runs['alone'].append(seconds_alone(x, device) * scale)
        for M in sizes: runs[f'stack {M}'].append(seconds_stacked(x, M, device) * scale / M)
    med = {k: statistics.median(v) for k, v in runs.items()}
    lines = ['| training | models | seconds per model and epoch, median | all runs | per model against alone | whole step against one model alone |',
             '|---|---|---|---|---|---|']
    for k, v in runs.items():
        M = 1 if k == 'alone' else int(k.split()[1])
        lines.append(f"| {k} | {M} | {med[k]:.2f} | {', '.join(f'{t:.2f}' for t in v)} | {med[k] / med['alone']:.2f} | {M * med[k] / med['alone']:.2f} |")
    name = torch.cuda.get_device_name(device) if device.type == 'cuda' else platform.machine()
    where = (f"{name} ({device.type}), {torch.get_num_threads()} torch threads, torch {torch.__version__}, "
             f"{a.images} images (scaled to 600 batches of 100), {a.reps} alternating reps; `python bench/stacked_speed.py`")
    table = '\n'.join(lines) + '\n\n' + where + '\n'
    print(table)
    out = Path(a.out); out.mkdir(parents=True, exist_ok=True)
    stem = 'stacked_speed' + ('_cuda' if device.type == 'cuda' else '')
    (out/f'{stem}.md').write_text(table)
    (out/f'{stem}.json').write_text(json.dumps({'model_epoch_seconds_median': med, 'runs': runs, 'where': where}, indent=1) + '\n')


if __name__ == '__main__':
    main()
