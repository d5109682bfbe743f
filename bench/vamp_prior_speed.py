"""VampPrior log-density: the package's matrix-product form against the direct component-by-component form.

  matmul     vae_nbdev.vampprior.VampVAE.log_prior: all M x C component log-densities as [z^2, z] W + b, then
             log-mean-exp over the C components, in chunks of max_chunk values
  broadcast  the same density written directly: (z - mu_c) / sigma_c for every code, component and coordinate
             (an M x C x d array per chunk, the form this package used before), then the same log-mean-exp

Both run on the same --codes codes of a VampVAE(d=10, 784, components=500) with the trained MNIST weights when
nbs/results_remedies/checkpoints/vamp_mnist.pt exists (else random weights), alternating, and the table shows
medians. The largest difference between the two forms, and of each from a float64 evaluation, is printed too.
Usage: python bench/vamp_prior_speed.py [--codes 200000] [--reps 3]
"""
import argparse, json, math, platform, statistics, time
from pathlib import Path

import torch

from vae_nbdev.distributions import gaussian_log_pdf, log_mean_exp
from vae_nbdev.training import load_model
from vae_nbdev.vampprior import VampVAE

CKPT = Path(__file__).resolve().parent.parent/'nbs'/'results_remedies'/'checkpoints'/'vamp_mnist.pt'


def broadcast(model, z):
    "The direct form: every component's Gaussian log-density of every code, M x C x d values per chunk."
    mu, sigma = model.prior_components()
    step = max(1, model.max_chunk // (model.components * model.d))
    return torch.cat([log_mean_exp(gaussian_log_pdf((mu, sigma), f.unsqueeze(0).expand(model.components, -1, -1)).T)
                      for f in z.split(step)])


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--codes', type=int, default=200_000, help='codes to score (default: %(default)s)')
    p.add_argument('--reps', type=int, default=3, help='alternating repetitions (default: %(default)s)')
    a = p.parse_args()
    model = load_model(CKPT) if CKPT.exists() else VampVAE(10, 784, components=500)
    model.eval()
    torch.manual_seed(0)
    with torch.no_grad():
        z = model.sample_prior(a.codes)[:, 0]  # codes where the prior lives: near its components
        runs = {'matmul': lambda: model.log_prior(z), 'broadcast': lambda: broadcast(model, z)}
        times = {k: [] for k in runs}
        for _ in range(a.reps):
            for k, f in runs.items():
                t = time.perf_counter(); f(); times[k].append(time.perf_counter() - t)
        exact = model.double().log_prior(z[:20_000].double())
        model.float()
        err = {k: (runs[k]()[:20_000].double() - exact).abs().max().item() for k in runs}
    med = {k: statistics.median(v) for k, v in times.items()}
    lines = ['| form | seconds, median | all runs (s) | codes per second | ratio to broadcast | largest error vs float64 (first 20 000 codes) |',
             '|---|---|---|---|---|---|']
    for k in runs:
        lines.append(f"| {k} | {med[k]:.2f} | {', '.join(f'{t:.2f}' for t in times[k])} | {a.codes / med[k]:.3g} | "
                     f"{med[k] / med['broadcast']:.2f} | {err[k]:.1e} |")
    where = (f"{platform.machine()}, {torch.get_num_threads()} torch threads, torch {torch.__version__}, {a.codes} codes, "
             f"C = {model.components}, d = {model.d}, {'trained vamp_mnist weights' if CKPT.exists() else 'random weights'}, {a.reps} reps")
    table = '\n'.join(lines) + '\n\n' + where + '\n'
    print(table)
    out = Path(__file__).resolve().parent/'results'
    (out/'vamp_prior_speed.md').write_text(table)
    (out/'vamp_prior_speed.json').write_text(json.dumps({'median_s': med, 'runs_s': times, 'max_abs_error_vs_float64': err,
                                                         'codes': a.codes, 'where': where}, indent=1) + '\n')


if __name__ == '__main__':
    main()
