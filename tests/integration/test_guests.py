# SPDX-License-Identifier: MIT
"""Guests run on every core, under AMD-V (QEMU) and VT-x (Bochs), and see the documented ABI."""

import re

import pytest

from harness import GUESTS, Module

HELLOS = {  # guest -> (module options, a line it prints)
    "hello16": ("mem=2M", r"Hello from real mode!"),
    "hello32": ("mem=2M", r"Hello from 32-bit protected mode! CR0 = 0x\w+"),
    "hello64": ("mem=4M -- a b c", r"Hello from 64-bit C! I am 'hello64' \(VM \d\) with 4 MiB"),
    "minikvm16": ("mem=2M", r"hello through port 0x500"),
}
IMAGES = {"hello16": "hello16.bin", "hello32": "hello32.elf", "hello64": "hello64.elf",
          "minikvm16": "minikvm16.bin"}
CORES = {"qemu": 4, "bochs": 2}


def module(name, cpu, options=None):
    opts = HELLOS[name][0] if options is None else options
    return Module(GUESTS / IMAGES[name], f"guest {name} cpu={cpu} {opts}")


def emulator_of(request):
    return request.node.callspec.params["boot"]


def cpu_option(request, cpus=None):
    """The CPU count option of the emulator a `boot` test runs under."""
    emulator = emulator_of(request)
    count = cpus or CORES[emulator]
    return {"smp": count} if emulator == "qemu" else {"cpus": count}


def test_hello_guests_print_on_every_core(boot, request):
    emulator = emulator_of(request)
    names = list(HELLOS)[:CORES[emulator]]
    run = boot(modules=[module(n, cpu) for cpu, n in enumerate(names)], **cpu_option(request))
    for cpu, name in enumerate(names):
        printed_on = run.guest_cpus(name, HELLOS[name][1])
        assert printed_on == {cpu}, f"{name} printed its greeting on CPU(s) {printed_on}, not {cpu}"
        run.expect(rf"vm\d {name}: running on CPU {cpu}")
    run.expect(r"vmm: every VM has stopped")
    run.expect_clean_shutdown()


def test_guest_sees_abi_and_cpuid_msr_policy(boot, request):
    run = boot(modules=[module("hello64", 0)], **cpu_option(request))
    run.expect_guest("hello64", r"my arguments: a b c")
    run.expect_guest("hello64", r"hypervisor: VireoVireoVi, ABI version 1, vCPU 0")
    run.expect_guest("hello64", r"CPUID.1: hypervisor bit set, VMX hidden")
    run.expect_guest("hello64", r"CPUID.80000001: SVM hidden, long mode yes")
    run.expect_guest("hello64", r"RDMSR 0x12345678: #GP, as the MSR policy says")
    run.expect_guest("hello64", r"there are 1229 primes below 10000")
    run.expect(r"hello64: exited with code 0")
    run.expect_clean_shutdown()


def test_backend_matches_the_cpu_vendor(boot, request):
    emulator = emulator_of(request)
    run = boot(modules=[module("hello16", 0)], **cpu_option(request))
    if emulator == "qemu":
        run.expect(r"AMD-V: SVM revision \d+, \d+ ASIDs, NPT yes \(4K and 2M pages\), "
                   r"NRIP-save no")
        # QEMU's TCG is recognised: its injected interrupts get the exit that works around it.
        run.expect(r"AMD-V: .*; QEMU TCG: an exit after each injected interrupt$")
        run.expect(r"vmm: AMD-V with NPT enabled on 4 CPU\(s\)")
        run.expect(r"hello16: real-mode flat binary, 2 MiB of RAM \(NPT: ")
    else:
        run.expect(r"VT-x: VMCS revision 0x[0-9a-f]+, EPT \(4K, 2M( and 1G)? pages")
        run.expect(r"vmm: VT-x with EPT enabled on 2 CPU\(s\)")
        run.expect(r"hello16: real-mode flat binary, 2 MiB of RAM \(EPT: ")
    run.expect(r"hello16: exited with code 0")


def test_minikvm_port_protocol(boot, request):
    run = boot(modules=[module("minikvm16", 0)], **cpu_option(request))
    run.expect_guest("minikvm16", r"hello through port 0x500")
    # Console input does not reach guests yet, so GETCHAR finds nothing: exit code 7.
    run.expect(r"minikvm16: exited with code 7")


