#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Write a Linux initramfs (an uncompressed "newc" cpio archive, the kernel's
Documentation/driver-api/early-userspace/buffer-format.rst) holding busybox, an /init and the
device nodes the console needs. Device nodes are archive entries, so no root is needed.

    mkinitramfs.py OUTPUT BUSYBOX INIT [PROGRAM...]

Each PROGRAM goes into /bin under its own name.
"""

import sys
from pathlib import Path

S_IFDIR, S_IFREG, S_IFLNK, S_IFCHR = 0o040000, 0o100000, 0o120000, 0o020000


def entry(ino, name, mode, data=b"", rdev=(0, 0)):
    """One header (13 fields of 8 hex digits after the magic), the name, the data, each padded
    to 4 bytes."""
    fields = [ino, mode, 0, 0, 1, 0, len(data), 0, 0, rdev[0], rdev[1], len(name) + 1, 0]
    header = b"070701" + b"".join(b"%08x" % f for f in fields)
    blob = header + name.encode() + b"\0"
    blob += b"\0" * (-len(blob) % 4)
    return blob + data + b"\0" * (-len(data) % 4)


def archive(busybox: bytes, init: bytes, programs: dict) -> bytes:
    files = [("bin", S_IFDIR | 0o755, b"", (0, 0)),
             ("dev", S_IFDIR | 0o755, b"", (0, 0)),
             ("dev/console", S_IFCHR | 0o600, b"", (5, 1)),
             ("dev/ttyS0", S_IFCHR | 0o660, b"", (4, 64)),
             ("proc", S_IFDIR | 0o755, b"", (0, 0)),
             ("sys", S_IFDIR | 0o755, b"", (0, 0)),
             ("bin/busybox", S_IFREG | 0o755, busybox, (0, 0)),
             ("bin/sh", S_IFLNK | 0o777, b"busybox", (0, 0)),
             ("init", S_IFREG | 0o755, init, (0, 0)),
             *((f"bin/{name}", S_IFREG | 0o755, data, (0, 0)) for name, data in programs.items())]
    out = b"".join(entry(i + 1, name, mode, data, rdev)
                   for i, (name, mode, data, rdev) in enumerate(files))
    return out + entry(0, "TRAILER!!!", 0)


def main():
    if len(sys.argv) < 4:
        sys.exit("usage: mkinitramfs.py OUTPUT BUSYBOX INIT [PROGRAM...]")
    output, busybox, init, *programs = (Path(a) for a in sys.argv[1:])
    output.write_bytes(archive(busybox.read_bytes(), init.read_bytes(),
                               {p.name: p.read_bytes() for p in programs}))


if __name__ == "__main__":
    main()
