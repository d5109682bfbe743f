"""The peer: the VAE of the PyTorch examples repository (pytorch/examples, vae/main.py), re-typed from its description.

784-400-d encoder with two heads (mean and log-variance), d-400-784 decoder with a sigmoid, sigma = exp(logvar / 2),
loss = binary cross-entropy summed over pixels + analytic KL. It lives in bench/ (not in the package) because it uses
exactly what the package may not: library BCE and an exp parameterisation. For the comparisons it also exposes the
interface our estimators need (proposal_distr, prior_distr, sample_latent, generative_distr) and `batch_loss`, so
`vae_nbdev.training.train_model` and `vae_nbdev.estimators` work on it unchanged.
"""
import torch
import torch.nn.functional as F
from torch import nn


class ExampleVAE(nn.Module):
    "The PyTorch example's VAE with latent size `d` (the example uses d=20)."
    def __init__(self, d=20, D=784, hidden=400):
        super().__init__()
        self.d, self.D = d, D
        self.fc1, self.fc21, self.fc22 = nn.Linear(D, hidden), nn.Linear(hidden, d), nn.Linear(hidden, d)
        self.fc3, self.fc4 = nn.Linear(d, hidden), nn.Linear(hidden, D)

    def encode(self, x):
        h = F.relu(self.fc1(x))
        return self.fc21(h), self.fc22(h)

    def decode(self, z):
        return torch.sigmoid(self.fc4(F.relu(self.fc3(z))))

    def forward(self, x):
        mu, logvar = self.encode(x.view(-1, self.D))
        z = mu + torch.randn_like(mu) * torch.exp(0.5 * logvar)
        return self.decode(z), mu, logvar

    def example_loss(self, x):
        "The example's loss: summed BCE plus KL, for the whole batch (to minimise)."
        recon, mu, logvar = self(x)
        bce = F.binary_cross_entropy(recon, x.view(-1, self.D), reduction='sum')
        return bce - 0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())

    # the interface of vae_nbdev's models
    def batch_loss(self, batch, K=1):
        "The ELBO averaged over the batch (to maximise), i.e. minus the example's loss per object."
        return -self.example_loss(batch) / len(batch)

    def proposal_distr(self, x):
        mu, logvar = self.encode(x)
        return mu, torch.exp(0.5 * logvar)

    def prior_distr(self, n):
        p = self.fc1.weight
        return torch.zeros(n, self.d, device=p.device), torch.ones(n, self.d, device=p.device)

    def sample_latent(self, distr, K=1):
        mu, sigma = distr
        return mu[:, None] + sigma[:, None] * torch.randn(mu.shape[0], K, mu.shape[1], device=mu.device)

    def generative_distr(self, z):
        return self.decode(z)
