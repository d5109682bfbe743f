"""Write README.md from nbs/index.ipynb without Quarto: nbdev's notebook processing, then nbconvert's Markdown exporter.

`nbdev_readme` needs Quarto; this does the same job offline. The index notebook is processed by nbdev's own
processors (front matter, hidden cells dropped, show_doc rendered), `#|` directives are honoured (`echo: false`
hides a cell's code, `include: false` the whole cell, `output: false` its output), and links relative to nbs/
are rewritten to work from the repository root, and nbdev's symbol links point at the notebooks in the repository
(see `local_symbol_links`). Usage: python tools/build_readme.py [--check] [--out README.md]
"""
import argparse, difflib, os, re, sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_docs import apply_directives, page_name, to_nbformat  # the same notebook handling as the docs site

ROOT = Path(__file__).resolve().parent.parent


def processed_index():
    "nbs/index.ipynb after nbdev's docs processors, as an nbformat notebook."
    from execnb.nbio import read_nb
    from nbdev.processors import FilterDefaults
    nbs = ROOT/'nbs'
    cwd = os.getcwd()
    os.chdir(nbs)
    os.environ['IN_TEST'] = '1'
    try:
        nb = read_nb(nbs/'index.ipynb')
        FilterDefaults()(nb)
    finally: os.chdir(cwd)
    return to_nbformat(nb)


_LINK = re.compile(r'(\]\()(?!https?:|#|/|mailto:)([^)\s]+)(\))')


def fix_links(md:str) -> str:
    "Links and images written relative to nbs/ point there from the repository root."
    return _LINK.sub(lambda m: f'{m.group(1)}nbs/{m.group(2)}{m.group(3)}', md)


def local_symbol_links(md:str) -> str:
    """nbdev's doc-link filter turns a backticked symbol into a link to its page on the docs host of settings.ini
    (doc_host + doc_baseurl), which is not published. The README links to the notebook that defines the symbol
    instead, relative to the repository root (`nbs/02a_training.ipynb`): it works on GitHub and in a clone."""
    from nbdev.config import get_config
    cfg = get_config(path=ROOT)
    site = (cfg.doc_host.rstrip('/') + '/' + cfg.doc_baseurl.strip('/')).rstrip('/')
    notebooks = {page_name(nb.name): nb.name for nb in (ROOT/'nbs').glob('*.ipynb')}
    def local(m):
        if m.group(1) not in notebooks: sys.exit(f'build_readme: no notebook makes the page of the link {m.group(0)}')
        return f'](nbs/{notebooks[m.group(1)]})'
    return re.sub(rf'\]\({re.escape(site)}/([^)#\s]*)(?:#[^)\s]*)?\)', local, md)


def render_readme() -> str:
    from nbconvert import MarkdownExporter
    from nbconvert.preprocessors import TagRemovePreprocessor
    from traitlets.config import Config
    cfg = Config()
    cfg.TagRemovePreprocessor.remove_input_tags = {'remove_input'}
    cfg.TagRemovePreprocessor.enabled = True
    exp = MarkdownExporter(config=cfg)
    exp.register_preprocessor(TagRemovePreprocessor(config=cfg), enabled=True)
    body, _ = exp.from_notebook_node(apply_directives(processed_index()))
    body = re.sub(r'\n{3,}', '\n\n', local_symbol_links(fix_links(body))).strip() + '\n'
    return '<!-- Generated from nbs/index.ipynb by tools/build_readme.py: edit the notebook, not this file. -->\n\n' + body


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--check', action='store_true', help='only compare with the existing file; exit 1 if it is stale')
    p.add_argument('--out', default=str(ROOT/'README.md'), help='file to write (default: README.md)')
    a = p.parse_args()
    new, out = render_readme(), Path(a.out)
    if a.check:
        old = out.read_text() if out.exists() else ''
        if old != new:
            diff = list(difflib.unified_diff(old.splitlines(), new.splitlines(), 'README.md', 'from index.ipynb', lineterm='', n=1))
            print('README.md is stale; run `python tools/build_readme.py` (first lines of the difference below)')
            print('\n'.join(diff[:20]))
            sys.exit(1)
        print('README.md is up to date with nbs/index.ipynb')
    else:
        out.write_text(new)
        print(f'wrote {out}')


if __name__ == '__main__': main()