def test_more_vms_than_cpus_share_them(boot, request):
    mods = [Module(GUESTS / "hello16.bin", f"guest h{i} mem=2M") for i in range(3)]
    run = boot(modules=mods, **cpu_option(request, cpus=2))
    cpus = [int(run.expect(rf"vm{i + 1} h{i}: running on CPU (\d)").group(1)) for i in range(3)]
    assert sorted(set(cpus)) == [0, 1], f"three VMs on two CPUs were placed on CPUs {cpus}"
    for i in range(3):
        run.expect(rf"vm{i + 1} h{i}: exited with code 0")
    run.expect_not(r"ERROR|WARNING")
    run.expect_clean_shutdown()


BAD_MODULES = [
    ("guest", r"module 'guest': a guest needs a name"),
    ("guest bad/name", r"module 'guest bad/name': bad name 'bad/name'"),
    ("guest big mem=banana", r"module 'guest big mem=banana': bad value in 'mem=banana'"),
    ("guest huge mem=128G", r"module 'guest huge mem=128G': bad value in 'mem=128G'"),
    ("guest slow timeout=5", r"module 'guest slow timeout=5': bad value in 'timeout=5'"),
    # Used to wrap around into a timeout of 300 ms.
    ("guest forever timeout=18446744074s", r"module 'guest forever timeout=18446744074s': bad "
     r"value in 'timeout=18446744074s' \(expected a duration such as \"10s\" or \"500ms\" "
     r"\(up to 30 days\)\)"),
    ("guest typo memory=4M", r"module 'guest typo memory=4M': unknown option 'memory=4M'"),
]


def test_bad_vm_configurations_are_refused_and_others_run(boot, request, tmp_path):
    broken = tmp_path / "broken.elf"
    broken.write_bytes(b"\x7fELF" + b"\x02\x01\x01" + b"\0" * 9 + b"\x03\x00")  # truncated
    mods = [Module(GUESTS / "hello16.bin", line) for line, _ in BAD_MODULES]
    mods += [Module(broken, "guest broken"), Module(GUESTS / "hello16.bin", "guest good mem=2M")]
    run = boot(modules=mods, **cpu_option(request))
    for _, message in BAD_MODULES:
        run.expect(rf"ERROR: {message}")
    run.expect(r"ERROR: vm\d broken: cannot load its image: not a loadable ELF: ")
    run.expect(r"vm\d good: exited with code 0")
    assert len(re.findall(r"vm\d+ \S+: running on CPU", run.transcript)) == 1
    run.expect_clean_shutdown()


RESERVE_MIB = 32  # MEMORY_HOST_RESERVE (kernel/memory.h, docs/CONFIG.md)


REFUSAL = (r"ERROR: vm\d (\w+): refused: (\d+) MiB of RAM would take the hypervisor's "
           rf"reserve: (\d+) MiB free, {RESERVE_MIB} MiB of it kept for the host, so at most "
           r"(\d+) MiB for VMs")


def test_vm_too_big_for_memory_is_refused(boot, request):
    """A VM larger than the machine is refused with the numbers, and the next VM starts. Then,
    sized from the free memory that refusal named: a VM that would fit in the free memory but
    not beside the host's reserve is refused, one that leaves the reserve starts, and so does
    one after them; a VM with more vCPUs than the cap is refused."""
    run = boot(modules=[Module(GUESTS / "hello16.bin", "guest glutton mem=8G"),
                        Module(GUESTS / "hello16.bin", "guest modest mem=2M")],
               **cpu_option(request))
    refused = re.findall(REFUSAL, run.host_text)
    assert [r[:2] for r in refused] == [("glutton", "8192")], refused
    free, at_most = int(refused[0][2]), int(refused[0][3])
    assert at_most == free - RESERVE_MIB
    run.expect(r"vm2 modest: exited with code 0")
    run.expect_clean_shutdown()

    greedy, fits = (free - 16) // 2 * 2, (free - RESERVE_MIB - 32) // 2 * 2
    run = boot(modules=[Module(GUESTS / "hello16.bin", f"guest greedy mem={greedy}M"),
                        Module(GUESTS / "hello16.bin", f"guest fits mem={fits}M"),
                        Module(GUESTS / "hello16.bin", "guest crowd mem=2M vcpus=17"),
                        Module(GUESTS / "hello16.bin", "guest modest mem=2M")],
               **cpu_option(request))
    refused = re.findall(REFUSAL, run.host_text)
    assert [r[:2] for r in refused] == [("greedy", str(greedy))], refused
    # Without the reserve it would have fitted.
    assert greedy <= int(refused[0][2]) < greedy + RESERVE_MIB
    run.expect(r"module 'guest crowd mem=2M vcpus=17': bad value in 'vcpus=17' "
               r"\(expected a number 1 to 16\); no VM created")
    run.expect(r"vm\d fits: exited with code 0")
    run.expect(r"vm\d modest: exited with code 0")
    run.expect_clean_shutdown()


