#!/usr/bin/env bash
# Installs Debian's docker-registry (the Distribution registry v2 server) for the test that pushes
# the worker image to a real registry on loopback. Needs root and apt-get; does nothing when it is
# already installed. It never starts the packaged service: each test runs its own registry.
set -euo pipefail

if command -v docker-registry >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" != "0" ]; then
  echo "install-docker-registry.sh: needs root; run: sudo apt-get install -y docker-registry" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-docker-registry.sh: no apt-get here; install a registry v2 server (the docker-registry package, or distribution's 'registry') with this system's package manager" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
# A policy-rc.d keeps the package's service from starting (the tests bind their own ports); one
# that is already there is left as it is.
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
  chmod +x /usr/sbin/policy-rc.d
  trap 'rm -f /usr/sbin/policy-rc.d' EXIT
fi
apt-get update -qq
apt-get install -y -qq --no-install-recommends docker-registry
command -v docker-registry
