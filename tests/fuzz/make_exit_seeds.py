#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Write the seeds of tests/fuzz/corpus/svm_exit and corpus/vmx_exit: common exits as the
CPU reports them. Run it from anywhere after changing it, and commit what it writes.

svm_exit's input is a flags byte (bit 0 NRIP-save, bit 1 decode assists), then the VMCB from
offset 0 (arch/x86/svm/vmcb.h); vmx_exit's is struct vmx_exit_info (arch/x86/vmx/vmx_exit.h).
"""
import os
import struct

SVM_NRIP_SAVE, SVM_DECODE_ASSISTS = 1, 2
VMCB_EXIT_CODE = 0x070  # exit_code, exit_info1, exit_info2, exit_int_info follow, u64 each
VMCB_NEXT_RIP = 0x0C8   # then insn_bytes_fetched and insn_bytes[15]


def svm(flags, code, info1=0, info2=0, int_info=0, next_rip=0, insn=b""):
    vmcb = bytearray(0xE0)
    struct.pack_into("<QQQQ", vmcb, VMCB_EXIT_CODE, code, info1, info2, int_info)
    struct.pack_into("<QB15s", vmcb, VMCB_NEXT_RIP, next_rip, len(insn), insn)
    return bytes([flags]) + bytes(vmcb)


def vmx(reason, qualification=0, insn_len=0, interruption_info=0, gpa=0, idt_vectoring=0):
    return struct.pack("<I4xQIII4xQQIII4x", reason, qualification, insn_len, interruption_info,
                       0, gpa, 0, idt_vectoring, 0, 0)


SVM_SEEDS = {
    # OUT DX, AL to port 0x3f8; EXITINFO2 is the next RIP (RIP is 0).
    "ioio-out-byte": svm(SVM_NRIP_SAVE, 0x7B, info1=(0x3F8 << 16) | (1 << 4), info2=1),
    "cpuid-nrip": svm(SVM_NRIP_SAVE, 0x72, next_rip=2),
    # A write to unmapped guest-physical memory, the instruction fetched (MOV [RAX], EAX).
    "npf-write-assisted": svm(SVM_NRIP_SAVE | SVM_DECODE_ASSISTS, 0x400, info1=0x7,
                              info2=0xFEE00000, insn=b"\x89\x00"),
    # MOV CR0, RAX with decode assists, during the delivery of #GP (EXITINTINFO valid).
    "cr0-write-vectoring": svm(SVM_DECODE_ASSISTS, 0x10, info1=1 << 63,
                               int_info=(1 << 31) | (1 << 11) | (3 << 8) | 13),
}

VMX_SEEDS = {
    "io-out-byte": vmx(30, qualification=0x3F8 << 16, insn_len=1),
    "cpuid": vmx(10, insn_len=2),
    "ept-violation-write": vmx(48, qualification=0x2 | (1 << 7), gpa=0xFEE00000),
    "cr-access-mov-to-cr4": vmx(28, qualification=4 | (3 << 8), insn_len=3),
    "vmcall-during-nmi": vmx(18, insn_len=3, idt_vectoring=(1 << 31) | (2 << 8) | 2),
}


def main():
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")
    for harness, seeds in (("svm_exit", SVM_SEEDS), ("vmx_exit", VMX_SEEDS)):
        os.makedirs(os.path.join(root, harness), exist_ok=True)
        for name, data in seeds.items():
            with open(os.path.join(root, harness, name), "wb") as f:
                f.write(data)


if __name__ == "__main__":
    main()
