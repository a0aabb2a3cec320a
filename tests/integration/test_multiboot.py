# SPDX-License-Identifier: MIT
"""Multiboot1 kernels (docs/HYPERCALLS.md, "How guests start"): the ELF kernel and the flat one
with the header's address fields boot under AMD-V and VT-x and see what the spec promises;
malformed ones, made here by patching copies of the good ones, are refused with the reason and
cost only their own VM."""

import struct

from harness import GUESTS, Module

ELF = GUESTS / "mb1hello.elf"
FLAT = GUESTS / "mb1kludge.bin"
HEADER_MAGIC = 0x1BADB002
BOOT_DATA = 3 * 4096  # a stack page, the GDT page and one page of Multiboot information
LOADER = "Vireo 0.1.0"


def header_at(data: bytes) -> int:
    """Where the Multiboot1 header is: 4-byte aligned in the first 8 KiB (spec 3.1.1)."""
    for off in range(0, min(len(data), 8192) - 11, 4):
        if struct.unpack_from("<I", data, off)[0] == HEADER_MAGIC:
            return off
    raise AssertionError("no Multiboot1 header")


def put32(data: bytearray, off: int, value: int) -> None:
    struct.pack_into("<I", data, off, value & 0xFFFFFFFF)


def set_flags(data: bytearray, flags: int) -> None:
    """New header flags, with the checksum that goes with them."""
    h = header_at(data)
    put32(data, h + 4, flags)
    put32(data, h + 8, -(HEADER_MAGIC + flags))


def first_load_header(data: bytes) -> int:
    """The file offset of the ELF32's first program header (the kernel has one PT_LOAD)."""
    phoff, = struct.unpack_from("<I", data, 28)
    assert struct.unpack_from("<I", data, phoff)[0] == 1, "the first program header is PT_LOAD"
    return phoff


def elf_loaded_at(paddr: int):
    """The kernel moved whole: its segment's addresses and the entry point with them."""
    def patch(data):
        ph = first_load_header(data)
        entry, = struct.unpack_from("<I", data, 24)
        base, = struct.unpack_from("<I", data, ph + 12)
        put32(data, 24, entry - base + paddr)
        put32(data, ph + 8, paddr)
        put32(data, ph + 12, paddr)
        return data
    return patch


def elf_bad_checksum(data):
    put32(data, header_at(data) + 8, struct.unpack_from("<I", data, header_at(data) + 8)[0] + 1)
    return data


def elf_absurd_phnum(data):
    struct.pack_into("<H", data, 44, 0xFFFF)
    return data


def elf_truncated(data):
    return data[:header_at(data) + 0x400]


def elf_wants_video(data):
    set_flags(data, 0x7)
    return data


def flat_field(index: int, value):
    """Change one address field: header_addr, load_addr, load_end_addr, bss_end_addr, entry."""
    def patch(data):
        put32(data, header_at(data) + 12 + 4 * index, value(data) if callable(value) else value)
        return data
    return patch


def flat_without_address_fields(data):
    set_flags(data, 0x3)
    return data


# name, image, patch, memory, the reason in the log
MALFORMED = [
    ("badsum", ELF, elf_bad_checksum, "4M",
     r"Multiboot header at offset 0x1000 has a bad checksum: magic 0x1badb002 \+ flags 0x3 \+ "
     r"checksum 0x[0-9a-f]+ = 0x1, not 0"),
    ("outside", ELF, elf_loaded_at(0x40000000), "4M",
     r"segment at 0x40000000-0x4000[0-9a-f]{4} lies outside the VM's RAM"),
    ("overboot", ELF, elf_loaded_at(0x3FA000), "4M",
     rf"segment at 0x3fa000-0x3f[ef][0-9a-f]{{3}} overlaps or lies past Vireo's boot data at "
     rf"{0x400000 - BOOT_DATA:#x}-0x400000"),
    ("lowhole", ELF, elf_loaded_at(0x9F000), "4M",
     r"segment at 0x9f000-0x[0-9a-f]+ overlaps the PC's reserved 0x9fc00-0x100000"),
    ("truncated", ELF, elf_truncated, "4M",
     r"not a loadable ELF: a segment lies outside the file"),
    ("phnum", ELF, elf_absurd_phnum, "4M",
     r"not a loadable ELF: program headers lie outside the file"),
    ("video", ELF, elf_wants_video, "4M",
     r"the kernel requires a video mode \(Multiboot flags bit 2\), and Vireo has no graphics "
     r"to give"),
    ("loadaddr", FLAT, flat_field(1, 0x100004), "4M",
     r"Multiboot load_addr 0x100004 lies above header_addr 0x100000"),
    ("loadend", FLAT, flat_field(2, lambda d: 0x100000 + len(d) + 0x1000), "4M",
     r"the file is cut short: the Multiboot address fields load 0x[0-9a-f]+ bytes from offset "
     r"0, and the file has 0x[0-9a-f]+"),
    ("bssend", FLAT, flat_field(3, 0x100100), "4M",
     r"Multiboot bss_end_addr 0x100100 lies below the end of the loaded file at 0x1[0-9a-f]{5}"),
    ("entry", FLAT, flat_field(4, 0x200000), "4M",
     r"the entry point 0x200000 lies outside what is loaded from the file"),
    ("nofields", FLAT, flat_without_address_fields, "4M",
     r"a Multiboot kernel that is not an ELF file needs the address fields \(flags bit 16\)"),
]


