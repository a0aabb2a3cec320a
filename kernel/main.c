/* SPDX-License-Identifier: MIT */
/* kmain: the boot CPU's start-up sequence, in the order the layers depend on each other. */
#include "arch/x86/acpi_boot.h"
#include "arch/x86/cpu.h"
#include "arch/x86/lapic.h"
#include "arch/x86/paging.h"
#include "arch/x86/smp.h"
#include "drivers/cmos_clock.h"
#include "drivers/i8259.h"
#include "drivers/pit.h"
#include "drivers/uart16550.h"
#include "drivers/vga_text.h"
#include "kernel/calendar.h"
#include "kernel/cmdline.h"
#include "kernel/cpu_work.h"
#include "kernel/memory.h"
#include "kernel/modules.h"
#include "kernel/multiboot2.h"
#include "kernel/panic.h"
#include "kernel/percpu.h"
#include "kernel/power.h"
#include "kernel/printk.h"
#include "kernel/selftest.h"
#include "kernel/smp_call.h"
#include "kernel/time.h"
#include "kernel/timer.h"
#include "kernel/version.h"
#include "vmm/gdb_server.h"
#include "vmm/monitor.h"
#include "vmm/vm_console.h"
#include "vmm/vmm.h"

#define MB2_INFO_MAX (1 * MiB)	/* a sanity bound on the information block GRUB hands over */
#define TSC_CALIBRATION_MS 20

void kmain(u32 magic, u32 info_phys);

static struct boot_info boot_info;
static struct options options;

/* BIOS boots leave an EGA text screen; under UEFI there is only a graphics framebuffer. */
static void screen_console_init(const struct boot_info *bi)
{
	const struct boot_framebuffer *fb = &bi->fb;

	if (fb->type == BOOT_FB_EGA_TEXT)
		vga_text_init(fb->addr, fb->width, fb->height);
}

static void parse_boot_information(u32 magic, u32 info_phys)
{
	const u8 *info = phys_to_virt(info_phys);
	u32 total = *(const u32 *)info;

	if (magic != MB2_BOOTLOADER_MAGIC)
		panic("not booted by a Multiboot2 loader (magic %#x)", magic);
	if (mb2_parse(info, MIN(total, (u32)MB2_INFO_MAX), info_phys, &boot_info) < 0)
		pr_err("Multiboot2 information is malformed: %s; using what came before it\n",
		       boot_info.error);
}

static void apply_command_line(void)
{
	cmdline_defaults(&options);
	cmdline_parse(boot_info.cmdline, &options);
	printk_set_level((enum log_level)options.loglevel);
	panic_set_action(options.on_panic);
	vm_console_use_color(options.color);
}

static void print_banner(void)
{
	pr_info("Vireo %s - a bare-metal x86-64 microhypervisor\n", VIREO_VERSION);
	pr_info("boot loader: %s\n", boot_info.loader_name[0] ? boot_info.loader_name : "(unnamed)");
	printk_text(LOG_INFO, "command line: ", boot_info.cmdline, "");
	for (u32 i = 0; i < options.warning_count; i++)
		pr_warn("command line: %s\n", options.warnings[i]);
	/* In kHz: Bochs's TSC runs near 10 MHz, where whole MHz would be 10% off. */
	pr_info("CPU: %s (%s family %u model %u stepping %u), TSC %llu.%03llu MHz\n",
		cpu_features.brand, cpu_features.vendor, cpu_features.family, cpu_features.model,
		cpu_features.stepping, time_tsc_hz() / 1000000, time_tsc_hz() / 1000 % 1000);
	if (boot_info.fb.type == BOOT_FB_EGA_TEXT)
		pr_info("screen: EGA text %ux%u, a second console\n", boot_info.fb.width,
			boot_info.fb.height);
	else if (boot_info.fb.type != BOOT_FB_NONE)
		pr_info("screen: %ux%u graphics framebuffer (not used; the console is serial)\n",
			boot_info.fb.width, boot_info.fb.height);
}

/* The host's date and time, for the guests' clocks; a log line says what was read. */
static void set_wall_clock(void)
{
	u64 now = cmos_clock_read_epoch();
	struct calendar_time t;

	if (!now) {
		pr_warn("clock: the CMOS clock could not be read; guests' clocks start in 1970\n");
		return;
	}
	time_set_wall_clock(now - time_since_boot_ns() / NSEC_PER_SEC);
	calendar_from_epoch(now, &t);
	pr_info("clock: %04u-%02u-%02u %02u:%02u:%02u UTC from the CMOS clock\n", t.year, t.month,
		t.day, t.hour, t.minute, t.second);
}

void kmain(u32 magic, u32 info_phys)
{
	u32 started;

	boot_tsc = rdtsc();
	percpu_init_bsp();
	cpu_init_this();
	printk_set_cpu_id_source(this_cpu_id);
	uart16550_init(&host_uart, COM1_PORT);
	time_init(pit_calibrate_tsc(TSC_CALIBRATION_MS));
	set_wall_clock();
	cpu_features_init();
	parse_boot_information(magic, info_phys);
	screen_console_init(&boot_info);
	apply_command_line();
	print_banner();

	memory_init(&boot_info);
	memory_report_map(&boot_info);
	paging_init(memory_top());
	heap_setup();
	memory_report_counters();
	modules_report(&boot_info);
	acpi_boot_init(&boot_info);
	power_init(&acpi);

	i8259_disable();
	lapic_init_bsp(&(struct lapic_options){ options.x2apic, options.tsc_deadline });
	timer_init();
	smp_call_init();
	cpu_work_init();
	console_start_draining();
	irq_enable();
	smp_boot(&acpi, options.smp);

	selftest_run(options.selftest);
	/* With gdb=com1 the GDB stub takes the console's input: the monitor stays deaf. */
	if (options.gdb_port != COM1_PORT)
		monitor_start();
	gdb_server_start(options.gdb_port, options.gdb_vm);
	started = vmm_start(&boot_info, options.on_done);
	pr_info("boot complete in %llu ms; %u VM(s) started\n", time_since_boot_ns() / NSEC_PER_MSEC,
		started);
	if (!started && vmm_available() && options.on_done != POWER_KEEP_RUNNING) {
		pr_notice("shutting down (ondone=%s)\n", cmdline_power_action_name(options.on_done));
		power_act(options.on_done);
	}
	/* The boot CPU runs a VM too, and the console: the last VM to stop ends the run. */
	cpu_idle_loop();
}
