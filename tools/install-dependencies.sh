#!/usr/bin/env bash
# Installs seprank's build and test dependencies from Debian 12's packages (run as root).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends \
  g++ cmake make python3 python3-matplotlib \
  libflint-dev libgmp-dev \
  libboost-program-options-dev libboost-graph-dev \
  doctest-dev nlohmann-json3-dev libssl-dev libtomlplusplus-dev \
  liblapack-dev libblas-dev \
  fflas-ffpack libgivaro-dev libopenblas-dev >/dev/null
