"""Training cost of the hierarchies and the conditional models: seconds per epoch against the study's one-layer VAE.

  vae         vae_nbdev.vae.VAE(d=10, 784, hidden=(400,)): the remedies study's vae_* models
  twolayer    vae_nbdev.ladder.TwoLayerVAE(10, 784, (400,), d2=5, hidden2=(100,)): the ladder study's twolayer_* models
  ladder      vae_nbdev.ladder.LadderVAE(same sizes): the ladder study's ladder_* models
  cvae_label  vae_nbdev.cvae.CVAE('label'): objects of image and one-hot label
  cvae_quad   vae_nbdev.cvae.CVAE('quadrants'): images, random given quadrants drawn in each step
  det_quad    vae_nbdev.cvae.DeterministicNet('quadrants'): the quadrant baseline

Each row runs the studies' training step (Adam 1e-3, K = 1, batch 100) over --batches batches of binarized MNIST,
the models alternating --reps times; the table shows the median per batch scaled to an epoch of 600 batches and its
ratio to the VAE's in the same run. Usage: python bench/hierarchy_speed.py [--batches 200] [--reps 3]
"""
import argparse, json, platform, statistics
from pathlib import Path

import torch
import torch.nn.functional as F

from vae_nbdev.cvae import CVAE, DeterministicNet
from vae_nbdev.data import load_mnist
from vae_nbdev.ladder import LadderVAE, TwoLayerVAE
from vae_nbdev.vae import VAE

from flow_speed import seconds_per_batch  # the same timed training step (bench/ is on the path of a script run from it)

MODELS = {'vae': (lambda: VAE(10, 784, hidden=(400,)), 'images'),
          'twolayer': (lambda: TwoLayerVAE(10, 784, (400,), d2=5, hidden2=(100,)), 'images'),
          'ladder': (lambda: LadderVAE(10, 784, (400,), d2=5, hidden2=(100,)), 'images'),
          'cvae_label': (lambda: CVAE('label'), 'labelled'),
          'cvae_quad': (lambda: CVAE('quadrants'), 'images'),
          'det_quad': (lambda: DeterministicNet('quadrants'), 'images')}


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--batches', type=int, default=200, help='training steps timed per repetition (default: %(default)s)')
    p.add_argument('--reps', type=int, default=3, help='alternating repetitions (default: %(default)s)')
    a = p.parse_args()
    train = load_mnist()[0]
    x, labels = train.tensors[0][:20_000], train.tensors[1][:20_000]
    data = {'images': x, 'labelled': torch.cat([x, F.one_hot(labels, 10).float()], 1)}
    torch.manual_seed(0)
    models = {k: f() for k, (f, _) in MODELS.items()}
    opts = {k: torch.optim.Adam(m.parameters(), lr=1e-3) for k, m in models.items()}
    runs = {k: [] for k in models}
    for _ in range(a.reps):
        for k in models: runs[k].append(seconds_per_batch(models[k], opts[k], data[MODELS[k][1]], a.batches))
    med = {k: statistics.median(v) * 600 for k, v in runs.items()}
    lines = ['| model | seconds per epoch (600 batches), median | all runs (s per epoch) | ratio to the VAE |', '|---|---|---|---|']
    for k in models:
        lines.append(f"| {k} | {med[k]:.1f} | {', '.join(f'{t * 600:.1f}' for t in runs[k])} | {med[k] / med['vae']:.2f} |")
    where = (f"{platform.machine()}, {torch.get_num_threads()} torch threads, torch {torch.__version__}, "
             f"{a.batches} batches of 100 per run, {a.reps} alternating reps; `python bench/hierarchy_speed.py`")
    table = '\n'.join(lines) + '\n\n' + where + '\n'
    print(table)
    out = Path(__file__).resolve().parent/'results'
    (out/'hierarchy_speed.md').write_text(table)
    (out/'hierarchy_speed.json').write_text(json.dumps({'epoch_seconds_median': med, 'batch_seconds_runs': runs, 'where': where}, indent=1) + '\n')


if __name__ == '__main__':
    main()
