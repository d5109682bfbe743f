import sys; sys.path.insert(0, 'runs/assignment_seeds3/edits'); from ins import *
p = 'nbs/04_experiments.ipynb'
edit(p, '6ac91ae4', "from vae_nbdev.study import MODEL_SPECS, bdmc_table, evaluation_table, gaps_table, run_study, sweep_table, training_table",
     "from vae_nbdev.study import (MODEL_SPECS, bdmc_table, evaluation_table, gaps_table, replicate, run_study, seed_difference, seed_spread,\n"
     "                             seeds_table, sweep_table, training_table)")
sub(p, 'fad0b89f', """metrics = json.loads((RESULTS/'metrics.json').read_text())
S, SP = metrics['settings'], seed_spread(metrics)  # SP: each model's three trainings, by replica 0's name
M = {s.name: metrics['models'][s.name] for s in MODEL_SPECS}  # replica 0 (seed 0) of each model: every section up to the seeds
seed0 = {**metrics, 'models': M}
print({k: S[k] for k in ('epochs', 'batch_size', 'learning_rate', 'k_eval', 'k_elbo', 'k_curve', 'sweep_images', 'seeds')})
print('device:', metrics['device'], '| torch', metrics['torch'])
test_eq(sorted(metrics['models']), sorted(s.name for s in replicate(MODEL_SPECS, 3)))
test_eq((S['epochs'], S['batch_size'], S['k_eval'], S['seeds']), (50, 100, 5000, 3))
for n, e in metrics['models'].items(): test_eq((e['trained_on']['dataset'], e['evaluation']['test_images']),
                                               ({'name': 'mnist', 'train_images': 60000, 'test_images': 10000}, 10000))
test_eq({n: g['seeds'] for n, g in SP.items()}, {s.name: [0, 1, 2] for s in MODEL_SPECS})
""")
for cid in ('6f378593', '09aa9a52', 'gt04c001', 'gt04c004'):
    nb = load(p); s = ''.join(nb['cells'][idx(nb, cid)]['source'])
    edit(p, cid, '_table(metrics)', '_table(seed0)')
edit(p, 'dd680fc4', """```sh
make experiments OUT=nbs/results     # = .venv/bin/vae_experiments --out nbs/results
```""", """```sh
make experiments OUT=nbs/results ARGS=--gaps                       # one training of each model, with the ground truth
make experiments OUT=nbs/results ARGS="--gaps --seeds 3" PROCS=2   # two more of each, as two torchrun processes
```

The second command reuses the first one's models and adds two more trainings of each from the next seeds (the section
on seeds below); every other section reads the first training's numbers.""")
edit(p, '29244245', "run_study(RESULTS, progress=False)", "run_study(RESULTS, progress=False, gaps=True, seeds=3)")
nb = load(p); i = idx(nb, 'c6bc0719')
nb['cells'][i:i] = [cell('markdown', """## Three trainings of each model

A second training of the same model from another seed is another model. The committed run has three of each
(`--seeds 3`: seeds 0, 1 and 2; the first, the model of every section above, keeps its name, the others are `NAME_s1` and
`NAME_s2`), each scored on the whole test set as the first. For each test number the table gives the mean over the three
trainings, the standard deviation between them and their range, beside the mean standard error over the test images of
one training (`seeds_table`, [report chapter](03g_report.ipynb)). The conclusions below assert a difference between two
models only where `seed_difference` finds it larger than twice both spreads.""", 'seeds04m0'),
                        cell('code', "Markdown(seeds_table(metrics))", 'seeds04c1')]
save(p, nb)
edit(p, 'b9d0fd43', "assert T['vae_d10']['elbo'] > T['vae_d2']['elbo'] + 50", """assert T['vae_d10']['elbo'] > T['vae_d2']['elbo'] + 50
for a, b, key in (('vae_d10', 'vae_d2', 'iwae'), ('vae_d10', 'vae_d2', 'elbo'), ('ae_d2', 'ae_d10', 'loss')):
    assert seed_difference(SP, a, b, key)['resolved'], (a, b, key)  # beyond the spread between seeds and over images""")
edit(p, '81f3a3f6', "assert T['vae_d2']['mc'] > T['vae_d2']['iwae'] + 3", """assert T['vae_d2']['mc'] > T['vae_d2']['iwae'] + 3
assert all(metrics['models'][n]['test']['mc']['mean'] > metrics['models'][n]['test']['iwae']['mean'] + 2.5 for n in SP['vae_d2']['models'])  # every training""")
edit(p, '5d4aece0', "    assert 5 < T[f'vae_d{d}']['iwae'] - T[f'vae_d{d}']['elbo'] < 8", """    assert 5 < T[f'vae_d{d}']['iwae'] - T[f'vae_d{d}']['elbo'] < 8
    assert abs(SP[f'vae_d{d}']['test']['iwae']['mean'] - P[d]['iwae']) < 1.5  # the mean over the three trainings too
    assert all(5 < metrics['models'][n]['test']['iwae']['mean'] - metrics['models'][n]['test']['elbo']['mean'] < 8 for n in SP[f'vae_d{d}']['models'])""")
edit(p, '501f98ae', '''         f"For the worst image $q$ sits {dist:.0f} of its standard deviations from the true posterior.")''',
'''         f"For the worst image $q$ sits {dist:.0f} of its standard deviations from the true posterior. MC-{K_EVAL} minus "
         f"IWAE-{K_EVAL} on the three trainings (seeds 0, 1, 2; section on seeds below): "
         + ', '.join(f"{metrics['models'][n]['test']['mc']['mean'] - metrics['models'][n]['test']['iwae']['mean']:.2f}"
                     for n in SP['vae_d2']['models']) + ' nats.')''')
