#!/usr/bin/env bash
# Creates local stand-ins for the two base images of images/Dockerfile without any container registry
# (the offline / air-gapped path), from this machine's own Node.js binary, the shared libraries it links,
# Debian's CA certificates and a passwd file, imported with `docker import`.
#
#   images/stand-in-bases.sh [--force]
#
# An image that already exists locally under a base's name (a real pulled image, or an earlier stand-in) is kept;
# --force replaces the stand-ins. The names are the Dockerfile's defaults, so it builds unchanged:
#   gcr.io/distroless/nodejs20-debian12:nonroot  runtime: node at /nodejs/bin/node (its entrypoint), USER 65532,
#                                                no shell, no package manager (distroless layout)
#   node:20-bookworm-slim                        build stage: node at /usr/local/bin/node, user root; only node,
#                                                because the build stage runs nothing else (see README.md)
# Override the names with BUILD_IMAGE / RUNTIME_IMAGE, the node binary with NODE_BINARY (default: `command -v node`).
set -euo pipefail

BUILD_IMAGE="${BUILD_IMAGE:-node:20-bookworm-slim}"
RUNTIME_IMAGE="${RUNTIME_IMAGE:-gcr.io/distroless/nodejs20-debian12:nonroot}"
NODE_BINARY="${NODE_BINARY:-$(command -v node)}"
CA_BUNDLE="${CA_BUNDLE:-/etc/ssl/certs/ca-certificates.crt}"
STAND_IN_LABEL="mesh-platform.stand-in"
REQUIRED_NODE_MAJOR=20

force=false
[[ "${1:-}" == "--force" ]] && force=true

fail() { echo "stand-in-bases: $*" >&2; exit 1; }

node_version="$("$NODE_BINARY" --version)"
[[ "$node_version" == "v${REQUIRED_NODE_MAJOR}."* ]] ||
  fail "$NODE_BINARY is Node.js $node_version; the bases are Node.js ${REQUIRED_NODE_MAJOR}. Set NODE_BINARY to a Node.js ${REQUIRED_NODE_MAJOR} binary."
[[ -f "$CA_BUNDLE" ]] || fail "no CA bundle at $CA_BUNDLE: install Debian's ca-certificates (apt-get install -y ca-certificates)."
command -v ldd >/dev/null || fail "ldd is missing: install Debian's libc-bin."

# Copies the node binary to $2 inside the root filesystem $1, with every shared library it links (at the same
# absolute paths, symlinks resolved), CA certificates, and the files a non-root process expects.
populate_rootfs() {
  local rootfs="$1" node_path="$2"
  install -D -m 0755 "$NODE_BINARY" "$rootfs$node_path"
  # `ldd` lines: "libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x...)" and "/lib64/ld-linux-x86-64.so.2 (0x...)".
  ldd "$NODE_BINARY" | awk '/=> \// { print $3 } /^[[:space:]]*\/[^ ]+ \(/ { print $1 }' | while read -r library; do
    install -D -m 0755 "$(readlink -f "$library")" "$rootfs$library"
  done
  install -D -m 0644 "$CA_BUNDLE" "$rootfs/etc/ssl/certs/ca-certificates.crt"
  mkdir -p "$rootfs/etc"
  printf '%s\n' 'root:x:0:0:root:/root:/sbin/nologin' 'nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin' \
    'nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin' > "$rootfs/etc/passwd"
  printf '%s\n' 'root:x:0:' 'nobody:x:65534:' 'nonroot:x:65532:' > "$rootfs/etc/group"
  printf '%s\n' 'passwd: files' 'group: files' 'hosts: files dns' > "$rootfs/etc/nsswitch.conf"
  install -d -m 1777 "$rootfs/tmp"
  install -d -m 0700 -o 65532 -g 65532 "$rootfs/home/nonroot"
  install -d -m 0700 "$rootfs/root"
}

# Imports the root filesystem $2 as image $1 with the given Dockerfile-style config changes.
import_rootfs() {
  local image="$1" rootfs="$2"; shift 2
  local changes=()
  for change in "$@" "LABEL $STAND_IN_LABEL=true"; do changes+=(--change "$change"); done
  local previous; previous="$(docker image inspect --format '{{ .Id }}' "$image" 2>/dev/null || true)"
  tar --numeric-owner --sort=name --mtime=@0 -C "$rootfs" -c . | docker import "${changes[@]}" - "$image" >/dev/null
  # A replaced stand-in is left untagged: remove it unless images built on it still need it.
  [[ -z "$previous" ]] || docker rmi "$previous" >/dev/null 2>&1 || true
  echo "stand-in-bases: created $image from $NODE_BINARY ($node_version)" >&2
}

needs_image() {
  local image="$1"
  if docker image inspect "$image" >/dev/null 2>&1; then
    $force || { echo "stand-in-bases: $image exists, kept" >&2; return 1; }
    [[ "$(docker image inspect --format "{{ index .Config.Labels \"$STAND_IN_LABEL\" }}" "$image")" == "true" ]] ||
      fail "$image is a real image, not a stand-in; --force only replaces stand-ins. Remove it first: docker rmi $image"
  fi
  return 0
}

workdir="$(mktemp -d)"
trap 'rm -rf "$workdir"' EXIT
path_env="PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

if needs_image "$RUNTIME_IMAGE"; then
  populate_rootfs "$workdir/runtime" /nodejs/bin/node
  import_rootfs "$RUNTIME_IMAGE" "$workdir/runtime" \
    'ENTRYPOINT ["/nodejs/bin/node"]' 'USER 65532' 'WORKDIR /home/nonroot' \
    "ENV $path_env" 'ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt'
fi

if needs_image "$BUILD_IMAGE"; then
  populate_rootfs "$workdir/build" /usr/local/bin/node
  import_rootfs "$BUILD_IMAGE" "$workdir/build" 'CMD ["node"]' "ENV $path_env" "ENV NODE_VERSION=${node_version#v}"
fi
