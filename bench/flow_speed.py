"""Training cost of a flow proposal: seconds per epoch of the study's VAE against the same VAE with planar or IAF steps.

  vae      vae_nbdev.vae.VAE(d=10, 784, hidden=(400,)): Gaussian q, closed-form KL (the remedies study's vae_* models)
  planar   vae_nbdev.flows.FlowVAE(..., flow='planar', steps=10): the study's planar_* models (ELBO from the samples)
  iaf      vae_nbdev.flows.FlowVAE(..., flow='iaf', steps=4): four IAF steps, context 2d, MADE width 4d

Each row runs the study's training step (Adam 1e-3 on the ELBO, K = 1, batch 100) over --batches batches of binarized
MNIST, the models alternating --reps times; the table shows the median per batch, scaled to an epoch of 600 batches,
and its ratio to the VAE's measured in the same run. Usage: python bench/flow_speed.py [--batches 200] [--reps 3]
"""
import argparse, json, platform, statistics, time
from pathlib import Path

import torch

from vae_nbdev.data import load_mnist
from vae_nbdev.flows import FlowVAE
from vae_nbdev.vae import VAE

MODELS = {'vae': lambda: VAE(10, 784, hidden=(400,)),
          'planar': lambda: FlowVAE(10, 784, hidden=(400,), flow='planar', steps=10),
          'iaf': lambda: FlowVAE(10, 784, hidden=(400,), flow='iaf', steps=4)}


def seconds_per_batch(model, opt, x:torch.Tensor, batches:int) -> float:
    "Wall-clock seconds per training step over `batches` batches of 100 (after two warm-up steps)."
    for i in range(batches + 2):
        if i == 2: t = time.perf_counter()
        b = x[(i * 100) % len(x):][:100]
        loss = -model.batch_loss(b)
        opt.zero_grad(); loss.backward(); opt.step()
    return (time.perf_counter() - t) / batches


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--batches', type=int, default=200, help='training steps timed per repetition (default: %(default)s)')
    p.add_argument('--reps', type=int, default=3, help='alternating repetitions (default: %(default)s)')
    a = p.parse_args()
    x = load_mnist()[0].tensors[0][:20_000]
    torch.manual_seed(0)
    models = {k: f() for k, f in MODELS.items()}
    opts = {k: torch.optim.Adam(m.parameters(), lr=1e-3) for k, m in models.items()}
    runs = {k: [] for k in models}
    for _ in range(a.reps):
        for k in models: runs[k].append(seconds_per_batch(models[k], opts[k], x, a.batches))
    med = {k: statistics.median(v) * 600 for k, v in runs.items()}
    lines = ['| model | seconds per epoch (600 batches), median | all runs (s per epoch) | ratio to the VAE |', '|---|---|---|---|']
    for k in models:
        lines.append(f"| {k} | {med[k]:.1f} | {', '.join(f'{t * 600:.1f}' for t in runs[k])} | {med[k] / med['vae']:.2f} |")
    where = (f"{platform.machine()}, {torch.get_num_threads()} torch threads, torch {torch.__version__}, "
             f"{a.batches} batches of 100 per run, {a.reps} alternating reps; `python bench/flow_speed.py`")
    table = '\n'.join(lines) + '\n\n' + where + '\n'
    print(table)
    out = Path(__file__).resolve().parent/'results'
    (out/'flow_speed.md').write_text(table)
    (out/'flow_speed.json').write_text(json.dumps({'epoch_seconds_median': med, 'batch_seconds_runs': runs, 'where': where}, indent=1) + '\n')


if __name__ == '__main__':
    main()
