#!/usr/bin/env bash
# Runs the packed bench:train (scripts/gpu-bench/pack.mjs) on a Linux x64 GPU machine with no
# Node: unpacks Node and the Vulkan loader into /tmp, then passes its arguments to bench:train.
#   bash .gpu-bench/run.sh --modes wasm,webgpu --sizes 64,128 --iters 10
set -euo pipefail
pack="$(cd "$(dirname "$0")" && pwd)"
here=/tmp/gpu-bench/app
rm -rf "$here" && mkdir -p /tmp/gpu-bench/bin && cp -r "$pack" "$here"
xz -d "$here/bench-train.mjs.xz" "$here/node_modules/webgpu/dist/linux-x64/dawn.node.xz"
if ! command -v node >/dev/null || [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 20 ]; then
  xz -dc "$here/node.xz" > /tmp/gpu-bench/bin/node && chmod +x /tmp/gpu-bench/bin/node
  export PATH="/tmp/gpu-bench/bin:$PATH"
fi
# Dawn opens libvulkan.so.1; the GPU driver supplies the Vulkan ICD, which needs glvnd. Unpacked
# under /tmp (not /) and found through LD_LIBRARY_PATH, so the machine's own files stay as they were.
for deb in "$here"/*.deb; do
  lib="$(basename "$deb" | cut -d_ -f1)"
  case "$lib" in libvulkan1) so=libvulkan.so.1 ;; libglvnd0) so=libGLdispatch.so.0 ;; *) so="" ;; esac
  if [ -n "$so" ] && ldconfig -p | grep -q "$so"; then continue; fi
  dpkg -x "$deb" /tmp/gpu-bench/gl
done
if [ -d /tmp/gpu-bench/gl ]; then export LD_LIBRARY_PATH="/tmp/gpu-bench/gl/usr/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"; fi
for icd in /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json /usr/share/vulkan/icd.d/nvidia_icd.json /etc/vulkan/icd.d/nvidia_icd.json; do
  if [ -z "${VK_ICD_FILENAMES:-}" ] && [ -f "$icd" ]; then export VK_ICD_FILENAMES="$icd"; fi
done
echo "node $(node --version); VK_ICD_FILENAMES=${VK_ICD_FILENAMES:-unset}"
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>/dev/null || true
cd "$here"
exec node bench-train.mjs "$@"
