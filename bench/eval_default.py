"""The default log-likelihood call against the truth, on the committed VAEs of the study (issue 24).

  vae_d2   first --images test images: the exact value by quadrature on a fine grid (step 0.01 over [-7, 7]^2)
           is the reference; rows: the default call (method='best': quadrature, step 0.02), AIS with the settings
           tune_ais chooses (method='ais'), and the old default (AIS from the encoder, 100 steps, no tuning)
  vae_d10  first --images test images: a long AIS run is the reference (encoder start, --reference-steps steps,
           --reference-chains chains); rows: the default call (method='best': tuned and BDMC-certified AIS),
           the old default, and IWAE-5000 with its certificate
  timing   the default call on the first --timing-images test images of vae_d10, certificate included

Each row: mean, its difference from the reference, the worst image (value minus reference), seconds, the
certificate's warnings. Usage: python bench/eval_default.py [--images 100] [--timing-images 1000]
"""
import argparse, json, platform, time, warnings
from pathlib import Path

import torch

from vae_nbdev.data import load_mnist
from vae_nbdev.estimators import log_likelihood_quadrature
from vae_nbdev.evaluate import evaluate_log_likelihood
from vae_nbdev.ais import log_likelihood_ais
from vae_nbdev.training import load_model

ROOT = Path(__file__).resolve().parent
CKPT = ROOT.parent/'nbs'/'results'/'checkpoints'


def timed(f):
    t = time.perf_counter(); r = f(); return r, time.perf_counter() - t


def call(model, x, **kw):
    "evaluate_log_likelihood with its warnings caught (they are in the certificate)."
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        return timed(lambda: evaluate_log_likelihood(model, x, progress=False, **kw))


def row(model_name, name, values, ref, sec, cert=None):
    d = values - ref
    return {'model': model_name, 'call': name, 'images': len(values), 'mean': values.mean().item(), 'reference': ref.mean().item(),
            'difference': d.mean().item(), 'worst_image': d.min().item(), 'images_1_nat_below': int((d < -1).sum()),
            'seconds': sec, 'certificate': cert.summary() if cert else '', 'warnings': cert.warnings if cert else []}


def timed_default(n):
    "The default call on the first n test images of vae_d10, timed, as a dict."
    m10 = load_model(CKPT/'vae_d10.pt').eval()
    torch.manual_seed(0); r, sec = call(m10, load_mnist()[1].tensors[0][:n])
    return {'images': n, 'seconds': sec, 'mean': r.mean, 'stderr': r.stderr, 'certificate': r.certificate.summary(),
            'warnings': r.certificate.warnings}


def timing_line(t):
    return (f"Default call on the first {t['images']} test images of vae_d10: {t['seconds']:.0f} s, mean {t['mean']:.3f} "
            f"+- {t['stderr']:.3f}; {t['certificate']}")


