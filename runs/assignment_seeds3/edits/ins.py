import json, sys
def load(p): return json.load(open(p))
def save(p, nb):
    with open(p, 'w') as f: f.write(json.dumps(nb, indent=1, ensure_ascii=False) + '\n')
def cell(kind, src, cid):
    c = {'cell_type': kind, 'id': cid, 'metadata': {}, 'source': src.splitlines(True)}
    if kind == 'code': c.update(execution_count=None, outputs=[])
    return c
def idx(nb, cid): return next(i for i, c in enumerate(nb['cells']) if c.get('id') == cid)
def sub(p, cid, src):
    nb = load(p); nb['cells'][idx(nb, cid)]['source'] = src.splitlines(True); save(p, nb)
def insert(p, after, cells):
    nb = load(p); i = idx(nb, after) + 1
    nb['cells'][i:i] = [cell(*c) for c in cells]; save(p, nb)
def edit(p, cid, old, new, count=1):
    nb = load(p); c = nb['cells'][idx(nb, cid)]; s = ''.join(c['source'])
    assert s.count(old) == count, (cid, s.count(old)); c['source'] = s.replace(old, new).splitlines(True); save(p, nb)
def get(p, cid): nb = load(p); return ''.join(nb['cells'][idx(nb, cid)]['source'])
