# SPDX-License-Identifier: MIT
# Vireo: build the hypervisor and its guests, make the ISO, run it, test it.
#
#   make run        build and boot the ISO in QEMU (AMD-V path), serial on this terminal
#   make run-bochs  the same under Bochs (VT-x path)
#   make run-linux  Debian's Linux kernel to a busybox shell in a Vireo VM (QEMU)
#   make debug      QEMU stopped at the first instruction, gdb attached with symbols
#   make test       unit tests, then the integration tests under QEMU and Bochs
#   make bench      the instruction count of single VM exits on both backends
#   make fuzz       the libFuzzer harnesses, FUZZ_SECONDS (60) each (docs/FUZZING.md)
#   make deps       install the Debian packages everything needs (as root)

BUILD := build
ISO := $(BUILD)/vireo.iso
KERNEL := $(BUILD)/vireo.elf

CC := gcc
LD := ld
NASM := nasm
PYTHON := /usr/bin/python3
QEMU := qemu-system-x86_64

SMP ?= 4
MEM ?= 512M
QEMU_FLAGS := -boot d -cdrom $(ISO) -cpu qemu64,+svm,+npt -smp $(SMP) -m $(MEM) \
	-display none -no-reboot
# Bochs takes RAM in MiB, and keeps at most 2048 of them in host memory.
BOCHS_MEGS := $(if $(filter %G,$(MEM)),$(shell echo $$(( $(MEM:G=) * 1024 ))),$(MEM:M=))
BOCHS_HOST_MEGS := $(shell echo $$(( $(BOCHS_MEGS) < 2048 ? $(BOCHS_MEGS) : 2048 )))

DEB_PACKAGES := build-essential nasm grub-common grub-pc-bin grub-efi-amd64-bin xorriso \
	mtools qemu-system-x86 ovmf bochs bochsbios vgabios bochs-sdl gdb python3-pytest \
	python3-pytest-xdist libcmocka-dev clang

# The targets that need the packages check for them before anything runs: as root the missing
# ones are installed (ensure-deps), otherwise make stops with one line that names them.
ifneq ($(filter run run-linux run-bochs debug test bench ensure-deps,$(MAKECMDGOALS)),)
MISSING_PACKAGES := $(strip $(shell for p in $(DEB_PACKAGES); do \
	dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done))
ifneq ($(MISSING_PACKAGES),)
ifneq ($(shell id -u),0)
$(error Missing Debian packages; as root run: apt-get install -y $(MISSING_PACKAGES))
endif
endif
endif

GIT_REVISION := $(shell git describe --always --dirty 2>/dev/null || echo unknown)

WARNINGS := -Wall -Wextra -Werror -Wmissing-prototypes -Wstrict-prototypes -Wshadow -Wundef
KERNEL_CFLAGS := -std=gnu11 -O2 -g $(WARNINGS) -I. -ffreestanding -fno-pic -fno-pie \
	-mcmodel=kernel -mno-red-zone -mgeneral-regs-only -fno-stack-protector \
	-fno-omit-frame-pointer -fno-asynchronous-unwind-tables -MMD -MP
NASM_FLAGS := -f elf64 -g -F dwarf -w+all -I./
LDFLAGS := -nostdlib -z max-page-size=0x1000 -z noexecstack --no-warn-rwx-segments -T linker.ld

