"""Training speed: one epoch of the reference VAE (784-400-20, batch 128, Adam 1e-3) six ways, in one process.

  baseline   the canonical loop of the PyTorch VAE example: torchvision MNIST with ToTensor, a per-sample
             DataLoader(batch_size=128, shuffle=True), the example's model and loss, loss.item() every batch
  vae_nbdev  vae_nbdev.training.train_model(VAE(20, 784, hidden=(400,)), batch_size=128) on in-memory tensors
  unfused    the same with PyTorch's default (not fused) Adam, to show what the fused optimizer gives
  compiled   the same with the model's loss step wrapped in torch.compile (compiled before the clock starts;
             the compile time is reported apart)
  by hand    a practical floor for eager PyTorch on this machine: the forward and backward passes written out by hand
             for this one architecture (no autograd, gradients written into buffers allocated once, no loss value
             computed), then the same fused Adam; checked against autograd's gradient before it is timed
  matmuls    only the matrix products of one epoch's forward and backward passes (a roofline for this machine)

The runs alternate (baseline, vae_nbdev, unfused, compiled, by hand, matmuls, baseline, ...) so that drifts in machine load hit all of them;
the table reports the median of each. On a GPU (--device cuda, the default when one is present) the baseline moves
each batch to the device as the example does, every run is synchronised before the clock stops, and the results go
to train_speed_cuda.md/.json. Usage: python bench/train_speed.py [--reps 3] [--device cpu] [--out bench/results]
"""
import argparse, json, math, platform, statistics, sys, time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).parent))
from peer_vae import ExampleVAE

from vae_nbdev.data import load_mnist, mnist_root
from vae_nbdev import training
from vae_nbdev.training import default_device, train_model
from vae_nbdev.vae import VAE

BATCH = 128


def sync(device):
    if device.type == 'cuda': torch.cuda.synchronize(device)


def baseline_epoch(root, device):
    "One epoch of the PyTorch example's training loop, returning seconds."
    from torchvision import datasets, transforms
    loader = torch.utils.data.DataLoader(datasets.MNIST(str(root), train=True, transform=transforms.ToTensor()),
                                         batch_size=BATCH, shuffle=True)
    model = ExampleVAE(20).to(device)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    model.train()
    sync(device); t, total = time.perf_counter(), 0.0
    for data, _ in loader:
        data = data.to(device)
        opt.zero_grad()
        loss = model.example_loss(data)
        loss.backward()
        total += loss.item()
        opt.step()
    sync(device)
    return time.perf_counter() - t


def ours_epoch(x, device, variant=None, compile_seconds=None):
    "One epoch of vae_nbdev's train_model on the in-memory binarized images (a `variant`: 'unfused' or 'compiled'), returning seconds."
    model = VAE(20, 784, hidden=(400,)).to(device)
    if variant == 'compiled':  # compile forward and backward outside the timed epoch
        step, t = torch.compile(model.batch_loss), time.perf_counter()
        for n in {BATCH, len(x) % BATCH or BATCH}: (-step(x[:n].to(device, torch.float32))).backward()  # both batch sizes
        sync(device)
        compile_seconds.append(time.perf_counter() - t)
        model.zero_grad(set_to_none=True)
        model.batch_loss = step  # train_model calls model.batch_loss
    adam = training._adam
    if variant == 'unfused': training._adam = lambda params, lr: torch.optim.Adam(params, lr=lr)
    try:
        sync(device); t = time.perf_counter()
        train_model(model, batch_size=BATCH, num_epochs=1, data=x, device=device, progress=False)
        sync(device); return time.perf_counter() - t
    finally: training._adam = adam


def hand_gradients(params, x, eps):
    "Write the gradient of the negative mean ELBO of the 784-400-20 VAE into each parameter's .grad, by hand."
    W1, c1, W2, c2, W3, c3, W4, c4 = params
    n, d = eps.shape
    h1 = torch.addmm(c1, x, W1.t()).relu_()  # n x 400
    e = torch.addmm(c2, h1, W2.t())  # n x 2d: mu and the raw sigma
    mu, raw = e[:, :d], e[:, d:]
    sigma = torch.nn.functional.softplus(raw)
    z = torch.addcmul(mu, sigma, eps)  # n x d
    h2 = torch.addmm(c3, z, W3.t()).relu_()  # n x 400
    gl = torch.addmm(c4, h2, W4.t()).sigmoid_().sub_(x).div_(n)  # d(-ELBO)/d logits = (sigmoid(l) - x) / n
    torch.mm(gl.t(), h2, out=W4.grad); torch.sum(gl, 0, out=c4.grad)
    gh2 = (gl @ W4).mul_(h2 > 0)
    torch.mm(gh2.t(), z, out=W3.grad); torch.sum(gh2, 0, out=c3.grad)
    gz = gh2 @ W3
    ge = torch.cat([gz + mu / n, (gz * eps + (sigma - 1 / sigma) / n) * torch.sigmoid(raw)], 1)  # through z and the KL
    torch.mm(ge.t(), h1, out=W2.grad); torch.sum(ge, 0, out=c2.grad)
    gh1 = (ge @ W2).mul_(h1 > 0)
    torch.mm(gh1.t(), x, out=W1.grad); torch.sum(gh1, 0, out=c1.grad)


