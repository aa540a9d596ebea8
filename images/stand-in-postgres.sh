#!/usr/bin/env bash
# Creates a local stand-in for the official PostgreSQL image, without any container registry, from this machine's
# Debian postgresql package (/usr/lib/postgresql/<major>), the shared libraries it links, bash, sh, cat and env (the
# init script's psql runs `cat` through sh), the time zone data and images/postgres-entrypoint.sh, which implements the
# part of the official entrypoint the platform uses. Built with `docker build` from scratch, so it needs no root.
#
#   images/stand-in-postgres.sh [--force]
#
# Prints the image's name on stdout: mesh-platform/postgres-stand-in:<major>-<recipe>, e.g. :15-3f9c0a1b2c3d (the
# installed major, the official image the manifests name is 17, see docs/local.md; and a hash of this script and the
# entrypoint). Kept when it exists; --force rebuilds it.
# The postgres user is uid/gid 999, as in the official image; PGDATA is /var/lib/postgresql/data (owned by it, so a
# new named volume mounted there is too). Override the installation with POSTGRES_ROOT (default: the newest major).
set -euo pipefail

STAND_IN_LABEL="mesh-platform.stand-in"
POSTGRES_UID=999
LIB_ROOT=/usr/lib/postgresql
here="$(cd "$(dirname "$0")" && pwd)"

fail() { echo "stand-in-postgres: $*" >&2; exit 1; }

if [[ -z "${POSTGRES_ROOT:-}" ]]; then
  major="$(find "$LIB_ROOT" -mindepth 3 -maxdepth 3 -path '*/bin/postgres' 2>/dev/null | sed -E 's#.*/([0-9]+)/bin/postgres#\1#' | sort -n | tail -n 1)"
  [[ -n "$major" ]] || fail "PostgreSQL is not installed: install Debian's postgresql package (apt-get install -y postgresql)"
  POSTGRES_ROOT="$LIB_ROOT/$major"
fi
major="$(basename "$POSTGRES_ROOT")"
share="/usr/share/postgresql/$major"
[[ -x "$POSTGRES_ROOT/bin/postgres" && -d "$share" ]] || fail "$POSTGRES_ROOT/bin/postgres or $share is missing: install Debian's postgresql package"
[[ -d /usr/share/zoneinfo ]] || fail "/usr/share/zoneinfo is missing: install Debian's tzdata package"
command -v ldd >/dev/null || fail "ldd is missing: install Debian's libc-bin"
# Content-addressed like the services' images: a change to this script or the entrypoint gives a new tag.
recipe="$(cat "$0" "$here/postgres-entrypoint.sh" | sha256sum | cut -c1-12)"
image="mesh-platform/postgres-stand-in:$major-$recipe"

if docker image inspect "$image" >/dev/null 2>&1 && [[ "${1:-}" != "--force" ]]; then
  echo "stand-in-postgres: $image exists, kept" >&2
  echo "$image"
  exit 0
fi

workdir="$(mktemp -d)"
trap 'rm -rf "$workdir"' EXIT
rootfs="$workdir/rootfs"

copy() { mkdir -p "$rootfs$(dirname "$1")"; cp -a "$1" "$rootfs$1"; }
# Every shared library a binary or module links, copied at the path the loader looks for (symlinks resolved).
copy_libraries() {
  ldd "$1" 2>/dev/null | awk '/=> \// { print $3 } /^[[:space:]]*\/[^ ]+ \(/ { print $1 }' | while read -r library; do
    [[ -e "$rootfs$library" ]] || install -D -m 0755 "$(readlink -f "$library")" "$rootfs$library"
  done
}

mkdir -p "$rootfs"
# The server, its tools and modules, without LLVM's JIT (the entrypoint turns jit off).
mkdir -p "$rootfs$POSTGRES_ROOT"
cp -a "$POSTGRES_ROOT/bin" "$rootfs$POSTGRES_ROOT/"
mkdir -p "$rootfs$POSTGRES_ROOT/lib"
find "$POSTGRES_ROOT/lib" -maxdepth 1 -name '*.so' ! -name 'llvmjit*' -exec cp -a {} "$rootfs$POSTGRES_ROOT/lib/" \;
copy "$share"
copy /usr/share/zoneinfo
for binary in "$rootfs$POSTGRES_ROOT"/bin/* "$rootfs$POSTGRES_ROOT"/lib/*.so; do copy_libraries "${binary#"$rootfs"}"; done
# The shell tools the entrypoint and the init script need: bash, sh and cat (psql's backticks), env (`#!/usr/bin/env`).
for tool in /bin/bash /bin/sh /bin/cat /usr/bin/env; do
  [[ -x "$tool" ]] || fail "$tool is missing"
  install -D -m 0755 "$(readlink -f "$tool")" "$rootfs$tool"
  copy_libraries "$tool"
done
install -D -m 0755 "$here/postgres-entrypoint.sh" "$rootfs/usr/local/bin/docker-entrypoint.sh"
mkdir -p "$rootfs/etc" "$rootfs/docker-entrypoint-initdb.d"
install -d -m 1777 "$rootfs/tmp" "$rootfs/var/run/postgresql"
printf '%s\n' 'root:x:0:0:root:/root:/sbin/nologin' "postgres:x:$POSTGRES_UID:$POSTGRES_UID:PostgreSQL:/var/lib/postgresql:/bin/bash" > "$rootfs/etc/passwd"
printf '%s\n' 'root:x:0:' "postgres:x:$POSTGRES_UID:" > "$rootfs/etc/group"
printf '%s\n' 'passwd: files' 'group: files' 'hosts: files dns' > "$rootfs/etc/nsswitch.conf"
mkdir -p "$workdir/data"

cat > "$workdir/Dockerfile" <<DOCKERFILE
FROM scratch
COPY rootfs/ /
# Docker gives a new volume the owner of its mount point, and a tmpfs its mode: PGDATA's parent is postgres',
# the socket directory is writable by all (sticky, like /tmp).
COPY --chown=$POSTGRES_UID:$POSTGRES_UID data/ /var/lib/postgresql/data/
ENV PATH=$POSTGRES_ROOT/bin:/usr/local/bin:/usr/bin:/bin PGDATA=/var/lib/postgresql/data LANG=C.UTF-8
LABEL $STAND_IN_LABEL=true org.opencontainers.image.title="PostgreSQL $major stand-in (Debian's postgresql package)"
USER $POSTGRES_UID:$POSTGRES_UID
STOPSIGNAL SIGINT
EXPOSE 5432
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["postgres"]
DOCKERFILE
build_log="$(docker build --quiet --tag "$image" "$workdir" 2>&1)" || fail "docker build failed:
$build_log"
echo "stand-in-postgres: created $image from $POSTGRES_ROOT" >&2
echo "$image"