KERNEL_C_SRCS := $(wildcard kernel/*.c arch/x86/*.c arch/x86/svm/*.c arch/x86/vmx/*.c \
	drivers/*.c vmm/*.c vmm/dev/*.c)
KERNEL_ASM_SRCS := $(wildcard boot/*.asm arch/x86/*.asm arch/x86/svm/*.asm arch/x86/vmx/*.asm)
KERNEL_OBJS := $(KERNEL_C_SRCS:%.c=$(BUILD)/kernel/%.o) $(KERNEL_ASM_SRCS:%.asm=$(BUILD)/kernel/%.o)

.PHONY: all guests tools iso linux run run-linux run-bochs debug test unit-test integration-test bench deps \
	fuzz fuzz-regress \
	deps-list ensure-deps clean FORCE $(LABS:%=lab-%)
.DELETE_ON_ERROR:
.SECONDARY:
.SECONDEXPANSION:

all: $(KERNEL) guests tools

# --- the kernel ------------------------------------------------------------------------------

# Objects depend on the Makefile too: changing a flag rebuilds everything.
$(BUILD)/kernel/%.o: %.c Makefile
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(KERNEL_CFLAGS) -c $< -o $@

$(BUILD)/kernel/%.o: %.asm Makefile
	@mkdir -p $(dir $@)
	@echo "  NASM    $<"
	@$(NASM) $(NASM_FLAGS) -MD $(@:.o=.d) $< -o $@

# The banner names the revision: kernel/main.c is rebuilt whenever it changes.
$(BUILD)/git-revision: FORCE
	@mkdir -p $(BUILD)
	@echo '$(GIT_REVISION)' | cmp -s - $@ || echo '$(GIT_REVISION)' > $@

$(BUILD)/kernel/kernel/main.o: $(BUILD)/git-revision
$(BUILD)/kernel/kernel/main.o: KERNEL_CFLAGS += -DVIREO_GIT_REVISION='"$(GIT_REVISION)"'

# Two links: the first has an empty symbol table, the second the table made from the first.
# The table lies after code and data (linker.ld), so code addresses agree between the two;
# the check below proves it on every build.
$(BUILD)/ksyms-%.c: $(BUILD)/vireo-%.nm kernel/ksyms.awk
	awk -f kernel/ksyms.awk $< > $@

$(BUILD)/vireo-empty.nm:
	@mkdir -p $(BUILD)
	: > $@

$(BUILD)/ksyms-%.o: $(BUILD)/ksyms-%.c
	$(CC) $(KERNEL_CFLAGS) -c $< -o $@

$(BUILD)/vireo-pass1.elf: $(KERNEL_OBJS) $(BUILD)/ksyms-empty.o linker.ld
	$(LD) $(LDFLAGS) -o $@ $(KERNEL_OBJS) $(BUILD)/ksyms-empty.o

$(BUILD)/vireo-pass1.nm: $(BUILD)/vireo-pass1.elf
	nm -n $< > $@

$(KERNEL): $(KERNEL_OBJS) $(BUILD)/ksyms-pass1.o linker.ld
	$(LD) $(LDFLAGS) -o $@ $(KERNEL_OBJS) $(BUILD)/ksyms-pass1.o
	@nm -n $@ | awk '$$2 ~ /^[Tt]$$/' > $(BUILD)/vireo-final.text.nm
	@awk '$$2 ~ /^[Tt]$$/' $(BUILD)/vireo-pass1.nm | cmp -s - $(BUILD)/vireo-final.text.nm || \
		{ echo "ksyms: code moved between the two links"; rm -f $@; exit 1; }

# --- guests ----------------------------------------------------------------------------------
# Guests are freestanding programs of their own; C guests share guests/lib and the kernel's
# formatter. 64-bit ones are ELF64, 32-bit ones ELF32, real-mode ones flat binaries.

GUEST_DIR := $(BUILD)/guests
GUEST_CFLAGS := -std=gnu11 -O2 -g $(WARNINGS) -I. -ffreestanding -fno-pic -fno-pie \
	-fno-stack-protector -mgeneral-regs-only -fno-asynchronous-unwind-tables -MMD -MP
GUEST_LINK_FLAGS := -nostdlib -z noexecstack -z max-page-size=0x1000 --no-warn-rwx-segments
GUEST_LDFLAGS := $(GUEST_LINK_FLAGS) -T guests/lib/guest.ld
GUEST_LIB64 := $(GUEST_DIR)/64/start64.o $(GUEST_DIR)/64/guests/lib/guest.o \
	$(GUEST_DIR)/64/guests/lib/printf.o $(GUEST_DIR)/64/guests/lib/idt.o \
	$(GUEST_DIR)/64/guests/lib/legacy_timer.o \
	$(GUEST_DIR)/64/kernel/format.o
GUEST_LIB32 := $(GUEST_DIR)/32/start32.o $(GUEST_DIR)/32/guests/lib/guest.o
GUESTS32 := $(GUEST_DIR)/hello32.elf $(GUEST_DIR)/paging32.elf $(GUEST_DIR)/hostile32.elf
GUESTS32 += $(GUEST_DIR)/lapicsmp.elf
GUESTS32 += $(GUEST_DIR)/fwscan.elf
GUESTS := $(GUEST_DIR)/hello16.bin $(GUEST_DIR)/minikvm16.bin $(GUEST_DIR)/counter16.bin \
	$(GUEST_DIR)/multiply16.bin $(GUEST_DIR)/sleeper.bin \
	$(GUESTS32) $(GUEST_DIR)/hello64.elf $(GUEST_DIR)/hostile.elf $(GUEST_DIR)/ticker.elf \
	$(GUEST_DIR)/migrant.elf $(GUEST_DIR)/exits.elf $(GUEST_DIR)/memmap.elf $(GUEST_DIR)/echo.elf \
	$(GUEST_DIR)/hypercalls.elf $(GUEST_DIR)/stringio.elf $(GUEST_DIR)/bench.elf \
	$(GUEST_DIR)/pascal.elf $(GUEST_DIR)/hash.elf $(GUEST_DIR)/mb1hello.elf \
	$(GUEST_DIR)/mb1kludge.bin $(GUEST_DIR)/tinyos.elf $(GUEST_DIR)/pctimer.elf \
	$(GUEST_DIR)/ticket.elf $(GUEST_DIR)/gdbspin.elf
GUESTS += $(GUEST_DIR)/pcmmio.elf
GUESTS += $(GUEST_DIR)/tpr.elf $(GUEST_DIR)/haltwake.elf
GUESTS += $(GUEST_DIR)/gdbspin32.elf
GUESTS += $(GUEST_DIR)/gdbspin16.bin $(GUEST_DIR)/gdbspin16.elf

guests: $(GUESTS)

$(GUEST_DIR)/64/%.o: %.c Makefile
	@mkdir -p $(dir $@)
	@echo "  CC64    $<"
	@$(CC) $(GUEST_CFLAGS) -m64 -mno-red-zone -c $< -o $@

$(GUEST_DIR)/32/%.o: %.c Makefile
	@mkdir -p $(dir $@)
	@echo "  CC32    $<"
	@$(CC) $(GUEST_CFLAGS) -m32 -c $< -o $@

$(GUEST_DIR)/64/start64.o: guests/lib/start64.asm
	@mkdir -p $(dir $@)
	$(NASM) -f elf64 -g -F dwarf $< -o $@

$(GUEST_DIR)/32/start32.o: guests/lib/start32.asm
	@mkdir -p $(dir $@)
	$(NASM) -f elf32 -g -F dwarf $< -o $@

$(GUEST_DIR)/%.elf: $$(GUEST_DIR)/64/guests/$$*/$$*.o $(GUEST_LIB64) guests/lib/guest.ld
	$(LD) -m elf_x86_64 $(GUEST_LDFLAGS) -o $@ $< $(GUEST_LIB64)

$(GUESTS32): $(GUEST_DIR)/%.elf: $$(GUEST_DIR)/32/guests/$$*/$$*.o $(GUEST_LIB32) guests/lib/guest.ld
	$(LD) -m elf_i386 $(GUEST_LDFLAGS) -o $@ $(filter %.o,$^)

# The guests that find their machine in its firmware data, as an OS does.
$(GUEST_DIR)/lapicsmp.elf $(GUEST_DIR)/fwscan.elf: $(GUEST_DIR)/32/guests/lib/pc_firmware.o

# The Multiboot1 kernel twice, from one source: as an ELF, and as a flat binary whose header
# carries the address fields (its entry assembled with ADDRESS_FIELDS).
MB1_OBJS := $(GUEST_DIR)/32/guests/mb1hello/mb1hello.o $(GUEST_DIR)/32/guests/lib/guest.o

$(GUEST_DIR)/32/mb1hello-entry.o $(GUEST_DIR)/32/mb1kludge-entry.o: guests/mb1hello/entry.asm
	@mkdir -p $(dir $@)
	$(NASM) -f elf32 -g -F dwarf $(if $(findstring kludge,$@),-DADDRESS_FIELDS) $< -o $@

$(GUEST_DIR)/mb1hello.elf $(GUEST_DIR)/mb1kludge.elf: $(GUEST_DIR)/%.elf: \
		$(GUEST_DIR)/32/%-entry.o $(MB1_OBJS) guests/mb1hello/mb1hello.ld
	$(LD) -m elf_i386 $(GUEST_LINK_FLAGS) -T guests/mb1hello/mb1hello.ld -o $@ $< $(MB1_OBJS)

$(GUEST_DIR)/mb1kludge.bin: $(GUEST_DIR)/mb1kludge.elf
	objcopy -O binary $< $@

# tinyos is a Multiboot1 kernel of many files with an entry and a linker script of its own; it
# takes the kernel's formatter and the guest library's hypercalls, not start32.asm.
TINYOS_OBJS := $(patsubst %.asm,$(GUEST_DIR)/32/%.o,$(wildcard guests/tinyos/*.asm)) \
	$(patsubst %.c,$(GUEST_DIR)/32/%.o,$(wildcard guests/tinyos/*.c)) \
	$(GUEST_DIR)/32/kernel/format.o $(GUEST_DIR)/32/guests/lib/guest.o

$(GUEST_DIR)/32/guests/tinyos/%.o: guests/tinyos/%.asm Makefile
	@mkdir -p $(dir $@)
	$(NASM) -f elf32 -g -F dwarf -w+all $< -o $@

$(GUEST_DIR)/tinyos.elf: $(TINYOS_OBJS) guests/tinyos/tinyos.ld
	$(LD) -m elf_i386 -nostdlib -z noexecstack -z max-page-size=0x1000 --no-warn-rwx-segments \
		-T guests/tinyos/tinyos.ld -o $@ $(TINYOS_OBJS)

$(GUEST_DIR)/%.bin: guests/$$*/$$*.asm guests/lib/real16.inc guests/lib/real16_start.inc
	@mkdir -p $(dir $@)
	$(NASM) -f bin $< -o $@

# gdbspin's 32-bit build: the same C, with the guest library's printf (and tinyos's 64-bit
# division, which the formatter needs on i386).
GDBSPIN32_OBJS := $(GUEST_DIR)/32/guests/gdbspin/gdbspin.o $(GUEST_LIB32) \
	$(GUEST_DIR)/32/guests/lib/printf.o $(GUEST_DIR)/32/kernel/format.o \
	$(GUEST_DIR)/32/guests/tinyos/div64.o
$(GUEST_DIR)/gdbspin32.elf: $(GDBSPIN32_OBJS) guests/lib/guest.ld
	$(LD) -m elf_i386 $(GUEST_LDFLAGS) -o $@ $(GDBSPIN32_OBJS)

# gdbspin16: an ELF at 0x7C00 for gdb's symbols, and the flat binary Vireo loads from it.
$(GUEST_DIR)/32/gdbspin16.o: guests/gdbspin16/gdbspin16.asm guests/lib/real16.inc guests/lib/real16_start.inc
	@mkdir -p $(dir $@)
	$(NASM) -f elf32 -g -F dwarf $< -o $@
$(GUEST_DIR)/gdbspin16.elf: $(GUEST_DIR)/32/gdbspin16.o
	$(LD) -m elf_i386 $(GUEST_LINK_FLAGS) -Ttext=0x7c00 -e start -o $@ $<
$(GUEST_DIR)/gdbspin16.bin: $(GUEST_DIR)/gdbspin16.elf
	objcopy -O binary $< $@

# --- the ISO ---------------------------------------------------------------------------------

iso: $(ISO)

$(ISO): $(KERNEL) $(GUESTS) iso/grub.cfg iso/vms.toml
	@rm -rf $(BUILD)/iso && mkdir -p $(BUILD)/iso/boot/grub $(BUILD)/iso/boot/guests
	cp $(KERNEL) $(BUILD)/iso/boot/vireo.elf
	cp $(GUESTS) $(BUILD)/iso/boot/guests/
	cp iso/grub.cfg $(BUILD)/iso/boot/grub/grub.cfg
	cp iso/vms.toml $(BUILD)/iso/boot/vms.toml
	grub-mkrescue -o $@ $(BUILD)/iso 2> $(BUILD)/grub-mkrescue.log || \
		{ cat $(BUILD)/grub-mkrescue.log; exit 1; }

# --- the Linux guest (docs/LINUX.md) ----------------------------------------------------------
# Debian's kernel and busybox, downloaded as packages and unpacked under build/, never installed.

LINUX_DIR := $(BUILD)/linux
LINUX_KERNEL := $(LINUX_DIR)/vmlinuz
LINUX_INITRAMFS := $(LINUX_DIR)/initramfs.cpio
LINUX_ISO := $(BUILD)/vireo-linux.iso

# apt-get download <package> $(LINUX_DIR)/NAME: unpack the package's files into it.
define fetch_deb
	@rm -rf $(LINUX_DIR)/$(2) && mkdir -p $(LINUX_DIR)/$(2)/deb
	cd $(LINUX_DIR)/$(2)/deb && apt-get download $(1) 2> apt.log || { cat apt.log; exit 1; }
	dpkg-deb -x $(LINUX_DIR)/$(2)/deb/*.deb $(LINUX_DIR)/$(2)
endef

# linux-image-amd64 is a metapackage: the kernel is in the package it depends on.
$(LINUX_KERNEL):
	$(call fetch_deb,$$(apt-cache depends linux-image-amd64 | \
		awk '/Depends: linux-image-/ { print $$2; exit }'),kernel)
	cp $(LINUX_DIR)/kernel/boot/vmlinuz-* $@

$(LINUX_DIR)/busybox/bin/busybox:
	$(call fetch_deb,busybox-static,busybox)

# A static program of no library: no C library needs to be installed for it.
$(LINUX_DIR)/rdtsc: guests/linux/rdtsc.c
	@mkdir -p $(dir $@)
	$(CC) -O2 $(WARNINGS) -static -nostdlib -fno-pie -no-pie -fno-stack-protector -o $@ $<

$(LINUX_INITRAMFS): $(LINUX_DIR)/busybox/bin/busybox guests/linux/init $(LINUX_DIR)/rdtsc \
		tools/mkinitramfs.py
	$(PYTHON) tools/mkinitramfs.py $@ $(LINUX_DIR)/busybox/bin/busybox guests/linux/init \
		$(LINUX_DIR)/rdtsc

linux: $(LINUX_KERNEL) $(LINUX_INITRAMFS)

$(LINUX_ISO): $(KERNEL) $(LINUX_KERNEL) $(LINUX_INITRAMFS) iso/grub-linux.cfg iso/linux.toml
	@rm -rf $(BUILD)/iso-linux && mkdir -p $(BUILD)/iso-linux/boot/grub $(BUILD)/iso-linux/boot/linux
	cp $(KERNEL) $(BUILD)/iso-linux/boot/vireo.elf
	cp $(LINUX_KERNEL) $(LINUX_INITRAMFS) $(BUILD)/iso-linux/boot/linux/
	cp iso/grub-linux.cfg $(BUILD)/iso-linux/boot/grub/grub.cfg
	cp iso/linux.toml $(BUILD)/iso-linux/boot/vms.toml
	grub-mkrescue -o $@ $(BUILD)/iso-linux 2> $(BUILD)/grub-mkrescue.log || \
		{ cat $(BUILD)/grub-mkrescue.log; exit 1; }

# --- running ---------------------------------------------------------------------------------

run:
	@$(MAKE) --no-print-directory ensure-deps
	@$(MAKE) --no-print-directory iso
	@echo "Booting Vireo in QEMU (AMD-V, $(SMP) CPUs). Quit with Ctrl-A X."
	$(QEMU) $(QEMU_FLAGS) -serial mon:stdio

# QEMU's TCG takes tens of microseconds of the host's clock for each exit of a nested guest,
# and its TSC follows that clock: Linux's TSC calibration refuses reference reads that slow and
# marks the TSC unstable (docs/LINUX.md). Counting instructions (1 ns each) gives the VM the
# coherent clock a PC or KVM gives it, as in the tests.
LINUX_QEMU_CLOCK := -icount shift=0
run-linux:
	@$(MAKE) --no-print-directory ensure-deps
	@$(MAKE) --no-print-directory $(LINUX_ISO)
	@echo "Booting Vireo with Linux in QEMU (AMD-V, $(SMP) CPUs). Quit with Ctrl-A X."
	$(QEMU) $(subst $(ISO),$(LINUX_ISO),$(QEMU_FLAGS)) $(LINUX_QEMU_CLOCK) -serial mon:stdio

run-bochs:
	@$(MAKE) --no-print-directory ensure-deps
	@$(MAKE) --no-print-directory iso
	@# COM1 is this terminal when there is one (typing reaches the console), else standard output.
	if tty=$$(tty 2>/dev/null); then mode=term; dev=$$tty; else mode=file; dev=/dev/stdout; fi; \
	sed -e 's|@ISO@|$(ISO)|' -e 's|@MODEL@|corei7_skylake_x|' -e 's|@CPUS@|$(SMP)|' -e 's|@MEGS@|$(BOCHS_MEGS)|' \
		-e 's|@HOST_MEGS@|$(BOCHS_HOST_MEGS)|' -e "s|@SERIAL_MODE@|$$mode|" \
		-e "s|@SERIAL@|$$dev|" -e 's|@LOG@|$(BUILD)/bochs.log|' -e 's|@IPS@|10000000|' \
		tests/emulators/bochsrc.in > $(BUILD)/bochsrc
	@echo "Booting Vireo in Bochs (VT-x, $(SMP) CPUs). Quit with 'poweroff' at the console."
	SDL_VIDEODRIVER=dummy bochs -q -f $(BUILD)/bochsrc -rc tests/emulators/bochs-continue.rc \
		< /dev/null

debug:
	@$(MAKE) --no-print-directory ensure-deps
	@$(MAKE) --no-print-directory iso
	$(QEMU) $(QEMU_FLAGS) -serial file:$(BUILD)/debug-serial.log -s -S & \
	gdb -q $(KERNEL) -ex 'target remote :1234' -ex 'break kmain' -ex 'continue'; \
	kill %1 2>/dev/null; true

# --- tests -----------------------------------------------------------------------------------

HOST_CFLAGS := -std=gnu11 -O1 -g $(WARNINGS) -I. -DVIREO_HOST \
	-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
UNIT_TESTS := string format multiboot2 cmdline frame_alloc heap pgtable acpi pio cpuid vm_config \
	elf svm_exit vmx_exit vmx_diagnose event guest_walk x86_decode control_regs runq run_state \
	vector_set guest_ram input_ring multiboot1 multiboot1_info vpic vpit toml config_file \
	vuart vi8042 vrtc gdb_packet gdb_stub
UNIT_TESTS += mmio
UNIT_TESTS += x86_emulate
UNIT_TESTS += vioapic
UNIT_TESTS += vvga
UNIT_TESTS += vreset
UNIT_TESTS += vlapic
UNIT_TESTS += mptable acpi_build e820 vfw_cfg vacpi_pm
UNIT_TESTS += linux_boot vpci

# vireo-config: the VM config parser of the kernel, built for the host to check a file.
VIREO_CONFIG := $(BUILD)/tools/vireo-config
vireo_config_srcs := tools/vireo-config.c vmm/config_file.c vmm/toml.c vmm/vm_config.c \
	kernel/format.c kernel/string.c

tools: $(VIREO_CONFIG)

$(VIREO_CONFIG): $(vireo_config_srcs) Makefile
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -o $@ $(vireo_config_srcs)
	@$(CC) $(HOST_CFLAGS) -MM -MP -MT $@ $(vireo_config_srcs) > $@.d

unit_srcs_string := kernel/string.c
unit_srcs_format := kernel/format.c
unit_srcs_multiboot2 := kernel/multiboot2.c kernel/format.c kernel/string.c
unit_srcs_cmdline := kernel/cmdline.c kernel/format.c kernel/string.c
unit_srcs_frame_alloc := kernel/frame_alloc.c kernel/string.c
unit_srcs_heap := kernel/heap.c kernel/string.c
unit_srcs_pgtable := arch/x86/pgtable.c arch/x86/svm/npt.c arch/x86/vmx/ept.c
unit_srcs_acpi := arch/x86/acpi.c kernel/format.c kernel/string.c
unit_srcs_pio := vmm/pio.c kernel/string.c
unit_srcs_cpuid := vmm/cpuid.c
unit_srcs_vm_config := vmm/vm_config.c kernel/format.c kernel/string.c
unit_srcs_elf := vmm/elf.c kernel/format.c kernel/string.c
unit_srcs_multiboot1 := vmm/multiboot1.c vmm/elf.c kernel/format.c kernel/string.c
unit_srcs_multiboot1_info := vmm/multiboot1_info.c vmm/e820.c kernel/format.c kernel/string.c
unit_srcs_svm_exit := arch/x86/svm/svm_exit.c
unit_srcs_vmx_exit := arch/x86/vmx/vmx_exit.c
unit_srcs_vmx_diagnose := arch/x86/vmx/vmx_diagnose.c kernel/format.c
unit_srcs_event := vmm/event.c kernel/string.c
unit_srcs_guest_walk := vmm/guest_walk.c
unit_srcs_x86_decode := vmm/x86_decode.c kernel/string.c
unit_srcs_mmio := vmm/mmio.c kernel/string.c
unit_srcs_x86_emulate := vmm/x86_emulate.c vmm/x86_decode.c kernel/string.c
unit_srcs_vioapic := vmm/dev/vioapic.c
unit_srcs_vvga := vmm/dev/vvga.c kernel/string.c
unit_srcs_vreset := vmm/dev/vreset.c
unit_srcs_control_regs := vmm/control_regs.c
unit_srcs_runq := vmm/runq.c
unit_srcs_run_state := vmm/run_state.c
unit_srcs_vector_set := vmm/vector_set.c
UNIT_TESTS += pvclock
unit_srcs_pvclock := vmm/pvclock.c
unit_srcs_guest_ram := vmm/guest_ram.c
unit_srcs_input_ring := vmm/input_ring.c
unit_srcs_vpic := vmm/dev/vpic.c
unit_srcs_vpit := vmm/dev/vpit.c
unit_srcs_toml := vmm/toml.c kernel/format.c kernel/string.c
unit_srcs_config_file := vmm/config_file.c vmm/toml.c vmm/vm_config.c kernel/format.c \
	kernel/string.c
unit_srcs_vuart := vmm/dev/vuart.c vmm/input_ring.c
unit_srcs_vi8042 := vmm/dev/vi8042.c vmm/dev/scancode.c vmm/input_ring.c
unit_srcs_vrtc := vmm/dev/vrtc.c kernel/calendar.c
unit_srcs_vlapic := vmm/dev/vlapic.c
unit_srcs_gdb_packet := vmm/gdb_packet.c
unit_srcs_vpci := vmm/dev/vpci.c
unit_srcs_linux_boot := vmm/linux_boot.c vmm/e820.c kernel/format.c kernel/string.c
UNIT_TESTS += gdb_hwbp
unit_srcs_gdb_hwbp := vmm/gdb_hwbp.c
unit_srcs_gdb_stub := tests/unit/gdb_fake_target.c vmm/gdb_stub.c vmm/gdb_access.c vmm/gdb_run.c \
	vmm/gdb_monitor.c vmm/gdb_regs.c vmm/gdb_tdesc.c vmm/gdb_packet.c kernel/format.c \
	kernel/string.c
unit_srcs_mptable := vmm/mptable.c kernel/string.c
unit_srcs_acpi_build := vmm/acpi_build.c arch/x86/acpi.c kernel/format.c kernel/string.c
unit_srcs_e820 := vmm/e820.c vmm/bios_data.c kernel/string.c
unit_srcs_vfw_cfg := vmm/dev/vfw_cfg.c kernel/string.c
unit_srcs_vacpi_pm := vmm/dev/vacpi_pm.c

UNIT_TESTS += trace_ring trace_record
unit_srcs_trace_ring := vmm/trace_ring.c
unit_srcs_trace_record := vmm/trace_record.c kernel/format.c

$(BUILD)/unit/test_%: tests/unit/test_%.c $$(unit_srcs_$$*) Makefile
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -o $@ $< $(unit_srcs_$*) -lcmocka
	@# One compile of several sources: their headers are listed in one go, all for the test.
	@$(CC) $(HOST_CFLAGS) -MM -MP -MT $@ $< $(unit_srcs_$*) > $@.d

unit-test: $(UNIT_TESTS:%=$(BUILD)/unit/test_%) $(VIREO_CONFIG) $(BUILD)/gdb-fake-vm fuzz-regress
	@for t in $(UNIT_TESTS:%=$(BUILD)/unit/test_%); do echo "== $$t"; $$t || exit 1; done
	@echo "== stock gdb against the stub (tests/gdb)"
	@$(PYTHON) -m pytest -q -rfE tests/gdb

# The GDB stub over stdin/stdout in front of the unit tests' fake VM, for a real gdb.
$(BUILD)/gdb-fake-vm: tests/gdb/gdb_fake_vm.c $(unit_srcs_gdb_stub) Makefile
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -o $@ $< $(unit_srcs_gdb_stub)
	@$(CC) $(HOST_CFLAGS) -MM -MP -MT $@ $< $(unit_srcs_gdb_stub) > $@.d

# libFuzzer harnesses of the parsers and decoders (docs/FUZZING.md): tests/fuzz/fuzz_NAME.c over
# the pure sources its unit test links, unit_srcs_NAME.
FUZZ_CC := clang
FUZZ_CFLAGS := -std=gnu11 -O1 -g $(WARNINGS) -I. -DVIREO_HOST \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_TARGETS := config_file vm_config elf multiboot1 x86_decode gdb_packet svm_exit vmx_exit vpic
FUZZ_TARGETS += vuart
FUZZ_TARGETS += vi8042
FUZZ_TARGETS += vrtc
FUZZ_TARGETS += vpit
FUZZ_TARGETS += toml
FUZZ_TARGETS += multiboot1_info
FUZZ_TARGETS += multiboot2
FUZZ_TARGETS += acpi
FUZZ_TARGETS += gdb_stub
FUZZ_TARGETS += guest_ram
FUZZ_TARGETS += vioapic
FUZZ_TARGETS += vlapic
FUZZ_TARGETS += vfw_cfg
FUZZ_TARGETS += linux_boot
FUZZ_TARGETS += pc_ports
FUZZ_TARGETS += x86_emulate
FUZZ_TARGETS += vm_console
FUZZ_SECONDS ?= 60
FUZZ_HARNESSES := $(FUZZ_TARGETS:%=$(BUILD)/fuzz/fuzz_%)

# The exit decoders' harnesses share the record's invariants.
fuzz_srcs_svm_exit := tests/fuzz/vm_exit_invariants.c
fuzz_srcs_vmx_exit := tests/fuzz/vm_exit_invariants.c
# The Multiboot1 information's harness lays out the RAM it describes.
fuzz_srcs_multiboot1_info := vmm/guest_ram.c
# The Linux loader's harness lays out the VM's RAM, and its map, to plan a boot in.
fuzz_srcs_linux_boot := vmm/guest_ram.c
# The console harness fakes the kernel's console, printk and clock it writes through.
fuzz_srcs_vm_console := vmm/vm_console.c kernel/format.c kernel/string.c
# The small port devices share one harness, which has no unit test of its own.
fuzz_srcs_pc_ports := vmm/dev/vpci.c vmm/dev/vacpi_pm.c vmm/dev/vvga.c vmm/dev/vreset.c \
	kernel/string.c

$(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $$(unit_srcs_$$*) $$(fuzz_srcs_$$*) Makefile
	@command -v $(FUZZ_CC) > /dev/null || { echo "The fuzz harnesses need $(FUZZ_CC) (libFuzzer):" \
		"apt-get install clang, or make deps as root"; exit 1; }
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $< $(unit_srcs_$*) $(fuzz_srcs_$*)
	@$(FUZZ_CC) $(FUZZ_CFLAGS) -MM -MP -MT $@ $< $(unit_srcs_$*) $(fuzz_srcs_$*) > $@.d

# Each harness once over every committed input (given as files, so nothing is written back).
fuzz-regress: $(FUZZ_HARNESSES)
	@for t in $(FUZZ_TARGETS); do echo "== fuzz_$$t over tests/fuzz/corpus/$$t"; \
		$(BUILD)/fuzz/fuzz_$$t tests/fuzz/corpus/$$t/* > $(BUILD)/fuzz/regress-$$t.log 2>&1 || \
		{ cat $(BUILD)/fuzz/regress-$$t.log; exit 1; }; done

# Each harness for FUZZ_SECONDS from a working copy of its seeds in build/fuzz/corpus/NAME,
# which keeps what earlier runs found; a crashing input is left as build/fuzz/crash-*.
fuzz: $(FUZZ_HARNESSES)
	@for t in $(FUZZ_TARGETS); do echo "== fuzz_$$t for $(FUZZ_SECONDS) s"; \
		mkdir -p $(BUILD)/fuzz/corpus/$$t && cp tests/fuzz/corpus/$$t/* $(BUILD)/fuzz/corpus/$$t/ && \
		$(BUILD)/fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -artifact_prefix=$(BUILD)/fuzz/ \
			$(BUILD)/fuzz/corpus/$$t > $(BUILD)/fuzz/fuzz-$$t.log 2>&1 || \
		{ tail -60 $(BUILD)/fuzz/fuzz-$$t.log; exit 1; }; \
		grep -E '^#[0-9]+[[:space:]]+DONE|^Done' $(BUILD)/fuzz/fuzz-$$t.log; done

# In parallel, one emulator per core (pytest-xdist): the emulators are single-threaded at heart.
TEST_JOBS ?= $(shell nproc)

integration-test: $(ISO) $(VIREO_CONFIG) linux
	$(PYTHON) -m pytest -q -rfE -n $(TEST_JOBS) tests/integration

test:
	@$(MAKE) --no-print-directory ensure-deps
	@$(MAKE) --no-print-directory unit-test
	@$(MAKE) --no-print-directory integration-test

# Exit path lengths in instructions: AMD-V under QEMU -icount, VT-x under Bochs (DESIGN.md 5).
bench:
	@$(MAKE) --no-print-directory ensure-deps
	@$(MAKE) --no-print-directory all linux
	$(PYTHON) tests/bench/run_bench.py
	$(PYTHON) tests/bench/linux_boot.py

# --- labs ------------------------------------------------------------------------------------
# Each lab of docs/LABS.md with a check: tests/labs/NAME/check.py boots what it needs under
# QEMU and says what is missing; tests/labs/NAME/solution.patch is a solution.

LABS := write-a-guest add-a-hypercall add-a-device
LABS += trace-an-exit

lab-write-a-guest: $(KERNEL) $(GUEST_DIR)/pascal.elf
lab-add-a-hypercall: $(KERNEL) $(GUEST_DIR)/hash.elf
lab-add-a-device: $(KERNEL) $(GUEST_DIR)/ticket.elf
lab-trace-an-exit: $(KERNEL) $(GUEST_DIR)/bench.elf

$(LABS:%=lab-%): lab-%:
	@$(PYTHON) tests/labs/$*/check.py

# --- packages --------------------------------------------------------------------------------

deps:
	apt-get update
	DEBIAN_FRONTEND=noninteractive apt-get install -y $(DEB_PACKAGES)

deps-list:
	@echo $(DEB_PACKAGES)

ensure-deps:
	@$(if $(MISSING_PACKAGES),echo "Installing missing Debian packages: $(MISSING_PACKAGES)" && \
		$(MAKE) --no-print-directory deps,:)

clean:
	rm -rf $(BUILD)

-include $(KERNEL_OBJS:.o=.d) $(wildcard $(GUEST_DIR)/*/*/*/*.d $(GUEST_DIR)/*/*/*.d) \
	$(wildcard $(BUILD)/unit/*.d $(BUILD)/tools/*.d $(BUILD)/gdb-fake-vm.d \
	$(BUILD)/fuzz/*.d)