def timing_only(a):
    "Rerun the timed call alone and replace the timing of the committed results (JSON and table)."
    js, md = ROOT/'results'/'eval_default.json', ROOT/'results'/'eval_default.md'
    out = json.loads(js.read_text())
    out['timing'] = timed_default(a.timing_images)
    js.write_text(json.dumps(out, indent=1) + '\n')
    lines = [l for l in md.read_text().splitlines() if not l.startswith('Default call on the first')]
    md.write_text('\n'.join(lines + [timing_line(out['timing']) + ' (timed again alone, `--timing-only`)']) + '\n')
    print(timing_line(out['timing']))


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--images', type=int, default=100, help='test images compared with the reference')
    p.add_argument('--timing-images', type=int, default=1000, help='test images of the timed default call on vae_d10')
    p.add_argument('--reference-steps', type=int, default=2000, help="AIS steps of vae_d10's reference run")
    p.add_argument('--reference-chains', type=int, default=32, help="AIS chains of vae_d10's reference run")
    p.add_argument('--timing-only', action='store_true', help='rerun only the timed call (on an idle machine), keeping the rest of the results')
    a = p.parse_args()
    if a.timing_only: return timing_only(a)
    torch.set_num_threads(max(1, torch.get_num_threads()))
    test_x = load_mnist()[1].tensors[0]
    x = test_x[:a.images]
    rows = []
    m2 = load_model(CKPT/'vae_d2.pt').eval()
    exact, sec = timed(lambda: log_likelihood_quadrature(x, m2, step=0.01, limit=7.0))
    print(f'vae_d2 reference: quadrature, step 0.01 over [-7, 7]^2, {exact.mean():.3f} ({sec:.0f} s)', flush=True)
    for name, kw in (('default (best)', {}), ("method='ais' (tuned)", {'method': 'ais'}),
                     ('old default: ais, encoder, 100 steps', {'method': 'ais', 'start': 'encoder', 'steps': 100, 'certify': False})):
        torch.manual_seed(0); r, sec = call(m2, x, **kw)
        rows.append(row('vae_d2', name, r.values, exact, sec, r.certificate)); print(rows[-1], flush=True)
    m10 = load_model(CKPT/'vae_d10.pt').eval()
    torch.manual_seed(1)
    ref, sec = timed(lambda: log_likelihood_ais(x, m10, K=a.reference_chains, steps=a.reference_steps, start='encoder'))
    reference = {'estimator': 'log_likelihood_ais', 'K': a.reference_chains, 'steps': a.reference_steps, 'start': 'encoder',
                 'mean': ref.mean().item(), 'seconds': sec}
    print(f'vae_d10 reference: {reference}', flush=True)
    for name, kw in (('default (best)', {}), ('old default: ais, encoder, 100 steps', {'method': 'ais', 'start': 'encoder', 'steps': 100, 'certify': False}),
                     ('iwae, K = 5000', {'method': 'iwae'})):
        torch.manual_seed(0); r, sec = call(m10, x, **kw)
        rows.append(row('vae_d10', name, r.values, ref, sec, r.certificate)); print(rows[-1], flush=True)
    torch.manual_seed(0); r, sec = call(m10, test_x[:a.timing_images])
    timing = {'images': a.timing_images, 'seconds': sec, 'mean': r.mean, 'stderr': r.stderr, 'certificate': r.certificate.summary(),
              'warnings': r.certificate.warnings}
    print(f'timing: {timing}', flush=True)
    out = {'machine': f'{platform.processor() or platform.machine()}, {torch.get_num_threads()} threads, torch {torch.__version__}',
           'vae_d10_reference': reference, 'rows': rows, 'timing': timing}
    (ROOT/'results'/'eval_default.json').write_text(json.dumps(out, indent=1) + '\n')
    lines = ['# The default log-likelihood call against the truth', '', f"{out['machine']}; `python bench/eval_default.py`.",
             f"Reference for vae_d2: exact quadrature (step 0.01 over [-7, 7]^2); for vae_d10: AIS from the encoder with "
             f"{a.reference_steps} steps and {a.reference_chains} chains ({reference['seconds']:.0f} s). First {a.images} test images.", '',
             '| model | call | mean | minus reference | worst image | images > 1 nat below | seconds | time vs old default | warnings |',
             '|---|---|---|---|---|---|---|---|---|']
    base = {r['model']: r['seconds'] for r in rows if r['call'].startswith('old default')}
    for r in rows:
        lines.append(f"| {r['model']} | {r['call']} | {r['mean']:.3f} | {r['difference']:+.3f} | {r['worst_image']:+.2f} | "
                     f"{r['images_1_nat_below']} | {r['seconds']:.1f} | {r['seconds'] / base[r['model']]:.1f}x | {len(r['warnings'])} |")
    lines += ['', 'Certificates:', ''] + [f"- {r['model']}, {r['call']}: {r['certificate']}" + ''.join(f"\n  - warning: {w}" for w in r['warnings'])
                                          for r in rows]
    lines += ['', f"Default call on the first {a.timing_images} test images of vae_d10: {sec:.0f} s, mean {timing['mean']:.3f} "
              f"+- {timing['stderr']:.3f}; {timing['certificate']}"]
    (ROOT/'results'/'eval_default.md').write_text('\n'.join(lines) + '\n')
    print('\n'.join(lines))


if __name__ == '__main__': main()