def hand_epoch(x, device):
    "One epoch of the hand-written step with fused Adam, after checking its gradient against autograd's, returning seconds."
    model = VAE(20, 784, hidden=(400,)).to(device)
    params = [t for layer in (model.encoder[0], model.encoder[2], model.decoder[0], model.decoder[2]) for t in (layer.weight, layer.bias)]
    batch = x[:BATCH].to(device, torch.float32)
    torch.manual_seed(1); (-model.batch_loss(batch)).backward()
    want = [p.grad.clone() for p in params]
    with torch.no_grad():
        torch.manual_seed(1); hand_gradients(params, batch, torch.randn(BATCH, 20, device=device))  # the same eps as sample_latent
    for p, w in zip(params, want): assert torch.allclose(p.grad, w, rtol=1e-4, atol=1e-7 * float(w.abs().max())), 'the hand-written gradient is wrong'
    opt = training._adam(params, 1e-3)
    x = x.to(device, torch.float32)
    sync(device); t = time.perf_counter()
    with torch.no_grad():
        order = torch.randperm(len(x), device=device)
        for i in range(math.ceil(len(x) / BATCH)):
            b = x.index_select(0, order[i * BATCH:(i + 1) * BATCH])
            hand_gradients(params, b, torch.randn(len(b), 20, device=device))
            opt.step()
    sync(device); return time.perf_counter() - t


def matmul_epoch(n, device):
    "Only the GEMMs of one epoch of 784-400-(2x20) / 20-400-784 forward and backward, returning seconds."
    shapes = [(784, 400), (400, 40), (20, 400), (400, 784)]
    ws = [torch.randn(a, b, device=device) for a, b in shapes]
    xs = [torch.randn(BATCH, a, device=device) for a, _ in shapes]
    ys = [torch.randn(BATCH, b, device=device) for _, b in shapes]
    sync(device); t = time.perf_counter()
    for _ in range(math.ceil(n / BATCH)):
        for w, x, y in zip(ws, xs, ys):
            x @ w  # forward
            x.T @ y  # weight gradient
        for w, y in zip(ws[1:], ys[1:]): y @ w.T  # input gradients (none needed for the data layer)
    sync(device); return time.perf_counter() - t


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--reps', type=int, default=3, help='alternating repetitions of each run (default: 3)')
    p.add_argument('--out', default=str(Path(__file__).parent/'results'), help='folder for train_speed.md/.json')
    p.add_argument('--data-dir', default=None, help='MNIST folder (default: $VAE_DATA_DIR)')
    p.add_argument('--device', default=None, help='cpu or cuda (default: CUDA when present, else the CPU)')
    a = p.parse_args()
    device = torch.device(a.device) if a.device else default_device()
    train, _ = load_mnist(a.data_dir)
    x, root = train.tensors[0], mnist_root(a.data_dir)
    compile_seconds = []
    runs = {'baseline': lambda: baseline_epoch(root, device), 'vae_nbdev': lambda: ours_epoch(x, device),
            'unfused': lambda: ours_epoch(x, device, 'unfused'),
            'compiled': lambda: ours_epoch(x, device, 'compiled', compile_seconds),
            'hand': lambda: hand_epoch(x, device),
            'matmuls': lambda: matmul_epoch(len(x), device)}
    times = {k: [] for k in runs}
    torch.manual_seed(0)
    for r in range(a.reps):
        for k, f in runs.items():
            times[k].append(f())
            print(f'rep {r + 1}/{a.reps} {k:10s} {times[k][-1]:6.2f} s', flush=True)
    med = {k: statistics.median(v) for k, v in times.items()}
    base = med['baseline']
    rows = [('baseline (PyTorch example loop)', 'baseline'), ('vae_nbdev train_model', 'vae_nbdev'),
            ('train_model, Adam not fused', 'unfused'), ('train_model, loss step compiled', 'compiled'),
            ('forward and backward by hand (floor)', 'hand'),
            ('matmuls only (roofline)', 'matmuls')]
    roof = med['matmuls']
    lines = ['| run | epoch time (s), median | all runs (s) | ratio to baseline | ratio to roofline |', '|---|---|---|---|---|']
    lines += [f"| {label} | {med[k]:.2f} | {', '.join(f'{t:.2f}' for t in times[k])} | {med[k] / base:.2f} | {med[k] / roof:.2f} |"
              for label, k in rows]
    env = (f'{platform.processor() or platform.machine()}, {torch.get_num_threads()} torch threads, torch {torch.__version__}, '
           f'{a.reps} alternating repetitions, 60000 images, batch {BATCH}, device '
           f"{torch.cuda.get_device_name(device) if device.type == 'cuda' else 'cpu'}; torch.compile of the loss step took "
           f"{', '.join(f'{c:.1f}' for c in compile_seconds)} s (not in the epoch times)")
    table = '\n'.join(lines)
    print('\n' + table + '\n\n' + env)
    out, name = Path(a.out), 'train_speed' + ('' if device.type == 'cpu' else '_' + device.type)
    out.mkdir(parents=True, exist_ok=True)
    (out/f'{name}.md').write_text(table + '\n\n' + env + '\n')
    (out/f'{name}.json').write_text(json.dumps({'median_seconds': med, 'seconds': times, 'ratio': med['vae_nbdev'] / base, 'over_roofline': med['vae_nbdev'] / roof,
                                                    'hand_over_roofline': med['hand'] / roof, 'hand_ratio': med['hand'] / base,
                                                    'compile_seconds': compile_seconds,
                                                    'environment': env}, indent=1))


if __name__ == '__main__': main()
