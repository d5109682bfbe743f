"""Packaging for vae_nbdev: every field comes from `settings.ini`, the one place nbdev keeps metadata."""
from configparser import ConfigParser
from pathlib import Path

import setuptools

here = Path(__file__).parent
cfg = ConfigParser(delimiters=['='])
cfg.read(here/'settings.ini', encoding='utf-8')
cfg = cfg['DEFAULT']

required = 'version description keywords author author_email license min_python user repo lib_name'.split()
missing = [k for k in required if not cfg.get(k)]
if missing: raise SystemExit(f"settings.ini lacks: {', '.join(missing)}")

licenses = {'apache2': ('Apache Software License 2.0', 'OSI Approved :: Apache Software License'),
            'mit': ('MIT License', 'OSI Approved :: MIT License')}
lic_name, lic_classifier = licenses[cfg['license']]
statuses = ['1 - Planning', '2 - Pre-Alpha', '3 - Alpha', '4 - Beta', '5 - Production/Stable', '6 - Mature', '7 - Inactive']
py_versions = '3.9 3.10 3.11 3.12 3.13'.split()
min_py = cfg['min_python']
py_classifiers = [f'Programming Language :: Python :: {v}' for v in py_versions[py_versions.index(min_py):]]

def split_reqs(key):
    "Requirement strings listed, space separated, under `key` in settings.ini."
    return cfg.get(key, '').split()

readme = here/'README.md'
setuptools.setup(
    name=cfg['lib_name'],
    version=cfg['version'],
    description=cfg['description'],
    long_description=readme.read_text(encoding='utf-8') if readme.exists() else cfg['description'],
    long_description_content_type='text/markdown',
    keywords=cfg['keywords'],
    author=cfg['author'],
    author_email=cfg['author_email'],
    license=lic_name,
    url=cfg.get('git_url', f"https://github.com/{cfg['user']}/{cfg['repo']}"),
    classifiers=[f"Development Status :: {statuses[int(cfg['status'])]}",
                 f"Intended Audience :: {cfg['audience']}",
                 f"License :: {lic_classifier}",
                 f"Natural Language :: {cfg['language']}"] + py_classifiers,
    packages=setuptools.find_packages(include=[cfg['lib_path'], cfg['lib_path'] + '.*']),
    include_package_data=True,
    python_requires=f'>={min_py}',
    install_requires=split_reqs('requirements'),
    extras_require={'dev': split_reqs('dev_requirements')},
    entry_points={'console_scripts': split_reqs('console_scripts'),
                  'nbdev': [f"{cfg['lib_path']}={cfg['lib_path']}._modidx:d"]},
    zip_safe=False,
)
