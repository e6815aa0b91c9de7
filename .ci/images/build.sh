#!/usr/bin/env bash
# Builds postkit's Docker test images offline (no registry is reachable): a Debian rootfs from debootstrap with
# PostgreSQL from Debian's own packages, imported with `docker import`. One image per major:
#   postkit-test/postgres:15 (bookworm), :17 (trixie), :18 (sid). Debian has no suite with 16.
# Rootfs tarballs are cached in $POSTKIT_IMAGE_CACHE (default /var/cache/postkit-images) so a second run
# only re-imports them. Usage: build.sh [major ...]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cache=${POSTKIT_IMAGE_CACHE:-/var/cache/postkit-images}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
mkdir -p "$cache"
suite_of() { case $1 in 15) echo bookworm ;; 17) echo trixie ;; 18) echo sid ;; *) echo "no Debian suite ships PostgreSQL $1" >&2; return 1 ;; esac; }
build_one() {
  local major=$1 suite tag root tarball
  suite=$(suite_of "$major")
  tag=postkit-test/postgres:$major
  # content only (not the checkout's path): every clone of the same revision shares the cached images
  version=$(cat "$here/entrypoint.sh" "$here/build.sh" | sha256sum | cut -c1-12)
  if docker image inspect "$tag" >/dev/null 2>&1 \
     && [ "$(docker image inspect -f '{{index .Config.Labels "dev.postkit.image-version"}}' "$tag" 2>/dev/null)" = "$version" ]; then
    echo "$tag is up to date"; return 0
  fi
  tarball=$cache/rootfs-$suite-pg$major-$version.tar
  if [ ! -s "$tarball" ]; then
    root=$(mktemp -d /tmp/postkit-rootfs-$major.XXXXXX)
    chmod 755 "$root"   # mktemp makes it 0700: the image's / must be readable by the postgres user
    echo "debootstrap $suite for PostgreSQL $major ..."
    debootstrap --variant=minbase "$suite" "$root" "$mirror" >"$root.log" 2>&1 || { tail -20 "$root.log"; exit 1; }
    mount -t proc proc "$root/proc"
    trap 'umount "$root/proc" 2>/dev/null || true' RETURN
    # the image's server must never start at install time: forbid service starts inside the chroot
    printf '#!/bin/sh\nexit 101\n' > "$root/usr/sbin/policy-rc.d"; chmod +x "$root/usr/sbin/policy-rc.d"
    chroot "$root" sh -c "apt-get install -y -qq --no-install-recommends postgresql-$major postgresql-client-$major locales-all >/dev/null" \
      || { echo "apt-get install postgresql-$major failed in $suite" >&2; exit 1; }
    # drop the cluster Debian's postinst created: the entrypoint runs initdb itself
    chroot "$root" sh -c "pg_dropcluster --stop $major main 2>/dev/null || true; apt-get clean; rm -rf /var/lib/apt/lists/*"
    rm -f "$root/usr/sbin/policy-rc.d"
    install -m 0755 "$here/entrypoint.sh" "$root/usr/local/bin/docker-entrypoint.sh"
    umount "$root/proc"
    tar -C "$root" -cf "$tarball.tmp" . && mv "$tarball.tmp" "$tarball"
    rm -rf "$root" "$root.log"
  fi
  docker import \
    -c 'ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]' -c 'CMD ["postgres"]' \
    -c 'ENV PATH=/usr/lib/postgresql/'"$major"'/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    -c 'ENV LANG=C.UTF-8' \
    -c "LABEL dev.postkit.image-version=$version" \
    "$tarball" "$tag" >/dev/null
  echo "built $tag"
}
majors=("$@"); [ ${#majors[@]} -gt 0 ] || majors=(15 17 18)
for m in "${majors[@]}"; do build_one "$m"; done
