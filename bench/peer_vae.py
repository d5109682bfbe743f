"""The peer VAE for the quality and speed benchmarks, written for this project from the facts of a well-known model.

The architecture and the loss are those of the VAE example in the PyTorch examples repository
(https://github.com/pytorch/examples, folder `vae`); the code here is our own:
- encoder 784-400 with ReLU, then two linear heads from the 400 hidden units: the mean and the log-variance of q(z | x);
- decoder d-400-784 with ReLU and a sigmoid output (Bernoulli probabilities);
- loss to minimise, summed over the batch: binary cross-entropy summed over pixels plus the analytic KL to N(0, I);
- trained with Adam at learning rate 1e-3 (by the caller).
Unlike the package it parameterises sigma = exp(logvar / 2), which is why it lives in bench/ and not in vae_nbdev/.

The linear layers are created in the same order and with the same shapes as in the earlier version of this file, and
the forward pass draws its noise the same way, so a given seed gives the same weights and the same training run:
the committed peer numbers (bench/results/peer.json) stay valid.

Besides its own loss (`example_loss`, used by bench/train_speed.py's baseline loop) it offers the interface of
vae_nbdev's models (`batch_loss`, `proposal_distr`, `prior_distr`, `sample_latent`, `generative_distr`), so
`vae_nbdev.training.train_model` and `vae_nbdev.estimators` use it unchanged.
"""
import torch
from torch import nn


def summed_bce(probs, x):
    "Binary cross-entropy of targets `x` under Bernoulli `probs`, summed; each log is floored at -100 (as PyTorch's BCE does) so 0 and 1 stay finite."
    return -(x * probs.log().clamp_min(-100) + (1 - x) * torch.log1p(-probs).clamp_min(-100)).sum()


def summed_kl_to_standard_normal(mu, logvar):
    "KL(N(mu, exp(logvar)) || N(0, I)) in closed form, summed over latent dimensions and objects."
    return 0.5 * (mu.pow(2) + logvar.exp() - 1 - logvar).sum()


class ExampleVAE(nn.Module):
    "The peer VAE with latent size `d` (the PyTorch example uses d=20), `hidden` units on each side."
    def __init__(self, d=20, D=784, hidden=400):
        super().__init__()
        self.d, self.D = d, D
        # creation order fixes the initial weights for a seed: encoder, mean head, log-variance head, decoder
        self.encoder = nn.Sequential(nn.Linear(D, hidden), nn.ReLU())
        self.mean_head, self.logvar_head = nn.Linear(hidden, d), nn.Linear(hidden, d)
        self.decoder = nn.Sequential(nn.Linear(d, hidden), nn.ReLU(), nn.Linear(hidden, D), nn.Sigmoid())

    def encode(self, x):
        "(mu, logvar) of q(z | x) for images `x` n x D."
        h = self.encoder(x)
        return self.mean_head(h), self.logvar_head(h)

    def example_loss(self, x):
        "Summed BCE plus KL over the batch `x` (any shape with D pixels per image), with one z per image: to minimise."
        x = x.reshape(-1, self.D)
        mu, logvar = self.encode(x)
        z = mu + torch.randn_like(mu) * (0.5 * logvar).exp()
        return summed_bce(self.decoder(z), x) + summed_kl_to_standard_normal(mu, logvar)

    # the interface of vae_nbdev's models
    def batch_loss(self, batch, K=1):
        "The ELBO averaged over the batch (to maximise): minus `example_loss` per image. `K` is ignored (one sample)."
        return -self.example_loss(batch) / len(batch)

    def proposal_distr(self, x):
        mu, logvar = self.encode(x)
        return mu, (0.5 * logvar).exp()

    def prior_distr(self, n):
        w = self.mean_head.weight
        return torch.zeros(n, self.d, device=w.device), torch.ones(n, self.d, device=w.device)

    def sample_latent(self, distr, K=1):
        mu, sigma = distr
        return mu[:, None] + sigma[:, None] * torch.randn(mu.shape[0], K, mu.shape[1], device=mu.device)

    def generative_distr(self, z):
        return self.decoder(z)
