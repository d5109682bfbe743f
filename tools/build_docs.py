"""Build the documentation site offline, without Quarto, into _site/ (`make docs`).

The same notebooks that `nbdev_docs` renders with Quarto go through nbdev's own processing
(`nbdev.serve.proc_nbs`: front matter, hidden cells dropped, `show_doc` rendered), then nbconvert's
HTML exporter with a small template that adds the navigation sidebar of nbs/sidebar.yml (with its sections), a
table of contents, and a local MathJax 2 copy with its STIX web fonts (from the jupyter-server-mathjax package), so
every page works without internet.
Links between notebooks point at the pages, and the committed figures that pages link to (nbs/results/, nbs/results_remedies/, nbs/results_decoders/) are copied.
Usage: python tools/build_docs.py [--force] [--out _site]
"""
import argparse, html, os, re, shutil, sys, time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NBS = ROOT/'nbs'
COPY_DIRS = ('results/figures', 'results_remedies/figures', 'results_decoders/figures')  # folders under nbs/ that pages link to

TEMPLATE = r"""{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block html_head_js_mathjax -%}
<script type="text/x-mathjax-config">
MathJax.Hub.Config({
  tex2jax: {inlineMath: [['$', '$'], ['\\(', '\\)']], displayMath: [['$$', '$$'], ['\\[', '\\]']],
            processEscapes: true, processEnvironments: true},
  TeX: {equationNumbers: {autoNumber: 'AMS', useLabelIds: true}},
  MMLorHTML: {prefer: 'HTML'},  // the bundled MathML output would ask for TeX fonts this copy does not ship
  'HTML-CSS': {availableFonts: [], preferredFont: null, webFont: 'STIX-Web', imageFont: null},
  // the hidden assistive MathML copy would make Chromium fetch TeX fonts this copy does not ship
  menuSettings: {assistiveMML: false}, AssistiveMML: {disabled: true},
  displayAlign: 'center', messageStyle: 'none'
});
</script>
<script src="{{ resources.site_root }}assets/mathjax/MathJax.js?config=TeX-AMS-MML_HTMLorMML-full,Safe"></script>
{%- endblock html_head_js_mathjax -%}
{%- block html_head_css -%}<link rel="icon" href="data:,"><link rel="stylesheet" href="{{ resources.site_root }}assets/site.css">{%- endblock html_head_css -%}
{%- block body_header -%}
<body class="jp-Notebook site-page" data-jp-theme-light="true" data-jp-theme-name="JupyterLab Light">
<nav class="site-sidebar" aria-label="chapters">
<a class="site-name" href="{{ resources.site_root }}index.html">{{ resources.site_name }}</a>
{% for group in resources.site_nav %}{% if group.section %}<div class="site-section">{{ group.section }}</div>{% endif %}
<ul>{% for item in group['items'] %}<li{% if item.current %} class="current"{% endif %}><a href="{{ resources.site_root }}{{ item.href }}">{{ item.title }}</a></li>{% endfor %}</ul>{% endfor %}
</nav>
<aside class="site-toc" aria-label="on this page">{{ resources.site_toc }}</aside>
<main class="site-main">
{%- endblock body_header -%}
{% block body_footer %}
<footer class="site-footer">Built from <code>nbs/{{ resources.site_source }}</code> by <code>tools/build_docs.py</code>.</footer>
</main>
</body>
{% endblock body_footer %}
"""

SITE_CSS = """
body.site-page { margin: 0; }
.site-sidebar { position: fixed; top: 0; left: 0; bottom: 0; width: 230px; overflow-y: auto; padding: 1rem;
  background: #f7f7f9; border-right: 1px solid #ddd; font-family: system-ui, sans-serif; font-size: 14px; }
.site-sidebar .site-name { display: block; font-weight: 700; font-size: 18px; margin-bottom: .8rem; color: #333; text-decoration: none; }
.site-sidebar .site-section { margin: 1rem 0 .2rem; font-size: 12px; font-weight: 700; text-transform: uppercase;
  letter-spacing: .05em; color: #666; }
.site-sidebar ul { list-style: none; padding: 0; margin: 0; }
.site-sidebar li { margin: .35rem 0; }
.site-sidebar li a { color: #2a6db0; text-decoration: none; }
.site-sidebar li.current a { font-weight: 700; color: #111; }
.site-toc { position: fixed; top: 0; right: 0; width: 220px; padding: 1rem; font-family: system-ui, sans-serif; font-size: 13px;
  max-height: 100vh; overflow-y: auto; }
.site-toc ul { list-style: none; padding-left: .8rem; margin: .2rem 0; }
.site-toc a { color: #555; text-decoration: none; }
.site-toc .toc-title { font-weight: 700; color: #333; }
main.site-main { margin-left: 262px; margin-right: 250px; max-width: 1000px; padding: 1rem 1.5rem 3rem; }
.site-main img { max-width: 100%; height: auto; }
.site-footer { margin-top: 3rem; font-size: 12px; color: #777; }
@media (max-width: 1100px) { .site-toc { display: none; } main.site-main { margin-right: 0; } }
"""