def malformed(tmp_path, name, image, patch, mem):
    path = tmp_path / f"{name}.img"
    path.write_bytes(bytes(patch(bytearray(image.read_bytes()))))
    return Module(path, f"guest {name} mem={mem}")


def expect_good_kernel(run, vm, mem_mib, cmdline, header_flags, kind):
    """The transcript of mb1hello in a VM of mem_mib MiB, started with nothing wrong."""
    low_end = mem_mib << 20
    boot = low_end - BOOT_DATA
    run.expect(rf"vm\d+ {vm}: {kind}, {mem_mib} MiB of RAM")
    run.expect_guest(vm, rf"^mb1hello: magic 0x2badb002, header flags {header_flags:#x}$")
    for check in ("the boot loader's magic", "protected mode, paging off",
                  "interrupts off, not virtual-8086", "memory information given"):
        run.expect_guest(vm, rf"^ok: {check}")
    run.expect_guest(vm, r"^CR0 0x[0-9a-f]*[13579bdf], EFLAGS 0x[0-9a-f]+$")
    run.expect_guest(vm, r"^info flags 0x24d$")
    run.expect_guest(vm, rf"^mem_lower 639 KiB, mem_upper {(boot >> 10) - 1024} KiB$")
    mmap = [line for line in run.guest_text(vm).splitlines() if line.startswith("mmap ")]
    assert mmap == ["mmap 0x0-0x9fc00 type 1", "mmap 0x9fc00-0x100000 type 2",
                    f"mmap 0x100000-{boot:#x} type 1", f"mmap {boot:#x}-{low_end:#x} type 2",
                    "mmap 0xfec00000-0xfec01000 type 2", "mmap 0xfee00000-0xfee01000 type 2"], mmap
    run.expect_guest(vm, rf"^cmdline '{cmdline}'$")
    run.expect_guest(vm, r"^modules 0$")
    run.expect_guest(vm, rf"^boot loader '{LOADER}'$")
    assert "FAILED" not in run.guest_text(vm), run.guest_text(vm)
    run.expect(rf"vm\d+ {vm}: exited with code 0")


def test_multiboot_kernels_boot_and_a_malformed_one_is_refused(boot, tmp_path):
    """One boot per backend: the ELF kernel, the flat one, and one that is refused."""
    name, image, patch, mem, reason = MALFORMED[0]
    run = boot(modules=[Module(ELF, "guest mb1 mem=16M -- hello multiboot world"),
                        malformed(tmp_path, name, image, patch, mem),
                        Module(FLAT, "guest kludge mem=2M")])
    expect_good_kernel(run, "mb1", 16, "mb1 hello multiboot world", 0x3, "Multiboot1 ELF kernel")
    expect_good_kernel(run, "kludge", 2, "kludge", 0x10003,
                       r"Multiboot1 kernel \(address fields\)")
    run.expect(rf"ERROR: vm2 {name}: cannot load its image: {reason}; not created")
    run.expect_clean_shutdown()


def test_every_malformed_multiboot_kernel_is_refused_with_its_reason(qemu, tmp_path):
    mods = [malformed(tmp_path, *case[:4]) for case in MALFORMED]
    run = qemu(modules=mods + [Module(FLAT, "guest survivor mem=4M -- still here")])
    for i, (name, *_, reason) in enumerate(MALFORMED):
        run.expect(rf"ERROR: vm{i + 1} {name}: cannot load its image: {reason}; not created")
    expect_good_kernel(run, "survivor", 4, "survivor still here", 0x10003,
                       r"Multiboot1 kernel \(address fields\)")
    assert len(run.guest_lines("survivor")) > 0
    run.expect_clean_shutdown()


def test_config_hands_modules_to_a_multiboot_kernel(boot, tmp_path):
    """modules = [...] in a VM's config: each file, page-aligned in guest RAM, with its name
    as the module string; format = "multiboot" on an image without the header is refused."""
    initrd = tmp_path / "initrd.img"
    initrd.write_bytes(b"INITRD\x00\x01" + bytes(range(256)) * 20)
    notes = tmp_path / "notes.txt"
    notes.write_bytes(b"hello, module\n")
    config = tmp_path / "mods.toml"
    config.write_text('[vm.mods]\nimage = "mb1hello.elf"\nmemory = "8M"\n'
                      'modules = ["initrd.img", "notes.txt"]\ncmdline = "with modules"\n'
                      '[vm.nohdr]\nimage = "hello64.elf"\nformat = "multiboot"\n')
    run = boot(modules=[Module(config, "vmconfig mods.toml"), Module(ELF, "mb1hello.elf"),
                        Module(initrd, "initrd.img"), Module(notes, "notes.txt"),
                        Module(GUESTS / "hello64.elf", "hello64.elf")])
    run.expect_guest("mods", r"^modules 2$")
    first = run.expect_guest("mods", r"^module 0 'initrd\.img' at 0x([0-9a-f]+), 5128 bytes: "
                             r"49 4e 49 54 52 44 00 01$")
    second = run.expect_guest("mods", r"^module 1 'notes\.txt' at 0x([0-9a-f]+), 14 bytes: "
                              r"68 65 6c 6c 6f 2c 20 6d$")
    assert int(second.group(1), 16) >= int(first.group(1), 16) + 5128
    run.expect_guest("mods", r"cmdline 'mods with modules'")
    run.expect(r"vm\d mods: exited with code 0")
    run.expect(r"vm\d nohdr: cannot load its image: .*[Mm]ultiboot")
