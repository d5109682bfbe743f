import sys; sys.path.insert(0, 'runs/assignment_seeds3/edits'); from ins import *
p = 'nbs/03h_study.ipynb'
edit(p, 'c0m0c001', "for folder, table in (('results', MODEL_SPECS), ('results_remedies', REMEDY_SPECS), ('results_ladder', LADDER_SPECS)):\n    committed = json.loads((Path(folder)/'metrics.json').read_text())\n    cs = as_settings(committed['settings'])\n",
"for folder, table in (('results', MODEL_SPECS), ('results_remedies', REMEDY_SPECS), ('results_ladder', LADDER_SPECS)):\n    committed = json.loads((Path(folder)/'metrics.json').read_text())\n    cs = as_settings(committed['settings'])\n    test_eq(cs.seeds, 3 if folder == 'results' else 1)  # the assignment study: three trainings of each model\n    table = replicate(table, cs.seeds)\n")
edit(p, 'c0m0c001', "StudySettings(gaps=True, flow_gaps=cs.flow_gaps)", "StudySettings(gaps=True, flow_gaps=cs.flow_gaps, seeds=cs.seeds)")