def page_name(nb_name:str) -> str:
    "The HTML file of a notebook: `02a_training.ipynb` -> `training.html`, `03a_ais.ipynb` -> `ais.html`."
    # the same rule as nbdev's symbol index (`nbdev.doclinks._nbpath2html`): lower case, a leading `NN_` or `NNa_`
    # dropped; `undocumented` below looks the pages up by those links, so the two must agree
    return re.sub(r'^\d+[a-zA-Z0-9]*_', '', Path(nb_name).stem.lower()) + '.html'


_DIRECTIVE = re.compile(r'^\s*#\|\s*([\w-]+)\s*:?\s*(.*?)\s*$')
_NB_LINK = re.compile(r'(href=")(?!https?:|//|#|mailto:)([^"#]+?)\.ipynb(#[^"]*)?(")')
_HEADING = re.compile(r'<h([23]) id="([^"]+)"[^>]*>(.*?)</h\1>', re.S)


def sidebar_groups() -> list:
    "nbs/sidebar.yml (Quarto's `section:`/`contents:`) as [(section or None, [notebook names])]; unlisted notebooks come last."
    import yaml
    def present(names): return [n for n in names if (NBS/n).exists()]
    entries = yaml.safe_load((NBS/'sidebar.yml').read_text())['website']['sidebar']['contents']
    groups = [(e['section'], present(e['contents'])) if isinstance(e, dict) else (None, present([e])) for e in entries]
    listed = {n for _, ns in groups for n in ns}
    rest = sorted(p.name for p in NBS.glob('*.ipynb') if p.name not in listed and not p.name.startswith('_'))
    return [g for g in groups if g[1]] + ([('Other', rest)] if rest else [])  # `rest`: new notebooks not in sidebar.yml yet


def front_matter(nb) -> dict:
    "Title and description from the raw front-matter cell nbdev writes first."
    return next((yaml_load(c.source) for c in nb.cells if c.cell_type == 'raw' and c.source.startswith('---')), {})


def to_nbformat(nb):
    "An execnb notebook (as nbdev's processors leave it) as an nbformat notebook."
    import nbformat
    for o in [nb, *nb.cells]:  # nbdev keeps private attributes ending in '_'; nbformat does not know them
        for k in [k for k in o if k.endswith('_')]: del o[k]
    return nbformat.reads(nbformat.writes(nbformat.from_dict(dict(nb))), as_version=4)


def plain_title(fm:dict, name:str) -> str:
    "The front-matter title without Markdown code marks (for the sidebar and the browser tab)."
    return str(fm.get('title', Path(name).stem)).replace('`', '')


def apply_directives(nb):
    "Honour the Quarto cell options nbdev leaves (`echo`, `output`, `include`) and drop every `#|` line."
    import nbformat
    cells = []
    for c in nb.cells:
        if c.cell_type == 'raw' and c.source.startswith('---'):
            fm = yaml_load(c.source)
            md = f"# {fm.get('title', '')}\n" + (f"\n> {fm['description']}\n" if fm.get('description') else '')
            cells.append(nbformat.v4.new_markdown_cell(md))
            continue
        if c.cell_type == 'code':
            opts, keep = {}, []
            for line in c.source.splitlines():
                m = _DIRECTIVE.match(line)
                if m: opts[m.group(1).rstrip(':')] = m.group(2).strip('"\'').lower()
                else: keep.append(line)
            c.source = '\n'.join(keep).strip()
            if opts.get('include') == 'false' or 'hide' in opts: continue
            if opts.get('output') == 'false': c.outputs = []
            c.metadata['tags'] = sorted(set(c.metadata.get('tags', [])) | ({'remove_input'} if opts.get('echo') == 'false' or not c.source else set()))
            if not c.source and not c.outputs: continue
        cells.append(c)
    nb.cells = cells
    return nb


def yaml_load(src:str) -> dict:
    "The YAML between the `---` lines of a front-matter cell."
    import yaml
    return yaml.safe_load(src.strip().strip('-')) or {}


def toc_html(body:str) -> str:
    "A table of contents of the page's second- and third-level headings."
    items = []
    for level, hid, inner in _HEADING.findall(body):
        text = html.escape(html.unescape(re.sub(r'<[^>]+>', '', inner)).replace('¶', '').strip())
        if text: items.append(f'<li class="toc-h{level}"><a href="#{hid}">{text}</a></li>')
    return ('<div class="toc-title">On this page</div><ul>' + ''.join(items) + '</ul>') if items else ''