def test_guest_that_halts_with_interrupts_off_sleeps_until_stopped(boot, request, tmp_path):
    image = tmp_path / "halter.bin"
    image.write_bytes(bytes([0xB0, ord("H"), 0xE6, 0xE9,    # mov al, 'H'; out 0xe9, al
                             0xB0, 0x0A, 0xE6, 0xE9,         # mov al, 10; out 0xe9, al
                             0xFA, 0xF4,                     # cli; hlt
                             0xEB, 0xFC]))                   # jmp (back to) cli
    run = boot(modules=[Module(image, "guest halter mem=2M timeout=2s")], **cpu_option(request))
    run.expect_guest("halter", r"^H$")
    run.expect(r"vm1 halter: vCPU 0 halted with interrupts off: only an NMI can wake it")
    run.expect(r"vm1 halter: stopped: ran out of time \(timeout=2000ms\)")
    # Asleep it cost no CPU: it exited once for its HLT and never ran again.
    run.expect(r"vm1 halter: \d+ exits \([^)]*HLT 1\b")
    assert len(re.findall(r"halted with interrupts off", run.host_text)) == 1
    run.expect_clean_shutdown()


def expect_gigabyte_hello(run, pages):
    run.expect(rf"vm1 hello64: 64-bit ELF, 1024 MiB of RAM \([NE]PT: \d+ tables, {pages} pages\)")
    run.expect_guest("hello64", r"Hello from 64-bit C! I am 'hello64' \(VM 1\) with 1024 MiB")
    run.expect(r"vm1 hello64: exited with code 0")
    run.expect_clean_shutdown()


def test_gigabyte_vm_uses_1g_pages(boot, request):
    # Both need a free 1 GiB-aligned gigabyte of RAM: QEMU with 3 GiB has 1-2 GiB; Bochs puts its
    # ACPI tables at the top of RAM below 4 GiB, so there it is the gigabyte above 4 GiB.
    if emulator_of(request) == "qemu":
        machine = {"smp": 2, "mem": "3G", "cpu": "qemu64,+svm,+npt,+pdpe1gb"}
    else:
        machine = {"cpus": 2, "megs": 5120}
    run = boot(modules=[module("hello64", 1, "mem=1G")], **machine)
    expect_gigabyte_hello(run, r"1 x 1G and 0 x 2M")


def test_gigabyte_vm_without_1g_pages_uses_2m_pages(qemu):
    run = qemu(modules=[module("hello64", 1, "mem=1G")], smp=2, mem="3G",
               cpu="qemu64,+svm,+npt,-pdpe1gb")
    expect_gigabyte_hello(run, r"0 x 1G and 512 x 2M")


def test_long_module_lines_are_taken_whole(qemu):
    """Options far past GRUB's first 160 bytes still count, and the guest gets its arguments
    whole (they used to be cut at 159 bytes, silently)."""
    args = "".join(f"w{i:02d}-" for i in range(30))  # 120 bytes
    line = "guest longline " + "mem=4M " * 30 + f"cpu=1 -- {args}"
    assert len(line) > 300
    run = qemu(modules=[Module(GUESTS / "hello64.elf", line)], smp=2)
    run.expect(r"vm1 longline: running on CPU 1")
    run.expect_guest("longline", rf"^my arguments: {args}$")
    run.expect(r"vm1 longline: exited with code 0")
    run.expect_clean_shutdown()


def test_too_long_guest_arguments_are_refused(qemu):
    line = "guest chatty mem=4M -- " + "x" * 200
    run = qemu(modules=[Module(GUESTS / "hello64.elf", line),
                        Module(GUESTS / "hello16.bin", "guest fine mem=2M")], smp=2)
    run.expect(r"ERROR: module 'guest chatty mem=4M -- x+\.\.\.': guest arguments longer than "
               r"127 bytes; no VM created")
    run.expect(r"vm\d fine: exited with code 0")
    run.expect_clean_shutdown()


def test_more_modules_than_vireo_takes_are_counted(qemu, tmp_path):
    filler = tmp_path / "filler.bin"
    filler.write_bytes(b"\0" * 16)
    mods = [Module(filler, f"filler {i}") for i in range(70)]
    run = qemu(modules=[Module(GUESTS / "hello16.bin", "guest first mem=2M")] + mods, timeout=90)
    run.expect(r"ERROR: modules: 71 given, Vireo takes at most 64: the last 7 are ignored")
    run.expect(r"vm1 first: exited with code 0")
    run.expect_clean_shutdown()
