"""Evaluation speed: IWAE-5000 and MC-5000 on the committed d = 10 VAE against the matrix products they need.

  iwae       vae_nbdev.estimators.log_likelihood_iwae, K = 5000 on the first --images test images, batch 100
  mc         vae_nbdev.estimators.log_likelihood_monte_carlo (fresh prior codes per image), same images and K
  mc-shared  vae_nbdev.estimators.mc_shared (one set of K prior codes for every image), same images and K,
             and on the whole test set
  roofline   only the decoder's matrix products for the same number of decoded rows (n x K codes through
             d -> 400 -> 784), the floor below which no estimator that decodes every code can go

Runs alternate (iwae, roofline, iwae, ...) so that drifts in machine load hit all of them; the table shows medians.
On a GPU (--device cuda, the default when one is present) every run is synchronised before the clock stops, and the
results go to eval_speed_cuda.md/.json. Usage: python bench/eval_speed.py [--reps 3] [--images 1000] [--device cpu]
"""
import argparse, json, platform, statistics, time
from pathlib import Path

import torch

from vae_nbdev.data import load_mnist
from vae_nbdev.estimators import log_likelihood_iwae, log_likelihood_monte_carlo
from vae_nbdev.training import default_device, load_model

K, BATCH = 5000, 100
CKPT = Path(__file__).resolve().parent.parent/'nbs'/'results'/'checkpoints'/'vae_d10.pt'


def sync(device):
    if device.type == 'cuda': torch.cuda.synchronize(device)


def timed(f, device):
    sync(device); t = time.perf_counter(); f(); sync(device); return time.perf_counter() - t


def per_image(estimator, model, x):
    "The estimator over `x` in batches of BATCH images, as evaluate_log_likelihood runs it."
    return lambda: torch.cat([estimator(x[i:i + BATCH], model, K) for i in range(0, len(x), BATCH)])


def roofline(model, n):
    "Only the decoder GEMMs for n x K codes, in the chunks the estimators use (4096 rows)."
    lin = [m for m in model.decoder if isinstance(m, torch.nn.Linear)]
    rows = 4096
    zs = torch.randn(rows, lin[0].in_features, device=model.device)
    outs = [torch.empty(rows, l.out_features, device=model.device) for l in lin]
    def run():
        with torch.no_grad():
            for _ in range(n * K // rows):
                h = zs
                for l, o in zip(lin, outs): h = torch.addmm(l.bias, h, l.weight.T, out=o)
    return run


def device_name(device):
    return torch.cuda.get_device_name(device) if device.type == 'cuda' else 'cpu'


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--reps', type=int, default=3, help='alternating repetitions of each run (default: 3)')
    p.add_argument('--images', type=int, default=1000, help='test images for the per-image runs (default: 1000)')
    p.add_argument('--checkpoint', default=str(CKPT), help='the d = 10 VAE (default: the committed study\'s vae_d10)')
    p.add_argument('--out', default=str(Path(__file__).parent/'results'), help='folder for eval_speed.md/.json')
    p.add_argument('--data-dir', default=None, help='MNIST folder (default: $VAE_DATA_DIR)')
    p.add_argument('--device', default=None, help='cpu or cuda (default: CUDA when present, else the CPU)')
    a = p.parse_args()
    device = torch.device(a.device) if a.device else default_device()
    from vae_nbdev.estimators import mc_shared
    model = load_model(a.checkpoint, device)
    test = load_mnist(a.data_dir)[1].tensors[0].to(device)
    x = test[:a.images]
    runs = {'iwae': per_image(log_likelihood_iwae, model, x), 'roofline': roofline(model, len(x)),
            'mc': per_image(log_likelihood_monte_carlo, model, x),
            'mc-shared': lambda: mc_shared(model, x, K, repeats=1),
            'mc-shared, whole test set': lambda: mc_shared(model, test, K, repeats=1)}
    times = {k: [] for k in runs}
    torch.manual_seed(0)
    for r in range(a.reps):
        for k, f in runs.items():
            times[k].append(timed(f, device))
            print(f'rep {r + 1}/{a.reps} {k:26s} {times[k][-1]:7.2f} s', flush=True)
    med = {k: statistics.median(v) for k, v in times.items()}
    base = med['roofline']
    label = {'iwae': f'IWAE, {len(x)} images', 'roofline': f'decoder matmuls only for {len(x)} x K codes (roofline)',
             'mc': f'MC, own codes per image, {len(x)} images', 'mc-shared': f'MC, shared codes, {len(x)} images',
             'mc-shared, whole test set': f'MC, shared codes, all {len(test)} test images'}
    lines = [f'| run (K = {K}, one set of codes) | seconds, median | all runs (s) | ratio to roofline |', '|---|---|---|---|']
    lines += [f"| {label[k]} | {med[k]:.2f} | {', '.join(f'{t:.2f}' for t in times[k])} | {med[k] / base:.2f} |" for k in runs]
    env = (f'{platform.processor() or platform.machine()}, {torch.get_num_threads()} torch threads, torch {torch.__version__}, '
           f'{a.reps} alternating repetitions, model {Path(a.checkpoint).name}, batch {BATCH}, device {device_name(device)}')
    table = '\n'.join(lines)
    print('\n' + table + '\n\n' + env)
    out, name = Path(a.out), 'eval_speed' + ('' if device.type == 'cpu' else '_' + device.type)
    out.mkdir(parents=True, exist_ok=True)
    (out/f'{name}.md').write_text(table + '\n\n' + env + '\n')
    (out/f'{name}.json').write_text(json.dumps({'median_seconds': med, 'seconds': times, 'K': K, 'images': len(x),
                                                   'iwae_over_roofline': med['iwae'] / base, 'environment': env}, indent=1))


if __name__ == '__main__': main()
