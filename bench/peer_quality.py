"""Quality against a peer: the PyTorch example's VAE trained exactly as the study trains ours, scored by the same estimator.

For each latent size (2 and 10) the peer (bench/peer_vae.py: the PyTorch examples' VAE architecture and loss,
with sigma = exp(logvar / 2)) is trained with vae_nbdev.training.train_model on the same binarized MNIST, for the
same epochs, batch size, learning rate and seed as the study, then evaluated on the whole test set with the same
IWAE and Monte-Carlo estimators at the same K. The numbers land in <out>/peer.json (default bench/results/peer.json,
the committed copy that the experiments chapter compares with); entries for other latent sizes already there are kept.
Usage: python bench/peer_quality.py [--out bench/results] [--epochs 50] [--k-eval 5000] [--train-size N] [--test-size N] [--methods iwae,mc,elbo]
"""
import argparse, json, sys, time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).parent))
from peer_vae import ExampleVAE

from vae_nbdev.data import load_mnist
from vae_nbdev.evaluate import evaluate_log_likelihood
from vae_nbdev.training import train_model


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--out', default='bench/results', help='folder for peer.json (default: %(default)s)')
    p.add_argument('--epochs', type=int, default=50)
    p.add_argument('--k-eval', type=int, default=5000)
    p.add_argument('--train-size', type=int, default=None)
    p.add_argument('--test-size', type=int, default=None)
    p.add_argument('--seed', type=int, default=0)
    p.add_argument('--dims', default='2,10', help='latent sizes (default: %(default)s)')
    p.add_argument('--methods', default='iwae,mc,elbo', help='estimators to run, of iwae, mc and elbo (default: %(default)s)')
    a = p.parse_args()
    train, test = load_mnist()
    x, tx = train.tensors[0][:a.train_size], test.tensors[0][:a.test_size]
    out = Path(a.out); out.mkdir(parents=True, exist_ok=True)
    path = out/'peer.json'
    res = json.loads(path.read_text()) if path.exists() else {}
    res['settings'] = dict(epochs=a.epochs, batch_size=100, learning_rate=1e-3, seed=a.seed, k_eval=a.k_eval,
                           train_images=len(x), test_images=len(tx), model='pytorch/examples vae/main.py architecture, 784-400-d')
    for d in map(int, a.dims.split(',')):
        name = f'peer_vae_d{d}'
        torch.manual_seed(a.seed)
        t = time.time()
        r = train_model(ExampleVAE(d), batch_size=100, num_epochs=a.epochs, learning_rate=1e-3, data=x, seed=a.seed, device='cpu')
        model, secs = r['model'].eval(), time.time() - t
        torch.manual_seed(a.seed)
        test_res = {}
        for method in a.methods.split(','):  # results keyed as in the study's metrics.json: estimator -> K, mean, stderr
            K = 100 if method == 'elbo' else a.k_eval  # the study's ELBO uses 100 samples
            e = evaluate_log_likelihood(model, tx, K=K, method=method)
            test_res[method] = {'K': K, 'mean': e.mean, 'stderr': e.stderr}
        res[name] = {'d': d, 'train_seconds': secs, 'final_train_elbo': sum(r['train_losses_list'][-600:]) / 600, 'test': test_res}
        path.write_text(json.dumps(res, indent=1))
        print(name, json.dumps(res[name]), flush=True)


if __name__ == '__main__': main()
