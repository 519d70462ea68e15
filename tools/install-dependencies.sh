#!/usr/bin/env bash
# Installs seprank's build and test dependencies from Debian 12's packages (run as root).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends \
  g++ cmake make python3 python3-matplotlib python3-jsonschema \
  libflint-dev libgmp-dev \
  libboost-program-options-dev libboost-graph-dev \
  doctest-dev nlohmann-json3-dev libssl-dev libtomlplusplus-dev \
  liblapack-dev libblas-dev \
  fflas-ffpack libgivaro-dev libopenblas-dev \
  help2man dpkg-dev \
  clang libclang-rt-14-dev libomp-dev \
  parallel >/dev/null
# clang, libclang-rt-14-dev (libFuzzer and clang's sanitizer runtimes, only "recommended" by
# clang) and libomp-dev (clang's OpenMP, which configuring the project with clang requires) are
# for the fuzz build only; g++ brings ASan/UBSan and OpenMP itself. help2man makes the man pages and
# dpkg-dev's dpkg-shlibdeps the .deb's dependencies (docs/install.md). parallel (GNU parallel)
# runs the shards of docs/cluster.md's recipe, which tests/test_cluster.py runs. python3-jsonschema
# validates the --json outputs and the formats against docs/schema/ (tests/test_json_schemas.py).
