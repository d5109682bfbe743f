# vae_nbdev: every command a newcomer needs. Each target creates the virtual environment on first use.
#   make test         nbdev_clean + nbdev_export change nothing, README and banned-call checks, nbdev_test, docs build
#                     and browser check (tools/test.py; FLAGS=slow runs the slow cells, TEST_ARGS=--skip-docs etc.)
#   make experiments  the whole study into results/ (OUT=nbs/results refreshes the committed run; PROCS=2 runs it as two
#                     torchrun processes of one thread each, the faster way on a two-core CPU)
#   make docs         the offline docs site in _site/ (no Quarto needed)
#   make bench        the training-speed benchmark (bench/results/); the peer's quality: python bench/peer_quality.py
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
# The pinned torch pair installs reliably here; override with TORCH_PINS="torch torchvision" to take any release.
TORCH_PINS ?= torch==2.14.1 torchvision==0.29.1
OUT ?= results
PROCS ?= 1
ARGS ?=
FLAGS ?=
TEST_ARGS ?=

# Use the MNIST copy beside the checkout (../shared/data) when there is one and VAE_DATA_DIR is unset.
ifeq ($(VAE_DATA_DIR),)
ifneq ($(wildcard ../shared/data/MNIST/raw),)
export VAE_DATA_DIR := $(abspath ../shared/data)
endif
endif

.PHONY: install test experiments docs bench clean

install: $(VENV)/.installed

$(VENV)/.installed: settings.ini setup.py
	test -x $(PY) || python3 -m venv $(VENV)
	@echo "make install: PyTorch ($(TORCH_PINS)) into $(VENV); the default build carries CUDA libraries, about 6 GB in all (see the README for a CPU-only build)"
	$(PY) -m pip install --progress-bar off $(TORCH_PINS)
	@echo "make install: the package and its development tools (nbdev, Jupyter kernel, selenium), editable"
	$(PY) -m pip install --progress-bar off -e ".[dev]"
	touch $@

test: install
	$(PY) tools/test.py $(if $(FLAGS),--flags "$(FLAGS)") $(TEST_ARGS)

experiments: install
ifeq ($(PROCS),1)
	$(VENV)/bin/vae_experiments --out $(OUT) $(ARGS)
else
	OMP_NUM_THREADS=1 $(PY) -m torch.distributed.run --standalone --nproc-per-node $(PROCS) -m vae_nbdev.study --out $(OUT) $(ARGS)
endif

docs: install
	$(PY) tools/build_docs.py

bench: install
	$(PY) bench/train_speed.py $(ARGS)

clean:
	rm -rf _proc _docs _site build dist *.egg-info
