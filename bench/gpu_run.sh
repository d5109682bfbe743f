#!/usr/bin/env bash
# The GPU checks of issue 12 in one go: the notebook tests, both speed benchmarks, the quick study (one epoch on 2000
# images) and the default study, on CUDA.
# Usage: VAE_DATA_DIR=... bash bench/gpu_run.sh OUTDIR
# Each step has its own time limit (TESTS_S, TRAIN_S, EVAL_S, STACK_S, SMOKE_S, STUDY_S seconds; 0 skips a step), so one slow step cannot take the
# others' time; a failed step is reported and the next one runs. OUTDIR gets summary.txt and, refreshed after every
# step, gpu_run.tgz with the logs, the benchmark tables and the study's metrics.json and report.md.
set -u
out=${1:?usage: bench/gpu_run.sh OUTDIR}; mkdir -p "$out"
work=$(mktemp -d); study=$work/study; res=$work/results; mkdir -p "$res"
py=${PYTHON:-python3}
pack() { tar -czf "$out/gpu_run.tgz" -C "$work" results $(cd "$work" && ls -d study/metrics.json study/report.md study/history smoke/metrics.json smoke/report.md 2>/dev/null); }
step() {  # step NAME SECONDS COMMAND...: run with a limit, log to results/NAME.log, print the verdict and the time
  local name=$1 limit=$2; shift 2
  [ "$limit" -gt 0 ] || return 0  # a limit of 0 skips the step
  local t0=$SECONDS
  timeout "$limit" "$@" >"$res/$name.log" 2>&1; local rc=$?
  echo "$name: exit $rc after $((SECONDS - t0)) s (limit $limit s)" | tee -a "$out/summary.txt"
  tail -n 25 "$res/$name.log"; pack
}
{ nvidia-smi -L; $py -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda, torch.cuda.get_device_name())'; } 2>&1 | tee "$out/summary.txt"
step tests "${TESTS_S:-200}" $py -c "from nbdev.test import nbdev_test; nbdev_test(n_workers=${WORKERS:-4}, timing=True)"  # not -m: workers unpickle test_nb
step train_speed "${TRAIN_S:-90}" $py bench/train_speed.py --device cuda --out "$res"
step eval_speed "${EVAL_S:-60}" $py bench/eval_speed.py --device cuda --out "$res"
step stacked_speed "${STACK_S:-120}" $py bench/stacked_speed.py --device cuda --sizes 2,3,10 --out "$res"  # issue 27: ten stacked VAEs against one
step smoke "${SMOKE_S:-60}" $py -c 'from vae_nbdev.study import main; main()' --out "$work/smoke" --epochs 1 --train-size 2000 --k-eval 100 --no-progress
step study "${STUDY_S:-240}" $py bench/study_time.py --out "$study" --results "$res"