def make_exporter():
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor
    from traitlets.config import Config
    cfg = Config()
    cfg.TagRemovePreprocessor.remove_input_tags = {'remove_input'}
    cfg.TagRemovePreprocessor.enabled = True
    exp = HTMLExporter(config=cfg, template_name='lab', extra_loaders=[DictLoader({'site.html.j2': TEMPLATE})],
                       template_file='site.html.j2')
    exp.register_preprocessor(TagRemovePreprocessor(config=cfg), enabled=True)
    exp.exclude_anchor_links = False
    exp.exclude_input_prompt = exp.exclude_output_prompt = True  # clean notebooks have no execution counts
    return exp


def render_page(exp, nb, name:str, groups:list, titles:dict, site_name:str, doc_url:str='') -> str:
    "The HTML page of the processed notebook `nb` (file name `name`), with the sidebar `groups` (see `sidebar_groups`)."
    title = titles[name]
    nb = apply_directives(to_nbformat(nb))
    res = {'metadata': {'name': title}, 'site_root': '', 'site_name': site_name, 'site_source': name,
           'site_toc': '', 'site_nav': [{'section': sec, 'items': [{'href': page_name(n), 'title': titles[n], 'current': n == name}
                                                               for n in ns]} for sec, ns in groups]}
    body, _ = exp.from_notebook_node(nb, resources=res)
    body = _NB_LINK.sub(lambda m: f'{m.group(1)}{page_name(m.group(2))}{m.group(3) or ""}{m.group(4)}', body)
    if doc_url: body = body.replace(f'href="{doc_url}', 'href="')  # nbdev's links to the published site stay local
    toc = toc_html(body.split('<main class="site-main">', 1)[-1])
    return re.sub(r'(<aside[^>]*class="site-toc"[^>]*>)(</aside>)', lambda m: m.group(1) + toc + m.group(2), body, count=1)


def copy_assets(out:Path):
    import jupyter_server_mathjax
    mj = Path(jupyter_server_mathjax.__file__).parent/'static'
    dst = out/'assets'/'mathjax'
    if not (dst/'MathJax.js').exists(): shutil.copytree(mj, dst, dirs_exist_ok=True)
    (out/'assets'/'site.css').write_text(SITE_CSS)
    for d in COPY_DIRS:
        if (NBS/d).exists(): shutil.copytree(NBS/d, out/d, dirs_exist_ok=True)


def undocumented(out:Path, lib:str) -> list:
    "Public exported functions, classes and methods (nbdev's symbol index) with no `show_doc` entry on their page."
    import importlib, inspect
    missing = []
    for mod, syms in importlib.import_module(f'{lib}._modidx').d['syms'].items():
        for sym, (link, _) in syms.items():
            name = sym[len(mod) + 1:]
            if any(part.startswith('_') for part in name.split('.')): continue
            owner, attr = (importlib.import_module(mod), name) if '.' not in name else (getattr(importlib.import_module(mod), name.split('.')[0]), name.split('.')[1])
            if isinstance(inspect.getattr_static(owner, attr, None), property): continue
            page = out/link.split('#')[0]
            if not page.exists() or f'id="{name}"' not in page.read_text(): missing.append(f'{name} ({page.name})')
    return missing


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--out', default=str(ROOT/'_site'), help='output folder (default: _site)')
    p.add_argument('--force', action='store_true', help="reprocess every notebook (ignore nbdev's _proc cache)")
    a = p.parse_args()
    t0, out = time.time(), Path(a.out)
    os.chdir(ROOT)
    os.environ.setdefault('IN_TEST', '1')
    from nbdev.config import get_config
    from nbdev.serve import proc_nbs
    from execnb.nbio import read_nb
    proc = Path(proc_nbs(n_workers=0, force=a.force))
    groups = sidebar_groups()
    names = [n for _, ns in groups for n in ns]
    missing = [n for n in names if not (proc/n).exists()]
    if missing: sys.exit(f"build_docs: nbdev did not process {', '.join(missing)}")
    nbs = {n: read_nb(proc/n) for n in names}
    titles = {n: plain_title(front_matter(nb), n) for n, nb in nbs.items()}
    out.mkdir(parents=True, exist_ok=True)
    copy_assets(out)
    exp = make_exporter()
    cfg = get_config()
    site_name, doc_url = cfg.get('title', 'docs'), cfg.get('doc_host', '') + cfg.get('doc_baseurl', '') + '/'
    for old in out.glob('*.html'): old.unlink()  # pages of renamed or removed notebooks
    for n in names:
        (out/page_name(n)).write_text(render_page(exp, nbs[n], n, groups, titles, site_name, doc_url))
    missing = undocumented(out, cfg.lib_name)
    if missing: sys.exit(f"build_docs: no show_doc entry for {', '.join(missing)}")
    print(f'built {len(names)} pages into {out} in {time.time() - t0:.1f}s; open {out/"index.html"}')


if __name__ == '__main__': main()
