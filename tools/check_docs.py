"""Open every page of the offline docs site in headless Chromium and check that it really works.

For each page of _site/ (served from a local HTTP server, so failed requests are visible): no local
resource fails to load, every image is present and decoded, every link to another page of the site
resolves, math is typeset by MathJax where the page has any, and no `#|` directive shows as text.
Saves screenshots of the home page and the experiments page into _site/_screenshots/. Skips, with a
message and exit status 0, when Chromium or chromedriver is not installed.
Ends with one line `docs: N pages passed, M failed`. Usage: python tools/check_docs.py [--site _site]
"""
import argparse, functools, re, http.server, json, shutil, sys, threading, time, urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = ('index.html', 'experiments.html')
LATEX = re.compile(r'\$\$|\$[^$\s<][^$\n<]*\$')  # inline or display math in the page source

PAGE_STATE = r"""
const imgs = [...document.images].map(i => ({src: i.getAttribute('src').slice(0, 80), ok: i.complete && i.naturalWidth > 0}));
const links = [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))
  .filter(h => !/^(https?:|mailto:|#)/.test(h));
const text = document.querySelector('main') ? document.querySelector('main').innerText : '';
const rawMath = (text.match(/\$\$|\\begin\{|\\frac|\\mathbb/g) || []).length;
return {title: document.title, imgs: imgs, links: links, mathjax: typeof MathJax !== 'undefined',
        typeset: document.querySelectorAll('.MathJax, .MathJax_Display, .MathJax_CHTML, .MathJax_SVG, mjx-container').length,
        errors: document.querySelectorAll('.MathJax_Error, merror').length,
        directives: (text.match(/^\s*#\|/gm) || []).length, rawMath: rawMath,
        nav: document.querySelectorAll('.site-sidebar a').length};
"""


def chromium_paths():
    "The chromium and chromedriver executables, or None when either is missing."
    browser = shutil.which('chromium') or shutil.which('chromium-browser') or shutil.which('google-chrome')
    driver = shutil.which('chromedriver')
    return (browser, driver) if browser and driver else None


def serve(site:Path):
    "Serve `site` on a free localhost port in a background thread; return (server, base URL)."
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *a): pass
    srv = http.server.ThreadingHTTPServer(('127.0.0.1', 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv, f'http://127.0.0.1:{srv.server_address[1]}/'


def make_driver(browser, driver):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    opts = webdriver.ChromeOptions()
    opts.binary_location = browser
    for a in ('--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--window-size=1400,1000'):
        opts.add_argument(a)
    opts.set_capability('goog:loggingPrefs', {'browser': 'ALL'})
    return webdriver.Chrome(service=Service(driver), options=opts)


def wait_typeset(drv, timeout=20):
    "Wait until MathJax (if loaded) has finished its typesetting queue."
    t = time.time()
    while time.time() - t < timeout:
        done = drv.execute_script("return typeof MathJax === 'undefined' || !MathJax.Hub || "
                                  "(MathJax.Hub.queue.pending === 0 && MathJax.Hub.queue.running === 0 && "
                                  "document.querySelectorAll('.MathJax_Processing, .MathJax_Preview:not(:empty)').length === 0)")
        if done: return True
        time.sleep(0.2)
    return False


def check_page(drv, base:str, site:Path, page:Path, shots:Path) -> list:
    "Problems found on one page (an empty list when it passes)."
    drv.get_log('browser')  # drop messages from the previous page
    drv.get(base + page.name)
    problems = []
    if not wait_typeset(drv): problems.append('MathJax did not finish typesetting within 20 s')
    s = drv.execute_script(PAGE_STATE)
    # MathJax 2 probes web-font loading with an 'about:blank' font, which Chromium reports but is harmless
    failed = [e['message'] for e in drv.get_log('browser') if e['level'] == 'SEVERE' and 'about:blank' not in e['message']]
    problems += [f'console error: {m[:160]}' for m in failed]
    problems += [f"image not loaded: {i['src']}" for i in s['imgs'] if not i['ok']]
    for href in s['links']:
        target = urllib.parse.unquote(href.split('#')[0])
        if target and not (site/target).exists(): problems.append(f'broken link: {href}')
    has_math = bool(LATEX.search(re.sub(r'<script.*?</script>', '', page.read_text(), flags=re.S)))  # not MathJax's own config
    if not s['mathjax']: problems.append('MathJax did not load')
    if has_math and s['typeset'] == 0: problems.append('the page has LaTeX but nothing was typeset')
    if s['rawMath']: problems.append(f"{s['rawMath']} pieces of LaTeX left untypeset")
    if s['errors']: problems.append(f"{s['errors']} MathJax errors")
    if s['directives']: problems.append(f"{s['directives']} '#|' directives shown as text")
    if s['nav'] < 2: problems.append('no navigation sidebar')
    if not s['title']: problems.append('no page title')
    if page.name in SCREENSHOTS:
        shots.mkdir(exist_ok=True)
        drv.save_screenshot(str(shots/f'{page.stem}.png'))
    print(f"{'ok  ' if not problems else 'FAIL'} {page.name}: {s['title']!r}, {len(s['imgs'])} images, "
          f"{s['typeset']} typeset formulas, {len(s['links'])} local links" + ''.join(f'\n     - {p}' for p in problems), flush=True)
    return problems


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--site', default=str(ROOT/'_site'), help='the built site (default: _site)')
    a = p.parse_args()
    site = Path(a.site).resolve()
    pages = sorted(site.glob('*.html'))
    if not pages: sys.exit(f'check_docs: no pages in {site}; build them with `make docs` first')
    paths = chromium_paths()
    if paths is None:
        print('docs browser check skipped: chromium and chromedriver are not installed '
              '(Debian: apt-get install chromium chromium-driver)')
        print(f'docs: 0 pages passed, 0 failed ({len(pages)} built, browser check skipped)')
        return
    srv, base = serve(site)
    drv = make_driver(*paths)
    bad = 0
    try:
        for page in pages: bad += bool(check_page(drv, base, site, page, site/'_screenshots'))
    finally:
        drv.quit(); srv.shutdown()
    print(f'screenshots: {site/"_screenshots"}')
    print(f'docs: {len(pages) - bad} pages passed, {bad} failed')
    sys.exit(1 if bad else 0)


if __name__ == '__main__': main()
