#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Write the seeds of tests/fuzz/corpus/{vuart,vi8042,vrtc,vpit,pc_ports,vm_console}: what a
guest's driver does with each device, as the steps of fuzz_NAME.c. Commit what it writes."""
import struct

from seed_writer import write_seeds

# fuzz_vuart.c: (what, register, value).
U_WRITE, U_READ, U_RECEIVE = range(3)
THR, IER, FCR, LCR, MCR, LSR, MSR, SCR = range(8)
UART_SETUP = [(U_WRITE, LCR, 0x80), (U_WRITE, THR, 0x01), (U_WRITE, IER, 0x00),
              (U_WRITE, LCR, 0x03), (U_WRITE, FCR, 0xc7), (U_WRITE, MCR, 0x0b)]

# fuzz_vi8042.c: (what, value).
K_DATA, K_COMMAND, K_READ, K_STATUS, K_TYPE = range(5)

# fuzz_vrtc.c: a 4-byte epoch, then (what, argument, value).
R_INDEX, R_WRITE, R_READ, R_TIME, R_TIMER = range(5)
# 2024-02-29 13:45:56 UTC.
EPOCH = struct.pack("<I", 1709214356)

# fuzz_vpit.c: (what, port index or time scale, value).
P_WRITE, P_READ, P_B_WRITE, P_B_READ, P_TIME, P_TIMER = range(6)

# fuzz_pc_ports.c: (kind, port offset, size, 32-bit value, time scale).
(PCI_ADDRESS_WRITE, PCI_ADDRESS_READ, PCI_DATA_WRITE, PCI_DATA_READ, PM_WRITE, PM_READ, TIME,
 VGA_WRITE, VGA_READ, RESET_WRITE, RESET_READ, VGA_RENDER) = range(12)
RESET_CONTROL, RESET_PORT_A = 0, 1  # the offsets of 0xcf9 and 0x92
VGA_CRTC_INDEX, VGA_STATUS = 1, 3  # the offsets of 0x3d4 and 0x3da
SLP_TYP_S5, SLP_EN = 5 << 10, 1 << 13

# fuzz_vm_console.c: a colour byte (bit 7: colours on; the VM's colour), then (what, value).
C_BYTE, C_FLUSH, C_TIME = 0, 2, 3
CYAN_ON = 0x80 | 7


def typed(text):
    return [(C_BYTE, c) for c in text]


def port(kind, offset=0, size=1, value=0, scale=0):
    return (kind, offset, {1: 0, 2: 1, 4: 2}[size], *struct.pack("<I", value), scale)


