#!/usr/bin/env bash
# A/B: CPU per request in process (bench/profile_request.py, --timer cpu), a baseline checkout
# vs this one, interleaved (A, B, A, B ... three rounds), against a database prepared by
# bench/prepare.py into /tmp/ab. Used to check that a refactor costs nothing on the hot reads:
#   git worktree add /work/wt/baseline <rev>; bench/ab/run_ab.sh
# (docs/performance.md, "Refactors measured").
set -euo pipefail
cd /work/main
BIN=/work/main/.venv/bin OUT=/tmp/ab
export DATABASE_URL=postgres://postgres@127.0.0.1:5432/fc_ab REDIS_URL=redis://127.0.0.1:6379/13
source bench/prod_env.sh
export LOG_LEVEL=INFO
for round in 1 2 3; do
  for scenario in search_page1 detail_id; do
    for side in baseline main; do
      if [[ $side == baseline ]]; then dir=/work/wt/baseline; else dir=/work/main; fi
      (cd $dir && PYTHONPATH=$dir $BIN/python $dir/bench/profile_request.py /tmp/ab/targets.lua $scenario --requests 1500 --timer cpu 2>&1 >/dev/null \
        | python3 -c "import json,re,sys; d=json.loads(re.search(r'\{\"scenario\".*?\}\}', sys.stdin.read()).group(0)); print('$round', '$scenario', '$side', d['cpu_us_per_request'], d['wall_us_per_request'])")
    done
  done
done
