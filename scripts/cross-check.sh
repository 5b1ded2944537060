#!/usr/bin/env bash
# Freestanding guard: compiles core/ for the ESP32-C3 ISA (rv32imc) and the
# ESP8266 (xtensa-lx106) with Debian's cross toolchains, -fno-exceptions
# -fno-rtti and no libstdc++, then links it into a bare program. A core that
# throws, uses RTTI, iostreams, threads or the heap fails here: those need
# symbols only libstdc++ provides, and none is linked.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/build/cross}
cxxinc=/usr/include/newlib/c++/12.2.1
common=(-std=c++20 -Os -fno-exceptions -fno-rtti -ffunction-sections -fdata-sections
        -Wall -Wextra -Werror -Wno-sign-conversion
        -nostdinc++ -isystem "$cxxinc" -isystem "$cxxinc/arm-none-eabi/thumb/v7-m/nofp"
        -I "$root/core/include" -I "$out/include")

# Headers a freestanding core must never include.
if grep -rnE '#include <(iostream|fstream|sstream|thread|mutex|future|regex|typeinfo|stdexcept|exception)>' \
     "$root/core"; then
  echo "cross-check: core/ includes a header it must not use on the ESP targets (above)" >&2
  exit 1
fi

mkdir -p "$out/include"
ln -sf /usr/include/jsmn.h "$out/include/jsmn.h"

build() {  # name cxx cc specs arch-flags...
  local name=$1 cxx=$2 cc=$3 specs=$4; shift 4
  local dir="$out/$name"; mkdir -p "$dir"
  local objs=()
  local src rel
  while read -r src; do
    rel=${src#"$root"/}
    local obj="$dir/${rel//\//_}.o"
    "$cxx" "${common[@]}" "$@" --specs="$specs" -c "$src" -o "$obj"
    objs+=("$obj")
  done < <(find "$root/core/src" -name '*.cpp' | sort; echo "$root/scripts/cross_main.cpp")
  "$cc" "$@" --specs="$specs" -nostartfiles -Wl,--gc-sections -Wl,-e,main -Wl,--unresolved-symbols=report-all \
        "${objs[@]}" -lgcc -o "$dir/core.elf" 2>"$dir/link.log" || { cat "$dir/link.log" >&2; return 1; }
  "${cxx%g++}size" "$dir/core.elf" | tail -n 1 | awk -v n="$name" '{printf "cross-check: %-8s text=%s data=%s bss=%s bytes\n", n, $1, $2, $3}'
}

# Memory map of QEMU's riscv32 "virt" board, so the result can also run there.
build rv32imc riscv64-unknown-elf-g++ riscv64-unknown-elf-gcc picolibc.specs -march=rv32imc -mabi=ilp32 \
  -Wl,--defsym=__flash=0x80000000 -Wl,--defsym=__flash_size=0x200000 \
  -Wl,--defsym=__ram=0x80200000 -Wl,--defsym=__ram_size=0x200000
build lx106 xtensa-lx106-elf-g++ xtensa-lx106-elf-gcc /usr/lib/xtensa-lx106-elf/picolibc.specs -mlongcalls -mtext-section-literals -T "$root/scripts/lx106-check.ld"
echo "cross-check: core/ builds freestanding for rv32imc and xtensa-lx106"
