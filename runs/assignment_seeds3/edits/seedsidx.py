import sys; sys.path.insert(0, 'runs/assignment_seeds3/edits'); from ins import *
p = 'nbs/index.ipynb'
edit(p, '854e5d6f', 'evaluation_table, gaps_table', 'evaluation_table, gaps_table, seeds_table')
insert(p, '45b7aede', [('markdown', """The table is the first of three trainings of each model (seeds 0, 1 and 2, `--seeds 3`). Below, each test
number over the three: their mean, the standard deviation between them and their range, beside the standard error
over the test images of one training. The conclusions of the [experiments chapter](04_experiments.ipynb) assert a
difference between two models only where it is more than twice both.""", 'idxseed001'),
                       ('code', "#| echo: false\nMarkdown(seeds_table(full))", 'idxseed002')])
