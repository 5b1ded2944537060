#!/usr/bin/env bash
# Installs the Debian packages of scripts/packages.txt that are missing, and
# only those; then checks that the commands the build calls are on PATH.
# When nothing is missing it asks dpkg once and touches neither apt nor the network.
#
# Exit codes: 0 ready; 1 something is missing and could not be installed (the
# message names the packages and what to do).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
list=${MESHOTA_PACKAGES:-$here/packages.txt}

packages=()
declare -A commands_of=()
while IFS= read -r line || [ -n "$line" ]; do
  line=${line%%#*}
  [[ $line =~ ^[[:space:]]*$ ]] && continue
  name=${line%%:*}
  name=${name//[[:space:]]/}
  packages+=("$name")
  [[ $line == *:* ]] && commands_of[$name]=${line#*:}
done <"$list"

fail() {
  echo "setup: $1" >&2
  shift
  for l in "$@"; do echo "setup: $l" >&2; done
  exit 1
}

# Every package that dpkg does not report as installed ("ii"). dpkg-query exits
# non-zero when it knows none of some names, so its status is ignored: what it
# printed is the answer, and a name it did not print is missing.
installed_of() {
  dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' "${packages[@]}" 2>/dev/null || true
}
missing_packages() {
  local -A ok=()
  local status name
  while read -r status name; do
    [ "$status" = "ii" ] && ok[$name]=1
  done < <(installed_of)
  for p in "${packages[@]}"; do
    [ -n "${ok[$p]:-}" ] || echo "$p"
  done
}

mapfile -t missing < <(missing_packages)

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: ${#missing[@]} of ${#packages[@]} packages missing: ${missing[*]}"
  sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 ||
      fail "need root to install: ${missing[*]}" \
           "run 'sudo apt-get install ${missing[*]}' as an administrator, or run this as root"
    sudo=(sudo)
  fi
  if ! "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq; then
    echo "setup: warning: 'apt-get update' failed; trying the install from the current package index" >&2
  fi
  unknown=()
  for p in "${missing[@]}"; do
    candidate=$(apt-cache policy "$p" 2>/dev/null | awk '/Candidate:/ {print $2}')
    [ -n "$candidate" ] && [ "$candidate" != "(none)" ] || unknown+=("$p")
  done
  [ ${#unknown[@]} -eq 0 ] ||
    fail "Debian's package index has no: ${unknown[*]}" \
         "meshota needs Debian 12 (bookworm) with its main archive in /etc/apt/sources.list; check the name in scripts/packages.txt"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" ||
    fail "'apt-get install' failed for: ${missing[*]}" \
         "read apt's message above; once it is fixed, run scripts/setup.sh again"
  mapfile -t still < <(missing_packages)
  [ ${#still[@]} -eq 0 ] ||
    fail "apt-get reported success but these are still not installed: ${still[*]}" \
         "install them by hand: apt-get install ${still[*]}"
  echo "setup: installed ${missing[*]}"
else
  echo "setup: all ${#packages[@]} packages present"
fi

# The commands the build, the tests, the benchmarks and the cross-check call.
absent=()
for p in "${packages[@]}"; do
  for c in ${commands_of[$p]:-}; do
    command -v "$c" >/dev/null 2>&1 || absent+=("$c (from $p)")
  done
done
[ ${#absent[@]} -eq 0 ] ||
  fail "these commands are not on PATH although their packages are installed: ${absent[*]}" \
       "reinstall the package (apt-get install --reinstall NAME) or fix PATH"