def screen_row(text):
    """A row of VGA cells, grey on black, with a control character after the text."""
    cells = bytes(b for c in text.encode() for b in (c, 0x07)) + b"\x01\x07"
    return cells + b" \x07" * (80 - len(cells) // 2)


def rtc_write(index, value):
    return [(R_INDEX, 0, index), (R_WRITE, 0, value)]


def rtc_read(index):
    return [(R_INDEX, 0, index), (R_READ, 0, 0)]


def second():
    """About a second: 0xee << 22 ns."""
    return (R_TIME, 22, 0xee)


SEEDS = {
    "vuart": {
        # Transmit a line with the THR-empty interrupt on, and take the interrupt.
        "transmit": UART_SETUP + [(U_WRITE, IER, 0x02), (U_READ, FCR, 0)] +
                    [(U_WRITE, THR, c) for c in b"hello\n"] + [(U_READ, FCR, 0)],
        # Receive past the trigger level, then read the FIFO out.
        "receive": UART_SETUP + [(U_WRITE, IER, 0x01)] + [(U_RECEIVE, 0, c) for c in b"x" * 17] +
                   [(U_READ, LSR, 0), (U_READ, FCR, 0)] + [(U_READ, THR, 0)] * 17,
        # Loopback with overrun, modem status deltas and the line status interrupt.
        "loopback": UART_SETUP + [(U_WRITE, IER, 0x0d), (U_WRITE, MCR, 0x1f)] +
                    [(U_WRITE, THR, c) for c in range(18)] +
                    [(U_READ, LSR, 0), (U_READ, MSR, 0), (U_WRITE, MCR, 0x08), (U_READ, MSR, 0)],
    },
    "vi8042": {
        # The controller self-test and the config byte, as a BIOS does.
        "controller-init": [(K_COMMAND, 0xaa), (K_READ, 0), (K_COMMAND, 0x20), (K_READ, 0),
                            (K_COMMAND, 0x60), (K_DATA, 0x47), (K_COMMAND, 0xab), (K_READ, 0)],
        # Keyboard reset and identify, then typing with translation off in set 2.
        "keyboard-set2": [(K_DATA, 0xff), (K_READ, 0), (K_READ, 0), (K_DATA, 0xf2), (K_READ, 0),
                          (K_READ, 0), (K_READ, 0), (K_COMMAND, 0x60), (K_DATA, 0x07),
                          (K_DATA, 0xf0), (K_DATA, 0x02), (K_READ, 0)] +
                         [(K_TYPE, c) for c in b"Hi!\r"] + [(K_STATUS, 0), (K_READ, 0)] * 16,
        # Typing in set 1, the LEDs, and a reset through the output port.
        "type-and-reset": [(K_TYPE, c) for c in b"ls -l\n"] + [(K_READ, 0)] * 8 +
                          [(K_DATA, 0xed), (K_DATA, 0x07), (K_READ, 0), (K_COMMAND, 0xd0),
                           (K_READ, 0), (K_COMMAND, 0xd1), (K_DATA, 0x02)],
    },
    "vrtc": {
        # Read the time in BCD, switch to binary 12-hour, read it again a second later.
        "read-time": [second(), (R_TIMER, 0, 0)] + rtc_read(0) + rtc_read(4) +
                     rtc_write(0x0b, 0x06) + [second(), (R_TIMER, 0, 0)] + rtc_read(4),
        # The periodic interrupt at 1024 Hz and register C.
        "periodic": rtc_write(0x0b, 0x42) + [(R_TIME, 10, 1), (R_TIMER, 0, 0)] + rtc_read(0x0c) +
                    [(R_TIME, 20, 1), (R_TIMER, 0, 0)] + rtc_read(0x0c),
        # Set the time under SET, an alarm with don't-care hours, update-ended interrupts.
        "set-and-alarm": rtc_write(0x0b, 0x82) + rtc_write(0, 0x30) + rtc_write(2, 0x59) +
                         rtc_write(4, 0x23) + rtc_write(0x0b, 0x32) + rtc_write(1, 0x31) +
                         rtc_write(3, 0x59) + rtc_write(5, 0xc0) +
                         [second(), (R_TIMER, 0, 0)] + rtc_read(0x0c) +
                         [second(), (R_TIMER, 0, 0)] + rtc_read(0x0c),
    },
    "vpit": {
        # Channel 0 in mode 2 at 100 Hz (11932), a few ticks, then a latched read.
        "rate-generator": [(P_WRITE, 3, 0x34), (P_WRITE, 0, 0x9c), (P_WRITE, 0, 0x2e),
                           (P_TIME, 24, 1), (P_TIMER, 0, 0), (P_TIME, 24, 3), (P_TIMER, 0, 0),
                           (P_WRITE, 3, 0x00), (P_READ, 0, 0), (P_READ, 0, 0)],
        # Channel 2 as a one-shot on port 0x61's gate, polled through OUT2 (the TSC calibration).
        "calibrate": [(P_B_WRITE, 0, 0x00), (P_WRITE, 3, 0xb0), (P_WRITE, 2, 0xff),
                      (P_WRITE, 2, 0xff), (P_B_WRITE, 0, 0x01), (P_B_READ, 0, 0),
                      (P_TIME, 26, 1), (P_B_READ, 0, 0), (P_WRITE, 3, 0xe8), (P_READ, 2, 0),
                      (P_READ, 2, 0), (P_READ, 2, 0)],
        # A square wave in BCD on channel 1, and a read-back of all three channels' status.
        "bcd-square-wave": [(P_WRITE, 3, 0x77), (P_WRITE, 1, 0x00), (P_WRITE, 1, 0x50),
                            (P_TIME, 16, 7), (P_READ, 1, 0), (P_READ, 1, 0), (P_WRITE, 3, 0xce),
                            (P_READ, 0, 0), (P_READ, 1, 0), (P_READ, 2, 0)],
    },
    "pc_ports": {
        # Find the host bridge, turn on its command bits, look for a device at 00:01.0.
        "pci-probe": [port(PCI_ADDRESS_WRITE, size=4, value=0x80000000),
                      port(PCI_DATA_READ, size=4), port(PCI_DATA_READ, 2, size=2),
                      port(PCI_ADDRESS_WRITE, size=4, value=0x80000004),
                      port(PCI_DATA_WRITE, size=2, value=0x0007), port(PCI_DATA_READ, size=4),
                      port(PCI_ADDRESS_WRITE, size=4, value=0x80000808),
                      port(PCI_DATA_READ, size=4), port(PCI_ADDRESS_READ, size=4),
                      port(PCI_ADDRESS_READ, size=1)],
        # Calibrate against the PM timer, enable the power button, power off to S5.
        "pm-timer-poweroff": [port(PM_READ, 8, size=4), port(TIME, value=0xee, scale=22),
                              port(PM_READ, 8, size=4), port(PM_WRITE, 2, size=2, value=0x0120),
                              port(PM_READ, 0, size=4), port(PM_READ, 4, size=2),
                              port(PM_WRITE, 4, size=2, value=SLP_TYP_S5 | SLP_EN | 1),
                              port(PM_READ, 4, size=2)],
        # Move the cursor with 16-bit OUTs to 0x3d4, read it back, wait for retrace, render.
        "vga-cursor": [port(VGA_WRITE, VGA_CRTC_INDEX, size=2, value=0x010e),
                       port(VGA_WRITE, VGA_CRTC_INDEX, size=2, value=0x500f),
                       port(VGA_WRITE, VGA_CRTC_INDEX, value=0x0e),
                       port(VGA_READ, VGA_CRTC_INDEX, size=2), port(VGA_READ, VGA_STATUS),
                       port(VGA_READ, VGA_STATUS), port(VGA_WRITE, 0, value=0x10),
                       port(VGA_WRITE, 0, value=0x01), port(VGA_RENDER), screen_row("Vireo")],
        # The A20 gate through port A, then the resets a kernel tries: 0xCF9 and fast reset.
        "resets": [port(RESET_READ, RESET_PORT_A), port(RESET_WRITE, RESET_PORT_A, value=0x02),
                   port(RESET_READ, RESET_PORT_A), port(RESET_WRITE, RESET_CONTROL, value=0x02),
                   port(RESET_WRITE, RESET_CONTROL, value=0x06), port(RESET_READ, RESET_CONTROL),
                   port(RESET_WRITE, RESET_PORT_A, value=0x03), port(RESET_READ, RESET_PORT_A)],
    },
    "vm_console": {
        "lines": typed(b"hello\n") + typed(b"second line\r\n"),
        # A prompt shown before its line ends, then the echo and the end.
        "prompt-and-echo": typed(b"login: ") + [(C_FLUSH, 0)] + typed(b"root") +
                           [(C_FLUSH, 0)] + typed(b"\n"),
        # Terminal escapes, a bell, NUL and 0xff, then a line longer than the console's.
        "escapes-and-long-line": typed(b"\x1b[2J\x07\x00\xff\n") + typed(b"x" * 200 + b"\n"),
        # Past the burst, a second's refill, then one more line and the stop mid-line.
        "flood": typed(b"a\n" * 410) + [(C_TIME, 0xff)] + typed(b"after\nunfinished"),
    },
}


def main():
    for device, seeds in SEEDS.items():
        # fuzz_vrtc.c's input starts with the epoch, fuzz_vm_console.c's with the colour.
        prefix = {"vrtc": EPOCH, "vm_console": bytes([CYAN_ON])}.get(device, b"")
        write_seeds(device, {name: prefix + bytes(b for s in steps for b in s)
                             for name, steps in seeds.items()})


if __name__ == "__main__":
    main()
