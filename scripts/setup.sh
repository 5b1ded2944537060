#!/usr/bin/env bash
# Installs the Debian packages meshota needs, and only the missing ones: when
# everything is there it asks dpkg once and returns without touching apt.
set -euo pipefail

packages=(
  # build
  g++ cmake ninja-build make python3
  # libraries the user chose (Boost Graph, fmt, nlohmann/json, Catch2) and the rest
  libboost-graph-dev libyaml-cpp-dev libfmt-dev nlohmann-json3-dev catch2 libcli11-dev
  libssl-dev libjsmn-dev
  # the freestanding guard: ESP32-C3 (rv32imc) and ESP8266 (xtensa-lx106) cross compilers
  gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf
  gcc-xtensa-lx106 picolibc-xtensa-lx106-elf libstdc++-arm-none-eabi-dev
)

missing=()
while read -r status name; do
  [ "$status" = "ii" ] || missing+=("$name")
done < <(dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' "${packages[@]}" 2>/dev/null \
           | awk '{print $1, $NF}'; \
         for p in "${packages[@]}"; do dpkg-query -W "$p" >/dev/null 2>&1 || echo "missing $p"; done)

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} packages present"
  exit 0
fi

echo "setup: installing ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "setup: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "setup: done"
