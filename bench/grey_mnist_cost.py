"""What grey-level MNIST with the categorical decoder costs, against the binarized study's Bernoulli VAE, on this machine.

Both models are the study's VAE (d = 10, one hidden layer of 400, batch 100, Adam 1e-3); the categorical one has 256
logits per pixel, so its last layer is 400 x 200,704 instead of 400 x 784. Times a few training batches of each (scaled
to one epoch of 600 batches) and IWAE-5000 on a few test images (seconds per image, scored as one batch), prints a
table with the ratio to the Bernoulli model, and writes bench/results/grey_mnist_cost.md/.json.
Usage: python bench/grey_mnist_cost.py [--batches 10] [--images 2] [--device cpu]
"""
import argparse, json, os, platform, sys, time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).parent))
from eval_speed import timed  # wall-clock seconds of f(), the device synchronised before and after

from vae_nbdev.data import load_mnist
from vae_nbdev.decoders import CategoricalVAE, load_images, to_objects
from vae_nbdev.estimators import log_likelihood_iwae
from vae_nbdev.training import default_device, train_model
from vae_nbdev.vae import VAE


def grey_levels(data) -> torch.Tensor:
    "MNIST's raw grey levels 0..255 of a dataset loaded unbinarized, as the categorical decoder's objects."
    return to_objects(load_images((data.tensors[0] * 255).round().to(torch.uint8)), 'categorical')


def costs(model, train:torch.Tensor, test:torch.Tensor, batches:int, device) -> dict:
    "Seconds per training epoch (600 batches of 100, scaled from a few) and per test image of IWAE-5000 (the images as one batch)."
    model = model.to(device)
    train_model(model, num_epochs=1, data=train[:100], batch_size=100, seed=0, progress=False, device=device)  # warm-up
    step = timed(lambda: train_model(model, num_epochs=1, data=train[:100 * batches], batch_size=100, seed=0,
                                     progress=False, device=device), device) / batches
    test = test.to(device)
    per_image = timed(lambda: log_likelihood_iwae(test, model, 5000), device) / len(test)
    return {'epoch_seconds': 600 * step, 'iwae_seconds_per_image': per_image,
            'weights': sum(p.numel() for p in model.parameters())}


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--batches', type=int, default=10, help='training batches timed per model (default: %(default)s)')
    p.add_argument('--images', type=int, default=2, help='test images scored by IWAE-5000 per model (default: %(default)s)')
    p.add_argument('--device', default=None, help='cpu or cuda (default: CUDA when present)')
    p.add_argument('--out', default=str(Path(__file__).parent/'results'), help='folder for grey_mnist_cost.md/.json')
    a = p.parse_args()
    device = torch.device(a.device) if a.device else default_device()
    (btr, bte), (gtr, gte) = load_mnist(), load_mnist(binarize=False)
    torch.manual_seed(0)
    runs = {'Bernoulli, binarized (the study)': costs(VAE(10, 784), btr.tensors[0], bte.tensors[0][:a.images], a.batches, device),
            'categorical, 256 grey levels': costs(CategoricalVAE(10, 784, levels=256), grey_levels(gtr), grey_levels(gte)[:a.images], a.batches, device)}
    base = next(iter(runs.values()))
    lines = [f'| decoder | weights | training epoch (s) | ratio | IWAE-5000, s per image ({a.images} as one batch) | ratio |', '|---|---|---|---|---|---|']
    lines += [f"| {k} | {r['weights']:,} | {r['epoch_seconds']:.0f} | {r['epoch_seconds'] / base['epoch_seconds']:.1f} | "
              f"{r['iwae_seconds_per_image']:.2f} | {r['iwae_seconds_per_image'] / base['iwae_seconds_per_image']:.1f} |" for k, r in runs.items()]
    env = (f"{platform.machine()}, {os.cpu_count()} CPUs, {torch.get_num_threads()} torch threads, torch {torch.__version__}, device {device}, "
           f"{a.batches} batches and {a.images} images timed per model, {time.strftime('%Y-%m-%d')}")
    text = '\n'.join(lines) + '\n\n' + env + '\n'
    print(text)
    out = Path(a.out); out.mkdir(parents=True, exist_ok=True)
    (out/'grey_mnist_cost.md').write_text(text)
    (out/'grey_mnist_cost.json').write_text(json.dumps({'runs': runs, 'environment': env}, indent=1))


if __name__ == '__main__': main()
